"""Forecast windows: turn a time-indexed frame into leakage-free supervised rows.

Row ``i`` holds everything known at its forecast origin ``t_i``: the last ``lookback`` values
of the target and of each past covariate (oldest to newest) and the known-ahead covariates of
the target time ``t_i + horizon``. Transformers that treat each row as one sequence therefore
cannot see the future, whatever they do inside the row.

The three builders share one frame check and one lag-block builder:

* :func:`make_windows`: one horizon, indexed by the target time;
* :func:`make_multi_horizon_windows`: horizons ``1..H`` (or a list) in one row, indexed by
  the origin, covariates named ``<c>_h<h>``;
* :func:`make_forecast_rows`: the row of the newest origin, whose targets are not observed.

Nothing here counts days: a step is one row of the frame, whatever its time step (days,
hours; tz-aware across DST, see :func:`~sklearn_hydro.utils.time_step`).
"""

from numbers import Integral

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from ..utils import (
    apply_per_series,
    check_finite,
    check_horizons,
    check_positive_int,
    check_regular_index,
    horizon_name,
    is_panel,
    lag_name,
    time_label,
    time_step,
)
from ..utils._sklearn import validate_params

__all__ = ["make_forecast_rows", "make_multi_horizon_windows", "make_windows"]


def check_frame(frame, target, covariates=None, past_covariates=None):
    """Check a frame and its column roles; return ``(covariates, past_covariates)`` as lists.

    The one frame validator of the window builders: a DataFrame with the target, numeric
    columns in every role, no infinite value, a regular increasing time index. ``covariates``
    None means every column but the target and the past covariates.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    if target not in frame.columns:
        raise ValueError(f"target column {target!r} is not in the frame's columns")
    past = [] if past_covariates is None else list(past_covariates)
    missing = [c for c in past if c not in frame.columns]
    if missing:
        raise ValueError(f"past covariate column(s) not in the frame: {missing}")
    if target in past:
        raise ValueError(
            f"the target {target!r} cannot be a past covariate: its lags are already in "
            "every row"
        )
    if covariates is None:
        covariates = [c for c in frame.columns if c != target and c not in past]
    else:
        covariates = list(covariates)
        missing = [c for c in covariates if c not in frame.columns]
        if missing:
            raise ValueError(f"covariate column(s) not in the frame: {missing}")
        if target in covariates:
            raise ValueError(
                f"the target {target!r} cannot be a covariate: its value at the target time "
                "is what is being forecast"
            )
    used = [target, *past, *covariates]
    bad = [c for c in used if not is_numeric_dtype(frame[c]) and not is_bool_dtype(frame[c])]
    if bad:
        raise TypeError(f"column(s) must be numeric, got non-numeric: {bad}")
    check_finite(frame, used)
    check_regular_index(frame.index)
    return covariates, past


def lag_blocks(frame, names, origins, lookback, index):
    """The lag block of each series in ``names`` at ``origins``: the one lag-block builder.

    Column ``<name>_lag<k>`` (``k = lookback, ..., 1``, oldest to newest) holds the value at
    position ``origin - k + 1``.
    """
    origins = np.asarray(origins, dtype=int)
    offsets = np.arange(-lookback + 1, 1)
    columns = [k for k in range(lookback, 0, -1)]
    blocks = []
    for name in names:
        values = frame[name].to_numpy(dtype=np.float64)
        blocks.append(pd.DataFrame(values[origins[:, None] + offsets[None, :]], index=index,
                                   columns=[lag_name(name, k) for k in columns]))
    return blocks


def _check_length(n, lookback, horizon):
    if n < lookback + horizon:
        raise ValueError(
            f"series too short: {n} rows, but lookback={lookback} and horizon={horizon} need "
            f"at least {lookback + horizon}"
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
    :mod:`sklearn_hydro.forecasting`) gives each series' windows, indexed by ``(series, date)`` and
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
    if is_panel(frame):
        X, y = apply_per_series(make_windows, frame, target, lookback, horizon, covariates,
                                past_covariates)
        X.attrs["horizon"] = y.attrs["horizon"] = horizon  # travels with the windows
        return X, y
    lookback = check_positive_int(lookback, "lookback")
    horizon = check_positive_int(horizon, "horizon")
    covariates, past = check_frame(frame, target, covariates, past_covariates)
    n = len(frame)
    _check_length(n, lookback, horizon)
    # origin positions lookback-1 .. n-1-horizon; target positions origin + horizon
    origins = np.arange(lookback - 1, n - horizon)
    target_pos = origins + horizon
    index = frame.index[target_pos]
    if index.name is None:
        index = index.rename("date")
    blocks = lag_blocks(frame, [target, *past], origins, lookback, index)
    if covariates:
        cov = frame[covariates].iloc[target_pos].to_numpy(dtype=np.float64)
        blocks.append(pd.DataFrame(cov, index=index, columns=covariates))
    X = pd.concat(blocks, axis=1)
    y = pd.Series(frame[target].to_numpy(dtype=np.float64)[target_pos], index=index,
                  name=target)
    keep = ~np.isnan(y.to_numpy())
    if not keep.any():
        raise ValueError(f"no window has an observed target: {target!r} is missing everywhere")
    X, y = X.loc[keep], y.loc[keep]
    # the horizon travels with the windows: backtest reads it (a wrong one would leak)
    X.attrs["horizon"] = y.attrs["horizon"] = horizon
    return X, y


def _horizon_blocks(covariates, horizons, index, values_at):
    return [pd.DataFrame(values_at(h), index=index,
                         columns=[horizon_name(c, h) for c in covariates]) for h in horizons]


@validate_params(
    {
        "frame": [pd.DataFrame],
        "target": [str],
        "lookback": [Integral],
        "horizons": [Integral, list, tuple],
        "covariates": [list, None],
        "past_covariates": [list, None],
        "stride": [Integral],
        "partial": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def make_multi_horizon_windows(frame, target, lookback, horizons=7, covariates=None,
                               past_covariates=None, stride=1, partial=False):
    """Forecast windows for several horizons at once: ``(X, Y)`` indexed by origin.

    Parameters
    ----------
    frame : DataFrame
        Regularly spaced, increasing DatetimeIndex; numeric columns. A ``(series, date)``
        panel gives every series' windows, indexed ``(series, origin)`` in time order.
    target : str
    lookback : int >= 1
    horizons : int or list of int, default=7
        ``H`` for days ``1..H``, or an increasing list of horizons.
    covariates : list of str or None, default=None
        Known-ahead columns (None: every column but the target and the past covariates).
    past_covariates : list of str or None, default=None
        Columns known only up to the origin, windowed like the target (``<c>_lag<k>``), as
        in :func:`~sklearn_hydro.make_windows`.
    stride : int >= 1, default=1
        Keep every ``stride``-th origin, counted back from the newest observed target, the
        origin a forecast starts from (``stride=24`` on an hourly frame: one window a day,
        each from the same hour as the forecast, e.g. the last hour before midnight).
        Windows of neighbouring hourly origins overlap almost entirely; striding keeps a
        week-ahead hourly model's rows (``horizons x lookback``) to a size that fits in
        memory.
    partial : bool, default=False
        Keep the windows whose target is missing at some horizons, with NaN there in ``Y``
        (windows with no observed target at all are still dropped). With 168 hourly
        horizons and a few percent of hours unmeasured, most windows miss some hour: a model
        that takes missing targets (:class:`~sklearn_hydro.StackedHorizonRegressor`) learns
        from every measured one.

    Returns
    -------
    X : DataFrame
        Lags ``<target>_lag<k>`` (oldest to newest), the past covariates' lags, then
        ``<covariate>_h<h>`` for each horizon; index: the origin (named ``origin``).
    Y : DataFrame
        Columns ``<target>_h<h>``. Rows with a missing target at any horizon are dropped
        (with ``partial=True``: at every horizon).

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.windows import make_multi_horizon_windows
    >>> days = pd.date_range("2024-01-01", periods=5, freq="D")
    >>> frame = pd.DataFrame({"demand": [10.0, 11, 12, 13, 14],
    ...                       "temp": [1.0, 2, 3, 4, 5]}, index=days)
    >>> X, Y = make_multi_horizon_windows(frame, "demand", lookback=2, horizons=2)
    >>> X
                demand_lag2  demand_lag1  temp_h1  temp_h2
    origin
    2024-01-02         10.0         11.0      3.0      4.0
    2024-01-03         11.0         12.0      4.0      5.0
    >>> Y
                demand_h1  demand_h2
    origin
    2024-01-02       12.0       13.0
    2024-01-03       13.0       14.0
    """
    if is_panel(frame):
        return apply_per_series(make_multi_horizon_windows, frame, target, lookback, horizons,
                                covariates, past_covariates, stride, partial)
    lookback = check_positive_int(lookback, "lookback")
    stride = check_positive_int(stride, "stride")
    horizons = check_horizons(horizons)
    covariates, past = check_frame(frame, target, covariates, past_covariates)
    n, H = len(frame), horizons[-1]
    _check_length(n, lookback, H)
    values = frame[target].to_numpy(dtype=np.float64)
    cov = frame[covariates].to_numpy(dtype=np.float64)
    origins = np.arange(lookback - 1, n - H)
    if stride > 1:
        observed = np.nonzero(~np.isnan(values))[0]
        newest = observed[-1] if len(observed) else n - 1
        origins = origins[(newest - origins) % stride == 0]
        if len(origins) == 0:
            raise ValueError(f"no origin every stride={stride} steps back from the newest "
                             f"observed target has {lookback} lags and {H} horizons")
    index = frame.index[origins].rename("origin")
    blocks = lag_blocks(frame, [target, *past], origins, lookback, index)
    blocks += _horizon_blocks(covariates, horizons, index, lambda h: cov[origins + h])
    X = pd.concat(blocks, axis=1)
    Y = pd.DataFrame({horizon_name(target, h): values[origins + h] for h in horizons},
                     index=index)
    keep = (Y.notna().any(axis=1) if partial else Y.notna().all(axis=1)).to_numpy()
    if not keep.any():
        raise ValueError(f"no window has an observed target at every horizon {horizons}")
    return X.loc[keep], Y.loc[keep]


def future_times(index, origin, horizons):
    """The target times ``origin + h`` steps of the frame's own time step, for each ``h``."""
    step = time_step(index)
    return pd.DatetimeIndex([origin + h * step for h in horizons], name=index.name)


@validate_params(
    {
        "frame": [pd.DataFrame],
        "target": [str],
        "lookback": [Integral],
        "horizons": [Integral, list, tuple],
        "covariates": [list, None],
        "future": [pd.DataFrame, None],
        "past_covariates": [list, None],
        "origin": "no_validation",
    },
    prefer_skip_nested_validation=True,
)
def make_forecast_rows(frame, target, lookback, horizons=7, covariates=None, future=None,
                       past_covariates=None, origin=None):
    """The row to forecast from: the newest origin, whose targets are not observed yet.

    The origin is the last date with an observed target. The lags are the ``lookback``
    values up to it; the covariates of each target day come from ``frame`` (rows after the
    origin with an empty target) or from ``future`` (e.g. a weather forecast file indexed
    by date).

    Parameters
    ----------
    frame : DataFrame
        History, as for :func:`make_multi_horizon_windows`; a ``(series, date)`` panel gives
        one row per series, indexed ``(series, origin)`` (each series from its own last
        observed day).
    target : str
    lookback : int >= 1
    horizons : int or list of int, default=7
    covariates : list of str or None, default=None
        None: every column of ``frame`` but the target.
    future : DataFrame or None, default=None
        Known-ahead covariates for dates after the origin (same columns); its values win
        over those of ``frame`` on the same date. With a panel: shared by every series, or
        a ``(series, date)`` panel of each series' own.
    past_covariates : list of str or None, default=None
        Columns known up to the origin, windowed like the target.
    origin : timestamp or None, default=None
        Forecast from this time of the frame's index instead of the last observed target,
        e.g. the hour before a week to forecast when the newest measurements are missing
        (the lags keep their gaps as NaN, for a model that takes them).

    Returns
    -------
    X : DataFrame of one row
        Same columns as :func:`make_multi_horizon_windows`; index: the origin.

    Raises
    ------
    ValueError
        If a covariate is missing for a target day (the message names the dates).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sklearn_hydro.windows import make_forecast_rows
    >>> days = pd.date_range("2024-01-01", periods=4, freq="D")
    >>> frame = pd.DataFrame({"demand": [10.0, 11, 12, np.nan],
    ...                       "temp": [1.0, 2, 3, 4]}, index=days)
    >>> future = pd.DataFrame({"temp": [5.0]}, index=[pd.Timestamp("2024-01-05")])
    >>> make_forecast_rows(frame, "demand", 2, horizons=2, future=future)
                demand_lag2  demand_lag1  temp_h1  temp_h2
    origin
    2024-01-03         11.0         12.0      4.0      5.0
    """
    if is_panel(frame):
        own = {"future": future} if is_panel(future) else {}
        shared = {} if own else {"future": future}
        rows = apply_per_series(make_forecast_rows, frame, target, lookback, horizons,
                                covariates, past_covariates=past_covariates, per_series=own,
                                origin=origin, **shared)
        rows.attrs["step"] = time_step(frame.index)
        return rows
    lookback = check_positive_int(lookback, "lookback")
    horizons = check_horizons(horizons)
    covariates, past = check_frame(frame, target, covariates, past_covariates)
    if origin is None:
        observed = np.nonzero(frame[target].notna().to_numpy())[0]
        if len(observed) == 0:
            raise ValueError(f"the target {target!r} is never observed")
        origin = int(observed[-1])
    else:
        at = frame.index.get_indexer([pd.Timestamp(origin)])[0]
        if at < 0:
            raise ValueError(f"origin {origin} is not a time of the frame's index")
        origin = int(at)
    if origin + 1 < lookback:
        raise ValueError(
            f"only {origin + 1} rows up to the origin (the last observed target); "
            f"lookback={lookback}"
        )
    origin_time = frame.index[origin]
    times = future_times(frame.index, origin_time, horizons)
    known = frame[covariates]
    if future is not None:
        absent = [c for c in covariates if c not in future.columns]
        if absent:
            raise ValueError(f"the future covariates lack column(s) {absent}")
        fut = future[covariates].copy()
        fut.index = pd.DatetimeIndex(fut.index)
        check_finite(fut, covariates)
        known = fut.combine_first(known)
    cov = known.reindex(times)
    if covariates and cov.isna().any().any():
        gaps = [f"{c} on {time_label(t)}" for t in times for c in covariates
                if pd.isna(cov.loc[t, c])]
        raise ValueError(
            "known-ahead covariates are missing for the forecast times: "
            + ", ".join(gaps[:6]) + (" ..." if len(gaps) > 6 else "")
            + "; supply them (e.g. a weather forecast file)"
        )
    cov_values = cov.to_numpy(dtype=np.float64)
    # the rows carry the frame's step (index.freq, attrs["step"]), so forecast_table can date
    # the horizons
    index = pd.DatetimeIndex([origin_time], name="origin", freq=time_step(frame.index))
    blocks = lag_blocks(frame, [target, *past], [origin], lookback, index)
    blocks += _horizon_blocks(covariates, horizons, index,
                              lambda h: cov_values[[horizons.index(h)]])
    rows = pd.concat(blocks, axis=1)
    rows.attrs["step"] = index.freq
    return rows
