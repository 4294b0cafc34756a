"""Naive forecasts on forecast windows: persistence and seasonal naive."""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils import parse_lag_name, signal_lags
from ..utils._sklearn import Interval, _fit_context

__all__ = ["SeasonalNaiveRegressor"]


class SeasonalNaiveRegressor(RegressorMixin, BaseEstimator):
    """Forecast the target as one of its own lagged values.

    The forecast is the raw value of the column ``<target>_lag<lag>`` of windows from
    :func:`~sklearn_hydro.make_windows`, found by name; an unnamed array must end with the
    lag block (oldest to newest), and the forecast is ``X[:, -lag]``. Where that value is
    missing, the newest observed older lag is used (``lag + 1``, ``lag + 2``, ...). Nothing is
    learned.

    * persistence (yesterday's value for ``horizon=1``): ``lag=1``;
    * weekly seasonal naive (the same weekday last week): ``lag = 7 - horizon + 1``.

    Parameters
    ----------
    lag : int >= 1, default=1
        Which lag to return, counted from the newest (``1``).
    target : str or None, default=None
        Name of the target series, needed only when the windows hold past covariates' lags.

    Attributes
    ----------
    lag_columns_ : ndarray of int
        Column of lag ``lag``, then those of the older lags, newest first.
    n_features_in_ : int
        Number of columns seen in :meth:`fit`.
    feature_names_in_ : ndarray of str
        Column names seen in :meth:`fit`, when ``X`` is a DataFrame.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hydro import SeasonalNaiveRegressor
    >>> X = np.array([[1.0, 2.0, 3.0], [2.0, 3.0, 4.0]])
    >>> SeasonalNaiveRegressor(lag=1).fit(X, [4.0, 5.0]).predict(X)
    array([3., 4.])
    """

    _parameter_constraints = {
        "lag": [Interval(Integral, 1, None, closed="left")],
        "target": [str, None],
    }

    def __init__(self, lag=1, target=None):
        self.lag = lag
        self.target = target

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        # it learns nothing, so it cannot score well on arbitrary (non-window) data
        tags.regressor_tags.poor_score = True
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Check the input; nothing is learned.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Windows whose last ``lag`` columns or more are the lag block.
        y : array-like of shape (n_samples,)
            Ignored apart from its validation.

        Returns
        -------
        self : SeasonalNaiveRegressor
        """
        X, y = validate_data(self, X, y, y_numeric=True, ensure_all_finite="allow-nan")
        names = getattr(self, "feature_names_in_", None)
        lags = None
        if names is not None and any(parse_lag_name(n) for n in names):
            target, position = signal_lags(names, self.target)
            if self.lag not in position:
                raise ValueError(f"lag={self.lag} but X has no column {target}_lag{self.lag}")
            lags = [position[k] for k in sorted(position) if k >= self.lag]
        elif self.lag > X.shape[1]:
            raise ValueError(
                f"lag={self.lag} but X has only {X.shape[1]} column(s): the lag block must hold "
                f"at least {self.lag} lags"
            )
        else:
            lags = [X.shape[1] - k for k in range(self.lag, X.shape[1] + 1)]
        # the wanted lag first, then the older ones to fall back on
        self.lag_columns_ = np.asarray(lags, dtype=np.intp)
        return self

    def predict(self, X):
        """Return the value of lag ``lag`` (or the newest observed older one).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, ensure_all_finite="allow-nan")
        candidates = np.asarray(X[:, self.lag_columns_], dtype=np.float64)
        observed = ~np.isnan(candidates)
        first = np.argmax(observed, axis=1)
        pred = candidates[np.arange(len(X)), first]
        if not observed.any(axis=1).all():
            raise ValueError(
                "a window has no observed value at or before lag "
                f"{self.lag}: nothing to repeat"
            )
        return pred
