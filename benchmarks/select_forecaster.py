"""Choose the default forecaster's settings by cross-validation on BWDF *training* periods.

For each of the 10 districts only the first 60 % of the days (the study's training part) is
used: TimeSeriesSplit(3 folds of 60 days) inside it. The test part (the last 40 %) is never
read, so what is chosen here can be judged on it honestly by ``bench_accuracy.py``.

Candidates (each a pipeline over the same windows, lookback 28 built once):

* ``lstm14-row``: make_forecaster's network, 14 lags, row level, past covariates; seeds 0-2
  (single-seed scores are their mean; ``lstm14-row-ens3`` averages their forecasts)
* ``lstm14-global``: the same with ``level="global"`` (the plain-LSTM recipe's scaling)
* ``lstm28-row``: 28 lags
* ``lstm14-row-nopast``: no past covariates (only the target day's)
* ``Ridge``, ``HistGradientBoosting``: the peers; ``blend-ridge`` / ``blend-hgb`` average
  ``lstm14-row-ens3`` with them.

Run: ``python benchmarks/select_forecaster.py [--areas 1 2 ...] [--n-jobs 2]``; prints the
median over districts of each candidate's CV MAPE and its ratio to ``lstm14-row``.
"""

import argparse
import time

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.model_selection import TimeSeriesSplit

from sklearn_hydro import make_windows
from sklearn_hydro.datasets import load_bwdf
from sklearn_hydro.forecasting import make_forecaster
from sklearn_hydro.metrics import mean_absolute_percentage_error as mape
from sklearn_hydro.study import make_study_model

TRAIN_FRACTION = 0.6
LOOKBACK = 28


WEATHER = ["temp_max", "temp_min", "temp_mean", "rain", "humidity", "wind"]


def candidates_round2():
    """Round 2, after round 1 showed the LSTM + Ridge blend and no gain from past covariates:
    which past covariates, which Ridge, and blends of the 3-seed LSTM without past covariates."""
    from sklearn.linear_model import RidgeCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from sklearn_hydro import RowLevelRegressor

    def lstm(seed, **kw):
        params = dict(target="demand", n_estimators=1, random_state=seed, lookback=14)
        params.update(kw)
        return make_forecaster(**params)

    out = {f"lstm14-nopast-s{s}": (lstm(s), "known") for s in range(3)}
    out["lstm14-weather-s0"] = (lstm(0), "weather")
    out["lstm14-all-s0"] = (lstm(0), "all")
    for lb in (14, 28):
        out[f"Ridge{lb}"] = (make_study_model("Ridge", lookback=lb, target="demand"), "known")
        ridge_row = make_study_model("Ridge", lookback=lb, target="demand")
        ridge_row.steps[-1] = ("regressor", RowLevelRegressor(
            make_pipeline(StandardScaler(), RidgeCV(alphas=(0.01, 0.1, 1.0, 10.0, 100.0))),
            target="demand"))
        out[f"Ridge{lb}-row"] = (ridge_row, "known")
    return out


def blends_round2(preds):
    ens = np.mean([preds[f"lstm14-nopast-s{s}"] for s in range(3)], axis=0)
    out = {"lstm14-nopast-ens3": ens}
    for ridge in ("Ridge14", "Ridge28", "Ridge14-row", "Ridge28-row"):
        out[f"blend-nopast-{ridge}"] = (ens + preds[ridge]) / 2
    out["blend-nopast-Ridge28-w0.7"] = 0.7 * ens + 0.3 * preds["Ridge28"]
    out["blend-nopast-Ridge28-w0.3"] = 0.3 * ens + 0.7 * preds["Ridge28"]
    return out


def candidates():
    def lstm(seed, **kw):
        params = dict(target="demand", n_estimators=1, random_state=seed, lookback=14)
        params.update(kw)
        return make_forecaster(**params)

    out = {f"lstm14-row-s{s}": (lstm(s), True) for s in range(3)}
    out["lstm14-global"] = (lstm(0, level="global"), True)
    out["lstm28-row"] = (lstm(0, lookback=28), True)
    out["lstm14-row-nopast"] = (lstm(0), False)
    out["Ridge"] = (make_study_model("Ridge", lookback=LOOKBACK, target="demand"), True)
    out["HistGradientBoosting"] = (
        make_study_model("HistGradientBoosting", lookback=LOOKBACK, target="demand",
                         random_state=0),
        True,
    )
    return out


def run_area(area, round_=1):
    frame = load_bwdf(f"DMA {area}")
    n_train_days = int(round(len(frame) * TRAIN_FRACTION))
    frame = frame.iloc[:n_train_days]  # the test part is never read
    covs = [c for c in frame.columns if c != "demand"]
    X_past, y = make_windows(frame, "demand", LOOKBACK, covariates=covs, past_covariates=covs)
    X_known, _ = make_windows(frame, "demand", LOOKBACK, covariates=covs)
    X_weather, _ = make_windows(frame, "demand", LOOKBACK, covariates=covs,
                                past_covariates=WEATHER)
    windows = {True: X_past, False: X_known, "all": X_past, "known": X_known,
               "weather": X_weather}
    rows = []
    for fold, (train, test) in enumerate(TimeSeriesSplit(3, test_size=60).split(X_past)):
        preds = {}
        models = candidates() if round_ == 1 else candidates_round2()
        for name, (model, past) in models.items():
            X = windows[past]
            start = time.perf_counter()
            model.fit(X.iloc[train], y.iloc[train])
            preds[name] = model.predict(X.iloc[test])
            rows.append({"area": area, "fold": fold, "model": name,
                         "MAPE": mape(y.iloc[test], preds[name]),
                         "fit_s": time.perf_counter() - start})
        if round_ == 1:
            ens = np.mean([preds[f"lstm14-row-s{s}"] for s in range(3)], axis=0)
            blends = {
                "lstm14-row-ens3": ens,
                "blend-ridge": (ens + preds["Ridge"]) / 2,
                "blend-hgb": (ens + preds["HistGradientBoosting"]) / 2,
            }
        else:
            blends = blends_round2(preds)
        for name, pred in blends.items():
            rows.append({"area": area, "fold": fold, "model": name,
                         "MAPE": mape(y.iloc[test], pred), "fit_s": np.nan})
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, nargs="+", default=list(range(1, 11)))
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--out", default="select_forecaster.csv")
    parser.add_argument("--round", type=int, choices=(1, 2), default=1)
    args = parser.parse_args()
    start = time.perf_counter()
    results = Parallel(n_jobs=args.n_jobs)(delayed(run_area)(a, args.round) for a in args.areas)
    table = pd.DataFrame([r for rows in results for r in rows])
    table.to_csv(args.out, index=False)
    prefix, base = ("lstm14-row", "lstm14-row") if args.round == 1 else ("lstm14-nopast",
                                                                           "lstm14-nopast")
    seeds = table.model.str.match(f"{prefix}-s\\d$")
    single = table[seeds].groupby(["area", "fold"]).agg(MAPE=("MAPE", "mean"),
                                                        fit_s=("fit_s", "mean"))
    single["model"] = base
    table = pd.concat([table[~seeds], single.reset_index()])
    per_area = table.groupby(["model", "area"])["MAPE"].mean().unstack("model")
    ratio = per_area.div(per_area[base], axis=0)
    summary = pd.DataFrame({
        "median CV MAPE": per_area.median(),
        "mean CV MAPE": per_area.mean(),
        f"median ratio to {base}": ratio.median(),
        f"districts better than {base}": (ratio < 1).sum(),
        "fit s": table.groupby("model")["fit_s"].mean(),
    }).sort_values("median CV MAPE")
    pd.set_option("display.width", 140)
    print(per_area.round(3).to_string())
    print()
    print(summary.round(3).to_string())
    print(f"\n{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
