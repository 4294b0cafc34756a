"""Threads: how fits behave when something else uses the CPU, with and without ``n_threads``.

Every measurement runs in fresh worker processes (this script started again with
``--worker``), so each one starts with torch's and OpenMP's default state, as a user's script
or notebook does. Workers import and prepare everything, report ready, and start their
timed part together when the parent says go. Two settings of the neural estimators are
compared in the same run:

* ``n_threads=1``: the estimators' default, applied only inside fit/predict;
* ``n_threads=None``: the old behaviour, torch's default thread count (one per core).

Scenarios (the model is ``make_study_model("DWT-PCA-LSTM")`` on 1,000 synthetic windows,
5 epochs via ``neural_params``):

* ``lone fit``: one fit, nothing else started by this script;
* ``two fits at once``: two processes fit at the same moment (two notebooks, two scripts);
  target: each <= 1.3 x the lone fit;
* ``GridSearchCV``: 4 learning rates on one chronological 80/20 split, then the refit
  (4 fits + refit), ``n_jobs=1`` against ``n_jobs=2``; target: n_jobs=2 <= 0.7 x n_jobs=1.
  ``cold`` includes starting joblib's two worker processes (each imports torch); ``warm``
  reuses them from a previous search in the same session, as a notebook does;
* ``HGB``: ``HistGradientBoostingRegressor`` fits (median of ``--hgb-fits``) in a process
  that never imported torch, against processes that first trained the torch model with
  either setting; idle, and under load (one busy-looping process per core); target: after
  torch <= 1.5 x without. Also HGB under load with its OpenMP pool limited to one thread
  (``threadpoolctl.threadpool_limits(1)``).

CPU seconds (``time.process_time`` of the worker, all its threads) are shown beside the wall
times of the fits: threads that spin while waiting for each other burn CPU without progress.

Run: ``python benchmarks/bench_threads.py [--repeats 3] [--hgb-fits 3] [--hgb-repeats 2]``.
On a shared machine each number is the best of the repeats (the least disturbed) and the
conclusions rest on the ratios, measured in the same run.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

N_WINDOWS, LOOKBACK, EPOCHS = 1000, 28, 5
SETTINGS = {"1": 1, "None": None}
LEARNING_RATES = [1e-3, 2e-3, 3e-3, 5e-3]


# ----------------------------------------------------------------------------- worker side


def _windows():
    from sklearn_hydro.datasets import make_synthetic_demand
    from sklearn_hydro.windows import make_windows

    frame = make_synthetic_demand(N_WINDOWS + LOOKBACK + 40, random_state=0)
    X, y = make_windows(frame, "demand", lookback=LOOKBACK)
    return X.iloc[-N_WINDOWS:], y.iloc[-N_WINDOWS:]


def _lstm(n_threads, epochs=EPOCHS):
    from sklearn_hydro.study import make_study_model

    return make_study_model(
        "DWT-PCA-LSTM",
        lookback=LOOKBACK,
        random_state=0,
        neural_params={"max_epochs": epochs, "n_threads": n_threads},
    )


def _grid(n_threads, n_jobs, n_rows, epochs=EPOCHS):
    from sklearn.model_selection import GridSearchCV

    split = int(0.8 * n_rows)
    return GridSearchCV(
        _lstm(n_threads, epochs),
        {"regressor__learning_rate": LEARNING_RATES},
        cv=[(list(range(split)), list(range(split, n_rows)))],
        n_jobs=n_jobs,
    )


def _timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def _hgb_time(X, y, n_fits, openmp_threads):
    from sklearn.ensemble import HistGradientBoostingRegressor
    from threadpoolctl import threadpool_limits

    def fit():
        HistGradientBoostingRegressor(max_iter=100, early_stopping=False, random_state=0).fit(X, y)

    with threadpool_limits(openmp_threads, user_api="openmp"):
        return statistics.median(_timed(fit)[0] for _ in range(n_fits))


def _wait_for_go():
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        raise SystemExit("no go")


def worker(kind, n_threads, n_fits, openmp_threads):
    """Prepare, wait for go, run one measurement in this (fresh) process; return a dict."""
    if kind.startswith("hgb"):
        from sklearn.datasets import make_regression

        if kind == "hgb-after-torch":
            X, y = _windows()
            _lstm(n_threads).fit(X, y)
        X, y = make_regression(N_WINDOWS, 40, noise=1.0, random_state=0)
        _wait_for_go()
        return {"hgb": _hgb_time(X, y, n_fits, openmp_threads)}
    X, y = _windows()
    if kind == "fit":
        model = _lstm(n_threads)
        _wait_for_go()
        wall, cpu = _timed(lambda: model.fit(X, y))
        return {"fit": wall, "cpu": cpu}
    if kind.startswith("grid"):
        n_jobs = int(kind.removeprefix("grid"))
        _wait_for_go()
        cold = _timed(lambda: _grid(n_threads, n_jobs, len(X)).fit(X, y))[0]
        if n_jobs == 1:  # nothing to warm up
            return {"cold": cold, "warm": cold}
        warm = _timed(lambda: _grid(n_threads, n_jobs, len(X)).fit(X, y))[0]
        return {"cold": cold, "warm": warm}
    raise ValueError(f"unknown worker kind {kind!r}")


def _burn():
    while True:
        pass


# ----------------------------------------------------------------------------- parent side


def _launch(kind, setting="1", n_fits=0, openmp_threads=None):
    command = [sys.executable, __file__, "--worker", kind, "--n-threads", setting,
               "--hgb-fits", str(n_fits), "--openmp-threads", str(openmp_threads)]
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def run_together(jobs, load=0):
    """Run ``jobs`` ((kind, setting, n_fits, openmp_threads) tuples) with a common start.

    ``load`` busy-looping processes run from just before the start until all jobs end.
    """
    processes = [_launch(*job) for job in jobs]
    for process in processes:
        if process.stdout.readline().strip() != "ready":
            raise RuntimeError(f"a worker failed before starting: {process.wait()}")
    burners = [_launch("burn") for _ in range(load)]
    if burners:
        time.sleep(0.5)
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in processes:
        out, _ = process.communicate()
        if process.returncode:
            raise RuntimeError(f"a worker failed with exit code {process.returncode}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    for burner in burners:
        burner.kill()
        burner.wait()
    return results


def measure_neural(setting, repeats):
    lone, pair, grid1, grid2 = [], [], [], []
    for _ in range(repeats):  # interleaved, so that a burst of outside load hits all alike
        lone.append(run_together([("fit", setting)])[0])
        pair.append(run_together([("fit", setting)] * 2))
        grid1.append(run_together([("grid1", setting)])[0])
        grid2.append(run_together([("grid2", setting)])[0])
    return {
        "lone fit": min(r["fit"] for r in lone),
        "lone fit, CPU s": min(r["cpu"] for r in lone),
        "two fits at once (slower one)": min(max(r["fit"] for r in run) for run in pair),
        "two fits at once, CPU s (each)": min(
            statistics.mean(r["cpu"] for r in run) for run in pair
        ),
        "GridSearchCV n_jobs=1": min(r["warm"] for r in grid1),
        "GridSearchCV n_jobs=2, warm": min(r["warm"] for r in grid2),
        "GridSearchCV n_jobs=2, cold": min(r["cold"] for r in grid2),
    }


def measure_hgb(repeats, n_fits, load):
    variants = {
        "HGB without torch": ("hgb", "1"),
        "HGB after torch (n_threads=1)": ("hgb-after-torch", "1"),
        "HGB after torch (n_threads=None)": ("hgb-after-torch", "None"),
    }
    rows = {}
    for label, (kind, setting) in variants.items():
        for suffix, n_load, openmp in [("idle", 0, None), ("loaded", load, None),
                                       ("loaded, OpenMP 1 thread", load, 1)]:
            rows[f"{label}, {suffix}"] = min(
                run_together([(kind, setting, n_fits, openmp)], load=n_load)[0]["hgb"]
                for _ in range(repeats)
            )
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--hgb-fits", type=int, default=3)
    parser.add_argument("--hgb-repeats", type=int, default=2)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--n-threads", default="1", help=argparse.SUPPRESS)
    parser.add_argument("--openmp-threads", default="None", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker == "burn":
        _burn()
    if args.worker:
        openmp = None if args.openmp_threads == "None" else int(args.openmp_threads)
        result = worker(args.worker, SETTINGS[args.n_threads], args.hgb_fits, openmp)
        print(json.dumps(result), flush=True)
        return

    n_cpus = os.cpu_count() or 1
    print(f"{n_cpus} CPU(s); load average before: {os.getloadavg()}", flush=True)
    start = time.perf_counter()
    neural = {}
    for setting in SETTINGS:
        neural[setting] = measure_neural(setting, args.repeats)
        print(f"n_threads={setting}: {json.dumps(neural[setting])}", flush=True)
    head = f"{'seconds, best of ' + str(args.repeats):<44}"
    print(f"\n{head}{'n_threads=1':>12}{'n_threads=None':>16}")
    for name in neural["1"]:
        print(f"{name:<44}{neural['1'][name]:>12.2f}{neural['None'][name]:>16.2f}")
    print(f"\n{'ratio (target)':<44}{'n_threads=1':>12}{'n_threads=None':>16}")
    ratios = [
        ("two at once / lone (<= 1.3)", "two fits at once (slower one)", "lone fit"),
        ("grid n_jobs=2 / n_jobs=1, warm (<= 0.7)", "GridSearchCV n_jobs=2, warm",
         "GridSearchCV n_jobs=1"),
        ("grid n_jobs=2 / n_jobs=1, cold", "GridSearchCV n_jobs=2, cold",
         "GridSearchCV n_jobs=1"),
    ]
    for label, top, bottom in ratios:
        values = [neural[s][top] / neural[s][bottom] for s in SETTINGS]
        print(f"{label:<44}{values[0]:>12.2f}{values[1]:>16.2f}")

    hgb = measure_hgb(args.hgb_repeats, args.hgb_fits, n_cpus)
    label = f"HGB fit, median of {args.hgb_fits}, best of {args.hgb_repeats}"
    print(f"\n{label:<56}"
          f"{'seconds':>10}{'/ without':>11}")
    for name, value in hgb.items():
        condition = name.split(", ", 1)[1]
        baseline = hgb[f"HGB without torch, {condition}"]
        print(f"{name:<56}{value:>10.3f}{value / baseline:>11.2f}")
    print(f"\nload average after: {os.getloadavg()}; {time.perf_counter() - start:.0f} s in all")


if __name__ == "__main__":
    main()
