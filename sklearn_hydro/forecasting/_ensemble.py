"""Ensembles for forecasting: seed averaging and a blend weighted on the latest rows.

* :class:`SeedEnsembleRegressor` averages copies of one stochastic regressor that differ
  only in their seed, the cheapest cure for a network's seed spread;
* :class:`TailBlendRegressor` blends different regressors with convex weights chosen on the
  last rows of the training data (never on the future), then refits them on all rows.
"""

import itertools
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.metrics import mean_absolute_error
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ..metrics import mean_absolute_percentage_error
from ..utils import (
    Parallel,
    delayed,
    in_task,
    inherit_tags,
    nested_in_process,
    tail_split_indices,
    validate_passthrough,
)
from ..utils._sklearn import (
    HasMethods,
    Interval,
    StrOptions,
    _BaseComposition,
    _fit_context,
    _num_samples,
    _safe_indexing,
)

__all__ = ["SeedEnsembleRegressor", "TailBlendRegressor"]


def _with_seed(estimator, seed):
    """A clone of ``estimator`` with every ``random_state`` parameter (nested too) set."""
    estimator = clone(estimator)
    keys = [k for k in estimator.get_params(deep=True) if k.split("__")[-1] == "random_state"]
    estimator.set_params(**dict.fromkeys(keys, seed))
    return estimator


def _check_predict_input(meta, X):
    """The checks a fitted meta-estimator makes before passing ``X`` on to its members."""
    check_is_fitted(meta)
    return validate_passthrough(meta, X, reset=False, accept_sparse=meta._accept_sparse())


def _fit_one(estimator, X, y):
    return estimator.fit(X, y)


def _fit_each(estimators, X, y, n_jobs):
    """Fit every estimator; in parallel through joblib only when ``n_jobs`` > 1.

    ``None`` or 1 fits them one after the other in this process, whatever joblib backend is
    active (the in-process rule of :func:`~sklearn_hydro.utils.nested_in_process`, the one
    exception to scikit-learn's meaning of ``n_jobs``): an ensemble inside a parallel loop
    (one model per district on a Dask cluster) then does not spread its members again as
    nested tasks, which made every worker juggle several fits at once.
    """
    with nested_in_process(n_jobs):
        return Parallel(n_jobs=n_jobs)(
            delayed(in_task)(_fit_one, est, X, y) for est in estimators
        )


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
        the one thread of :class:`~sklearn_hydro.DualLSTMRegressor`). None or 1: one after
        the other in this process, even under ``joblib.parallel_config`` (an ensemble inside
        a parallel loop does not spread again).
    warm_start : bool, default=False
        A refit of a fitted ensemble refits its members (which continue from their own
        state when they warm-start too, see :func:`~sklearn_hydro.utils.set_warm_start`)
        instead of fresh seeded clones.

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
    >>> from sklearn_hydro.forecasting import SeedEnsembleRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 3))
    >>> y = X @ [1.0, -2.0, 0.5]
    >>> mlp = MLPRegressor(hidden_layer_sizes=(8,), max_iter=2000)
    >>> model = SeedEnsembleRegressor(mlp, n_estimators=3, random_state=0).fit(X, y)
    >>> len(model.estimators_), model.predict(X[:2]).shape
    (3, (2,))
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"])],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
        "warm_start": ["boolean"],
    }

    def __init__(self, estimator, n_estimators=5, random_state=None, n_jobs=None,
                 warm_start=False):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.warm_start = warm_start

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
        X, y = validate_passthrough(self, X, y, reset=True, accept_sparse=self._accept_sparse(),
                                    multi_output=True, y_numeric=True)
        seeds = check_random_state(self.random_state).randint(
            np.iinfo(np.int32).max, size=self.n_estimators
        )
        members = [_with_seed(self.estimator, int(seed)) for seed in seeds]
        if self.warm_start and len(getattr(self, "estimators_", [])) == self.n_estimators:
            members = list(self.estimators_)  # refit the fitted members (their own warm start)
        self.estimators_ = _fit_each(members, X, y, self.n_jobs)
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
        X = _check_predict_input(self, X)
        return np.mean([np.asarray(m.predict(X), dtype=np.float64) for m in self.estimators_],
                       axis=0)

    def _accept_sparse(self):
        return self.estimator.__sklearn_tags__().input_tags.sparse

    def __sklearn_tags__(self):
        return inherit_tags(super().__sklearn_tags__(), [self.estimator],
                            ("allow_nan", "sparse", "multi_output", "non_deterministic"))


def _convex_grid(n_models, step):
    """Every weight vector with entries in multiples of ``step`` that sums to 1."""
    n_steps = int(round(1 / step))
    grid = [
        np.array(c, dtype=np.float64) / n_steps
        for c in itertools.product(range(n_steps + 1), repeat=n_models)
        if sum(c) == n_steps
    ]
    # the most even weights first, so that ties go to the least extreme blend
    return sorted(grid, key=lambda w: (w.max(), tuple(-w)))


def _best_weights(grid, y, preds):
    """The convex weights of ``grid`` whose blend of ``preds`` has the lowest tail error."""
    best, weights = np.inf, None
    for w in grid:
        error, margin = _blend_error(y, np.tensordot(w, preds, axes=1))
        if error < best - margin:
            best, weights = error, w
    return weights, best


def _tail_error(y, pred):
    """A regressor's tail error, per output when there are several."""
    if y.ndim == 1:
        return _blend_error(y, pred)[0]
    return np.array([_blend_error(y[:, j], pred[:, j])[0] for j in range(y.shape[1])])


def _blend_error(y, pred):
    """The blend's criterion on the tail, and the margin by which a blend must beat another.

    MAPE in percent (:func:`~sklearn_hydro.metrics.mean_absolute_percentage_error` with
    ``strict=False``, over every output), or the mean absolute error where ``y`` has a zero or
    a negative value (MAPE is then undefined). The margin is 1e-12 of a fraction (1e-10
    percent), or 1e-12 of the MAE.
    """
    y = np.asarray(y, dtype=np.float64).reshape(pred.shape).ravel()
    pred = np.asarray(pred, dtype=np.float64).ravel()
    error = mean_absolute_percentage_error(y, pred, strict=False)
    if np.isnan(error):
        return float(mean_absolute_error(y, pred)), 1e-12
    return error, 1e-10


class TailBlendRegressor(MetaEstimatorMixin, RegressorMixin, _BaseComposition):
    """Blend regressors with convex weights chosen on the latest training rows.

    With ``weights="auto"`` each regressor is first fitted on the rows before the last
    ``validation_fraction`` of the training data and forecasts those last rows; the convex
    weights (multiples of ``step``) with the lowest mean absolute percentage error there
    (the mean absolute error if an observation there is zero or negative) are kept, and every
    regressor is refitted on all rows. Rows are taken in time order, so the weights never see the
    future, and a series on which one model is clearly better (an
    electricity load with a strongly non-linear temperature effect, say) gets its weight.

    Parameters
    ----------
    estimators : list of (str, regressor)
        The regressors to blend, by name (tunable as ``<name>__<param>``).
    weights : "auto" or array-like of shape (n_estimators,), default="auto"
        Fixed weights (normalised to sum to one), or chosen on the tail as above.
    validation_fraction : float in (0, 1), default=0.2
        Share of the training rows, from the end, on which the weights are chosen
        (:func:`~sklearn_hydro.utils.tail_split_indices`, as every hold-out of the package).
    step : float in (0, 1], default=0.25
        Resolution of the weight grid.
    n_jobs : int or None, default=None
        Regressors fitted in parallel through joblib; None or 1: one after the other in this
        process, even under ``joblib.parallel_config`` (the in-process rule of
        :func:`~sklearn_hydro.utils.nested_in_process`).
    warm_start : bool, default=False
        A refit of a fitted blend keeps its weights and refits its fitted regressors (a
        warm refit on a longer history; a cold fit chooses the weights again).

    Attributes
    ----------
    estimators_ : list of regressors
        Fitted on all rows.
    weights_ : ndarray of shape (n_estimators,), or (n_outputs, n_estimators)
        The blend's weights; with several outputs (horizons) and ``weights="auto"``, each
        output has its own (the network may win far ahead and the linear model tomorrow).
    tail_errors_ : dict
        Tail MAPE (percent, as :func:`~sklearn_hydro.metrics.mean_absolute_percentage_error`;
        the mean absolute error if the tail has a zero or negative observation) of each
        regressor and of the chosen blend (``"blend"``), with ``weights="auto"``; one per
        output with several.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> from sklearn.dummy import DummyRegressor
    >>> from sklearn_hydro.forecasting import TailBlendRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 2))
    >>> y = 10 + X @ [1.0, 2.0]
    >>> blend = TailBlendRegressor([("linear", LinearRegression()),
    ...                             ("mean", DummyRegressor())]).fit(X, y)
    >>> blend.weights_
    array([1., 0.])
    """

    _parameter_constraints = {
        "estimators": [list],
        "weights": [StrOptions({"auto"}), "array-like"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "step": [Interval(Real, 0, 1, closed="right")],
        "n_jobs": [Integral, None],
        "warm_start": ["boolean"],
    }

    def __init__(self, estimators, weights="auto", validation_fraction=0.2, step=0.25,
                 n_jobs=None, warm_start=False):
        self.estimators = estimators
        self.weights = weights
        self.validation_fraction = validation_fraction
        self.step = step
        self.n_jobs = n_jobs
        self.warm_start = warm_start

    def get_params(self, deep=True):
        return self._get_params("estimators", deep=deep)

    def set_params(self, **params):
        self._set_params("estimators", **params)
        return self

    def _tail_split(self, n):
        """The rows before the tail and the tail (the package's newest-rows hold-out)."""
        rows = np.arange(n)
        try:
            head, tail = (rows[part] for part in tail_split_indices(n, self.validation_fraction))
        except ValueError:
            head = tail = rows[:0]
        if len(head) < 2 or len(tail) < 2:
            raise ValueError(
                f"validation_fraction={self.validation_fraction} leaves too few rows on one "
                f"side with n_samples = {n}; pass more rows or fixed weights"
            )
        return head, tail

    def _fit_all(self, X, y):
        return _fit_each([clone(est) for _, est in self.estimators], X, y, self.n_jobs)

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Choose the weights on the tail (``weights="auto"``), then fit every regressor.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows in time order.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)

        Returns
        -------
        self : TailBlendRegressor
        """
        if not self.estimators:
            raise ValueError("estimators must name at least one regressor")
        # missing targets (partial windows) go to the members, which take them or say not;
        # "auto" weights need every tail target
        X, y = validate_passthrough(self, X, y, reset=True, multi_output=True, y_numeric=True,
                                    missing_y=not _is_auto(self.weights))
        names = [name for name, _ in self.estimators]
        self._validate_names(names)
        n = _num_samples(y)
        self._y_1d = np.ndim(y) == 1  # forecasts as y: 1-D, or a column per output
        if self.warm_start and len(getattr(self, "estimators_", [])) == len(names):
            # a warm refit keeps the weights and refits the fitted members
            self.estimators_ = _fit_each(list(self.estimators_), X, y, self.n_jobs)
            return self
        if isinstance(self.weights, str):
            head, tail = self._tail_split(n)
            fitted = self._fit_all(_safe_indexing(X, head), _safe_indexing(y, head))
            y_tail = np.asarray(_safe_indexing(y, tail), dtype=np.float64)
            preds = np.stack([np.asarray(m.predict(_safe_indexing(X, tail)), dtype=np.float64)
                              .reshape(y_tail.shape) for m in fitted])
            grid = _convex_grid(len(fitted), self.step)
            if y_tail.ndim == 1:
                weights, best = _best_weights(grid, y_tail, preds)
            else:  # several outputs (horizons): each output its own weights
                chosen = [_best_weights(grid, y_tail[:, j], preds[:, :, j])
                          for j in range(y_tail.shape[1])]
                weights = np.array([w for w, _ in chosen])
                best = np.array([e for _, e in chosen])
            self.tail_errors_ = {
                name: _tail_error(y_tail, p) for name, p in zip(names, preds, strict=True)
            }
            self.tail_errors_["blend"] = best
        else:
            weights = np.asarray(self.weights, dtype=np.float64)
            if weights.shape != (len(names),) or np.any(weights < 0) or weights.sum() <= 0:
                raise ValueError(
                    f"weights must be {len(names)} non-negative numbers with a positive sum, "
                    f"got {self.weights!r}"
                )
            weights = weights / weights.sum()
        self.estimators_ = self._fit_all(X, y)
        self.weights_ = weights
        return self

    @property
    def named_estimators_(self):
        """The fitted regressors by name."""
        check_is_fitted(self)
        names = [name for name, _ in self.estimators]
        return dict(zip(names, self.estimators_, strict=True))

    def predict(self, X):
        """The weighted sum of the regressors' forecasts.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        X = _check_predict_input(self, X)
        n = _num_samples(X)
        # members may give one output as (n,) or (n, 1): each is read as (n, n_outputs)
        preds = np.stack([np.asarray(m.predict(X), dtype=np.float64).reshape(n, -1)
                          for m in self.estimators_])
        if self.weights_.ndim == 1:
            out = np.tensordot(self.weights_, preds, axes=1)
        else:  # (n_outputs, n_estimators) weights: output j blends the estimators' output j
            out = np.einsum("jk,knj->nj", self.weights_, preds)
        return out[:, 0] if getattr(self, "_y_1d", out.shape[1] == 1) else out

    @staticmethod
    def _accept_sparse():
        return False

    def __sklearn_tags__(self):
        return inherit_tags(super().__sklearn_tags__(), [est for _, est in self.estimators],
                            ("allow_nan", "multi_output", "non_deterministic"))


def _is_auto(weights):
    return isinstance(weights, str) and weights == "auto"
