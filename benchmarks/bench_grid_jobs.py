"""GridSearchCV of a study network: one job against two, with cold and with warm workers.

A 2 x 2 grid (hidden size x learning rate) of a small ``DWT-PCA-LSTM`` (a few epochs) on one
BWDF district, scored on a ``TimeSeriesSplit`` of the training windows, then refitted:
``--splits`` x 4 fits + 1. Measured in one run, in this order:

* ``serial``: ``n_jobs=1``, after one warm-up fit in this process, so that it counts the fits
  only (the first fit of a process also pays torch's one-off imports, see below);
* ``n_jobs=2, cold``: the first search with two joblib (loky) workers in this process: the
  workers start, import torch and skorch and pay the same first-fit imports;
* ``n_jobs=2, warm``: the same search again; joblib reuses the two workers it started.

With ``--repeats`` > 1 the workers are shut down between repeats (so each cold search starts
fresh ones) and each number is the best of the repeats. The script also times, in a fresh
Python process, what a worker pays once before its first fit, and shows the thread settings
a loky worker starts with (joblib limits each worker's OpenMP/BLAS and torch threads to
``cpu_count // n_jobs``; the networks train on their own ``n_threads=1`` anyway).

Run: ``python benchmarks/bench_grid_jobs.py [--area "DMA 1"] [--epochs 5] [--repeats 3]``
(about a minute on two cores).
"""

import argparse
import os
import subprocess
import sys
import time

from joblib import Parallel, delayed
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklearn_hydro.datasets import load_bwdf
from sklearn_hydro.study import make_study_model
from sklearn_hydro.windows import make_windows

LOOKBACK = 14
COVARIATES = ["temp_max", "temp_min", "rain", "humidity", "is_weekend", "is_holiday"]
GRID = {"regressor__hidden_size": [8, 16], "regressor__learning_rate": [2e-3, 5e-3]}

# what a fresh process pays once before it can train (each step after the ones above it)
STARTUP = """
import time
t0 = time.perf_counter()
import torch
t1 = time.perf_counter()
import skorch
t2 = time.perf_counter()
from sklearn_hydro.neural import DualLSTMRegressor  # noqa: F401
t3 = time.perf_counter()
torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))])  # the first optimizer: torch._dynamo
t4 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3)
"""


def _model(epochs):
    return make_study_model("DWT-PCA-LSTM", lookback=LOOKBACK, random_state=0,
                            neural_params={"max_epochs": epochs, "early_stopping": False})


def _search(X, y, epochs, splits, n_jobs):
    search = GridSearchCV(_model(epochs), GRID, cv=TimeSeriesSplit(splits),
                          scoring="neg_mean_absolute_error", n_jobs=n_jobs)
    start = time.perf_counter()
    search.fit(X, y)
    return time.perf_counter() - start


def _worker_threads():
    import torch
    from threadpoolctl import threadpool_info

    pools = sorted({(pool["internal_api"], pool["num_threads"]) for pool in threadpool_info()})
    return torch.get_num_threads(), pools


def _shutdown_workers():
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor().shutdown(wait=True, kill_workers=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--area", default="DMA 1")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--splits", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    print(f"{os.cpu_count()} CPU(s); load average before: {os.getloadavg()}", flush=True)

    startup = subprocess.run([sys.executable, "-c", STARTUP], capture_output=True, text=True,
                             check=True).stdout.split()
    steps = dict(zip(["import torch", "import skorch (and scikit-learn, scipy)",
                      "import sklearn_hydro.neural",
                      "first torch optimizer (imports torch._dynamo)"],
                     map(float, startup), strict=True))

    frame = load_bwdf(args.area)
    X, y = make_windows(frame, "demand", LOOKBACK, covariates=COVARIATES)
    n_fits = args.splits * len(GRID["regressor__hidden_size"]) * len(
        GRID["regressor__learning_rate"]) + 1
    print(f"{args.area}: {len(y)} windows; grid of 4, {args.splits} splits + refit = "
          f"{n_fits} fits of DWT-PCA-LSTM, {args.epochs} epochs each", flush=True)
    _model(args.epochs).fit(X, y)  # warm-up: this process's one-off imports are paid here

    times = {"serial (n_jobs=1)": [], "n_jobs=2, cold (fresh workers)": [],
             "n_jobs=2, warm (reused workers)": []}
    threads = None
    for repeat in range(args.repeats):
        if repeat:
            _shutdown_workers()
        serial, cold, warm = times.values()
        serial.append(_search(X, y, args.epochs, args.splits, n_jobs=1))
        cold.append(_search(X, y, args.epochs, args.splits, n_jobs=2))
        warm.append(_search(X, y, args.epochs, args.splits, n_jobs=2))
        if threads is None:  # on the workers the searches used
            threads = Parallel(n_jobs=2)(delayed(_worker_threads)() for _ in range(2))
        print(f"repeat {repeat + 1}: " + ", ".join(f"{t[-1]:.2f} s" for t in times.values()),
              flush=True)

    best = {name: min(values) for name, values in times.items()}
    serial = best["serial (n_jobs=1)"]
    print(f"\n{'seconds, best of ' + str(args.repeats):<36}{'wall s':>9}{'/ serial':>10}")
    for name, value in best.items():
        print(f"{name:<36}{value:>9.2f}{value / serial:>10.2f}")
    cold_extra = best["n_jobs=2, cold (fresh workers)"] - best["n_jobs=2, warm (reused workers)"]
    print(f"{'cold - warm (worker start-up)':<36}{cold_extra:>9.2f}")

    print("\nonce per fresh process (each worker), seconds")
    for name, value in steps.items():
        print(f"  {name:<48}{value:>6.2f}")
    print(f"  {'total':<48}{sum(steps.values()):>6.2f}")
    torch_threads, pools = threads[0]
    print(f"\nthreads in a loky worker at start: torch {torch_threads}, "
          + ", ".join(f"{api} {n}" for api, n in pools)
          + "; fits run on the networks' n_threads=1 and restore these")
    print(f"\nload average after: {os.getloadavg()}; {time.perf_counter() - start:.0f} s in all")


if __name__ == "__main__":
    main()
