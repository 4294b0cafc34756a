"""Naive forecasts on forecast windows: persistence and seasonal naive."""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["SeasonalNaiveRegressor"]


class SeasonalNaiveRegressor(RegressorMixin, BaseEstimator):
    """Forecast the target as one of its own lagged values.

    The last columns of ``X`` must be the lag block of :func:`~sklearn_hydro.make_windows`
    (oldest to newest); the forecast is the column ``<target>_lag<lag>``, i.e.
    ``X[:, -lag]``. Nothing is learned.

    * persistence (yesterday's value for ``horizon=1``): ``lag=1``;
    * weekly seasonal naive (the same weekday last week): ``lag = 7 - horizon + 1``.

    Put a :class:`~sklearn_hydro.SigmaOutlierSmoother` in front to fill missing lags.

    Parameters
    ----------
    lag : int >= 1, default=1
        Which lag to return, counted from the newest (``1``).

    Attributes
    ----------
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

    _parameter_constraints = {"lag": [Interval(Integral, 1, None, closed="left")]}

    def __init__(self, lag=1):
        self.lag = lag

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
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
        X, y = validate_data(self, X, y, y_numeric=True)
        if self.lag > X.shape[1]:
            raise ValueError(
                f"lag={self.lag} but X has only {X.shape[1]} column(s): the lag block must hold "
                f"at least {self.lag} lags"
            )
        return self

    def predict(self, X):
        """Return ``X[:, -lag]``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        check_is_fitted(self, "n_features_in_")
        X = validate_data(self, X, reset=False)
        return np.array(X[:, -self.lag], dtype=np.float64)
