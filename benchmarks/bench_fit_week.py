"""How long ``fit --horizon 7`` of the default forecaster takes on a long daily series.

Writes a 2,300-day synthetic demand series (weather, calendar) as a CSV and runs the
command line's ``fit`` on it with each strategy, as a user would, timing the whole command
(data, leakage guard, fit, save). Prints one row per run and the ratio to the first.

    python benchmarks/bench_fit_week.py                         # joint, then direct
    python benchmarks/bench_fit_week.py --strategies joint --days 2300

The direct strategy fits one default forecaster per day ahead; ``--direct-horizons 1``
times one of them instead, for an estimate (times 7) when the whole run is too long.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sklearn_hydro.datasets import make_synthetic_demand


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=2300)
    parser.add_argument("--strategies", nargs="+", default=["joint", "direct"])
    parser.add_argument("--direct-horizons", type=int, default=7,
                        help="days ahead of the direct run (1: time one of its 7 models)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "demand.csv"
        frame = make_synthetic_demand(n_days=args.days, random_state=0)
        frame.to_csv(csv, index_label="date")
        rows = []
        for strategy in args.strategies:
            horizon = args.direct_horizons if strategy == "direct" else 7
            command = [sys.executable, "-m", "sklearn_hydro", "fit", "--csv", str(csv),
                       "--horizon", str(horizon), "--strategy", strategy, "-q",
                       "--output", str(Path(tmp) / f"{strategy}.skops")]
            start = time.perf_counter()
            subprocess.run(command, check=True, env=dict(os.environ))
            seconds = time.perf_counter() - start
            estimate = seconds * 7 / horizon
            rows.append((strategy, horizon, seconds, estimate))
            print(f"{strategy:6s} days 1..{horizon}: {seconds:6.1f} s (for 7 days: "
                  f"{estimate:6.1f} s)", flush=True)
    base = rows[0][3]
    for strategy, _, _, estimate in rows:
        print(f"{strategy:6s} {estimate / base:5.2f}x the first")


if __name__ == "__main__":
    main()
