"""Many districts on a Dask cluster: the default forecaster per district, serial against Dask.

For ``--n-series`` synthetic districts of one city (``make_synthetic_demand(n_series=...)``:
shared weather, own level, weekday and weather response), each district gets the default
forecaster (:func:`~sklearn_hydro.forecasting.make_forecaster`) fitted on its first
``--train-days`` days and a one-year backtest after them (one fit per district, a one-day-
ahead forecast for each of the next 365 days):

    backtest(PerSeriesRegressor(make_forecaster(...)), X, y, initial_train_size=730, step=365)

once serially in this process, then on a ``LocalCluster`` of ``--workers`` single-thread
worker processes, where the only change is ``joblib.parallel_config(backend="dask")`` and
``n_jobs=-1``. It prints both wall times and their ratio (the speed-up), whether the
forecasts are equal, the memory, CPU seconds, tasks and busy time of each worker process, the
CPU time of the client process (which also runs the scheduler), and a projection for 1,000
districts on a 32-core cluster from the measured per-district cost.

``--search`` measures a research group's loop instead: ``GridSearchCV`` over the default
forecaster of one district (``--grid`` learning rates x hidden sizes, ``TimeSeriesSplit(3)``),
serial against the same cluster.

Run: ``python benchmarks/bench_scale.py [--n-series 100] [--workers 2] [--search]``. The
default forecaster trains 5 networks of up to 300 epochs per district (about 5-6 s of one
core); ``--n-estimators 1 --max-epochs 30`` gives a quick run of the same code paths.
"""

import argparse
import os
import resource
import time

import numpy as np
import pandas as pd
from joblib import parallel_config
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklearn_hydro import make_windows
from sklearn_hydro.datasets import make_synthetic_demand
from sklearn_hydro.forecasting import PerSeriesRegressor, make_forecaster
from sklearn_hydro.model_selection import backtest
from sklearn_hydro.preprocessing import is_calendar_column


def rss_mb():
    """Resident memory of this process now (MB). (Not ru_maxrss: Linux keeps the parent's
    peak across the fork and exec that start a worker process.)"""
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def cpu_seconds():
    """CPU time (user + system) this process has used, its threads included."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# Dask starts each worker process with MALLOC_TRIM_THRESHOLD_=65536 (its
# distributed.nanny.pre-spawn-environ), so that glibc hands freed memory back to the system
# at once. torch allocates and frees many tensors per batch; with that setting a fit of the
# default forecaster costs about 1.7x the CPU time (4.4 s against 2.6 s, measured with
# benchmarks/bench_scale.py's single fit). Keep Dask's thread settings, drop the trim one.
# (A None value unsets a variable; the key must be spelled as Dask's defaults spell it.)
TRIM_KEY = "distributed.nanny.pre-spawn-environ"


def task_summary(stream):
    """Worker -> (tasks run, seconds spent computing them), from Dask's task stream."""
    out = {}
    for task in stream:
        busy = sum(part["stop"] - part["start"] for part in task["startstops"]
                   if part["action"] == "compute")
        n_tasks, seconds = out.get(task["worker"], (0, 0.0))
        out[task["worker"]] = (n_tasks + 1, seconds + busy)
    return out


def warm_up():
    """Import the library and torch in a worker, as its first task would."""
    import torch

    import sklearn_hydro.study  # noqa: F401

    return torch.__version__


def timed(job, *args, **kwargs):
    start = time.perf_counter()
    result = job(*args, **kwargs)
    return result, time.perf_counter() - start


def on_cluster(args, job, *job_args, **job_kwargs):
    """Run ``job`` under joblib's Dask backend on a fresh LocalCluster; print what it cost."""
    from distributed import Client, LocalCluster, get_task_stream

    start = time.perf_counter()
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(warm_up)
        startup_s = time.perf_counter() - start
        cpu_before = client.run(cpu_seconds)
        client_cpu = cpu_seconds()
        with parallel_config(backend="dask"), get_task_stream(client) as stream:
            result, seconds = timed(job, *job_args, **job_kwargs)
        client_cpu = cpu_seconds() - client_cpu
        cpu_after = client.run(cpu_seconds)
        memory = client.run(rss_mb)
    print(f"dask, {args.workers} single-thread workers: {seconds:.1f} s "
          f"(+{startup_s:.1f} s to start the cluster and import the library in the workers)")
    tasks = task_summary(stream.data)
    for worker, mb in sorted(memory.items()):
        n_tasks, busy = tasks.get(worker, (0, 0.0))
        print(f"  worker {worker}: memory {mb:.0f} MB after the run, "
              f"{cpu_after[worker] - cpu_before[worker]:.0f} CPU s, {n_tasks} tasks computing "
              f"{busy:.0f} s ({100 * busy / seconds:.0f} % of the run)")
    print(f"  client process (the scheduler too): {client_cpu:.0f} CPU s")
    return result, seconds


def serially(args, job, *job_args, **job_kwargs):
    cpu = cpu_seconds()
    result, seconds = timed(job, *job_args, **job_kwargs)
    print(f"serial: {seconds:.1f} s, {cpu_seconds() - cpu:.0f} CPU s, memory of this process "
          f"{rss_mb():.0f} MB", flush=True)
    return result, seconds


def speed_up(args, serial_s, dask_s, target=""):
    speedup = serial_s / dask_s
    print(f"speed-up {speedup:.2f}x with {args.workers} workers{target}")
    return speedup


def districts(args):
    n_days = args.train_days + 365
    panel = make_synthetic_demand(n_days, n_series=args.n_series, random_state=0)
    covariates = [c for c in panel.columns if c != "demand"]
    weather = [c for c in covariates if not is_calendar_column(c)]
    X, y = make_windows(panel, "demand", args.lookback, covariates=covariates,
                        past_covariates=weather)
    model = make_forecaster(target="demand", n_estimators=args.n_estimators,
                            max_epochs=args.max_epochs, random_state=0)
    print(f"{args.n_series} districts x {n_days} days; windows {X.shape[0]} x {X.shape[1]} "
          f"({X.memory_usage(deep=True).sum() / 2**20:.0f} MB); default forecaster with "
          f"n_estimators={args.n_estimators}, max_epochs={args.max_epochs}; "
          f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")

    def run(n_jobs=None):
        return backtest(PerSeriesRegressor(model, n_jobs=n_jobs), X, y,
                        initial_train_size=args.train_days - args.lookback, step=365,
                        refit=False)

    serial = serial_s = None
    if not args.skip_serial:
        serial, serial_s = serially(args, run)
    spread, dask_s = on_cluster(args, run, n_jobs=-1)
    scores = spread.by_series()
    print(f"one-year backtest MAPE over districts: median {scores['MAPE'].median():.2f} %, "
          f"90th percentile {scores['MAPE'].quantile(0.9):.2f} %")
    if serial is None:
        return
    speedup = speed_up(args, serial_s, dask_s, " (target >= 1.7x on 2 cores)")
    equal = np.allclose(spread.predictions["predicted"], serial.predictions["predicted"],
                        rtol=1e-6)
    print(f"forecasts equal to the serial run's: {equal}")
    per_district = serial_s / args.n_series
    efficiency = speedup / args.workers
    projected = 1000 * per_district / (32 * efficiency)
    print(pd.Series({
        "per-district cost, one core (s)": round(per_district, 2),
        "parallel efficiency measured": round(efficiency, 2),
        "1,000 districts, 1 core (h)": round(1000 * per_district / 3600, 2),
        "1,000 districts, 32 cores at that efficiency (min)": round(projected / 60, 1),
    }).to_string())


def search(args):
    frame = make_synthetic_demand(args.train_days, random_state=0)
    X, y = make_windows(frame, "demand", args.lookback, past_covariates=["temp_max", "rain"])
    model = make_forecaster(target="demand", n_estimators=args.n_estimators,
                            max_epochs=args.max_epochs, random_state=0)
    net = "lstm__regressor__estimator__"
    grid = {net + "learning_rate": [1e-3, 3e-3, 1e-2][:args.grid[0]],
            net + "hidden_size": [16, 32, 64][:args.grid[1]]}
    n_fits = 3 * args.grid[0] * args.grid[1]
    print(f"GridSearchCV over the default forecaster (n_estimators={args.n_estimators}, "
          f"max_epochs={args.max_epochs}) of one district, {X.shape[0]} windows: "
          f"{n_fits} fits; load average {os.getloadavg()[0]:.2f}")

    def run(n_jobs=None):
        return GridSearchCV(model, grid, cv=TimeSeriesSplit(3), n_jobs=n_jobs,
                            scoring="neg_mean_absolute_percentage_error").fit(X, y)

    serial, serial_s = serially(args, run)
    spread, dask_s = on_cluster(args, run, n_jobs=-1)
    speed_up(args, serial_s, dask_s)
    equal = np.allclose(spread.cv_results_["mean_test_score"],
                        serial.cv_results_["mean_test_score"], rtol=1e-6)
    print(f"scores equal to the serial run's: {equal}; best {spread.best_params_}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-series", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--train-days", type=int, default=730)
    parser.add_argument("--lookback", type=int, default=28)
    parser.add_argument("--n-estimators", type=int, default=5)
    parser.add_argument("--max-epochs", type=int, default=300)
    parser.add_argument("--skip-serial", action="store_true",
                        help="only the Dask run (no speed-up then)")
    parser.add_argument("--search", action="store_true",
                        help="a GridSearchCV of one district instead of many districts")
    parser.add_argument("--grid", type=int, nargs=2, default=[3, 3], metavar=("N_LR", "N_HID"),
                        help="--search: learning rates x hidden sizes tried (each 1-3)")
    parser.add_argument("--dask-malloc-trim", action="store_true",
                        help="keep Dask's MALLOC_TRIM_THRESHOLD_ in the workers (slow torch)")
    args = parser.parse_args()
    import dask
    import distributed  # noqa: F401 (its import loads its configuration defaults)

    if not args.dask_malloc_trim:
        dask.config.set({TRIM_KEY: {**dask.config.get(TRIM_KEY), "MALLOC_TRIM_THRESHOLD_": None}})
    # The workers' statistical profiler samples the running task's Python stack every 10 ms;
    # a network's training is deep Python (skorch, torch.nn), so it costs a few percent.
    dask.config.set({"distributed.worker.profile.enabled": False})
    if args.search:
        search(args)
    else:
        districts(args)


if __name__ == "__main__":
    main()
