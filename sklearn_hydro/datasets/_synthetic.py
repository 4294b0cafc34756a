"""A small synthetic daily demand series with weather, calendar, outliers and gaps."""

import datetime
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.utils import check_random_state

from ..preprocessing import calendar_features
from ..utils._sklearn import Interval, validate_params

# Fixed-date public holidays (month, day), Italian style.
#: The fixed-date public holidays of the synthetic city, as ``(month, day)``: its calendar
#: columns use them (``calendar_features(..., extra_holidays=SYNTHETIC_HOLIDAYS)``).
SYNTHETIC_HOLIDAYS = [(1, 1), (1, 6), (4, 25), (5, 1), (6, 2), (8, 15), (11, 1), (12, 8),
                      (12, 25), (12, 26)]

# Relative demand by weekday, Monday first.
_WEEKLY = np.array([1.00, 1.01, 1.00, 1.01, 1.02, 0.95, 0.90])

_LEVEL = 1000.0  # mean daily demand, m^3


@validate_params(
    {
        "n_days": [Interval(Integral, 7, None, closed="left")],
        "start": [str, datetime.date, np.datetime64],
        "outlier_fraction": [Interval(Real, 0, 0.5, closed="both")],
        "missing_fraction": [Interval(Real, 0, 0.5, closed="both")],
        "noise": [Interval(Real, 0, 0.5, closed="both")],
        "random_state": ["random_state"],
        "return_outliers": ["boolean"],
        "n_series": [Interval(Integral, 1, None, closed="left"), None],
    },
    prefer_skip_nested_validation=True,
)
def make_synthetic_demand(
    n_days=730,
    *,
    start="2021-01-01",
    outlier_fraction=0.01,
    missing_fraction=0.01,
    noise=0.05,
    random_state=0,
    return_outliers=False,
    n_series=None,
):
    """Generate a synthetic daily water demand frame with weather and calendar columns.

    The frame has the same index and columns as :func:`load_bwdf`, so tests and examples
    can run without the real data. Demand follows a multiplicative model

    ``demand = level * yearly(t) * weekly(t) * f(temp_max, rain) * (1 + noise * e_t)``

    with ``level = 1000`` m^3/day, a summer peak of about +8 %, a weekday pattern (Saturday
    -5 %, Sunday and holidays -10 %), about +1.5 % per degree of maximum temperature above
    20 degrees C, up to -6 % on rainy days, and standard normal ``e_t``. Outliers and gaps
    are then injected into ``demand`` only; the weather and calendar columns are complete.

    Parameters
    ----------
    n_days : int, default=730
        Number of days (at least 7).

    start : str or pandas.Timestamp, default="2021-01-01"
        First date (tz-naive; any time of day is dropped).

    outlier_fraction : float, default=0.01
        Fraction of days (rounded to the nearest count) whose demand is moved up or down by
        4 to 6 standard deviations of the clean series (kept above 5 % of the level).

    missing_fraction : float, default=0.01
        Fraction of days (rounded to the nearest count) whose demand is NaN. Gaps and
        outliers never fall on the same day.

    noise : float, default=0.05
        Relative standard deviation of the multiplicative noise, in [0, 0.5].

    random_state : int, RandomState instance or None, default=0
        Seed of every random draw; the same value gives the identical frame.

    return_outliers : bool, default=False
        If True, also return the boolean mask of injected outliers.

    n_series : int or None, default=None
        If given, a panel of that many districts of one city (see
        :mod:`sklearn_hydro.forecasting`), indexed by ``(series, date)`` with series ``"S001"``,
        ``"S002"``...: the weather and calendar are shared; each district has its own
        level (log-normal around 1000 m^3/day, spread 0.6), weekend dip, sensitivity to
        heat and rain and seasonal amplitude (each within about 0.5x to 1.5x of the single
        series'), noise, outliers and gaps. The first district is not the single series.

    Returns
    -------
    frame : pandas.DataFrame
        Daily ``DatetimeIndex`` named ``"date"`` (frequency ``"D"``) with the float64
        columns ``demand`` (m^3), ``temp_max``, ``temp_min``, ``temp_mean`` (degrees C),
        ``rain`` (mm), ``humidity`` (%), ``wind`` (km/h), and the calendar of
        :func:`~sklearn_hydro.preprocessing.calendar_features` (one-hot weekday,
        ``is_weekend``, day-of-year angle, ``is_holiday`` on ten fixed-date Italian holidays,
        days to and since a holiday).

    outliers : pandas.Series of bool
        Only if ``return_outliers=True``: True on the days with an injected outlier, same
        index as ``frame``.

    A panel (``n_series``) has the same columns, indexed by ``(series, date)``.

    See Also
    --------
    load_bwdf : The real district data this generator imitates.

    Examples
    --------
    >>> from sklearn_hydro.datasets import make_synthetic_demand
    >>> frame, outliers = make_synthetic_demand(60, random_state=0, return_outliers=True)
    >>> frame.shape
    (60, 20)
    >>> list(frame.columns[:4])
    ['demand', 'temp_max', 'temp_min', 'temp_mean']
    >>> int(outliers.sum()), int(frame["demand"].isna().sum())
    (1, 1)
    >>> panel = make_synthetic_demand(60, n_series=3, random_state=0)
    >>> panel.shape, panel.index.names
    ((180, 20), FrozenList(['series', 'date']))
    """
    try:
        first = pd.Timestamp(start)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"start must be a date, got {start!r}.") from exc
    if first is pd.NaT:
        raise ValueError(f"start must be a date, got {start!r}.")
    if first.tz is not None:
        raise ValueError(f"start must be tz-naive, got {start!r}.")
    rng = check_random_state(random_state)
    dates = pd.date_range(first.normalize(), periods=n_days, freq="D", name="date")

    # Weather: a yearly temperature cycle (coldest mid-January) with AR(1) anomalies.
    season = -np.cos(2 * np.pi * (dates.day_of_year.to_numpy() - 15) / 365.25)
    anomaly = np.empty(n_days)
    anomaly[0] = rng.normal(scale=2.0)
    shocks = rng.normal(scale=2.0 * np.sqrt(1 - 0.7**2), size=n_days)
    for day in range(1, n_days):
        anomaly[day] = 0.7 * anomaly[day - 1] + shocks[day]
    temp_mean = 15.0 + 9.0 * season + anomaly
    temp_max = temp_mean + 4.0 + rng.gamma(2.0, 0.75, size=n_days)
    temp_min = temp_mean - 4.0 - rng.gamma(2.0, 0.75, size=n_days)
    rainy = rng.random(n_days) < 0.25 - 0.1 * season
    rain = np.where(rainy, rng.gamma(0.8, 8.0, size=n_days), 0.0)
    humidity = np.clip(65.0 - 10.0 * season + 12.0 * rainy + rng.normal(0, 6, n_days), 20, 100)
    wind = rng.gamma(4.0, 3.5, size=n_days)

    calendar = calendar_features(dates, extra_holidays=sorted(SYNTHETIC_HOLIDAYS))
    weather = pd.DataFrame(
        {  # same columns, same order as load_bwdf
            "temp_max": temp_max,
            "temp_min": temp_min,
            "temp_mean": temp_mean,
            "rain": rain,
            "humidity": humidity,
            "wind": wind,
        },
        index=dates,
    ).join(calendar).astype("float64")
    holiday = calendar["is_holiday"].to_numpy() == 1
    gaps = (missing_fraction, outlier_fraction)
    if n_series is None:
        demand, outliers = _demand(rng, weather, season, holiday, noise, gaps, _DISTRICT)
        frame = pd.concat([pd.Series(demand, index=dates, name="demand"), weather], axis=1)
        if return_outliers:
            return frame, pd.Series(outliers, index=dates, name="outlier")
        return frame

    names = [f"S{i:0{max(3, len(str(n_series)))}d}" for i in range(1, n_series + 1)]
    frames, masks = {}, {}
    for name in names:
        district = {
            "level": _LEVEL * float(np.exp(rng.normal(0.0, 0.6))),
            "weekend": float(rng.uniform(0.5, 1.5)),
            "heat": float(rng.uniform(0.5, 1.5)),
            "rain": float(rng.uniform(0.5, 1.5)),
            "season": float(rng.uniform(0.5, 1.5)),
        }
        demand, outliers = _demand(rng, weather, season, holiday, noise, gaps, district)
        frames[name] = pd.concat([pd.Series(demand, index=dates, name="demand"), weather],
                                 axis=1)
        masks[name] = pd.Series(outliers, index=dates, name="outlier")
    panel = pd.concat(frames, names=["series", "date"])
    if return_outliers:
        return panel, pd.concat(masks, names=["series", "date"])
    return panel


# The single series' district: level 1000 m^3/day and unit effects.
_DISTRICT = {"level": _LEVEL, "weekend": 1.0, "heat": 1.0, "rain": 1.0, "season": 1.0}


def _demand(rng, weather, season, holiday, noise, gaps, district):
    """One district's demand on the shared weather, with its outliers and gaps."""
    n_days = len(weather)
    level = district["level"]
    weekday = weather.index.day_of_week.to_numpy()
    yearly = 1.0 + 0.08 * district["season"] * season
    weekly = 1.0 + district["weekend"] * (np.where(holiday, _WEEKLY[6], _WEEKLY[weekday]) - 1)
    temp_max, rain = weather["temp_max"].to_numpy(), weather["rain"].to_numpy()
    weather_effect = (1.0 + 0.015 * district["heat"] * np.clip(temp_max - 20.0, 0, None)) * (
        1.0 - 0.06 * district["rain"] * (1.0 - np.exp(-rain / 5.0))
    )
    clean = level * yearly * weekly * weather_effect
    demand = clean * (1.0 + noise * rng.standard_normal(n_days))
    demand = np.clip(demand, 0.05 * level, None)

    # Gaps, then outliers on other days.
    missing_fraction, outlier_fraction = gaps
    n_missing = int(round(missing_fraction * n_days))
    n_outliers = min(int(round(outlier_fraction * n_days)), n_days - n_missing)
    order = rng.permutation(n_days)
    missing = np.zeros(n_days, dtype=bool)
    missing[order[:n_missing]] = True
    outliers = np.zeros(n_days, dtype=bool)
    outliers[order[n_missing : n_missing + n_outliers]] = True
    sigma = demand.std()
    signs = rng.choice([-1.0, 1.0], size=n_outliers)
    sizes = rng.uniform(4.0, 6.0, size=n_outliers)
    demand[outliers] = np.clip(demand[outliers] + signs * sizes * sigma, 0.05 * level, None)
    demand[missing] = np.nan
    return demand, outliers
