"""Calendar features of a day: weekday, weekend, season and public holidays.

Calendar values of the *target day* are known ahead, so they are covariates like a weather
forecast: add them as columns of the daily frame and :func:`~sklearn_hydro.make_windows`
puts the target day's values in each row. :func:`~sklearn_hydro.datasets.load_bwdf` and the
command line use this same function, so a CSV of any city gets the calendar BWDF gets.
"""

import datetime as _dt
import re
from numbers import Integral

import numpy as np
import pandas as pd

from ..utils._sklearn import Interval, StrOptions, validate_params

__all__ = ["calendar_features", "is_calendar_column"]

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


_CALENDAR_NAMES = re.compile(
    r"^(dow_(mon|tue|wed|thu|fri|sat|sun|sin|cos)|is_weekend|doy_(sin|cos)|is_holiday|"
    r"days_(to|since)_holiday|hour)$"
)


def is_calendar_column(name):
    """Whether ``name`` is a column of :func:`calendar_features`.

    Calendar values are known ahead for the target day; their lags add nothing to the
    windows (the weekday of each lag follows from the target's), so runners window only the
    other covariates as past covariates.

    Examples
    --------
    >>> from sklearn_hydro.preprocessing import is_calendar_column
    >>> is_calendar_column("dow_mon"), is_calendar_column("temp_max")
    (True, False)
    """
    return bool(_CALENDAR_NAMES.match(str(name)))


def _local_dates(dates):
    """Wall-clock calendar dates (midnight, tz-naive) of ``dates``."""
    dates = pd.DatetimeIndex(dates)
    if dates.tz is not None:
        dates = dates.tz_localize(None)
    return dates.normalize()


def _wall_clock(dates):
    """Wall-clock hour of each time (tz-aware times in their own zone)."""
    wall = dates.tz_localize(None) if dates.tz is not None else dates
    return (wall.hour + wall.minute / 60.0).to_numpy(dtype=np.float64)


def _holiday_dates(country, subdivision, years, extra):
    days = set()
    if country is not None:
        days.update(_country_holidays(country, subdivision, years))
    for item in extra:
        if isinstance(item, tuple):
            month, day = item
            days.update(_dt.date(y, month, day) for y in years)
        else:
            days.add(pd.Timestamp(item).date())
    return pd.DatetimeIndex(sorted(days))


def _country_holidays(country, subdivision, years):
    import holidays

    try:
        table = holidays.country_holidays(country, subdiv=subdivision, years=years)
    except (NotImplementedError, ValueError) as exc:
        if subdivision is not None and "subdiv" in str(exc):
            raise ValueError(
                f"subdivision={subdivision!r} is not a subdivision of country={country!r} "
                f"in the holidays package: {exc}"
            ) from None
        raise ValueError(
            f"country={country!r} is not known to the holidays package; use an ISO 3166-1 "
            "alpha-2 code such as 'IT', 'GB' or 'US'"
        ) from None
    return set(table)


def _day_numbers(dates):
    return dates.as_unit("ns").asi8 // 86_400_000_000_000


def _days_around(days, marks):
    """Days to the next and since the last of the sorted ``marks`` (inf where none)."""
    after = np.searchsorted(marks, days, side="left")
    to_next = np.full(len(days), np.inf)
    ok = after < len(marks)
    to_next[ok] = marks[after[ok]] - days[ok]
    before = np.searchsorted(marks, days, side="right") - 1
    since = np.full(len(days), np.inf)
    ok = before >= 0
    since[ok] = days[ok] - marks[before[ok]]
    return to_next, since


@validate_params(
    {
        "dates": ["array-like"],
        "country": [str, None],
        "subdivision": [str, None],
        "extra_holidays": ["array-like"],
        "weekday": [StrOptions({"onehot", "cyclical", "both"})],
        "max_days": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def calendar_features(
    dates,
    *,
    country=None,
    subdivision=None,
    extra_holidays=(),
    weekday="onehot",
    max_days=7,
):
    """Calendar features of each date: weekday, weekend, day of year and public holidays.

    The columns, all float64:

    * ``weekday="onehot"``: ``dow_mon`` ... ``dow_sun``, one of them 1;
      ``"cyclical"``: ``dow_sin``, ``dow_cos`` (the weekday as an angle); ``"both"``: all nine;
    * ``is_weekend``: 1 on Saturday and Sunday;
    * ``doy_sin``, ``doy_cos``: the day of the year as an angle,
      ``2 pi (day_of_year - 1) / days_in_year`` (366 in leap years, so 31 December is always
      next to 1 January);
    * only for times within the day (an hourly index, some time not at midnight): ``hour``,
      the wall-clock hour ``0 ... 23`` (``hour + minute / 60`` for finer steps), so an
      hourly series across a daylight saving change keeps its daily rhythm by the clock;
    * only with a ``country`` or ``extra_holidays``: ``is_holiday`` (public holidays of the
      country, or of its ``subdivision``, from the ``holidays`` package, plus
      ``extra_holidays``), ``days_to_holiday`` and ``days_since_holiday``: days to the next
      and since the last holiday, 0 on a holiday, capped at ``max_days`` (bridge days and
      the days around Christmas behave differently from ordinary ones).

    Time-zone aware dates are taken as wall-clock dates, so a daily series across a daylight
    saving change gets one row per calendar day.

    Parameters
    ----------
    dates : DatetimeIndex or array-like of dates
        The days to describe (e.g. ``frame.index`` of a daily frame).
    country : str or None, default=None
        ISO 3166-1 alpha-2 code for the public holidays (``"IT"``, ``"GB"``, ``"US"``...);
        None: only ``extra_holidays`` are holidays (no holiday columns if there are none).
    subdivision : str or None, default=None
        State, region or province code of ``country`` (e.g. ``"BY"`` for Bavaria).
    extra_holidays : array-like of (month, day) tuples or dates, default=()
        Days to mark as holidays too: ``(11, 3)`` every 3 November (a patron saint's day),
        or single dates.
    weekday : {"onehot", "cyclical", "both"}, default="onehot"
        Encoding of the weekday.
    max_days : int >= 1, default=7
        Cap of ``days_to_holiday`` and ``days_since_holiday``.

    Returns
    -------
    DataFrame of shape (n_dates, n_features)
        Indexed by ``dates``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.preprocessing import calendar_features
    >>> days = pd.date_range("2024-12-24", periods=3, freq="D")
    >>> cal = calendar_features(days, country="IT", weekday="cyclical")
    >>> cal[["is_weekend", "is_holiday", "days_to_holiday", "days_since_holiday"]]
                is_weekend  is_holiday  days_to_holiday  days_since_holiday
    2024-12-24         0.0         0.0              1.0                 7.0
    2024-12-25         0.0         1.0              0.0                 0.0
    2024-12-26         0.0         1.0              0.0                 0.0
    """
    index = dates if isinstance(dates, pd.DatetimeIndex) else pd.DatetimeIndex(dates)
    if index.hasnans:
        raise ValueError("dates must not contain missing values (NaT)")
    if subdivision is not None and country is None:
        raise ValueError("a subdivision needs its country: pass country= as well")
    local = _local_dates(index)
    dow = local.day_of_week.to_numpy()
    columns = {}
    if weekday in ("onehot", "both"):
        for i, name in enumerate(_WEEKDAYS):
            columns[f"dow_{name}"] = (dow == i).astype(np.float64)
    if weekday in ("cyclical", "both"):
        columns["dow_sin"] = np.sin(2 * np.pi * dow / 7)
        columns["dow_cos"] = np.cos(2 * np.pi * dow / 7)
    columns["is_weekend"] = (dow >= 5).astype(np.float64)
    clock = _wall_clock(index)
    if np.any(clock != 0):
        columns["hour"] = clock
    angle = 2 * np.pi * (local.day_of_year.to_numpy() - 1) / np.where(local.is_leap_year, 366, 365)
    columns["doy_sin"] = np.sin(angle)
    columns["doy_cos"] = np.cos(angle)
    if country is not None or len(extra_holidays):
        years = range(local.year.min() - 1, local.year.max() + 2) if len(local) else range(0)
        marked = _holiday_dates(country, subdivision, years, list(extra_holidays))
        columns["is_holiday"] = local.isin(marked).astype(np.float64)
        to_next, since = _days_around(_day_numbers(local), _day_numbers(marked))
        columns["days_to_holiday"] = np.minimum(to_next, max_days)
        columns["days_since_holiday"] = np.minimum(since, max_days)
    return pd.DataFrame(columns, index=index, dtype=np.float64)
