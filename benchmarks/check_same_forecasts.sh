#!/usr/bin/env bash
# Run the study, fit/forecast and backtest commands on BWDF with fixed seeds and keep their
# CSV outputs in OUTDIR, so that two checkouts can be compared with
# benchmarks/compare_forecasts.py (same forecasts within 1e-6 relative).
# Usage: benchmarks/check_same_forecasts.sh OUTDIR   (run from the checkout to measure,
# with its environment active). About five minutes on two cores.
set -euo pipefail
out=$(realpath -m "$1")
mkdir -p "$out"
cd "$out"
# DMA 5, its last 400 days, the last 3 demand values blank (fit on what is known, forecast
# on), without its calendar columns: the commands derive them from the dates (--country IT).
python - <<'PY'
from sklearn_hydro.datasets import load_bwdf
frame = load_bwdf("DMA 5").iloc[-400:, :7].copy()
frame.iloc[-3:, frame.columns.get_loc("demand")] = float("nan")
frame.to_csv("dma5.csv", index_label="date")
PY
python -m sklearn_hydro study --quick --no-plots -q --output study > study.log
python -m sklearn_hydro fit --csv dma5.csv --country IT --horizon 3 --quick --output model.skops -q > fit.log
python -m sklearn_hydro forecast --csv dma5.csv --model-file model.skops \
    --output forecast.csv -q > forecast.log
python -m sklearn_hydro backtest --quick --test-days 56 --step 14 --horizon 2 --no-plots -q \
    --output backtest > backtest.log
ls -R "$out"
