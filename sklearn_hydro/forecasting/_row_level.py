"""Forecast deviations from each window's own recent level."""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.linear_model import Ridge
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils import inherit_tags, signal_lags
from ..utils._sklearn import HasMethods, Interval, _fit_context
from ..windows import remove_row_level

__all__ = ["RowLevelRegressor"]


class RowLevelRegressor(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """Fit a regressor to deviations from each row's own level, then add the level back.

    The lag block is found by name in windows (the target's lags ``<target>_lag<k>``, or its
    denoised lags ``<target>_lag<k>_denoised`` after a
    :class:`~sklearn_hydro.WaveletDenoiser`), or is the first ``n_lags`` columns of an
    unnamed array. Its mean ``m_i`` is the row's level, known at its forecast origin. The
    wrapped regressor is fitted on the row with ``m_i`` subtracted from the lag block, against
    ``y_i - m_i``; ``predict`` returns its forecast plus ``m_i``. A level shift after
    training (a new customer, a tariff change) then moves the forecasts with it, which
    models of absolute values (RBF kernels, trees) cannot do. Each row uses only its own
    values, so nothing leaks across rows.

    Parameters
    ----------
    regressor : estimator or None, default=None
        Regressor to wrap (cloned in ``fit``); None means :class:`~sklearn.linear_model.Ridge`.
    n_lags : int >= 1 or None, default=None
        None finds the lag block by the column names; an int declares it as the first
        ``n_lags`` columns (for arrays without names).
    target : str or None, default=None
        Name of the target series, needed only when the names hold past covariates' lags.

    Attributes
    ----------
    regressor_ : estimator
        The fitted clone of ``regressor``.
    level_columns_ : ndarray of int
        Indices of the lag block's columns.
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
    >>> model = RowLevelRegressor(SVR(C=10.0), n_lags=3).fit(X[:40], y[:40])  # unnamed: n_lags
    >>> bool(np.abs(model.predict(X[40:]) - y[40:]).max() < 0.2)  # beyond the training range
    True
    """

    _parameter_constraints = {
        "regressor": [HasMethods(["fit", "predict"]), None],
        "n_lags": [Interval(Integral, 1, None, closed="left"), None],
        "target": [str, None],
    }

    def __init__(self, regressor=None, n_lags=None, target=None):
        self.regressor = regressor
        self.n_lags = n_lags
        self.target = target

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = Ridge() if self.regressor is None else self.regressor
        return inherit_tags(tags, [inner], fields=("multi_output",))

    def _level_columns(self, n_features):
        names = getattr(self, "feature_names_in_", None)
        if self.n_lags is not None:
            if self.n_lags > n_features:
                raise ValueError(f"n_lags={self.n_lags} but X has only {n_features} column(s)")
            return np.arange(self.n_lags)
        if names is None:
            raise ValueError(
                "RowLevelRegressor(n_lags=None) finds the lag block by its names "
                "('<target>_lag<k>'), but X has no column names; pass n_lags"
            )
        _, positions = signal_lags(names, self.target)
        return np.array(sorted(positions.values()))

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit the wrapped regressor on level-free rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The first ``n_lags`` columns are the lag block.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            One column per horizon for multi-horizon windows: each is forecast as a
            deviation from the same row level.

        Returns
        -------
        self : RowLevelRegressor
        """
        X, y = validate_data(self, X, y, y_numeric=True, multi_output=True)
        columns = self._level_columns(X.shape[1])
        X, level = remove_row_level(X, columns)
        regressor = Ridge() if self.regressor is None else self.regressor
        y = np.asarray(y, dtype=np.float64)
        deviation = y - (level[:, None] if y.ndim == 2 else level)
        self.regressor_ = clone(regressor).fit(X, deviation)
        self.level_columns_ = columns
        return self

    def predict(self, X):
        """Forecast: the wrapped regressor's deviation plus the row's level.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        X, level = remove_row_level(X, self.level_columns_)
        pred = np.asarray(self.regressor_.predict(X), dtype=np.float64)
        if pred.ndim == 2 and pred.shape[1] > 1:
            return pred + level[:, None]
        return pred.reshape(-1) + level
