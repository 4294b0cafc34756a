"""Forecast deviations from each window's own recent level."""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, _fit_context, clone
from sklearn.linear_model import Ridge
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["RowLevelRegressor", "remove_row_level", "row_level"]


def row_level(X, n_lags):
    """Mean of the first ``n_lags`` columns of each row (the lag block's recent level).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hydro.row_level import row_level
    >>> row_level(np.array([[1.0, 3.0, 100.0], [2.0, 2.0, -5.0]]), 2)
    array([2., 2.])
    """
    return np.asarray(X[:, :n_lags], dtype=np.float64).mean(axis=1)


def remove_row_level(X, n_lags):
    """Subtract each row's level from its first ``n_lags`` columns.

    Returns
    -------
    X_centred : ndarray of shape (n_samples, n_features), float64
        A copy of ``X`` whose first ``n_lags`` columns have the row's level removed.
    level : ndarray of shape (n_samples,)
        :func:`row_level` of each row, to add back to a forecast.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hydro.row_level import remove_row_level
    >>> X_centred, level = remove_row_level(np.array([[1.0, 3.0, 100.0]]), 2)
    >>> X_centred, level
    (array([[ -1.,   1., 100.]]), array([2.]))
    """
    level = row_level(X, n_lags)
    X = np.array(X, dtype=np.float64)
    X[:, :n_lags] -= level[:, None]
    return X, level


class RowLevelRegressor(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """Fit a regressor to deviations from each row's own level, then add the level back.

    For forecast windows the first ``n_lags`` columns are a lag block (after a
    ColumnTransformer, e.g. the smoothed or denoised lags). Their mean ``m_i`` is the row's
    level, known at its forecast origin. The wrapped regressor is fitted on the row with
    ``m_i`` subtracted from the lag block, against ``y_i - m_i``; ``predict`` returns its
    forecast plus ``m_i``. A level shift after training (a new customer, a tariff change)
    then moves the forecasts with it, which models of absolute values (RBF kernels, trees)
    cannot do. Each row uses only its own values, so nothing leaks across rows.

    Parameters
    ----------
    regressor : estimator or None, default=None
        Regressor to wrap (cloned in ``fit``); None means :class:`~sklearn.linear_model.Ridge`.
    n_lags : int >= 1, default=1
        Number of leading columns forming the lag block.

    Attributes
    ----------
    regressor_ : estimator
        The fitted clone of ``regressor``.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.svm import SVR
    >>> from sklearn_hydro import RowLevelRegressor
    >>> t = np.arange(60.0)
    >>> X = np.column_stack([t, t + 1, t + 2])  # three lags of a rising series
    >>> y = t + 3
    >>> model = RowLevelRegressor(SVR(C=10.0), n_lags=3).fit(X[:40], y[:40])
    >>> bool(np.abs(model.predict(X[40:]) - y[40:]).max() < 0.2)  # beyond the training range
    True
    """

    _parameter_constraints = {
        "regressor": [HasMethods(["fit", "predict"]), None],
        "n_lags": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, regressor=None, n_lags=1):
        self.regressor = regressor
        self.n_lags = n_lags

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit the wrapped regressor on level-free rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The first ``n_lags`` columns are the lag block.
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : RowLevelRegressor
        """
        X, y = validate_data(self, X, y, y_numeric=True)
        if self.n_lags > X.shape[1]:
            raise ValueError(
                f"n_lags={self.n_lags} but X has only {X.shape[1]} column(s)"
            )
        X, level = remove_row_level(X, self.n_lags)
        regressor = Ridge() if self.regressor is None else self.regressor
        self.regressor_ = clone(regressor).fit(X, np.asarray(y, dtype=np.float64) - level)
        return self

    def predict(self, X):
        """Forecast: the wrapped regressor's deviation plus the row's level.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        X, level = remove_row_level(X, self.n_lags)
        return np.asarray(self.regressor_.predict(X), dtype=np.float64).reshape(-1) + level
