"""
Tuning DWT-PCA-LSTM with GridSearchCV and TimeSeriesSplit
=========================================================

Search the wavelet, the decomposition level, the number of principal components and the
LSTM hidden size of the study's model on the **training period only**, scoring with the
library's MAPE scorer on time-ordered folds, then score the tuned model once on the held-out
test period. Every fold refits the whole pipeline, the outlier smoother's scale and the
denoiser's noise level included, so nothing leaks from a validation fold into training.

The full grid (16 candidates, 3 folds) takes a few minutes on two CPU cores; with
``SKLEARN_HYDRO_DOCS_FAST=1`` the grid shrinks to two candidates trained for a few epochs.
Run it as a script with ``--synthetic`` to use the built-in synthetic series instead of BWDF.
"""

import os
import sys
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklearn_hydro.metrics import mape_scorer, peak_mape_scorer, regression_report
from sklearn_hydro.plotting import ForecastDisplay
from sklearn_hydro.study import chronological_split, make_study_model
from sklearn_hydro.windows import make_windows

FAST = os.environ.get("SKLEARN_HYDRO_DOCS_FAST", "") not in ("", "0")

if "--synthetic" in sys.argv[1:]:
    from sklearn_hydro.datasets import make_synthetic_demand

    frame = make_synthetic_demand(n_days=730, random_state=0)
    UNIT = "m³/day"
else:
    from sklearn_hydro.datasets import load_bwdf

    frame = load_bwdf("DMA 5")
    UNIT = "m³/day"

# %%
# Windows and the chronological split
# -----------------------------------
LOOKBACK, HORIZON = 28, 1
X, y = make_windows(frame, "demand", lookback=LOOKBACK, horizon=HORIZON)
X_train, X_test, y_train, y_test = chronological_split(X, y, train_fraction=0.6)

# %%
# The search
# ----------
# Parameter names follow the pipeline's steps: ``windows__lags__...`` for the lag block
# (smoother, denoiser), ``windows__covariates__...`` for the covariate block (scaler, PCA),
# ``regressor__...`` for :class:`~sklearn_hydro.DualLSTMRegressor`.
# ``TimeSeriesSplit(gap=horizon - 1)`` keeps every validation target out of the reach of
# the training windows.
if FAST:
    neural = {"max_epochs": 3, "n_iter_no_change": 2}
    param_grid = {"windows__lags__waveletdenoiser__wavelet": ["haar", "db4"]}
    n_splits = 2
else:
    neural = {"max_epochs": 60, "n_iter_no_change": 8}
    param_grid = {
        "windows__lags__waveletdenoiser__wavelet": ["db2", "db4"],
        "windows__lags__waveletdenoiser__level": [1, 2],
        "windows__covariates__pca__n_components": [3, 5],
        "regressor__hidden_size": [16, 32],
    }
    n_splits = 3
model = make_study_model("DWT-PCA-LSTM", lookback=LOOKBACK, random_state=0,
                         neural_params=neural)
search = GridSearchCV(
    model,
    param_grid,
    cv=TimeSeriesSplit(n_splits=n_splits, gap=HORIZON - 1),
    scoring={"MAPE": mape_scorer, "pMAPE": peak_mape_scorer},
    refit="MAPE",
    n_jobs=1,
)
start = time.perf_counter()
search.fit(X_train, y_train)
print(f"search took {time.perf_counter() - start:.0f} s")
print("best parameters:", search.best_params_)
print(f"best cross-validated MAPE: {-search.best_score_:.2f} %")

# %%
# Every candidate's cross-validated MAPE (mean and standard deviation over the folds):
results = pd.DataFrame(search.cv_results_)
labels = [", ".join(f"{k.split('__')[-1]}={v}" for k, v in p.items())
          for p in results["params"]]
order = np.argsort(-results["mean_test_MAPE"].to_numpy())
fig, ax = plt.subplots(figsize=(8, 0.35 * len(labels) + 1.5))
ax.barh(np.arange(len(labels)), -results["mean_test_MAPE"].to_numpy()[order],
        xerr=results["std_test_MAPE"].to_numpy()[order], color="C0", alpha=0.8)
ax.set_yticks(np.arange(len(labels)), [labels[i] for i in order], fontsize=8)
ax.set_xlabel("cross-validated MAPE (%), lower is better")
ax.set_title("Grid search on the training period")
ax.grid(axis="x", alpha=0.3)
fig.tight_layout()

# %%
# The tuned model on the test period
# ----------------------------------
# Scored once, after the search: this is the number to report.
pred = search.predict(X_test)
report = regression_report(y_test, pred)
print("test period:", {k: round(v, 3) for k, v in report.items()})
ForecastDisplay.from_predictions(y_test, {"tuned DWT-PCA-LSTM": pred}, unit=UNIT,
                                 title="Tuned DWT-PCA-LSTM, test period")
