"""The hourly week-ahead forecaster against the daily recommended one, on the BWDF weeks.

For each evaluation week, both are fitted on the data before its Monday only (the week's
weather known ahead, as the competition allowed): the hourly BWDF forecaster
(`make_bwdf_forecaster`, 168 hours, its forecasts averaged to days) and the daily
recommended forecaster (`make_forecaster` for the ten districts as one panel model, days
1..7: one model for day 1 and one for days 2..7, the default strategy). Both are scored on
the daily mean inflow (L/s) of each district and day, as a MAPE over the 280 district-days;
days with an unmeasured hour are left out of both.

    python benchmarks/bwdf_daily_vs_hourly.py [--weeks W1,W2]

Several minutes on two cores (the daily panel network is the slow part).
"""

import argparse
import time

import numpy as np
import pandas as pd

from sklearn_hydro import Forecaster, GlobalRegressor, make_forecaster, to_panel
from sklearn_hydro.bwdf import forecast_week, make_bwdf_forecaster, observed_inflows, week_hours
from sklearn_hydro.datasets import load_bwdf, load_bwdf_hourly
from sklearn_hydro.datasets._bwdf import WEATHER_COLUMNS
from sklearn_hydro.metrics import BWDF_WEEKS

M3_PER_DAY_TO_L_PER_S = 1000 / 86400  # a day's volume as its mean flow (24-hour days)


def daily_means(hourly):
    """Hourly L/s -> the mean of each local day (NaN unless all its hours are measured)."""
    day = hourly.index.tz_localize(None).normalize()
    means = hourly.groupby(day).mean()
    complete = hourly.notna().groupby(day).sum() == hourly.groupby(day).size().to_numpy()[:, None]
    return means.where(complete)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", default=",".join(BWDF_WEEKS))
    args = parser.parse_args(argv)
    hourly = load_bwdf_hourly("all")
    daily = load_bwdf("all")
    observed = daily_means(observed_inflows(hourly))
    rows = []
    for label in args.weeks.split(","):
        monday = BWDF_WEEKS[label]
        days = pd.date_range(week_hours(monday)[0].tz_localize(None), periods=7, freq="D")
        start = time.perf_counter()
        hourly_fc = forecast_week(make_bwdf_forecaster(coverage=None), hourly, monday)
        hourly_days = daily_means(hourly_fc["forecast"]).reindex(days)
        hourly_s = time.perf_counter() - start

        start = time.perf_counter()
        history = daily.loc[daily.index < days[0]]
        future = daily.loc[days, WEATHER_COLUMNS]
        panel = to_panel(history, "demand")
        forecaster = Forecaster(GlobalRegressor(make_forecaster()), horizons=7,
                                known_ahead=WEATHER_COLUMNS,
                                country="IT", extra_holidays=[(11, 3)], coverage=None)
        table = forecaster.fit(panel).predict(panel, future=future)
        daily_fc = table["forecast"].unstack(0) * M3_PER_DAY_TO_L_PER_S
        daily_fc.columns = [c.replace("_", " ") for c in daily_fc.columns]
        daily_fc = daily_fc.set_axis(pd.DatetimeIndex(daily_fc.index).tz_localize(None)
                                     ).reindex(days)[hourly_days.columns]
        daily_s = time.perf_counter() - start

        truth = observed.reindex(days)[hourly_days.columns]
        seen = truth.notna().to_numpy()
        for name, fc, seconds in (("hourly, averaged to days", hourly_days, hourly_s),
                                  ("daily recommended (panel)", daily_fc, daily_s)):
            err = np.abs(fc.to_numpy() - truth.to_numpy())[seen] / truth.to_numpy()[seen]
            rows.append({"week": label, "model": name, "MAPE %": 100 * err.mean(),
                         "district-days": int(seen.sum()), "fit s": seconds})
        print(pd.DataFrame(rows[-2:]).round(2).to_string(index=False), flush=True)
    table = pd.DataFrame(rows)
    summary = table.groupby("model", sort=False).agg(
        {"MAPE %": "mean", "district-days": "sum", "fit s": "sum"}).round(2)
    print("\nDaily MAPE of the daily mean inflow, mean over the weeks:")
    print(summary.to_string())


if __name__ == "__main__":
    main()
