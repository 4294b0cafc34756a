"""The time step of a frame: the one place the package works it out."""

import pandas as pd

__all__ = ["time_step"]


def time_step(index):
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

    Returns
    -------
    step : pandas.Timedelta or pandas.DateOffset
        ``index[-1] + h * step`` is the time ``h`` steps after the last one.

    Raises
    ------
    ValueError
        If the index has fewer than two time stamps and no ``freq``, or is not regular.

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
    """
    if isinstance(index, pd.MultiIndex):
        index = pd.DatetimeIndex(index.get_level_values(-1).unique()).sort_values()
    if not isinstance(index, pd.DatetimeIndex):
        raise TypeError(f"a time step needs a DatetimeIndex, got {type(index).__name__}")
    if len(index) < 2:
        if index.freq is None:
            raise ValueError("cannot tell the time step from fewer than two time stamps")
        return _as_step(pd.Timedelta(index.freq.nanos, unit="ns"), index.tz is not None)
    if index.tz is not None:
        local = _single_step(index.tz_localize(None))
        if local is not None and local % pd.Timedelta(days=1) == pd.Timedelta(0):
            return pd.DateOffset(days=local // pd.Timedelta(days=1))
    step = _single_step(index)
    if step is None:
        raise ValueError(
            f"the time index is not regular (steps between {index[0]} and {index[-1]} "
            "differ); missing time steps must be present as rows of NaN"
        )
    return step


def _single_step(index):
    steps = pd.TimedeltaIndex(index[1:] - index[:-1]).unique()
    return steps[0] if len(steps) == 1 else None


def _as_step(delta, aware):
    if aware and delta % pd.Timedelta(days=1) == pd.Timedelta(0):
        return pd.DateOffset(days=delta // pd.Timedelta(days=1))
    return delta
