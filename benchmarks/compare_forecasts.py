"""Compare the outputs of benchmarks/check_same_forecasts.sh from two checkouts.

Usage: python benchmarks/compare_forecasts.py BEFORE AFTER

Prints one line per CSV file: rows, numeric columns compared, the largest relative
difference; exits 1 if any exceeds 1e-6 (timings excepted) or the tables differ in shape.
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd

FILES = ["study/predictions.csv", "study/results.csv", "forecast.csv",
         "backtest/backtest.csv", "backtest/folds.csv", "backtest/horizons.csv"]
TIMINGS = {"fit_s", "predict_s", "wall_s", "seconds", "fit_seconds"}
RENAMED = {"target_date": "time"}  # the forecast table is indexed by target time now
RTOL = 1e-6


def _read(path):
    table = pd.read_csv(path).rename(columns=RENAMED)
    return table.loc[:, [c for c in table.columns if not c.startswith("Unnamed")]]


def main(before, after):
    worst = 0.0
    ok = True
    for name in FILES:
        a, b = _read(Path(before) / name), _read(Path(after) / name)
        common = [c for c in a.columns if c in b.columns]
        if len(a) != len(b) or set(a.columns) != set(b.columns):
            print(f"{name}: shape or columns differ: {a.shape} {sorted(a.columns)} vs "
                  f"{b.shape} {sorted(b.columns)}")
            ok = False
        numeric = [c for c in common if pd.api.types.is_numeric_dtype(a[c])
                   and c not in TIMINGS]
        other = [c for c in common if c not in numeric and c not in TIMINGS]
        rel = 0.0
        for c in numeric:
            x, y = a[c].to_numpy(float), b[c].to_numpy(float)
            same_nan = np.isnan(x) == np.isnan(y)
            ok &= bool(same_nan.all())
            d = np.abs(x - y) / np.maximum(np.abs(x), 1e-12)
            rel = max(rel, float(np.nanmax(d)) if np.isfinite(d).any() else 0.0)
        mismatched = [c for c in other if not a[c].astype(str).equals(b[c].astype(str))]
        ok &= not mismatched and rel <= RTOL
        worst = max(worst, rel)
        print(f"{name:24s} rows {len(a):4d}  numeric columns {len(numeric):2d}  "
              f"max relative difference {rel:.2e}"
              + (f"  text columns differ: {mismatched}" if mismatched else ""))
    print(f"largest relative difference {worst:.2e} (tolerance {RTOL:g}): "
          + ("same forecasts" if ok else "DIFFERENT"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
