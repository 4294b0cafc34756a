"""Forecast windows: turn a time-indexed frame into leakage-free supervised rows.

Row ``i`` holds everything known at its forecast origin ``t_i``: the last ``lookback`` values
of the target (oldest to newest) and the known-ahead covariates of the target day
``t_i + horizon``. Transformers that treat each row as one sequence therefore cannot see the
future, whatever they do inside the row.
"""

import numbers
import re
from functools import partial
from numbers import Integral

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.compose import ColumnTransformer
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted, validate_data

from ._parallel import nested_in_process

__all__ = [
    "LagSelector",
    "covariate_columns",
    "lag_columns",
    "make_window_transformer",
    "make_windows",
    "parse_lag_name",
    "past_covariate_columns",
    "signal_lags",
]

_LAG_NAME = re.compile(r"^(?P<series>.+)_lag(?P<k>\d+)(?:_(?P<part>denoised|residual))?$")


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


def make_windows(frame, target, lookback, horizon=1, covariates=None, past_covariates=None):
    """Turn a time-indexed frame into forecast windows ``(X, y)``.

    For every forecast origin ``t`` with a full history of ``lookback`` steps and an observed
    target at ``t + horizon``, one row is made:

    * ``<target>_lag<k>`` for ``k = lookback, ..., 1`` (oldest to newest): the target at
      ``t - k + 1``; ``<target>_lag1`` is the newest value known at the origin. Missing
      values stay ``NaN`` (a :class:`~sklearn_hydro.SigmaOutlierSmoother` fills them); a
      row is never dropped for them.
    * for each past covariate ``c`` (observed up to the origin only: yesterday's weather,
      another sensor), its own lag window ``<c>_lag<k>``, ``k = lookback, ..., 1``, the
      values at the same days as the target's lags;
    * the known-ahead covariates at the *target day* ``t + horizon`` (weather forecast,
      weekday, holiday). Missing covariate values stay ``NaN``.

    ``y`` is the target at ``t + horizon``; rows whose target is missing are dropped. The
    index of ``X`` and ``y`` is the target date.

    A panel of several series (a frame indexed by ``(series, date)``, see
    :mod:`sklearn_hydro.panel`) gives each series' windows, indexed by ``(series, date)`` and
    in time order (ties in the panel's series order).

    Parameters
    ----------
    frame : DataFrame
        Regularly spaced, increasing :class:`~pandas.DatetimeIndex` (a tz-aware index of
        local days is regular even with 23- and 25-hour days across DST changes), or a
        ``(series, date)`` panel of such series; numeric columns, NaN for missing values and
        no infinite value.
    target : str
        Name of the column to forecast.
    lookback : int >= 1
        Number of past target values per row.
    horizon : int >= 1, default=1
        Steps between the origin (newest lag) and the target day. Use
        ``TimeSeriesSplit(gap=horizon - 1)`` when cross-validating.
    covariates : list of str or None, default=None
        Known-ahead columns, taken at the target day; ``None`` takes every column but the
        target and the past covariates, ``[]`` none.
    past_covariates : list of str or None, default=None
        Columns known only up to the origin, each windowed like the target. A column may be
        both (a weather forecast for the target day and the observed weather before it).

    Returns
    -------
    X : DataFrame of shape (n_windows, lookback * (1 + n_past) + n_covariates)
        The target's lag block, the past covariates' lag blocks, then the known-ahead
        covariates, float64.
    y : Series of shape (n_windows,)
        The target values, named ``target``.

    See Also
    --------
    lag_columns, past_covariate_columns, covariate_columns : column selectors for a
        ColumnTransformer.
    LagSelector : keep the newest ``lookback`` lags, a pipeline step GridSearchCV can tune.
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
    from .panel import apply_per_series, is_panel

    if is_panel(frame):
        return apply_per_series(make_windows, frame, target, lookback, horizon, covariates,
                                past_covariates)
    lookback = _check_positive_int(lookback, "lookback")
    horizon = _check_positive_int(horizon, "horizon")
    if target not in frame.columns:
        raise ValueError(f"target column {target!r} is not in the frame's columns")
    past_covariates = [] if past_covariates is None else list(past_covariates)
    missing = [c for c in past_covariates if c not in frame.columns]
    if missing:
        raise ValueError(f"past covariate column(s) not in the frame: {missing}")
    if target in past_covariates:
        raise ValueError(
            f"the target {target!r} cannot be a past covariate: its lags are already in "
            "every row"
        )
    if covariates is None:
        covariates = [c for c in frame.columns if c != target and c not in past_covariates]
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
    used = [target, *past_covariates, *covariates]
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
    target_pos = np.arange(lookback - 1 + horizon, n)
    index = frame.index[target_pos]
    if index.name is None:
        index = index.rename("date")
    blocks = []
    for name in [target, *past_covariates]:
        series = frame[name].to_numpy(dtype=np.float64)
        lags = np.lib.stride_tricks.sliding_window_view(series, lookback)[:n_windows]
        columns = [f"{name}_lag{k}" for k in range(lookback, 0, -1)]
        blocks.append(pd.DataFrame(lags.copy(), index=index, columns=columns))
    if covariates:
        cov = frame[covariates].iloc[target_pos].to_numpy(dtype=np.float64)
        blocks.append(pd.DataFrame(cov, index=index, columns=covariates))
    X = pd.concat(blocks, axis=1)
    y = pd.Series(values[target_pos], index=index, name=target)
    keep = ~np.isnan(y.to_numpy())
    if not keep.any():
        raise ValueError(f"no window has an observed target: {target!r} is missing everywhere")
    return X.loc[keep], y.loc[keep]


def parse_lag_name(name):
    """Split a lag column name ``<series>_lag<k>[_denoised|_residual]``, or return None.

    Returns
    -------
    (series, k, part) or None
        ``part`` is ``""``, ``"denoised"`` or ``"residual"`` (the suffixes of
        :class:`~sklearn_hydro.WaveletDenoiser`).

    Examples
    --------
    >>> from sklearn_hydro.windows import parse_lag_name
    >>> parse_lag_name("demand_lag7_residual")
    ('demand', 7, 'residual')
    >>> parse_lag_name("rain") is None
    True
    """
    match = _LAG_NAME.match(str(name))
    if match is None:
        return None
    return match["series"], int(match["k"]), match["part"] or ""


def lag_series(names):
    """Names of the series that have lag columns among ``names``, in order of appearance.

    Examples
    --------
    >>> from sklearn_hydro.windows import lag_series
    >>> lag_series(["demand_lag2", "demand_lag1", "rain_lag2", "rain_lag1", "rain"])
    ['demand', 'rain']
    """
    found = []
    for name in names:
        parsed = parse_lag_name(name)
        if parsed is not None and parsed[0] not in found:
            found.append(parsed[0])
    return found


def target_series(names, target=None):
    """The series whose lags are the target's: ``target``, or the only lagged series.

    Raises
    ------
    ValueError
        If ``target`` has no lag column, or ``target`` is None and the names hold the lags
        of no series or of several (past covariates): then the target must be named.

    Examples
    --------
    >>> from sklearn_hydro.windows import target_series
    >>> target_series(["demand_lag2", "demand_lag1", "rain"])
    'demand'
    >>> target_series(["demand_lag1", "rain_lag1"], target="demand")
    'demand'
    """
    series = lag_series(names)
    if target is not None:
        if target not in series:
            raise ValueError(
                f"no lag columns of target={target!r} (expected names like "
                f"'{target}_lag1'); lagged series present: {series}"
            )
        return target
    if len(series) != 1:
        raise ValueError(
            "cannot tell the target's lags by name: "
            + (
                f"the columns hold the lags of several series {series} (the target and past "
                "covariates); pass target=<name of the target>"
                if series
                else "no column is named like '<target>_lag<k>' (use make_windows, or pass "
                "an explicit layout for unnamed arrays)"
            )
        )
    return series[0]


def signal_lags(names, target=None):
    """Where the target's signal lags are: ``<target>_lag<k>`` or ``<target>_lag<k>_denoised``.

    The signal lags are what a model reads as the target's recent values: the raw (or
    smoothed) lags of windows, or the denoised ones after a
    :class:`~sklearn_hydro.WaveletDenoiser`; ``_residual`` lags are not signal.

    Returns
    -------
    target : str
        The target series (see :func:`target_series`).
    positions : dict of int -> int
        Lag ``k`` -> its column index in ``names``.

    Raises
    ------
    ValueError
        If the target cannot be told, or ``names`` hold both raw and denoised lags of it.

    Examples
    --------
    >>> from sklearn_hydro.windows import signal_lags
    >>> signal_lags(["demand_lag2_denoised", "demand_lag1_denoised", "demand_lag1_residual"])
    ('demand', {2: 0, 1: 1})
    """
    names = [str(n) for n in names]
    target = target_series(names, target)
    parsed = [parse_lag_name(n) for n in names]
    parts = {p[2] for p in parsed if p is not None and p[0] == target}
    if {"", "denoised"} <= parts:
        raise ValueError(
            f"X holds both raw and denoised lags of {target!r}: only one can be the signal"
        )
    part = "denoised" if "denoised" in parts else ""
    if part not in parts:
        raise ValueError(f"X holds only residual lags of {target!r}: no signal lags")
    positions = {
        p[1]: i for i, p in enumerate(parsed) if p is not None and (p[0], p[2]) == (target, part)
    }
    return target, positions


def lag_columns(X, target=None):
    """Names of the target's lag block (``<target>_lag<k>`` columns), in their order in ``X``.

    A callable column selector for :class:`~sklearn.compose.ColumnTransformer`
    (``functools.partial(lag_columns, target="demand")`` when ``X`` also holds past
    covariates). ``target=None`` takes the only lagged series and refuses to guess among
    several.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.windows import lag_columns
    >>> lag_columns(pd.DataFrame(columns=["demand_lag2", "demand_lag1", "rain"]))
    ['demand_lag2', 'demand_lag1']
    """
    names = _columns(X)
    target = target_series(names, target)
    return [c for c in names if (parse_lag_name(c) or ("",))[0] == target]


def past_covariate_columns(X, target=None):
    """Names of the past covariates' lag blocks: every lag column that is not the target's.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.windows import past_covariate_columns
    >>> past_covariate_columns(pd.DataFrame(columns=["demand_lag1", "rain_lag1", "rain"]),
    ...                        target="demand")
    ['rain_lag1']
    """
    names = _columns(X)
    series = lag_series(names)
    if not series:
        return []
    target = target_series(names, target)
    return [c for c in names if (parse_lag_name(c) or (target,))[0] != target]


def covariate_columns(X):
    """Names of the known-ahead covariates (every column that is not a lag), in their order.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.windows import covariate_columns
    >>> covariate_columns(pd.DataFrame(columns=["demand_lag2", "demand_lag1", "rain"]))
    ['rain']
    """
    return [c for c in _columns(X) if parse_lag_name(c) is None]


def _columns(X):
    if not hasattr(X, "columns"):
        raise TypeError(
            "window column selectors need a DataFrame from make_windows (column names tell "
            f"lags from covariates); got {type(X).__name__}"
        )
    return [str(c) for c in X.columns]


def make_window_transformer(
    lags="passthrough", covariates="passthrough", past_covariates="passthrough", *, target=None
):
    """A ColumnTransformer that routes the blocks of forecast windows by their names.

    The output holds the transformed target lags, then the past covariates' lags, then the
    transformed known-ahead covariates, with pandas output so that the names (which
    :class:`~sklearn_hydro.DualLSTMRegressor` reads its layout from) reach the regressor.

    Parameters
    ----------
    lags : transformer, "passthrough" or "drop", default="passthrough"
        Applied to the target's lag columns (e.g. smoother then denoiser).
    covariates : transformer, "passthrough" or "drop", default="passthrough"
        Applied to the known-ahead covariate columns (e.g. imputer, scaler, PCA).
    past_covariates : transformer, "passthrough" or "drop", default="passthrough"
        Applied to the past covariates' lag columns, if any (a row-wise or column-wise
        transformer that keeps the names, e.g. an imputer).
    target : str or None, default=None
        Name of the target series; needed only when the windows hold past covariates.

    Returns
    -------
    ColumnTransformer
        With ``verbose_feature_names_out=False`` so names stay readable. Its class,
        ``WindowTransformer``, fits and applies the blocks in the calling process unless
        its ``n_jobs`` is above 1, even under a joblib backend's context (on Dask each
        block would be a task of its own).

    Examples
    --------
    >>> from sklearn.decomposition import PCA
    >>> from sklearn_hydro.windows import make_window_transformer
    >>> ct = make_window_transformer(covariates=PCA(n_components=2))
    >>> [name for name, _, _ in ct.transformers]
    ['lags', 'past_covariates', 'covariates']
    """
    ct = WindowTransformer(
        [
            ("lags", lags, partial(lag_columns, target=target)),
            ("past_covariates", past_covariates, partial(past_covariate_columns, target=target)),
            ("covariates", covariates, covariate_columns),
        ],
        verbose_feature_names_out=False,
    )
    return ct.set_output(transform="pandas")


class WindowTransformer(ColumnTransformer):
    """The ColumnTransformer of :func:`make_window_transformer`; build it with that function.

    Not in ``__all__``: it takes only the windows' DataFrames (its selectors read column
    names), so scikit-learn's common checks on arrays do not apply to it.

    It differs from its parent in one default only: with ``n_jobs=None`` (or 1) its blocks
    are fitted and applied one after the other in the calling process, even inside a joblib
    backend's context. A window's blocks (impute, scale, smooth a few dozen columns) never
    gain from being spread, and on joblib's Dask backend a ``GridSearchCV`` or a backtest
    would otherwise send each block of each ``fit`` and ``transform`` to the cluster as a
    task of its own, while the task that needs it waits (``benchmarks/bench_scale.py
    --search``: 582 tasks for 27 fits, 1.53x on two workers instead of 1.63x; with small
    networks 1.09x instead of 1.52x). Pass ``n_jobs`` > 1 to spread the blocks anyway.
    """

    def fit_transform(self, X, y=None, **params):
        with nested_in_process(self.n_jobs):
            return super().fit_transform(X, y, **params)

    def transform(self, X, **params):
        with nested_in_process(self.n_jobs):
            return super().transform(X, **params)


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
