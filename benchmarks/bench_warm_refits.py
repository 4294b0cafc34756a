"""A year of weekly refits of the default forecaster: warm refits against full refits.

On one BWDF district (daily demand, past weather as past covariates, the calendar known
ahead), a rolling-origin backtest of the last ``--test-days`` days with a refit every
``--step`` days, day 1 ahead: once with every refit from scratch, once with each refit
continuing from the previous fit (``backtest(..., warm_start=True)``). Prints wall time,
fits and MAPE of each, and the ratios warm / full.

    python benchmarks/bench_warm_refits.py                       # DMA 5, 365 days, weekly
    python benchmarks/bench_warm_refits.py --area "DMA 1" --modes warm
"""

import argparse
import time

from sklearn_hydro import Forecaster, make_forecaster
from sklearn_hydro.datasets import load_bwdf
from sklearn_hydro.model_selection import backtest

WEATHER = ["temp_max", "temp_min", "temp_mean", "rain", "humidity", "wind"]


def run(area, mode, test_days, step, seed):
    frame = load_bwdf(area)
    forecaster = Forecaster(make_forecaster(target="demand", random_state=seed), lookback=28,
                            horizons=1, past_covariates=WEATHER, country="IT",
                            extra_holidays=[(11, 3)], coverage=None)
    X, Y = forecaster.windows(frame)
    start = time.perf_counter()
    result = backtest(forecaster.window_model(), X, Y, initial_train_size=len(X) - test_days,
                      step=step, warm_start=mode == "warm")
    seconds = time.perf_counter() - start
    mape = float(result.by_horizon()["MAPE"].iloc[0])
    return seconds, result.config["n_fits"], mape


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--area", default="DMA 5")
    parser.add_argument("--modes", nargs="+", default=["full", "warm"])
    parser.add_argument("--test-days", type=int, default=365)
    parser.add_argument("--step", type=int, default=7)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rows = {}
    for mode in args.modes:
        rows[mode] = run(args.area, mode, args.test_days, args.step, args.seed)
        seconds, fits, mape = rows[mode]
        print(f"{args.area} {mode:4s}: {seconds:7.1f} s, {fits} fits, MAPE day 1 {mape:.3f} %",
              flush=True)
    if {"full", "warm"} <= set(rows):
        print(f"warm / full: time {rows['warm'][0] / rows['full'][0]:.2f}x, "
              f"MAPE {rows['warm'][2] / rows['full'][2]:.3f}x")


if __name__ == "__main__":
    main()
