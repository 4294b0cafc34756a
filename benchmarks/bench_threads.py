"""Threads: how fits behave when something else uses the CPU, with and without ``n_threads``.

Every measurement runs in fresh worker processes (this script started again with
``--worker``), so each one starts with torch's and OpenMP's default state, as a user's script
or notebook does. Two settings of the neural estimators are compared in the same run:

* ``n_threads=1``: the estimators' default, applied only inside fit/predict;
* ``n_threads=None``: the old behaviour, torch's default thread count (one per core).

Scenarios (the model is ``make_study_model("DWT-PCA-LSTM")`` on 1,000 synthetic windows,
5 epochs via ``neural_params``):

* ``lone fit``: one fit, nothing else running (from this script);
* ``two fits at once``: two processes fit at the same moment (two notebooks, two scripts);
  the ratio is each one's fit time over the lone fit (target <= 1.3);
* ``GridSearchCV n_jobs=1`` / ``n_jobs=2``: 2 candidates x 2 TimeSeriesSplit folds + refit,
  wall time of ``search.fit`` (target: n_jobs=2 <= 0.7 x n_jobs=1);
* ``HGB``: ``HistGradientBoostingRegressor`` fits (median of several) in a process that never
  imported torch against one that first trained the torch model, idle and under load (one
  busy-looping process per core); target: after torch <= 1.5 x alone.

Run: ``python benchmarks/bench_threads.py [--repeats 2] [--hgb-fits 5]``. The machine may be
shared: each number is the best of ``--repeats`` runs (the least disturbed), and the
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


# ----------------------------------------------------------------------------- worker side


def _windows():
    from sklearn_hydro.datasets import make_synthetic_demand
    from sklearn_hydro.windows import make_windows

    frame = make_synthetic_demand(N_WINDOWS + LOOKBACK + 40, random_state=0)
    X, y = make_windows(frame, "demand", lookback=LOOKBACK)
    return X.iloc[-N_WINDOWS:], y.iloc[-N_WINDOWS:]


def _lstm(n_threads):
    from sklearn_hydro.study import make_study_model

    return make_study_model(
        "DWT-PCA-LSTM",
        lookback=LOOKBACK,
        random_state=0,
        neural_params={"max_epochs": EPOCHS, "n_threads": n_threads},
    )


def _wait_until(start_at):
    delay = start_at - time.time()
    if delay > 0:
        time.sleep(delay)


def _hgb_times(X, y, n_fits):
    from sklearn.ensemble import HistGradientBoostingRegressor

    times = []
    for _ in range(n_fits):
        model = HistGradientBoostingRegressor(max_iter=100, early_stopping=False, random_state=0)
        start = time.perf_counter()
        model.fit(X, y)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def worker(kind, n_threads, start_at, n_fits):
    """Run one measurement in this (fresh) process; return a dict of seconds."""
    if kind == "hgb-clean":  # never imports torch
        from sklearn.datasets import make_regression

        X, y = make_regression(N_WINDOWS, 40, noise=1.0, random_state=0)
        _wait_until(start_at)
        return {"hgb": _hgb_times(X, y, n_fits)}
    if kind == "hgb-after-torch":
        from sklearn.datasets import make_regression

        Xw, yw = _windows()
        _lstm(n_threads).fit(Xw, yw)
        X, y = make_regression(N_WINDOWS, 40, noise=1.0, random_state=0)
        _wait_until(start_at)
        return {"hgb": _hgb_times(X, y, n_fits)}
    X, y = _windows()
    if kind == "fit":
        model = _lstm(n_threads)
        _wait_until(start_at)
        start = time.perf_counter()
        model.fit(X, y)
        return {"fit": time.perf_counter() - start}
    if kind.startswith("grid"):
        from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

        search = GridSearchCV(
            _lstm(n_threads),
            {"regressor__learning_rate": [1e-3, 3e-3]},
            cv=TimeSeriesSplit(n_splits=2),
            n_jobs=int(kind.removeprefix("grid")),
        )
        _wait_until(start_at)
        start = time.perf_counter()
        search.fit(X, y)
        return {"grid": time.perf_counter() - start}
    raise ValueError(f"unknown worker kind {kind!r}")


def _burn(start_at, seconds):
    _wait_until(start_at)
    stop = time.time() + seconds
    count = 0
    while time.time() < stop:
        count += 1
    return {"burn": count}


# ----------------------------------------------------------------------------- parent side


def _launch(kind, setting, start_at, n_fits=0):
    command = [sys.executable, __file__, "--worker", kind, "--n-threads", setting,
               "--start-at", repr(start_at), "--hgb-fits", str(n_fits)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def _collect(processes):
    results = []
    for process in processes:
        out, _ = process.communicate()
        if process.returncode:
            raise RuntimeError(f"a worker failed with exit code {process.returncode}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def run_together(jobs, lead_time):
    """Start ``jobs`` ((kind, setting, n_fits) tuples) so that their timed parts start at once.

    ``lead_time`` seconds cover the imports and data preparation of every worker.
    """
    start_at = time.time() + lead_time
    return _collect([_launch(kind, setting, start_at, n_fits) for kind, setting, n_fits in jobs])


def _burners(n, start_at, seconds):
    command = [sys.executable, __file__, "--worker", "burn", "--start-at", repr(start_at),
               "--seconds", str(seconds)]
    return [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(n)]


def measure(setting, repeats, n_fits, lead_time):
    rows = {}
    best = lambda values: min(values)  # noqa: E731 - the least disturbed repeat
    rows["lone fit"] = best(
        run_together([("fit", setting, 0)], lead_time)[0]["fit"] for _ in range(repeats)
    )
    pair = [run_together([("fit", setting, 0)] * 2, lead_time) for _ in range(repeats)]
    rows["two fits at once (each)"] = best(max(r["fit"] for r in run) for run in pair)
    for n_jobs in (1, 2):
        rows[f"GridSearchCV n_jobs={n_jobs}"] = best(
            run_together([(f"grid{n_jobs}", setting, 0)], lead_time)[0]["grid"]
            for _ in range(repeats)
        )
    for kind in ("hgb-clean", "hgb-after-torch"):
        rows[f"HGB {kind[4:]}, idle"] = best(
            run_together([(kind, setting, n_fits)], lead_time + 6)[0]["hgb"]
            for _ in range(repeats)
        )
        loaded = []
        for _ in range(repeats):
            start_at = time.time() + lead_time + 6
            burners = _burners(os.cpu_count() or 1, start_at - 0.5, 60)
            loaded.append(_collect([_launch(kind, setting, start_at, n_fits)])[0]["hgb"])
            for burner in burners:
                burner.kill()
                burner.wait()
        rows[f"HGB {kind[4:]}, loaded"] = best(loaded)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--hgb-fits", type=int, default=5)
    parser.add_argument("--lead-time", type=float, default=8.0,
                        help="seconds given to workers to import and prepare before the clock")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--n-threads", default="1", help=argparse.SUPPRESS)
    parser.add_argument("--start-at", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker == "burn":
        print(json.dumps(_burn(args.start_at, args.seconds)))
        return
    if args.worker:
        result = worker(args.worker, SETTINGS[args.n_threads], args.start_at, args.hgb_fits)
        print(json.dumps(result))
        return

    print(f"{os.cpu_count()} CPU(s); load average before: {os.getloadavg()}")
    table = {s: measure(s, args.repeats, args.hgb_fits, args.lead_time) for s in SETTINGS}
    names = list(table["1"])
    print(f"\n{'seconds (best of ' + str(args.repeats) + ')':<42}"
          f"{'n_threads=1':>12}{'n_threads=None':>16}")
    for name in names:
        print(f"{name:<42}{table['1'][name]:>12.2f}{table['None'][name]:>16.2f}")
    print(f"\n{'ratio (target)':<42}{'n_threads=1':>12}{'n_threads=None':>16}")
    ratios = [
        ("two at once / lone (<= 1.3)", "two fits at once (each)", "lone fit"),
        ("grid n_jobs=2 / n_jobs=1 (<= 0.7)", "GridSearchCV n_jobs=2", "GridSearchCV n_jobs=1"),
        ("HGB after torch / clean, idle (<= 1.5)", "HGB after-torch, idle", "HGB clean, idle"),
        ("HGB after torch / clean, loaded (<= 1.5)", "HGB after-torch, loaded",
         "HGB clean, loaded"),
    ]
    for label, top, bottom in ratios:
        values = [table[s][top] / table[s][bottom] for s in SETTINGS]
        print(f"{label:<42}{values[0]:>12.2f}{values[1]:>16.2f}")
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
