"""Forecast windows: turn a time-indexed frame into leakage-free supervised rows.

Row ``i`` holds everything known at its forecast origin ``t_i``: the last ``lookback`` values
of the target (oldest to newest) and the known-ahead covariates of the target day
``t_i + horizon``. Transformers that treat each row as one sequence therefore cannot see the
future, whatever they do inside the row.
"""

import numbers
import re

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype
from sklearn.compose import ColumnTransformer

__all__ = ["covariate_columns", "lag_columns", "make_window_transformer", "make_windows"]

_LAG_PATTERN = re.compile(r"_lag(\d+)$")


def _check_positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def _check_regular_index(index):
    if not isinstance(index, pd.DatetimeIndex):
        raise TypeError(
            "frame must have a DatetimeIndex (one row per time step); got "
            f"{type(index).__name__}. Use frame.set_index(pd.to_datetime(frame['date']))."
        )
    if index.has_duplicates:
        dup = index[index.duplicated()][0]
        raise ValueError(f"frame's index has duplicate time stamps, e.g. {dup}")
    if not index.is_monotonic_increasing:
        raise ValueError("frame's index must be sorted in increasing time order")
    if len(index) > 2 and _irregular_step(index) is not None:
        # A tz-aware index of days (or weeks) is regular on the local calendar even though
        # its days last 23 or 25 hours across a DST change: compare local wall-clock times.
        local = index.tz_localize(None) if index.tz is not None else None
        where = _irregular_step(index) if local is None else _irregular_step(local)
        if where is not None:
            dst = (
                f" The index is tz-aware ({index.tz}): steps are compared in UTC and in local "
                "wall-clock time, and neither is regular."
                if local is not None
                else ""
            )
            raise ValueError(
                "frame's index is not regular: the step changes between "
                f"{index[where]} and {index[where + 1]}. Lags count rows, so missing time "
                "steps must be present as rows with NaN (e.g. frame.asfreq('D'))." + dst
            )


def _irregular_step(index):
    """Position of the first step that differs from the first one, or None if all agree."""
    steps = np.diff(index.asi8)
    changed = steps != steps[0]
    return int(np.argmax(changed)) if changed.any() else None


def _check_finite(frame, columns):
    """Refuse infinite values: NaN means missing (and is handled), inf is a broken value."""
    values = frame[columns].to_numpy(dtype=np.float64)
    infinite = np.isinf(values)
    if infinite.any():
        row, col = (int(i[0]) for i in np.nonzero(infinite))
        n_bad = int(infinite.sum())
        raise ValueError(
            f"column {columns[col]!r} holds an infinite value at {frame.index[row]} "
            f"({n_bad} infinite value(s) in all). Replace them by NaN if they mean missing "
            "(frame.replace([np.inf, -np.inf], np.nan)) or fix the data."
        )


def make_windows(frame, target, lookback, horizon=1, covariates=None):
    """Turn a time-indexed frame into forecast windows ``(X, y)``.

    For every forecast origin ``t`` with a full history of ``lookback`` steps and an observed
    target at ``t + horizon``, one row is made:

    * ``<target>_lag<k>`` for ``k = lookback, ..., 1`` (oldest to newest): the target at
      ``t - k + 1``; ``<target>_lag1`` is the newest value known at the origin. Missing
      values stay ``NaN`` (a :class:`~sklearn_hydro.SigmaOutlierSmoother` fills them); a
      row is never dropped for them.
    * the covariates at the *target day* ``t + horizon`` (known ahead: weather forecast,
      weekday, holiday). Missing covariate values stay ``NaN``.

    ``y`` is the target at ``t + horizon``; rows whose target is missing are dropped. The
    index of ``X`` and ``y`` is the target date.

    Parameters
    ----------
    frame : DataFrame
        Regularly spaced, increasing :class:`~pandas.DatetimeIndex` (a tz-aware index of
        local days is regular even with 23- and 25-hour days across DST changes); numeric
        columns, NaN for missing values and no infinite value.
    target : str
        Name of the column to forecast.
    lookback : int >= 1
        Number of past target values per row.
    horizon : int >= 1, default=1
        Steps between the origin (newest lag) and the target day. Use
        ``TimeSeriesSplit(gap=horizon - 1)`` when cross-validating.
    covariates : list of str or None, default=None
        Known-ahead columns to include; ``None`` takes every column but the target, ``[]``
        none.

    Returns
    -------
    X : DataFrame of shape (n_windows, lookback + n_covariates)
        Lag block followed by the covariate block, float64.
    y : Series of shape (n_windows,)
        The target values, named ``target``.

    See Also
    --------
    lag_columns, covariate_columns : column selectors for a ColumnTransformer.
    make_window_transformer : route both blocks through their own pipelines.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.windows import make_windows
    >>> days = pd.date_range("2024-01-01", periods=5, freq="D", name="date")
    >>> frame = pd.DataFrame({"demand": [10.0, 11, 12, 13, 14],
    ...                       "temp": [1.0, 2, 3, 4, 5]}, index=days)
    >>> X, y = make_windows(frame, "demand", lookback=2)
    >>> X
                demand_lag2  demand_lag1  temp
    date
    2024-01-03         10.0         11.0   3.0
    2024-01-04         11.0         12.0   4.0
    2024-01-05         12.0         13.0   5.0
    >>> y.tolist()
    [12.0, 13.0, 14.0]
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    lookback = _check_positive_int(lookback, "lookback")
    horizon = _check_positive_int(horizon, "horizon")
    if target not in frame.columns:
        raise ValueError(f"target column {target!r} is not in the frame's columns")
    if covariates is None:
        covariates = [c for c in frame.columns if c != target]
    else:
        covariates = list(covariates)
        missing = [c for c in covariates if c not in frame.columns]
        if missing:
            raise ValueError(f"covariate column(s) not in the frame: {missing}")
        if target in covariates:
            raise ValueError(
                f"the target {target!r} cannot be a covariate: its value on the target day "
                "is what is being forecast"
            )
    used = [target, *covariates]
    bad = [c for c in used if not is_numeric_dtype(frame[c]) and not is_bool_dtype(frame[c])]
    if bad:
        raise TypeError(f"column(s) must be numeric, got non-numeric: {bad}")
    _check_finite(frame, used)
    _check_regular_index(frame.index)
    n = len(frame)
    if n < lookback + horizon:
        raise ValueError(
            f"series too short: {n} rows, but lookback={lookback} and horizon={horizon} need "
            f"at least {lookback + horizon}"
        )

    values = frame[target].to_numpy(dtype=np.float64)
    n_windows = n - lookback - horizon + 1
    # origin positions lookback-1 .. n-1-horizon; target positions origin + horizon
    lags = np.lib.stride_tricks.sliding_window_view(values, lookback)[:n_windows]
    target_pos = np.arange(lookback - 1 + horizon, n)
    index = frame.index[target_pos]
    if index.name is None:
        index = index.rename("date")
    columns = [f"{target}_lag{k}" for k in range(lookback, 0, -1)]
    X = pd.DataFrame(lags.copy(), index=index, columns=columns)
    if covariates:
        cov = frame[covariates].iloc[target_pos].to_numpy(dtype=np.float64)
        X[covariates] = cov
    y = pd.Series(values[target_pos], index=index, name=target)
    keep = ~np.isnan(y.to_numpy())
    if not keep.any():
        raise ValueError(f"no window has an observed target: {target!r} is missing everywhere")
    return X.loc[keep], y.loc[keep]


def lag_columns(X):
    """Names of the lag block (columns ending in ``_lag<k>``), in their order in ``X``.

    A callable column selector for :class:`~sklearn.compose.ColumnTransformer`.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.windows import lag_columns
    >>> lag_columns(pd.DataFrame(columns=["demand_lag2", "demand_lag1", "rain"]))
    ['demand_lag2', 'demand_lag1']
    """
    return [c for c in _columns(X) if _LAG_PATTERN.search(str(c))]


def covariate_columns(X):
    """Names of the covariate block (every column that is not a lag), in their order.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.windows import covariate_columns
    >>> covariate_columns(pd.DataFrame(columns=["demand_lag2", "demand_lag1", "rain"]))
    ['rain']
    """
    return [c for c in _columns(X) if not _LAG_PATTERN.search(str(c))]


def _columns(X):
    if not hasattr(X, "columns"):
        raise TypeError(
            "window column selectors need a DataFrame from make_windows (column names tell "
            f"lags from covariates); got {type(X).__name__}"
        )
    return list(X.columns)


def make_window_transformer(lags="passthrough", covariates="passthrough"):
    """A ColumnTransformer that routes the lag block and the covariate block of windows.

    The output holds the transformed lag block first, then the transformed covariates, which
    is the column layout :class:`~sklearn_hydro.DualLSTMRegressor` expects.

    Parameters
    ----------
    lags : transformer, "passthrough" or "drop", default="passthrough"
        Applied to the lag columns (e.g. smoother then denoiser).
    covariates : transformer, "passthrough" or "drop", default="passthrough"
        Applied to the covariate columns (e.g. imputer, scaler, PCA).

    Returns
    -------
    ColumnTransformer
        With ``verbose_feature_names_out=False`` so names stay readable.

    Examples
    --------
    >>> from sklearn.decomposition import PCA
    >>> from sklearn_hydro.windows import make_window_transformer
    >>> ct = make_window_transformer(covariates=PCA(n_components=2))
    >>> [name for name, _, _ in ct.transformers]
    ['lags', 'covariates']
    """
    return ColumnTransformer(
        [("lags", lags, lag_columns), ("covariates", covariates, covariate_columns)],
        verbose_feature_names_out=False,
    )
