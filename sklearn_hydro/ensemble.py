"""Average a stochastic regressor over seeds: the cheapest cure for a network's seed spread."""

from numbers import Integral

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, _fit_context, clone
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["SeedEnsembleRegressor"]


def _with_seed(estimator, seed):
    """A clone of ``estimator`` with every ``random_state`` parameter (nested too) set."""
    estimator = clone(estimator)
    keys = [k for k in estimator.get_params(deep=True) if k.split("__")[-1] == "random_state"]
    estimator.set_params(**dict.fromkeys(keys, seed))
    return estimator


def _fit_one(estimator, X, y):
    return estimator.fit(X, y)


class SeedEnsembleRegressor(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """Fit copies of a regressor that differ only in their seed, and average their forecasts.

    A small network's forecast moves with its random initialisation and batch order about as
    much as one model differs from another; the mean of a few seeds keeps the accuracy and
    drops most of that spread. Every member sees the same rows, in the same order (no
    bootstrap), so time order and early stopping on the tail are kept.

    Parameters
    ----------
    estimator : regressor
        The model to repeat (a Pipeline too). Every parameter named ``random_state``, nested
        ones included, is set to the member's seed.
    n_estimators : int >= 1, default=5
        Number of seeds.
    random_state : int, RandomState instance or None, default=None
        Draws the members' seeds; an int makes the ensemble reproducible.
    n_jobs : int or None, default=None
        Members fitted in parallel through joblib (each keeps its own thread setting, e.g.
        the one thread of :class:`~sklearn_hydro.DualLSTMRegressor`).

    Attributes
    ----------
    estimators_ : list of regressors
        The fitted members.
    seeds_ : ndarray of int
        Their seeds.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neural_network import MLPRegressor
    >>> from sklearn_hydro.ensemble import SeedEnsembleRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 3))
    >>> y = X @ [1.0, -2.0, 0.5]
    >>> mlp = MLPRegressor(hidden_layer_sizes=(8,), max_iter=300)
    >>> model = SeedEnsembleRegressor(mlp, n_estimators=3, random_state=0).fit(X, y)
    >>> len(model.estimators_), model.predict(X[:2]).shape
    (3, (2,))
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"])],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
    }

    def __init__(self, estimator, n_estimators=5, random_state=None, n_jobs=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.random_state = random_state
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit ``n_estimators`` seeded copies of ``estimator`` on the same rows.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)

        Returns
        -------
        self : SeedEnsembleRegressor
        """
        # the members validate X themselves (a Pipeline may take a DataFrame of windows with
        # missing values); only the feature names and count are recorded here
        validate_data(self, X, skip_check_array=True)
        seeds = check_random_state(self.random_state).randint(
            np.iinfo(np.int32).max, size=self.n_estimators
        )
        members = [_with_seed(self.estimator, int(seed)) for seed in seeds]
        self.estimators_ = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_one)(member, X, y) for member in members
        )
        self.seeds_ = seeds
        return self

    def predict(self, X):
        """Mean of the members' forecasts.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        check_is_fitted(self)
        shape = getattr(X, "shape", None)
        if shape is not None and len(shape) != 2:
            raise ValueError(
                f"Expected a 2D array, got {len(shape)}D instead. Reshape your data, e.g. with "
                "X.reshape(1, -1) for a single sample."
            )
        validate_data(self, X, skip_check_array=True, reset=False)
        return np.mean([np.asarray(m.predict(X), dtype=np.float64) for m in self.estimators_],
                       axis=0)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.sparse = inner.input_tags.sparse
        tags.target_tags.multi_output = inner.target_tags.multi_output
        tags.non_deterministic = inner.non_deterministic
        return tags
