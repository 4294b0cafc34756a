"""Read a CSV file of dated rows as a regular daily (or hourly) frame, with clear errors."""

import numpy as np
import pandas as pd

__all__ = ["read_dated_csv"]

_TRUE = {"y", "yes", "true", "t"}
_FALSE = {"n", "no", "false", "f"}

def _yes_no(series):
    """0/1 for a column of Y/N or true/false strings (any case); None if it is not one."""
    values = series.dropna()
    if values.empty or not all(isinstance(v, str) for v in values):
        return None
    lower = values.str.strip().str.lower()
    if not lower.isin(_TRUE | _FALSE).all():
        return None
    out = series.str.strip().str.lower().map(lambda v: 1.0 if v in _TRUE else 0.0)
    return out.where(series.notna())


def read_dated_csv(path, *, date_column="date", date_format=None, dayfirst=False,
                   resample=None, target=None, min_rows=2, what="CSV file", freq="D",
                   timezone=None):
    """A CSV file of dated rows as a daily frame: parsed dates as index, Y/N and booleans
    as 0/1.

    Missing days become rows of NaN, so the frame is regular, as the window builders
    need. Data with steps shorter than a day need an explicit ``resample`` ("sum" or "mean"
    per day); longer steps are refused. Every problem (no such file, unparsable dates,
    duplicate days, ...) is a ValueError that says what to do.

    Parameters
    ----------
    path : str or Path
    date_column : str, default="date"
    date_format : str or None, default=None
        strftime format of the dates, e.g. ``"%d-%m-%Y"``; None: guessed.
    dayfirst : bool, default=False
        Read ambiguous dates as day first (DD-MM-YYYY).
    resample : {"sum", "mean"} or None, default=None
        How to make daily values of the ``target`` from sub-daily data: "sum" for volumes,
        "mean" for rates. The other columns (temperatures, rain rates) are averaged. A day
        with fewer observations of the target than the typical full day (e.g. 3 of 24
        hours, the last day of a file cut at 03:00) gets a missing value, not a partial
        sum.
    target : str or None, default=None
        The column ``resample`` applies to (None: every column).
    min_rows : int, default=2
        Fewest rows accepted (1 for a one-day file of future covariates).
    what : str, default="CSV file"
        What the file is, for error messages.
    freq : {"D", "h"}, default="D"
        ``"h"``: read the rows as hours, not days (``resample`` is then not used): one row
        per hour from the first to the last, missing hours NaN, never filled. Times with
        UTC offsets (``2022-10-30T02:00:00+01:00``) are exact instants, kept tz-aware;
        local times without offsets need ``timezone`` where the file crosses a daylight
        saving change (the autumn hour 02:00 comes twice).
    timezone : str or None, default=None
        With ``freq="h"``: the zone of the file's local times (e.g. ``"Europe/Rome"``;
        the repeated autumn hour is told apart by its order), or the zone to show times
        with offsets in. None: times as written (offsets: UTC).

    Returns
    -------
    DataFrame
        Indexed by day (``date``), one row per day from the first to the last; with
        ``freq="h"`` by hour (``time``).

    Examples
    --------
    >>> import io
    >>> from sklearn_hydro.datasets import read_dated_csv
    >>> text = "date,demand,holiday\\n2024-01-01,10,Y\\n2024-01-02,11,N\\n2024-01-03,9,N\\n"
    >>> text += "2024-01-05,12,n\\n"  # no row for January 4
    >>> read_dated_csv(io.StringIO(text))
                demand  holiday
    date
    2024-01-01    10.0      1.0
    2024-01-02    11.0      0.0
    2024-01-03     9.0      0.0
    2024-01-04     NaN      NaN
    2024-01-05    12.0      0.0
    """
    try:
        frame = pd.read_csv(path)
    except FileNotFoundError:
        raise ValueError(f"{what} not found: {path}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {what} {path}: {str(exc).splitlines()[0]}") from None
    if date_column not in frame.columns:
        raise ValueError(
            f"date column {date_column!r} not in {path} (columns: {list(frame.columns)}); "
            "pass date_column= (--date-column on the command line)"
        )
    raw = frame.pop(date_column)
    if freq == "h":
        return _hourly(frame, raw, path, date_column, date_format, dayfirst, timezone,
                       min_rows, what)
    if freq != "D":
        raise ValueError(f"freq must be 'D' or 'h', got {freq!r}")
    try:
        dates = _wall_clock(raw, date_format, dayfirst)
    except (ValueError, TypeError) as exc:
        first = str(exc).splitlines()[0].replace(" You might want to try:", "").rstrip(":; ")
        hint = "" if date_format else ("; give the format with date_format= / --date-format "
                                       "(e.g. %d-%m-%Y) ")
        hint += "" if date_format or dayfirst else ("or dayfirst=True / --dayfirst for "
                                                    "DD-MM-YYYY dates")
        raise ValueError(
            f"cannot parse the date column {date_column!r}: {first}{hint}"
        ) from None
    if dates.isna().any():
        raise ValueError(f"the date column {date_column!r} has {int(dates.isna().sum())} "
                         "empty value(s)")
    frame.index = pd.DatetimeIndex(dates, name="date")
    frame = _numeric_flags(frame).sort_index()
    if frame.index.has_duplicates and resample is None:
        dup = frame.index[frame.index.duplicated()][0]
        raise ValueError(f"{path} has duplicate dates, e.g. {dup}")
    if len(frame) < min_rows:
        raise ValueError(f"{path} has fewer than {min_rows} row(s)")
    if len(frame) == 1:
        frame.index = frame.index.normalize()
        return frame if resample is None else frame.select_dtypes("number")
    step = pd.Series(frame.index[1:] - frame.index[:-1]).median()
    if resample is not None:
        frame = _resampled(frame.select_dtypes("number"), resample, target)
    elif step < pd.Timedelta(days=1):
        raise ValueError(
            f"{path} is not daily: its typical time step is {step}. Choose how to make daily "
            "values: resample='sum' (--resample sum) for volumes, resample='mean' "
            "(--resample mean) for rates and temperatures"
        )
    elif step > pd.Timedelta(days=1):
        raise ValueError(f"{path} is not daily: its typical time step is {step}; daily data "
                         "are needed")
    else:
        frame.index = frame.index.normalize()
        if frame.index.has_duplicates:
            raise ValueError(f"{path} has several rows on the same day; use resample= / --resample")
        frame = frame.asfreq("D")
    return frame


def _numeric_flags(frame):
    """Booleans and Y/N columns as 0/1."""
    for col in frame.columns:
        if pd.api.types.is_bool_dtype(frame[col]):
            frame[col] = frame[col].astype(np.float64)
        elif frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            yn = _yes_no(frame[col])
            if yn is not None:
                frame[col] = yn
    return frame


def _hourly(frame, raw, path, date_column, date_format, dayfirst, timezone, min_rows, what):
    """The rows of a CSV as a regular hourly frame (see :func:`read_dated_csv`)."""
    kwargs = {"format": date_format} if date_format else {"dayfirst": dayfirst}
    text = raw.astype(str)
    has_offset = text.str.contains(r"(?:[+-]\d\d:?\d\d|Z)$", regex=True).any()
    try:
        times = pd.DatetimeIndex(pd.to_datetime(raw, utc=bool(has_offset), **kwargs))
    except (ValueError, TypeError) as exc:
        first = str(exc).splitlines()[0].replace(" You might want to try:", "").rstrip(":; ")
        raise ValueError(f"cannot parse the time column {date_column!r}: {first}") from None
    if times.hasnans:
        raise ValueError(f"the time column {date_column!r} has {int(times.isna().sum())} "
                         "empty value(s)")
    if timezone is not None:
        try:
            times = (times.tz_convert(timezone) if times.tz is not None else
                     times.tz_localize(timezone, ambiguous="infer", nonexistent="raise"))
        except Exception as exc:  # pytz/zoneinfo errors: unknown zone, bad DST hours
            raise ValueError(f"cannot place the times of {path} in {timezone!r}: "
                             f"{str(exc).splitlines()[0]}; write the times with their UTC "
                             "offsets (2022-10-30T02:00:00+01:00) to be exact") from None
    frame.index = times.rename("time")
    frame = _numeric_flags(frame).sort_index()
    if frame.index.has_duplicates:
        dup = frame.index[frame.index.duplicated()][0]
        hint = ("" if timezone or frame.index.tz is not None else
                ": local times repeat at the autumn daylight saving change; give timezone= "
                "(--timezone) or write the times with their UTC offsets")
        raise ValueError(f"{path} has the time {dup} twice{hint}")
    if len(frame) < min_rows:
        raise ValueError(f"{path} has fewer than {min_rows} row(s)")
    if len(frame) > 1:
        step = pd.Series(frame.index[1:] - frame.index[:-1]).median()
        if step != pd.Timedelta(hours=1):
            raise ValueError(f"{what} {path} is not hourly: its typical time step is {step}")
        frame = frame.asfreq("h")
    return frame


def _wall_clock(raw, date_format, dayfirst):
    """Parsed dates as local wall-clock times: offsets (``+01:00``, ``+02:00`` across a DST
    change) are dropped after placing each time in its own offset, so a day is the day the
    file's writer saw."""
    kwargs = {"format": date_format} if date_format else {"dayfirst": dayfirst}
    try:
        dates = pd.to_datetime(raw, **kwargs)
    except ValueError as exc:
        if "Mixed timezones" not in str(exc) and "mixed time zones" not in str(exc).lower():
            raise
        dates = pd.to_datetime(raw.map(lambda v: pd.Timestamp(v).tz_localize(None)
                                       if pd.notna(v) else pd.NaT))
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    return dates


def _resampled(frame, how, target):
    """Daily values: ``how`` ("sum" or "mean") for the target, the mean for the others;
    a day with fewer target observations than a typical full day is missing."""
    summed = list(frame.columns) if target is None else [c for c in frame.columns
                                                          if c == target]
    days = frame.resample("D")
    out = days.mean()
    if how == "sum":
        out[summed] = days[summed].sum(min_count=1)
    counts = days[summed].count()
    full = counts.max(axis=1)
    typical = full[full > 0].median() if (full > 0).any() else 0
    # DST days have 23 or 25 hours: a day is incomplete below 90 % of the typical count
    incomplete = counts.lt(0.9 * typical)
    out[summed] = out[summed].mask(incomplete)
    return out
