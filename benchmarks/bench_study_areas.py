"""The study's comparison on every BWDF district: test MAPE per model and district.

Runs ``run_study`` (honest protocol, default settings) on each of the ten districts for one or
more seeds and prints: the MAPE table (mean over seeds), each model's mean rank, how many
districts it wins, and the paired effect of the DWT (DWT model vs the same model without it).

    python benchmarks/bench_study_areas.py            # ~2 minutes on two CPU cores
    python benchmarks/bench_study_areas.py --seeds 0 1 2 --protocol whole-series
"""

import argparse
import time

import pandas as pd
import torch

from sklearn_hydro.datasets import load_bwdf
from sklearn_hydro.study import run_study

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--seeds", type=int, nargs="+", default=[0])
parser.add_argument("--protocol", default="honest", choices=("honest", "whole-series"))
parser.add_argument("--level", default="row", choices=("row", "global"))
parser.add_argument("--areas", type=int, nargs="+", default=list(range(1, 11)))
args = parser.parse_args()
torch.set_num_threads(1)

rows = []
start = time.perf_counter()
for area in args.areas:
    frame = load_bwdf(area)
    for seed in args.seeds:
        result = run_study(frame, random_state=seed, protocol=args.protocol, level=args.level)
        for _, r in result.table.iterrows():
            rows.append({"area": f"DMA {area}", "seed": seed, "model": r["model"],
                         "MAPE": r["MAPE"]})
    print(f"DMA {area} done ({time.perf_counter() - start:.0f} s)", flush=True)

long = pd.DataFrame(rows)
mape = long.groupby(["model", "area"])["MAPE"].mean().unstack("area")
mape = mape[[f"DMA {a}" for a in args.areas]]
ranks = mape.rank(axis=0)
summary = pd.DataFrame({"mean MAPE": mape.mean(axis=1), "mean rank": ranks.mean(axis=1),
                        "wins": (ranks == 1).sum(axis=1)})
print(f"\nTest MAPE (%), protocol {args.protocol}, level {args.level}, seeds {args.seeds}, "
      f"wall {time.perf_counter() - start:.0f} s")
with pd.option_context("display.width", 200, "display.precision", 2):
    print(mape.round(2).to_string())
    print("\n" + summary.sort_values("mean rank").round(2).to_string())

pairs = [("DWT-PCA-LSTM", "PCA-LSTM"), ("DWT-LSTM", "LSTM")]
print("\nDWT effect (MAPE of the DWT model / MAPE without DWT; < 1 means the DWT helped)")
for with_dwt, without in pairs:
    ratio = mape.loc[with_dwt] / mape.loc[without]
    print(f"{with_dwt:>14} / {without:<9} " + " ".join(f"{v:5.3f}" for v in ratio)
          + f"   median {ratio.median():.3f}, helped in {(ratio < 1).sum()}/{len(ratio)}")
best_study = mape.loc[["DWT-PCA-LSTM", "DWT-LSTM", "PCA-LSTM", "LSTM", "DWT-PCA-RNN",
                       "DWT-PCA-BP", "DWT-PCA-SVM"]].min(axis=0)
best_peer = mape.loc[["Persistence", "Seasonal-naive-7", "Ridge", "HistGradientBoosting"]].min(
    axis=0)
print(f"\nbest study model beats the best peer in {(best_study < best_peer).sum()}/"
      f"{len(best_peer)} districts; DWT-PCA-LSTM beats the best peer in "
      f"{(mape.loc['DWT-PCA-LSTM'] < best_peer).sum()}/{len(best_peer)}")
