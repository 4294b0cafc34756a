"""The time step of a frame: the one place the package works it out."""

import pandas as pd

__all__ = ["time_label", "time_step"]


def time_step(index, *, gaps=False):
    """The regular step of a time index, as something to add to its time stamps.

    Days (or weeks) of a tz-aware index are calendar days: local midnight follows local
    midnight across a DST change although those days last 23 or 25 hours. Any other step
    (hours, minutes, days of a naive index) is a fixed duration, so the hours of a tz-aware
    index run on through the DST change (02:00 is skipped in spring, 02:00 comes twice in
    autumn, as in the data).

    Parameters
    ----------
    index : DatetimeIndex, or a ``(series, time)`` MultiIndex (its time level is used)
        Increasing; regular in UTC or, tz-aware, in local wall-clock time.
    gaps : bool, default=False
        ``False``: every step must be the same (a frame, whose missing time steps are rows of
        NaN). ``True``: rows may be missing (windows, whose rows with a missing target are
        dropped): the step is the smallest one, and every step must be a multiple of it.

    Returns
    -------
    step : pandas.Timedelta or pandas.DateOffset
        ``index[-1] + h * step`` is the time ``h`` steps after the last one.

    Raises
    ------
    ValueError
        If the index has fewer than two time stamps and no ``freq``, or is not regular (with
        ``gaps=True``: its steps are not multiples of the smallest).

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.utils import time_step
    >>> days = pd.date_range("2024-03-29", periods=3, freq="D", tz="Europe/Rome")
    >>> days[-1] + 2 * time_step(days)  # calendar days across the DST change of March 31
    Timestamp('2024-04-02 00:00:00+0200', tz='Europe/Rome')
    >>> hours = pd.date_range("2024-03-31 00:00", periods=3, freq="h", tz="Europe/Rome")
    >>> hours[-1] + time_step(hours)
    Timestamp('2024-03-31 04:00:00+0200', tz='Europe/Rome')
    >>> time_step(pd.DatetimeIndex(["2024-01-01", "2024-01-02", "2024-01-05"]), gaps=True)
    Timedelta('1 days 00:00:00')
    """
    if isinstance(index, pd.MultiIndex):
        index = pd.DatetimeIndex(index.get_level_values(-1).unique()).sort_values()
    if not isinstance(index, pd.DatetimeIndex):
        raise TypeError(f"a time step needs a DatetimeIndex, got {type(index).__name__}")
    if len(index) < 2:
        if index.freq is None:
            raise ValueError("cannot tell the time step from fewer than two time stamps")
        return _as_step(pd.Timedelta(index.freq.nanos, unit="ns"), index.tz is not None)
    find = _smallest_step if gaps else _single_step
    if index.tz is not None:
        local = find(index.tz_localize(None))
        if local is not None and local % pd.Timedelta(days=1) == pd.Timedelta(0):
            return pd.DateOffset(days=local // pd.Timedelta(days=1))
    step = find(index)
    if step is None:
        if gaps:
            raise ValueError(
                f"the time index is not regular (the steps between {index[0]} and "
                f"{index[-1]} are not multiples of one step)"
            )
        raise ValueError(
            f"the time index is not regular (steps between {index[0]} and {index[-1]} "
            "differ); missing time steps must be present as rows of NaN"
        )
    return step


def _steps(index):
    return pd.TimedeltaIndex(index[1:] - index[:-1]).unique()


def _single_step(index):
    steps = _steps(index)
    return steps[0] if len(steps) == 1 else None


def _smallest_step(index):
    """The smallest step, if every step is a positive multiple of it."""
    steps = _steps(index)
    step = steps.min()
    if step <= pd.Timedelta(0) or any(s % step != pd.Timedelta(0) for s in steps):
        return None
    return step


def _as_step(delta, aware):
    if aware and delta % pd.Timedelta(days=1) == pd.Timedelta(0):
        return pd.DateOffset(days=delta // pd.Timedelta(days=1))
    return delta


def time_label(time):
    """A time as a reader wants it: the date alone at midnight, else with the hour.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.utils import time_label
    >>> time_label(pd.Timestamp("2024-01-05")), time_label(pd.Timestamp("2024-01-05 13:00"))
    ('2024-01-05', '2024-01-05 13:00')
    """
    return f"{time:%Y-%m-%d}" if time == time.normalize() else f"{time:%Y-%m-%d %H:%M}"
