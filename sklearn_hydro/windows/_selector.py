"""LagSelector: keep the newest ``lookback`` lags, found by name, so the lookback is tunable."""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils import parse_lag_name
from ..utils._sklearn import Interval, _check_feature_names_in, _fit_context

__all__ = ["LagSelector"]

class LagSelector(TransformerMixin, BaseEstimator):
    """Keep the newest ``lookback`` lags of every lagged series; other columns pass through.

    Windows are built once with the longest lookback worth trying; this first pipeline step
    makes ``lookback`` a parameter that :class:`~sklearn.model_selection.GridSearchCV` can
    tune (``lags__lookback``). Columns are found by their names (``<series>_lag<k>``), never
    by their positions, so windows with more lags than the model needs are read correctly.

    Parameters
    ----------
    lookback : int >= 1 or None, default=None
        Lags to keep per series (``<series>_lag1`` ... ``<series>_lag<lookback>``); None keeps
        every column, which also works on unnamed arrays.

    Attributes
    ----------
    n_features_in_ : int
    feature_names_in_ : ndarray of str
    keep_ : ndarray of bool
        Which input columns are kept.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.windows import LagSelector
    >>> X = pd.DataFrame([[1.0, 2.0, 3.0, 0.5]],
    ...                  columns=["demand_lag3", "demand_lag2", "demand_lag1", "rain"])
    >>> LagSelector(lookback=2).fit_transform(X)
       demand_lag2  demand_lag1  rain
    0          2.0          3.0   0.5
    """

    _parameter_constraints = {"lookback": [Interval(Integral, 1, None, closed="left"), None]}

    def __init__(self, lookback=None):
        self.lookback = lookback

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Find the lag columns to keep.

        Raises
        ------
        ValueError
            If ``lookback`` is set but ``X`` has no column names, no lag columns, or a series
            with fewer than ``lookback`` lags.
        """
        X = validate_data(self, X, ensure_all_finite="allow-nan")
        n_features = X.shape[1]
        if self.lookback is None:
            self.keep_ = np.ones(n_features, dtype=bool)
            return self
        names = getattr(self, "feature_names_in_", None)
        if names is None:
            raise ValueError(
                f"LagSelector(lookback={self.lookback}) finds lags by their names "
                "('<series>_lag<k>'), but X has no column names: pass the DataFrame from "
                "make_windows"
            )
        parsed = [parse_lag_name(n) for n in names]
        if not any(parsed):
            raise ValueError("X has no lag column (names like 'demand_lag1') to select from")
        available = {}
        for p in parsed:
            if p is not None:
                available.setdefault(p[0], set()).add(p[1])
        short = {s: max(ks) for s, ks in available.items() if not set(
            range(1, self.lookback + 1)) <= ks}
        if short:
            raise ValueError(
                f"lookback={self.lookback}, but the windows hold fewer lags for {short} "
                "(series: newest lag available); build the windows with a longer lookback"
            )
        self.keep_ = np.array([p is None or p[1] <= self.lookback for p in parsed])
        return self

    def transform(self, X):
        """Drop the lags older than ``lookback``."""
        check_is_fitted(self)
        Xv = validate_data(self, X, ensure_all_finite="allow-nan", reset=False)
        if hasattr(X, "iloc"):
            return X.iloc[:, self.keep_]
        return Xv[:, self.keep_]

    def get_feature_names_out(self, input_features=None):
        """Names of the kept columns."""
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        return np.asarray(names, dtype=object)[self.keep_]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags
