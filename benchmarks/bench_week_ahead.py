"""Days 1..7 of the default forecaster: one joint model against the former seven direct ones.

On the BWDF districts (daily demand, the weather observed before the origin as past
covariates, the Italian calendar known ahead), each district's multi-horizon windows are cut
chronologically (the first 60 % of the days train, as the study does); each model is fitted
on the training windows and scored on the test windows. Prints one row per district, seed
and model (fit seconds, MAPE of day 1 and of days 1..7), then the medians over districts and
seeds and the paired ratios of each model to the former default's seven direct models.

    python benchmarks/bench_week_ahead.py                      # 10 districts, seeds 0 1 2
    python benchmarks/bench_week_ahead.py --districts 1 5 --seeds 0 --csv out.csv
    python benchmarks/bench_week_ahead.py --validation   # training periods only

Models:

* ``default``: ``make_forecaster()`` as ``Forecaster(strategy="auto")`` fits it a week
  ahead: day 1 by its own model, days 2..7 by one joint model (``"first+joint"``);
* ``former-direct``: the default forecaster before 0.4 (five LSTMs of 64 units, patience
  20, blended with the Ridge by weights chosen on the tail, no gradient boosting) as seven
  direct models, one per day: the week-ahead model of earlier releases, whose day-1 model
  is their one-day default;
* ``former-joint``: the same fitted once for days 1..7;
* ``default-direct``, ``default-joint``: the default as seven direct models, or one.
"""

import argparse
import time

import numpy as np
import pandas as pd

from sklearn_hydro import Forecaster, make_forecaster
from sklearn_hydro.datasets import load_bwdf
from sklearn_hydro.metrics import mean_absolute_percentage_error
from sklearn_hydro.study import chronological_split

WEATHER = ["temp_max", "temp_min", "temp_mean", "rain", "humidity", "wind"]
STRATEGIES = {"default": "auto", "former-direct": "direct", "former-joint": "joint",
              "default-direct": "direct", "default-joint": "joint"}
MODELS = tuple(STRATEGIES)
BASELINE = "former-direct"


def former_forecaster(seed):
    """The default forecaster of releases before 0.4: two members, weights from the tail."""
    model = make_forecaster(target="demand", random_state=seed, n_estimators=5,
                            hidden_size=64, head_size=64, n_iter_no_change=20,
                            weights="auto")
    return model.set_params(estimators=model.estimators[:2])


def run(district, seed, name, horizons=7, validation=False):
    frame = load_bwdf(f"DMA {district}")
    if validation:  # the training period only (its first 60 % of the days), cut again
        frame = frame.iloc[: int(round(0.6 * len(frame)))]
    former = name.startswith("former")
    regressor = former_forecaster(seed) if former else make_forecaster(target="demand",
                                                                       random_state=seed)
    forecaster = Forecaster(regressor, lookback=28, horizons=horizons,
                            past_covariates=WEATHER, country="IT", extra_holidays=[(11, 3)],
                            coverage=None,
                            strategy=STRATEGIES[name])
    X, Y = forecaster.windows(frame)
    X_train, X_test, Y_train, Y_test = chronological_split(
        X, Y, 0.6, start=frame.index[0], end=frame.index[-1])
    start = time.perf_counter()
    model = forecaster.window_model().fit(X_train, Y_train)
    fit_s = time.perf_counter() - start
    pred = np.asarray(model.predict(X_test)).reshape(len(X_test), -1)
    Y_test = np.asarray(Y_test, dtype=float).reshape(len(X_test), -1)
    per_h = [mean_absolute_percentage_error(Y_test[:, j], pred[:, j]) for j in range(horizons)]
    return {"district": district, "seed": seed, "model": name, "fit_s": fit_s,
            "MAPE_d1": per_h[0], "MAPE_d1_7": float(np.mean(per_h)),
            "n_train": len(X_train), "n_test": len(X_test)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, nargs="+", default=list(range(1, 11)))
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--models", nargs="+", choices=MODELS,
                        default=["default", "former-direct"])
    parser.add_argument("--csv", help="also write the rows to this CSV")
    parser.add_argument("--validation", action="store_true",
                        help="score on the training period only (its last 40 %% of days), "
                        "never on the test days: the basis for choosing a default")
    args = parser.parse_args()
    rows = []
    for district in args.districts:
        for seed in args.seeds:
            for name in args.models:
                rows.append(run(district, seed, name, validation=args.validation))
                r = rows[-1]
                print(f"DMA {district:2d} seed {seed} {name:14s} fit {r['fit_s']:6.1f} s  "
                      f"MAPE day 1 {r['MAPE_d1']:5.2f} %  days 1..7 {r['MAPE_d1_7']:5.2f} %",
                      flush=True)
                if args.csv:
                    pd.DataFrame(rows).to_csv(args.csv, index=False)
    table = pd.DataFrame(rows)
    print()
    print(table.groupby("model")[["fit_s", "MAPE_d1", "MAPE_d1_7"]].median()
          .round(3).to_string())
    if BASELINE in set(table["model"]):
        wide = table.pivot_table(index=["district", "seed"], columns="model",
                                 values=["fit_s", "MAPE_d1", "MAPE_d1_7"])
        for name in sorted(set(table["model"]) - {BASELINE}):
            for metric in ("fit_s", "MAPE_d1", "MAPE_d1_7"):
                ratio = wide[(metric, name)] / wide[(metric, BASELINE)]
                print(f"{name} / {BASELINE}, {metric}: median ratio {ratio.median():.3f} "
                      f"(lower in {int((ratio < 1).sum())} of {len(ratio)})")


if __name__ == "__main__":
    main()
