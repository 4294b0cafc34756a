"""Choose the BWDF week-ahead model by cross-validation on weeks before the first evaluation
week (W1, 2022-07-25): nothing from W1 on is read, not even to score.

Each fold is a Monday before W1: the model is fitted on the hours before it (the weather of
its week known, as the competition allowed) and forecasts its 168 hours for the ten
districts, scored with the competition's indicators (PI1, PI2, PI3, L/s). Candidates'
forecasts are kept, so equal-weight blends of any two are scored too without refitting.

    python benchmarks/bwdf_select.py                 # every candidate, every fold
    python benchmarks/bwdf_select.py --candidates gb-abs,gb-sq --folds 2022-07-11
    python benchmarks/bwdf_select.py --candidates blend,blend-clock --folds dst
    python benchmarks/bwdf_select.py --candidates district-clock,shared-clock --folds dst \
        --weights 0.25,0.5,0.75

Prints a table of the mean indicators over the fold DMA-weeks and the fit time per week,
with the previous week repeated (the competition's naive entry) as the baseline.
"""

import argparse
import itertools
import time

import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor

from sklearn_hydro.bwdf import (
    forecast_week,
    make_bwdf_forecaster,
    make_bwdf_regressor,
    naive_week,
    observed_inflows,
    week_hours,
)
from sklearn_hydro.datasets import load_bwdf_hourly
from sklearn_hydro.forecasting import GlobalRegressor, PerSeriesRegressor, StackedHorizonRegressor
from sklearn_hydro.metrics import bwdf_indicators

W1 = pd.Timestamp("2022-07-25", tz="Europe/Rome")
# One fold in each season of the evaluation weeks a year before (autumn after the DST end,
# winter, early spring) and the weeks just before W1.
FOLDS = ["2021-11-08", "2022-01-17", "2022-03-07", "2022-06-27", "2022-07-11"]
# The weeks right after a DST change (W2 starts the day after the autumn one): for
# --folds dst, with FOLDS.
DST_FOLDS = ["2021-11-01", "2022-03-28"]


def _gb(loss="absolute_error", max_iter=300, learning_rate=0.05, **params):
    return HistGradientBoostingRegressor(loss=loss, max_iter=max_iter,
                                         learning_rate=learning_rate, early_stopping=False,
                                         random_state=0, **params)


CANDIDATES = {
    "gb-abs": lambda: GlobalRegressor(StackedHorizonRegressor(_gb())),
    "gb-abs-fast": lambda: GlobalRegressor(StackedHorizonRegressor(
        _gb(max_iter=150, learning_rate=0.1))),
    "gb-sq": lambda: GlobalRegressor(StackedHorizonRegressor(_gb("squared_error"))),
    "gb-abs-deep": lambda: GlobalRegressor(StackedHorizonRegressor(
        _gb(max_iter=300, learning_rate=0.05, max_leaf_nodes=63, min_samples_leaf=40))),
    "gb-abs-noseries": lambda: GlobalRegressor(StackedHorizonRegressor(_gb()),
                                               series_features="none"),
    "per-series-abs": lambda: PerSeriesRegressor(StackedHorizonRegressor(
        _gb(max_iter=150, learning_rate=0.1))),
    # the blend of per-series-abs and gb-abs-noseries (the first round's choice), with its
    # seasonal lags by rows or by the clock across DST changes
    "blend": lambda: make_bwdf_regressor(),
    "blend-clock": lambda: make_bwdf_regressor(wall_clock=True),
    # and with the first day's hours (PI1, PI2) by gradient boosting of their own
    "blend-clock-first24": lambda: make_bwdf_regressor(wall_clock=True, first_steps=24),
    # and with each hour's weather also as its mean over the 24 hours around it
    "blend-clock-day": lambda: make_bwdf_regressor(wall_clock=True, covariate_window=24),
    "blend-day": lambda: make_bwdf_regressor(covariate_window=24),
    # the members of blend-clock alone (their pairs are blended below at several weights)
    "district-clock": lambda: make_bwdf_regressor().estimators[0][1],
    "shared-clock": lambda: make_bwdf_regressor().estimators[1][1],
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", default=",".join(CANDIDATES))
    parser.add_argument("--folds", default=",".join(FOLDS))
    parser.add_argument("--weights", default="0.5", type=lambda t: [float(w) for w in
                                                                   t.split(",")],
                        help="weights of the first model of each blended pair (default 0.5)")
    args = parser.parse_args(argv)
    folds = FOLDS + DST_FOLDS if args.folds == "dst" else args.folds.split(",")
    for monday in folds:
        if week_hours(monday)[-1] >= W1:
            raise SystemExit(f"fold {monday} reaches W1 (2022-07-25): CV stays before it")
    frame = load_bwdf_hourly("all")
    frame = frame.loc[frame.index < W1]  # nothing from W1 on
    observed = observed_inflows(frame)
    forecasts = {"naive": {m: naive_week(observed, m) for m in folds}}
    seconds = {"naive": 0.0}
    for name in args.candidates.split(","):
        forecasts[name], spent = {}, 0.0
        for monday in folds:
            start = time.perf_counter()
            forecaster = make_bwdf_forecaster(CANDIDATES[name](), coverage=None)
            forecasts[name][monday] = forecast_week(forecaster, frame, monday)["forecast"]
            spent += time.perf_counter() - start
            print(f"  {name} {monday}: {time.perf_counter() - start:.0f} s", flush=True)
        seconds[name] = spent / len(folds)
    learned = [n for n in forecasts if n != "naive"]
    for a, b in itertools.combinations(learned, 2):
        for w in args.weights:
            name = f"{a} + {b}" if w == 0.5 else f"{w:g} {a} + {1 - w:g} {b}"
            forecasts[name] = {m: w * forecasts[a][m] + (1 - w) * forecasts[b][m]
                               for m in folds}
            seconds[name] = seconds[a] + seconds[b]
    rows = []
    for name, by_week in forecasts.items():
        scores = pd.concat([bwdf_indicators(by_week[m], observed, weeks={m: week_hours(m)[0]})
                            for m in folds])
        rows.append({"model": name, **scores.mean().round(3).to_dict(),
                     "fit s/week": round(seconds[name], 1)})
    table = pd.DataFrame(rows).set_index("model")
    naive = table.loc["naive", ["PI1", "PI2", "PI3"]]
    for pi in ["PI1", "PI2", "PI3"]:
        table[f"{pi}/naive"] = (table[pi] / naive[pi]).round(3)
    print(f"\nCV before W1, folds {', '.join(folds)} (10 DMAs each), mean L/s:")
    print(table.sort_values("PI1").to_string())


if __name__ == "__main__":
    main()
