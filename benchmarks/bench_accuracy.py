"""Accuracy on the 10 BWDF districts: the default forecaster against what a user would pick.

Every model sees the same chronological split of each district (the first 60 % of the days
train, the last 40 % test, as in the study) and the same covariates (weather and calendar).
Rows: persistence, Ridge, HistGradientBoosting, a plain PyTorch LSTM written out below as the
reference (the recipe of issue 7), the study's seven models and the default forecaster. The
default forecaster's settings were chosen by ``select_forecaster.py`` on the training parts
only; nothing here was tuned on a test period.

Run: ``python benchmarks/bench_accuracy.py [--areas 1 2 ...] [--seeds 0 1 2] [--n-jobs 2]``.
Prints per-model medians over districts x seeds (MAPE, pMAPE, fit s, ratios to the reference
and to HGB) and, per district, the default forecaster against both.

``--global`` adds ``Global-forecaster``: one default forecaster fitted on every district at
once (:class:`~sklearn_hydro.forecasting.GlobalRegressor`: each district scaled by its training
level, one-hot district features), against the per-district default forecasters; ``--cv``
compares the two by TimeSeriesSplit on the training days only (how the choice is made).
"""

import argparse
import time

import numpy as np
import pandas as pd
import torch
from joblib import Parallel, delayed
from torch import nn

from sklearn_hydro import make_windows
from sklearn_hydro.datasets import load_bwdf
from sklearn_hydro.forecasting import GlobalRegressor, PerSeriesRegressor, make_forecaster, to_panel
from sklearn_hydro.metrics import mean_absolute_percentage_error, regression_report
from sklearn_hydro.model_selection import PanelSplit
from sklearn_hydro.preprocessing import is_calendar_column
from sklearn_hydro.study import DEFAULT_MODEL, STUDY_MODELS, chronological_split, make_study_model

REFERENCE = "plain-LSTM (reference)"
GLOBAL = "Global-forecaster"
TRAIN_FRACTION = 0.6
LOOKBACK = 28


# ------------------------------------------------------------- the plain LSTM reference recipe
def plain_lstm_forecast(frame, target, covariates, cutoff, seed, lookback=14):
    """Issue 7's winning recipe, as a user would write it with PyTorch alone.

    One LSTM (hidden 64) over the last ``lookback`` days; step j carries [scaled demand of day
    j, scaled covariates of day j + 1], so the last step holds the target day's covariates.
    Adam lr 1e-3, batch 32, MSE on the standardised target, up to 300 epochs, early stopping
    (patience 20) on the last 15 % of the training rows, best weights restored. Gaps are
    forward-filled. Returns forecasts for the target days at or after ``cutoff``.
    """
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    train_days = frame.index < cutoff
    demand = frame[target].ffill().bfill().to_numpy()
    cov = frame[covariates].ffill().bfill().to_numpy()
    d_mean, d_std = demand[train_days].mean(), demand[train_days].std()
    c_mean, c_std = cov[train_days].mean(axis=0), cov[train_days].std(axis=0) + 1e-9
    d, c = (demand - d_mean) / d_std, (cov - c_mean) / c_std
    observed = frame[target].notna().to_numpy()
    rows = np.arange(lookback, len(frame))
    X = np.stack([np.column_stack([d[i - lookback:i], c[i - lookback + 1:i + 1]]) for i in rows])
    y = d[rows]
    train = train_days[rows] & observed[rows]
    test = ~train_days[rows]
    Xtr, ytr = torch.tensor(X[train], dtype=torch.float32), torch.tensor(y[train]).float()
    n_valid = int(np.ceil(0.15 * len(Xtr)))
    Xfit, yfit, Xval, yval = Xtr[:-n_valid], ytr[:-n_valid], Xtr[-n_valid:], ytr[-n_valid:]

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(X.shape[2], 64, batch_first=True)
            self.out = nn.Linear(64, 1)

        def forward(self, x):
            return self.out(self.lstm(x)[0][:, -1]).squeeze(-1)

    net, loss_fn = Net(), nn.MSELoss()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    best, best_state, wait = np.inf, None, 0
    for _ in range(300):
        net.train()
        for batch in np.array_split(rng.permutation(len(Xfit)), max(1, len(Xfit) // 32)):
            opt.zero_grad()
            loss = loss_fn(net(Xfit[batch]), yfit[batch])
            loss.backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            valid = loss_fn(net(Xval), yval).item()
        if valid < best - 1e-6:
            best, wait = valid, 0
            best_state = {k: v.clone() for k, v in net.state_dict().items()}
        else:
            wait += 1
            if wait >= 20:
                break
    net.load_state_dict(best_state)
    with torch.no_grad():
        pred = net(torch.tensor(X[test], dtype=torch.float32)).numpy()
    return pd.Series(pred * d_std + d_mean, index=frame.index[rows[test]])


# ---------------------------------------------------------------------------------- the runs
def run(area, seed, models):
    torch.set_num_threads(1)
    frame = load_bwdf(f"DMA {area}")
    covs = [c for c in frame.columns if c != "demand"]
    weather = [c for c in covs if not is_calendar_column(c)]
    X, y = make_windows(frame, "demand", LOOKBACK, covariates=covs, past_covariates=weather)
    X_train, X_test, y_train, y_test = chronological_split(
        X, y, TRAIN_FRACTION, start=frame.index[0], end=frame.index[-1]
    )
    rows = []
    for name in models:
        start = time.perf_counter()
        if name == REFERENCE:
            pred = plain_lstm_forecast(frame, "demand", covs, X_test.index[0], seed)
            pred = pred.reindex(y_test.index).to_numpy()
        else:
            model = make_study_model(name, lookback=LOOKBACK, random_state=seed, target="demand")
            pred = model.fit(X_train, y_train).predict(X_test)
        seconds = time.perf_counter() - start
        scores = regression_report(y_test, pred)
        rows.append({"area": area, "seed": seed, "model": name, "MAPE": scores["MAPE"],
                     "pMAPE": scores["pMAPE"], "fit_s": seconds})
    return rows


def panel_windows(areas):
    """Every district's windows, indexed (series, date), and the study's split of the days."""
    wide = load_bwdf("all")
    panel = to_panel(wide, series=[f"DMA_{a}" for a in areas])
    covs = [c for c in panel.columns if c != "demand"]
    weather = [c for c in covs if not is_calendar_column(c)]
    X, y = make_windows(panel, "demand", LOOKBACK, covariates=covs, past_covariates=weather)
    return X, y, chronological_split(X, y, TRAIN_FRACTION, start=wide.index[0],
                                     end=wide.index[-1])


def run_global(areas, seed):
    """The global default forecaster on every district's training days; MAPE per district."""
    torch.set_num_threads(1)
    _, _, (X_train, X_test, y_train, y_test) = panel_windows(areas)
    start = time.perf_counter()
    model = GlobalRegressor(make_forecaster(target="demand", random_state=seed))
    pred = model.fit(X_train, y_train).predict(X_test)
    seconds = time.perf_counter() - start
    rows = []
    series = X_test.index.get_level_values(0)
    for area in areas:
        mine = np.asarray(series == f"DMA_{area}")
        scores = regression_report(y_test[mine], pred[mine])
        rows.append({"area": area, "seed": seed, "model": GLOBAL, "MAPE": scores["MAPE"],
                     "pMAPE": scores["pMAPE"], "fit_s": seconds / len(areas)})
    return rows


def cv_global(areas, seed, n_splits=3, test_days=60):
    """Global against per-district default forecasters, scored on the training days only."""
    torch.set_num_threads(1)
    _, _, (X_train, _, y_train, _) = panel_windows(areas)
    models = {
        GLOBAL: GlobalRegressor(make_forecaster(target="demand", random_state=seed)),
        DEFAULT_MODEL: PerSeriesRegressor(make_forecaster(target="demand", random_state=seed)),
    }
    rows = []
    series = X_train.index.get_level_values(0)
    split = PanelSplit(n_splits=n_splits, test_size=test_days)
    for fold, (train, test) in enumerate(split.split(X_train)):
        for name, model in models.items():
            pred = model.fit(X_train.iloc[train], y_train.iloc[train]).predict(X_train.iloc[test])
            for area in areas:
                mine = np.asarray(series[test] == f"DMA_{area}")
                rows.append({"area": area, "seed": seed, "fold": fold, "model": name,
                             "CV_MAPE": mean_absolute_percentage_error(
                                 y_train.iloc[test][mine], pred[mine])})
    return rows


def main_cv(args):
    start = time.perf_counter()
    results = Parallel(n_jobs=args.n_jobs)(delayed(cv_global)(args.areas, s) for s in args.seeds)
    table = pd.DataFrame([r for rows in results for r in rows])
    table.to_csv(args.out, index=False)
    per_area = table.groupby(["area", "model"])["CV_MAPE"].mean().unstack("model")
    print("CV MAPE on the training days (mean over 3 folds x seeds), per district:")
    print(per_area.round(3).to_string())
    med = per_area.median()
    wins = int((per_area[GLOBAL] <= per_area[DEFAULT_MODEL]).sum())
    print(f"\nmedian CV MAPE: global {med[GLOBAL]:.3f}, per district {med[DEFAULT_MODEL]:.3f}; "
          f"global better or equal in {wins} of {len(per_area)} districts")
    print(f"\n{time.perf_counter() - start:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, nargs="+", default=list(range(1, 11)))
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--models", nargs="+", default=None)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--out", default="bench_accuracy.csv")
    parser.add_argument("--global", dest="global_model", action="store_true",
                        help="add the global forecaster (one model for every district)")
    parser.add_argument("--cv", action="store_true",
                        help="only compare global and per-district models on training days")
    args = parser.parse_args()
    if args.cv:
        return main_cv(args)
    models = args.models or [
        "Persistence", "Ridge", "HistGradientBoosting", REFERENCE, *STUDY_MODELS, DEFAULT_MODEL
    ]
    start = time.perf_counter()
    jobs = [delayed(run)(a, s, models) for a in args.areas for s in args.seeds if models]
    if args.global_model:  # the long global fits first, so that the pool stays busy
        jobs = [delayed(run_global)(args.areas, s) for s in args.seeds] + jobs
    results = Parallel(n_jobs=args.n_jobs)(jobs)
    table = pd.DataFrame([r for rows in results for r in rows])
    table.to_csv(args.out, index=False)

    wide = table.pivot_table(index=["area", "seed"], columns="model", values="MAPE")
    summary = table.groupby("model").agg(
        MAPE=("MAPE", "median"), pMAPE=("pMAPE", "median"), fit_s=("fit_s", "median")
    )
    if REFERENCE in wide:
        summary["ratio to reference"] = wide.div(wide[REFERENCE], axis=0).median()
    if "HistGradientBoosting" in wide:
        summary["ratio to HGB"] = wide.div(wide["HistGradientBoosting"], axis=0).median()
    summary = summary.sort_values("MAPE")
    pd.set_option("display.width", 160)
    print("Medians over districts x seeds (MAPE, pMAPE in %):")
    print(summary.round(3).to_string())

    if DEFAULT_MODEL in wide and REFERENCE in wide and "HistGradientBoosting" in wide:
        per_area = table.groupby(["area", "model"])["MAPE"].mean().unstack("model")
        verdict = pd.DataFrame({
            "default": per_area[DEFAULT_MODEL],
            "reference": per_area[REFERENCE],
            "HGB": per_area["HistGradientBoosting"],
        })
        study = [m for m in STUDY_MODELS if m in per_area]
        if study:  # when they ran (--models may leave them out)
            verdict["best study model"] = per_area[study].min(axis=1)
        verdict["beats both"] = (verdict["default"] < verdict["reference"]) & (
            verdict["default"] < verdict["HGB"])
        print("\nPer district (mean MAPE over seeds):")
        print(verdict.round(3).to_string())
        ratio_ref = summary.loc[DEFAULT_MODEL, "ratio to reference"]
        ratio_hgb = summary.loc[DEFAULT_MODEL, "ratio to HGB"]
        wins = int(verdict["beats both"].sum())
        print(f"\nDefault forecaster: median ratio {ratio_ref:.3f} to the reference, "
              f"{ratio_hgb:.3f} to HGB (target <= 0.95 each); better than both in {wins} of "
              f"{len(verdict)} districts (target >= 8).")
    if GLOBAL in wide and DEFAULT_MODEL in wide:
        per_area = table.groupby(["area", "model"])["MAPE"].mean().unstack("model")
        both = per_area[[GLOBAL, DEFAULT_MODEL]]
        print("\nGlobal against per-district default forecasters (mean MAPE over seeds):")
        print(both.round(3).to_string())
        med = table.groupby("model")["MAPE"].median()
        wins = int((both[GLOBAL] <= both[DEFAULT_MODEL]).sum())
        print(f"median MAPE over districts x seeds: global {med[GLOBAL]:.3f}, per district "
              f"{med[DEFAULT_MODEL]:.3f} (target: global <= per district); global better or "
              f"equal in {wins} of {len(both)} districts")
    print(f"\n{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
