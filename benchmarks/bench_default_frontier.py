"""The default forecaster's accuracy/cost frontier a week ahead, on BWDF training periods.

Only the training period of each of the ten districts (the first 60 % of its days, the
study's training part) is read. Inside it, three rolling folds score the windows whose
origin falls in days 250-330, 330-410 and 410-end, each fitted on the windows whose seven
targets all lie before the fold (days 1..7 ahead, the weather observed before the origin
as past covariates, the Italian calendar known ahead, one model for the seven days).

Candidates are blends of members fitted once per fold; their forecasts are combined here,
so a blend costs the sum of its members' fits:

* the reference: the former default, five LSTMs of 64 units (patience 20) and the Ridge
  with weights chosen per day on the newest fifth of the fold's rows (each member fitted on
  the rows before that fifth to choose, then on all);
* the same members with fixed weights (lstm / linear);
* other LSTM settings at weights 0.5 / 0.5 (networks x units, patience, batch size), the
  default's (five of 64 units, patience 10) among them;
* gradient boosting of the seasonal lags (StackedHorizonRegressor) as a third member.

Prints, over the (district, fold) pairs, the median and mean of each candidate's paired
MAPE ratio to the reference (day 1, days 1..7; lower is better) and its median fitting
seconds relative to the reference's.

    python benchmarks/bench_default_frontier.py                    # 10 districts, seed 0
    python benchmarks/bench_default_frontier.py --districts 1 2 --seed 1
"""

import argparse
import itertools
import time

import numpy as np
import pandas as pd
from sklearn.base import clone

from sklearn_hydro import DirectHorizonRegressor, Forecaster, make_forecaster
from sklearn_hydro.datasets import load_bwdf

WEATHER = ["temp_max", "temp_min", "temp_mean", "rain", "humidity", "wind"]
FOLDS = [(250, 330), (330, 410), (410, None)]  # scored days of the training period
TAIL = 0.2  # the former default's blend_fraction


def _lstm(n_estimators=5, hidden=64, patience=20, **params):
    return {"n_estimators": n_estimators, "hidden_size": hidden, "head_size": hidden,
            "n_iter_no_change": patience, **params}


FORMER = "5 x 64, patience 20 (default)"
LSTMS = {  # the LSTM member's settings (make_forecaster parameters)
    FORMER: _lstm(),
    "5 x 64, patience 10": _lstm(5, 64, 10),
    "1 x 64": _lstm(1),
    "3 x 64": _lstm(3),
    "3 x 32, patience 10": _lstm(3, 32, 10),
    "5 x 32": _lstm(5, 32),
}


def _mape(Y, P):
    ok = np.isfinite(Y) & (Y > 0)
    return np.array([np.mean(np.abs(Y[ok[:, j], j] - P[ok[:, j], j]) / Y[ok[:, j], j])
                     for j in range(Y.shape[1])]) * 100


def _fit(model, X, Y):
    start = time.perf_counter()
    fitted = clone(model).fit(X, Y)
    return fitted, time.perf_counter() - start


def _former(seed):
    """The default before 0.4: the LSTMs and the Ridge, weights chosen on the tail."""
    model = make_forecaster(target="demand", random_state=seed, weights="auto")
    return model.set_params(estimators=model.estimators[:2])


def _first(day1, rest):
    out = rest.copy()
    out[:, 0] = day1
    return out


def _tail_weights(Y_tail, tail_preds, step=0.25):
    """The former default's rule: per day, the convex weights of lowest MAPE on the tail."""
    grid = [np.array([w, 1 - w]) for w in np.arange(0, 1 + 1e-9, step)]
    return np.array([min(grid, key=lambda w: np.nanmean(
        np.abs(Y_tail[:, j] - w @ tail_preds[:, :, j]) / Y_tail[:, j]))
        for j in range(Y_tail.shape[1])])


def fold_scores(district, seed):
    frame = load_bwdf(f"DMA {district}")
    frame = frame.iloc[: int(round(0.6 * len(frame)))]  # the training period only
    forecaster = Forecaster(make_forecaster(target="demand"), lookback=28, horizons=7,
                            past_covariates=WEATHER, country="IT", extra_holidays=[(11, 3)],
                            coverage=None, strategy="joint")
    X, Y = forecaster.windows(frame)
    Y = np.asarray(Y, dtype=float)
    origins, first = X.index, frame.index[0]
    rows = []
    for fold, (a, b) in enumerate(FOLDS):
        lo = first + pd.Timedelta(days=a)
        hi = first + pd.Timedelta(days=b) if b else origins[-1] + pd.Timedelta(days=1)
        fit = np.nonzero(origins + pd.Timedelta(days=7) < lo)[0]
        score = np.nonzero((origins >= lo) & (origins < hi))[0]
        X_fit, Y_fit, X_score, Y_score = X.iloc[fit], Y[fit], X.iloc[score], Y[score]
        preds, seconds = {}, {}
        for label, params in LSTMS.items():
            members = dict(make_forecaster(target="demand", random_state=seed, **params)
                           .estimators)  # lstm, linear, boosting
            model, seconds[label] = _fit(members["lstm"], X_fit, Y_fit)
            preds[label] = np.asarray(model.predict(X_score), dtype=float)
        for name in ("linear", "boosting"):
            member = members[name]
            model, seconds[name] = _fit(member, X_fit, Y_fit)
            preds[name] = np.asarray(model.predict(X_score), dtype=float)
        # day 1 by its own model (the first+joint strategy): the former blend, the default
        day1 = {}
        for name, model in (("former", _former(seed)), ("default", make_forecaster(
                target="demand", random_state=seed))):
            fitted, seconds[f"day 1 {name}"] = _fit(DirectHorizonRegressor(model), X_fit,
                                                    Y_fit[:, :1])
            day1[name] = np.asarray(fitted.predict(X_score), dtype=float).reshape(-1)
        # the former rule: both members fitted on the head, weights chosen on the tail
        cut = len(fit) - int(round(TAIL * len(fit)))
        tail_preds, head_s = [], 0.0
        for _, member in _former(seed).estimators:
            model, s = _fit(member, X_fit.iloc[:cut], Y_fit[:cut])
            tail_preds.append(np.asarray(model.predict(X_fit.iloc[cut:]), dtype=float))
            head_s += s
        weights = _tail_weights(Y_fit[cut:], np.stack(tail_preds))
        base = np.stack([preds[FORMER], preds["linear"]])
        reference = np.einsum("jk,knj->nj", weights, base)
        pair = seconds[FORMER] + seconds["linear"]
        candidates = {"former: weights per day from the tail": (reference, head_s + pair)}
        for w in (0.5, 0.25, 0.75, 1.0, 0.0):
            candidates[f"former lstm {w:.2f} / linear {1 - w:.2f}"] = (
                w * preds[FORMER] + (1 - w) * preds["linear"], pair)
        for label in list(LSTMS)[1:]:
            candidates[f"{label}, 0.5 / 0.5"] = (
                0.5 * preds[label] + 0.5 * preds["linear"], seconds[label] + seconds["linear"])
        three = pair + seconds["boosting"]
        default = 0.5 * preds[FORMER] + 0.25 * preds["linear"] + 0.25 * preds["boosting"]
        candidates["+ boosting, 0.5 / 0.25 / 0.25"] = (default, three)
        candidates["+ boosting, thirds"] = (
            (preds[FORMER] + preds["linear"] + preds["boosting"]) / 3, three)
        candidates["former, day 1 by its own model"] = (
            _first(day1["former"], reference), head_s + pair + seconds["day 1 former"])
        candidates["+ boosting, day 1 by its own model (default)"] = (
            _first(day1["default"], default), three + seconds["day 1 default"])
        ref = _mape(Y_score, reference)
        for name, (pred, s) in candidates.items():
            m = _mape(Y_score, pred)
            rows.append({"candidate": name, "district": district, "fold": fold,
                         "d1": m[0] / ref[0], "d1_7": m.mean() / ref.mean(),
                         "seconds": s / (head_s + pair), "MAPE_d1": m[0], "MAPE_d1_7": m.mean()})
        print(f"DMA {district:2d} fold {fold}: {len(fit)} fitted windows, {len(score)} scored; "
              f"reference MAPE day 1 {ref[0]:.2f} %, days 1..7 {ref.mean():.2f} %", flush=True)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, nargs="+", default=list(range(1, 11)))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--csv", help="also write the rows to this CSV")
    args = parser.parse_args()
    rows = list(itertools.chain.from_iterable(fold_scores(d, args.seed)
                                              for d in args.districts))
    table = pd.DataFrame(rows)
    if args.csv:
        table.to_csv(args.csv, index=False)
    part = table.groupby("candidate", sort=False)
    summary = pd.DataFrame({
        "day 1 median": part["d1"].median(), "days 1..7 median": part["d1_7"].median(),
        "day 1 mean": part["d1"].mean(), "days 1..7 mean": part["d1_7"].mean(),
        "fit time": part["seconds"].median()})
    print(f"\nMAPE / the reference's, paired over {part.size().iloc[0]} (district, fold) pairs; "
          "fit time / the reference's")
    print(summary.round(3).to_string())


if __name__ == "__main__":
    main()
