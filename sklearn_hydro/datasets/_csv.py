"""Read a CSV file of dated rows as a regular daily frame, with clear errors."""

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
                   resample=None, what="CSV file"):
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
        How to make daily values of sub-daily data: "sum" for volumes, "mean" for rates.
    what : str, default="CSV file"
        What the file is, for error messages.

    Returns
    -------
    DataFrame
        Indexed by day (``date``), one row per day from the first to the last.

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
    try:
        if date_format:
            dates = pd.to_datetime(raw, format=date_format)
        else:
            dates = pd.to_datetime(raw, dayfirst=dayfirst)
    except (ValueError, TypeError) as exc:
        hint = "" if date_format else ("; give the format with date_format= / --date-format "
                                       "(e.g. %d-%m-%Y) ")
        hint += "" if date_format or dayfirst else ("or dayfirst=True / --dayfirst for "
                                                    "DD-MM-YYYY dates")
        raise ValueError(
            f"cannot parse the date column {date_column!r}: {str(exc).splitlines()[0]}{hint}"
        ) from None
    if dates.isna().any():
        raise ValueError(f"the date column {date_column!r} has {int(dates.isna().sum())} "
                         "empty value(s)")
    frame.index = pd.DatetimeIndex(dates, name="date")
    for col in frame.columns:
        if pd.api.types.is_bool_dtype(frame[col]):
            frame[col] = frame[col].astype(np.float64)
        elif frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            yn = _yes_no(frame[col])
            if yn is not None:
                frame[col] = yn
    frame = frame.sort_index()
    if frame.index.has_duplicates and resample is None:
        dup = frame.index[frame.index.duplicated()][0]
        raise ValueError(f"{path} has duplicate dates, e.g. {dup}")
    if len(frame) < 2:
        raise ValueError(f"{path} has fewer than two rows")
    step = pd.Series(frame.index[1:] - frame.index[:-1]).median()
    if resample is not None:
        numeric = frame.select_dtypes("number")
        daily = numeric.resample("D")
        frame = daily.sum(min_count=1) if resample == "sum" else daily.mean()
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
