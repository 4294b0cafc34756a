"""The Battle of the Water Demand Forecasting's protocol: a week of hours forecast from the
data before its Monday, for every district."""

import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor

from ..datasets import BWDF_TIMEZONE, HOURLY_WEATHER_COLUMNS
from ..forecasting import (
    GlobalRegressor,
    PerSeriesRegressor,
    StackedHorizonRegressor,
    TailBlendRegressor,
    to_panel,
)

__all__ = ["BWDF_HOURS", "make_bwdf_forecaster", "make_bwdf_regressor", "week_history",
           "week_hours"]

#: Hours in a BWDF week: Monday 00:00 to Sunday 23:00.
BWDF_HOURS = 168
# The city's calendar (as load_bwdf marks it): Italian holidays and the patron saint's day.
_CALENDAR = {"country": "IT", "extra_holidays": [(11, 3)]}


def make_bwdf_forecaster(regressor=None, *, coverage=0.9, **params):
    """The library's forecaster of a BWDF week: 168 hours from the hour before Monday.

    A :class:`~sklearn_hydro.Forecaster` of the hourly panel of the ten districts with four
    weeks of hourly lags, the hourly weather of the target hours (the competition allowed
    the observed weather of the week as a perfect forecast) and the Italian calendar known
    ahead, one window a day (``stride=24``, each from 23:00 like the forecast), and
    ``regressor`` fitted on every horizon and district at once.

    Parameters
    ----------
    regressor : regressor or None, default=None
        A window regressor of the panel; None: :func:`make_bwdf_regressor`.
    coverage : float or None, default=0.9
        Conformal intervals, calibrated per horizon on the newest windows, on errors
        relative to the forecast (``interval_params={"error": "relative"}``): one model
        serves districts of 4 and of 80 L/s, whose errors differ in scale, not in share.
    **params
        Other :class:`~sklearn_hydro.Forecaster` parameters.
    """
    from ..forecasting import Forecaster

    if regressor is None:
        regressor = make_bwdf_regressor()
    settings = {"target": "demand", "lookback": 28 * 24, "horizons": BWDF_HOURS,
                "known_ahead": list(HOURLY_WEATHER_COLUMNS), "strategy": "joint",
                "stride": 24, "partial_windows": True, "coverage": coverage,
                "interval_params": {"error": "relative"}, **_CALENDAR}
    settings.update(params)
    return Forecaster(regressor, **settings)


def _gradient_boosting(max_iter, learning_rate):
    return HistGradientBoostingRegressor(loss="absolute_error", max_iter=max_iter,
                                         learning_rate=learning_rate, early_stopping=False,
                                         random_state=0)


def make_bwdf_regressor(*, wall_clock=True, covariate_window=None, first_steps=None):
    """The window regressor of :func:`make_bwdf_forecaster`, chosen by cross-validation on
    weeks before the competition's first.

    The equal-weight blend of two :class:`~sklearn_hydro.StackedHorizonRegressor` models of
    gradient boosting with the absolute error loss, reading the seasonal lags by the clock
    across daylight saving changes: one per district
    (:class:`~sklearn_hydro.PerSeriesRegressor`, 150 iterations, learning rate 0.1) and one
    of every district at once (:class:`~sklearn_hydro.GlobalRegressor` without district
    columns: the shared relative profile, 300 iterations, learning rate 0.05).

    Chosen in two rounds of ``benchmarks/bwdf_select.py``, mean PI1 / PI2 / PI3 (L/s) of
    the folds' ten districts, every fold a week before W1 forecast from the hours before
    it:

    * five weeks (2021-11-08, 2022-01-17, 2022-03-07, 2022-06-27, 2022-07-11): the district
      models 1.047 / 3.611 / 1.063, the global ones 1.089-1.122 / 3.653-3.745 /
      1.082-1.110 (squared or absolute loss, with or without district columns), their
      blend 1.035 / 3.509 / 1.045 (0.706, 0.740, 0.865 of the previous week repeated);
    * the same and the weeks right after a DST change (2021-11-01, 2022-03-28; W2 is such
      a week): the blend 1.204 / 4.633 / 1.146, read by the clock 1.105 / 3.879 / 1.000
      (0.651, 0.634, 0.720 of the naive), with each hour's weather also as its mean over
      the day around it (``covariate_window=24``) 1.125 / 3.844 / 0.989: a tie at a fifth
      more fitting time, left out.

    Parameters
    ----------
    wall_clock : bool, default=True
        See :class:`~sklearn_hydro.StackedHorizonRegressor`.
    covariate_window : int or None, default=None
        See :class:`~sklearn_hydro.StackedHorizonRegressor`.
    first_steps : int or None, default=None
        See :class:`~sklearn_hydro.StackedHorizonRegressor`.
    """
    options = {"wall_clock": wall_clock, "covariate_window": covariate_window,
               "first_steps": first_steps}
    district = PerSeriesRegressor(StackedHorizonRegressor(_gradient_boosting(150, 0.1),
                                                          **options))
    shared = GlobalRegressor(StackedHorizonRegressor(_gradient_boosting(300, 0.05),
                                                     **options),
                             series_features="none")
    return TailBlendRegressor([("district", district), ("shared", shared)],
                              weights=[0.5, 0.5])


def week_hours(monday):
    """The 168 local hours of the week starting ``monday`` (a date), tz-aware."""
    start = pd.Timestamp(monday).tz_localize(None).normalize().tz_localize(BWDF_TIMEZONE)
    if start.day_of_week != 0:
        raise ValueError(f"a BWDF week starts on a Monday; {start:%Y-%m-%d} is a "
                         f"{start:%A}")
    hours = pd.date_range(start, periods=BWDF_HOURS, freq="h", name="time")
    return hours


def week_history(frame, monday, *, target="demand"):
    """What a forecaster of the week starting ``monday`` may see.

    The rows of ``frame`` (hourly, tz-aware; wide ``<target>_<district>`` columns or a
    panel) up to the week's last hour, with every target value from the week's first hour
    on removed: the targets before Monday 00:00 and the known-ahead columns (weather,
    calendar) of the week. Returns a panel (``(series, time)``) for a wide frame.

    The weather station's gaps (humidity misses up to 12 hours in a row, 4 % of the hours;
    wind a few) are filled by linear interpolation in time within these rows, the nearest
    value at their ends: a weather forecast has no gaps, and the hours after a gap are
    weather of the week, known ahead, never the target.
    """
    hours = week_hours(monday)
    if not isinstance(frame.index, pd.MultiIndex):
        wide = frame.loc[frame.index <= hours[-1]].copy()
        weather = [c for c in HOURLY_WEATHER_COLUMNS if c in wide.columns]
        wide[weather] = wide[weather].interpolate(method="time").ffill().bfill()
        targets = [c for c in wide.columns if c.startswith(target + "_")]
        if not targets:
            raise ValueError(f"no column named {target}_<district> in the frame")
        wide.loc[wide.index >= hours[0], targets] = float("nan")
        return to_panel(wide, target)
    times = frame.index.get_level_values(-1)
    panel = frame.loc[times <= hours[-1]].copy()
    times = panel.index.get_level_values(-1)
    panel.loc[times >= hours[0], target] = float("nan")
    return panel
