"""Empirical coverage of 90 % conformal intervals on the test periods of the 10 BWDF districts.

For each district: daily windows as ``run_study`` makes them (horizon 1, weather and calendar
known ahead and as past covariates), the chronological 60 % / 40 % split, the default
forecaster wrapped in a ConformalRegressor calibrated on the newest 20 % of the training rows
(then refitted on all of them), intervals on the test period. Variants, all in the same run:

* ``split``: split conformal, symmetric (the guarantee under exchangeability);
* ``split-asym``: separate quantiles of the signed errors for each bound;
* ``weighted``: recency-weighted calibration errors (half-life 60 days);
* ``split+update`` / ``weighted+update``: the same, with each test day's error added to the
  calibration errors once observed (``ConformalRegressor.update``; the model is not refitted),
  so the intervals follow the error level during the test period.

Target of issue 10: coverage of the 90 % interval within 87-93 % in at least 8 of 10
districts. The default forecaster is ``sklearn_hydro.forecasting.make_forecaster`` when it exists;
until then ``make_study_model("Ridge")`` stands in (the table says which).

    python benchmarks/bench_intervals.py                 # ~10 minutes on two busy cores
    python benchmarks/bench_intervals.py --model Ridge --areas 1 2
"""

import argparse
import copy
import time

import numpy as np
import pandas as pd

from sklearn_hydro.conformal import ConformalRegressor
from sklearn_hydro.datasets import load_bwdf
from sklearn_hydro.metrics import interval_coverage, interval_score, interval_width
from sklearn_hydro.study import chronological_split
from sklearn_hydro.windows import make_windows

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--areas", type=int, nargs="+", default=list(range(1, 11)))
parser.add_argument("--model", default=None,
                    help="a study model name instead of the default forecaster")
parser.add_argument("--lookback", type=int, default=14)
parser.add_argument("--coverage", type=float, default=0.9)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()

try:
    import torch

    torch.set_num_threads(1)
except ImportError:  # pragma: no cover
    pass


def make_model():
    from sklearn_hydro import study

    if args.model is None and hasattr(study, "make_forecaster"):
        name, label = study.DEFAULT_MODEL, "the default forecaster (make_forecaster)"
    else:  # before make_forecaster landed, Ridge stood in for it
        name = args.model or "Ridge"
        label = name if args.model else f"{name} (stand-in: no make_forecaster here)"
    model = study.make_study_model(name, lookback=args.lookback, random_state=args.seed,
                                   target="demand")
    return model, label


def online_bounds(model, X_test, y_test, pred, params, update):
    """Intervals of each test day, then that day's error joins (horizon 1: known next day)."""
    model = copy.deepcopy(model).set_params(**params)
    lower, upper = np.empty(len(pred)), np.empty(len(pred))
    for t in range(len(pred)):
        low, high = model.interval_offsets()
        scale = abs(pred[t]) if model.error == "relative" else 1.0
        lower[t], upper[t] = pred[t] + low * scale, pred[t] + high * scale
        if update:
            model.update(X_test.iloc[[t]], y_test[t:t + 1], y_pred=pred[t:t + 1])
    return lower, upper


VARIANTS = {  # interval settings only: one fitted model serves them all
    "split": {"_update": False},
    "split-asym": {"symmetric": False, "_update": False},
    "weighted": {"method": "weighted", "_update": False},
    "split+update": {},
    "weighted+update": {"method": "weighted"},
    "split+ACI": {"adapt_rate": 0.02},
    "weighted+ACI": {"method": "weighted", "adapt_rate": 0.02},
    "weighted+ACI-asym": {"method": "weighted", "adapt_rate": 0.02, "symmetric": False},
}
rows, start = [], time.perf_counter()
label = None
for area in args.areas:
    frame = load_bwdf(area)
    covariates = [c for c in frame.columns if c != "demand"]
    X, y = make_windows(frame, "demand", max(args.lookback, 14), covariates=covariates,
                        past_covariates=covariates)  # as run_study makes them
    X_train, X_test, y_train, y_test = chronological_split(X, y, 0.6)
    t0 = time.perf_counter()
    base, label = make_model()
    fitted = ConformalRegressor(base, coverage=args.coverage, calibration_size=0.2,
                                half_life=60).fit(X_train, y_train)
    fit_s = time.perf_counter() - t0
    pred = fitted.predict(X_test)
    yt = y_test.to_numpy()
    bounds = {}
    for name, params in VARIANTS.items():
        settings = {k: v for k, v in params.items() if k != "_update"}
        bounds[name] = online_bounds(fitted, X_test, yt, pred, settings,
                                     params.get("_update", True))
    for name, (lo, hi) in bounds.items():
        rows.append({
            "area": f"DMA {area}",
            "variant": name,
            "coverage": 100 * interval_coverage(yt, lo, hi),
            "width_pct": 100 * interval_width(yt, lo, hi) / np.mean(yt),
            "winkler_pct": 100 * interval_score(yt, lo, hi, alpha=1 - args.coverage)
            / np.mean(yt),
        })
    print(f"DMA {area}: fit {fit_s:.1f} s, test {len(yt)} days, "
          f"{time.perf_counter() - start:.0f} s so far", flush=True)

table = pd.DataFrame(rows)
cov = table.pivot(index="area", columns="variant", values="coverage")
cov = cov.loc[[f"DMA {a}" for a in args.areas], list(bounds)]
lo_t, hi_t = 100 * args.coverage - 3, 100 * args.coverage + 3
print(f"\nModel: {label}; nominal coverage {100 * args.coverage:.0f} %, lookback "
      f"{args.lookback}, 60/40 split, calibration on the newest 20 % of the training rows; "
      f"wall {time.perf_counter() - start:.0f} s")
print("\nEmpirical coverage (%) on the test period")
with pd.option_context("display.width", 200):
    print(cov.round(1).to_string())
    inside = ((cov >= lo_t) & (cov <= hi_t)).sum()
    summary = pd.DataFrame({
        f"in {lo_t:.0f}-{hi_t:.0f} %": inside.astype(str) + f"/{len(cov)}",
        "mean coverage": cov.mean().round(1),
        "mean width (% of mean demand)": table.groupby("variant")["width_pct"].mean().round(2),
        "mean Winkler (% of mean demand)": table.groupby("variant")["winkler_pct"].mean()
        .round(2),
    }).loc[list(bounds)]
    print("\n" + summary.to_string())
