"""Tune the DWT-PCA-LSTM pipeline with GridSearchCV and TimeSeriesSplit.

Searches the wavelet, the decomposition level, the number of principal components and the
LSTM hidden size on the training period only, scoring with the library's MAPE scorer, then
reports the tuned model once on the held-out test period.

Run: ``python examples/tune_dwt_pca_lstm.py`` (BWDF data; add ``--synthetic`` to use the
built-in synthetic series). Takes a few minutes on two CPU cores.
"""

import argparse
import time

from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklearn_hydro.metrics import mape_scorer, peak_mape_scorer, regression_report
from sklearn_hydro.study import chronological_split, make_study_model
from sklearn_hydro.windows import make_windows

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--synthetic", action="store_true")
parser.add_argument("--area", default="DMA 5")
args = parser.parse_args()

if args.synthetic:
    from sklearn_hydro.datasets import make_synthetic_demand

    frame = make_synthetic_demand(n_days=730, random_state=0)
else:
    from sklearn_hydro.datasets import load_bwdf

    frame = load_bwdf(args.area)

LOOKBACK, HORIZON = 28, 1
X, y = make_windows(frame, "demand", lookback=LOOKBACK, horizon=HORIZON)
X_train, X_test, y_train, y_test = chronological_split(X, y, train_fraction=0.6)

model = make_study_model(
    "DWT-PCA-LSTM",
    lookback=LOOKBACK,
    random_state=0,
    neural_params={"max_epochs": 60, "n_iter_no_change": 8},
)
param_grid = {
    "windows__lags__waveletdenoiser__wavelet": ["db2", "db4"],
    "windows__lags__waveletdenoiser__level": [1, 2],
    "windows__covariates__pca__n_components": [3, 5],
    "regressor__hidden_size": [16, 32],
}
# gap=horizon-1 keeps every validation target out of the training windows' reach
search = GridSearchCV(
    model,
    param_grid,
    cv=TimeSeriesSplit(n_splits=3, gap=HORIZON - 1),
    scoring={"MAPE": mape_scorer, "pMAPE": peak_mape_scorer},
    refit="MAPE",
    n_jobs=1,
    verbose=1,
)
start = time.perf_counter()
search.fit(X_train, y_train)
print(f"search took {time.perf_counter() - start:.0f} s")
print("best parameters:", search.best_params_)
print(f"best cross-validated MAPE: {-search.best_score_:.2f} %")
report = regression_report(y_test, search.predict(X_test))
print("test period:", {k: round(v, 3) for k, v in report.items()})
