"""Rolling-origin backtests over forecast windows."""

import re
import time
from dataclasses import dataclass, field
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import mean_absolute_error, root_mean_squared_error

from ..metrics import (
    interval_coverage,
    interval_score,
    interval_width,
    mean_absolute_percentage_error,
)
from ..utils import (
    Parallel,
    day_positions,
    delayed,
    effective_n_jobs,
    in_task,
    is_panel,
    series_labels,
    set_warm_start,
    time_step,
)
from ..utils._sklearn import HasMethods, Interval, StrOptions, _safe_indexing, validate_params

__all__ = ["BacktestResult", "backtest", "horizon_metrics", "rolling_intervals"]

_HORIZON_PATTERN = re.compile(r"_h(\d+)$")


@dataclass
class BacktestResult:
    """What :func:`backtest` returns.

    Attributes
    ----------
    predictions : DataFrame
        One row per forecast: ``fold``, ``origin`` (the forecast origin: the newest day
        known), ``target_date``, ``horizon``, ``observed``, ``predicted`` and, with
        intervals, ``lower`` and ``upper``; for panel windows also ``series``.
    folds : DataFrame
        One row per fold: the training rows (``train_start``, ``train_end``, ``n_train``),
        the test rows (``test_start``, ``test_end``, ``n_test``), whether the model was
        refitted, its fit seconds, and the fold's MAE, RMSE, MAPE (percent; NaN where an
        observation is zero or negative, as a percentage of it is undefined) and, with
        intervals, coverage, mean width and interval score.
    config : dict
        The settings of the run.
    """

    predictions: pd.DataFrame
    folds: pd.DataFrame
    config: dict = field(default_factory=dict)

    def by_horizon(self):
        """Metrics of the forecasts grouped by horizon (one row per horizon)."""
        return horizon_metrics(self.predictions, alpha=self.config.get("alpha"))

    def by_series(self):
        """Metrics of each series of a panel backtest: one row per series and horizon.

        Returns
        -------
        DataFrame indexed by ``(series, horizon)``: ``n``, MAE, RMSE, MAPE (percent), bias
        and, with intervals, coverage, width and interval score.
        """
        if "series" not in self.predictions:
            raise ValueError("by_series needs a backtest of panel windows (a series column)")
        parts = {
            name: horizon_metrics(part, alpha=self.config.get("alpha"))
            for name, part in self.predictions.groupby("series", sort=False)
        }
        return pd.concat(parts, names=["series"])


def _point_metrics(observed, predicted):
    """MAE, RMSE, MAPE (percent) and bias (mean of predicted - observed) of forecasts.

    A table must not fail: MAPE is :func:`~sklearn_hydro.metrics.mean_absolute_percentage_error`
    with ``strict=False`` (NaN if an observation is zero or negative: a percentage of it is
    undefined), and every metric is NaN if a value is NaN or infinite.
    """
    obs = np.asarray(observed, dtype=np.float64)
    pred = np.asarray(predicted, dtype=np.float64)
    if not (np.all(np.isfinite(obs)) and np.all(np.isfinite(pred))):
        return dict.fromkeys(("MAE", "RMSE", "MAPE", "bias"), np.nan)
    return {
        "MAE": float(mean_absolute_error(obs, pred)),
        "RMSE": float(root_mean_squared_error(obs, pred)),
        "MAPE": mean_absolute_percentage_error(obs, pred, strict=False),
        "bias": float(np.mean(pred - obs)),
    }


def _interval_metrics(observed, lower, upper, alpha):
    """Interval metrics over the forecasts that have a finite interval."""
    lower, upper = np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)
    observed = np.asarray(observed, dtype=np.float64)
    ok = np.isfinite(lower) & np.isfinite(upper)
    if not ok.any():
        return {"n_intervals": 0, "coverage": np.nan, "width": np.nan,
                "interval_score": np.nan}
    observed, lower, upper = observed[ok], lower[ok], upper[ok]
    return {
        "n_intervals": int(ok.sum()),  # the forecasts the interval metrics count
        "coverage": interval_coverage(observed, lower, upper),
        "width": interval_width(observed, lower, upper),
        "interval_score": interval_score(observed, lower, upper, alpha=alpha),
    }


def horizon_metrics(predictions, alpha=None):
    """MAE, RMSE, MAPE (and interval metrics) of a predictions table, by horizon.

    Parameters
    ----------
    predictions : DataFrame
        With columns ``horizon``, ``observed``, ``predicted`` (and ``lower``, ``upper``), as
        :attr:`BacktestResult.predictions`.
    alpha : float or None
        Miscoverage of the intervals, for the interval score.

    Returns
    -------
    DataFrame indexed by horizon.
        ``n`` forecasts, MAE, RMSE, MAPE (percent; NaN for a horizon with a zero or negative
        observation) and bias; with intervals, ``n_intervals`` of them have a finite interval
        (rolling intervals have none for the first forecasts) and the interval metrics
        (``coverage``, ``width``, ``interval_score``) are over those.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.model_selection import horizon_metrics
    >>> table = pd.DataFrame({"horizon": [1, 1, 2], "observed": [10.0, 20.0, 10.0],
    ...                       "predicted": [11.0, 20.0, 8.0]})
    >>> horizon_metrics(table)["MAE"].tolist()
    [0.5, 2.0]
    """
    rows = {}
    for h, part in predictions.groupby("horizon", sort=True):
        row = {"n": len(part), **_point_metrics(part["observed"], part["predicted"])}
        if alpha is not None and "lower" in part:
            row.update(_interval_metrics(part["observed"], part["lower"], part["upper"], alpha))
        rows[h] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "horizon"
    return out


def _horizons(y, horizon):
    """Horizons of the target columns: ``[horizon]`` for 1-D y, ``_h<k>`` names otherwise."""
    if getattr(y, "ndim", 1) == 1:
        return [horizon]
    names = list(getattr(y, "columns", []))
    found = [_HORIZON_PATTERN.search(str(c)) for c in names]
    if names and all(found):
        return [int(m.group(1)) for m in found]
    return list(range(1, y.shape[1] + 1))


def rolling_intervals(predictions, coverage=0.9, *, half_life=60, adapt_rate=0.02,
                      min_errors=20):
    """Conformal intervals from a backtest's own earlier errors, without any extra fit.

    For each horizon, forecasts are taken in time order; a forecast's interval comes from the
    signed errors of the earlier forecasts whose targets were observed by its origin, each
    weighing ``0.5 ** (age / half_life)`` (newest 1), at the quantiles
    ``(1 -/+ level) / 2`` of :func:`~sklearn_hydro.conformal.conformal_quantile`; ``level``
    starts at ``coverage`` and moves by ``adapt_rate * (miss - (1 - coverage))`` as each
    forecast's outcome arrives (adaptive conformal inference). Forecasts with fewer than
    ``min_errors`` earlier errors get no interval (NaN).

    Parameters
    ----------
    predictions : DataFrame
        Columns ``origin``, ``target_date``, ``horizon``, ``observed``, ``predicted``.
    coverage : float in (0, 1), default=0.9
    half_life : int, default=60
    adapt_rate : float, default=0.02
    min_errors : int, default=20

    Returns
    -------
    lower, upper : ndarray of shape (n_forecasts,)
        Aligned with the rows of ``predictions``.
    """
    from ..conformal import conformal_quantile

    lower = np.full(len(predictions), np.nan)
    upper = np.full(len(predictions), np.nan)
    for _, part in predictions.groupby("horizon", sort=False):
        part = part.sort_values("origin", kind="stable")
        rows = part.index.to_numpy()
        pos = predictions.index.get_indexer(rows)
        origin = part["origin"].to_numpy()
        target = part["target_date"].to_numpy()
        errors = (part["observed"] - part["predicted"]).to_numpy(dtype=np.float64)
        seen, shift = 0, 0.0
        for i in range(len(part)):
            while seen < i and target[seen] <= origin[i]:
                lo, hi = lower[pos[seen]], upper[pos[seen]]
                if np.isfinite(lo):  # the outcome of an earlier interval moves the level
                    y = part["observed"].iloc[seen]
                    shift += adapt_rate * (float(not lo <= y <= hi) - (1.0 - coverage))
                seen += 1
            if seen < min_errors:
                continue
            scores = errors[:seen]
            weights = 0.5 ** (np.arange(seen)[::-1] / half_life)
            total = weights.sum()
            level = min(coverage + shift, total / (total + 1) - 1e-9)
            if level <= 0:
                lower[pos[i]] = upper[pos[i]] = part["predicted"].iloc[i]
                continue
            tail = min(1.0 - (1.0 - level) / 2, total / (total + 1) - 1e-9)
            pred = part["predicted"].iloc[i]
            upper[pos[i]] = pred + conformal_quantile(scores, tail, weights)
            lower[pos[i]] = pred - conformal_quantile(-scores, tail, weights)
    return lower, upper


def _folds(n, initial_train_size, step, gap, refit, window):
    starts = list(range(initial_train_size + gap, n, step))
    if not starts:
        raise ValueError(
            f"no fold: {n} rows, initial_train_size={initial_train_size} and gap={gap} leave "
            "no row to forecast"
        )
    folds, last_fit = [], None
    every = 1 if refit is True else (0 if refit is False else int(refit))
    for k, start in enumerate(starts):
        stop = min(start + step, n)
        refitted = k == 0 or (every > 0 and k % every == 0)
        if refitted:
            train_end = start - gap
            train_start = 0 if window == "expanding" else max(0, train_end - initial_train_size)
            last_fit = (train_start, train_end)
        folds.append({"fold": k, "train": last_fit, "test": (start, stop), "refit": refitted})
    return folds


def _check_time_order(X, y):
    """Refuse windows out of time order or repeated: every fold would train on its future."""
    data = X if hasattr(X, "index") else y
    index = getattr(data, "index", None)
    if index is None:
        return  # arrays: their order is the caller's promise
    if is_panel(data):
        if index.has_duplicates:
            dup = index[index.duplicated()][0]
            raise ValueError(f"the windows hold the row {dup} more than once; each (series, "
                             "time) must appear once")
        times = pd.Series(index.get_level_values(1))
        if not times.is_monotonic_increasing:
            raise ValueError("the panel's windows are not in time order (the library's "
                             "window builders give them so): sort them by time first")
        return
    if isinstance(index, pd.DatetimeIndex) or pd.api.types.is_numeric_dtype(index):
        if index.has_duplicates:
            raise ValueError(f"the windows hold the time {index[index.duplicated()][0]} "
                             "more than once")
        if not index.is_monotonic_increasing:
            raise ValueError("the windows are not in time order (reversed or shuffled?): "
                             "every fold would train on days after its test days; sort them "
                             "by time first")


def _declared_horizon(X, y, horizon):
    """The horizon of 1-D windows: given, or recorded by make_windows; never contradicted."""
    recorded = {getattr(d, "attrs", {}).get("horizon") for d in (X, y)} - {None}
    if len(recorded) > 1:
        raise ValueError(f"X and y were made with different horizons {sorted(recorded)}")
    recorded = recorded.pop() if recorded else None
    if horizon is None:
        return 1 if recorded is None else recorded
    if recorded is not None and recorded != horizon:
        raise ValueError(f"horizon={horizon}, but the windows were made with horizon="
                         f"{recorded}: pass horizon={recorded} (or leave it out)")
    return horizon


def _time_positions(X, y):
    """Each row's time position and the distinct times, in order.

    One series: row ``i`` is time ``i``. A panel (``(series, time)`` index): rows of the
    same day share its position, so folds are cut on days, across every series.
    """
    data = X if hasattr(X, "index") else y
    if is_panel(data):
        return day_positions(data)
    n = len(y)
    index = getattr(X, "index", None)
    if index is None:
        index = getattr(y, "index", pd.RangeIndex(n))
    return np.arange(n), index


def _rows(positions, span):
    return np.flatnonzero((positions >= span[0]) & (positions < span[1]))


def _run_group(estimator, X, y, group, predict_interval, coverage, update, gap, positions,
               start_from=None):
    """Fit once, then forecast the test rows of every fold that uses this fit.

    With ``update``, the rows forecast so far whose targets are known at a fold's origin
    are passed to ``model.update`` (in time order) before the fold is forecast. With
    ``start_from`` (the previous fit, warm-started) that model is refitted instead of a
    clone; the fitted model is then the ``model`` attribute of the returned list.
    """
    rows = _rows(positions, group[0]["train"])
    start = time.perf_counter()
    model = clone(estimator) if start_from is None else start_from
    model.fit(_safe_indexing(X, rows), _safe_indexing(y, rows))
    fit_s = time.perf_counter() - start
    out, pending = [], np.array([], dtype=int)
    for fold in group:
        test = _rows(positions, fold["test"])
        if update and len(pending):
            seen = positions[pending] < fold["test"][0] - gap
            if seen.any():
                model.update(_safe_indexing(X, pending[seen]), _safe_indexing(y, pending[seen]))
                pending = pending[~seen]
        pending = np.concatenate([pending, test])
        Xt = _safe_indexing(X, test)
        pred = np.asarray(model.predict(Xt), dtype=np.float64)
        bounds = None
        if predict_interval:
            bounds = np.asarray(model.predict_interval(Xt, coverage=coverage), dtype=np.float64)
        out.append((fold, pred, bounds, fit_s if fold["refit"] else 0.0))
    return _Forecasts(out, model)


class _Forecasts(list):
    """A group's forecasts, and the model that made them (for the next warm refit)."""

    def __init__(self, items, model):
        super().__init__(items)
        self.model = model


@validate_params(
    {
        "estimator": [HasMethods(["fit", "predict"])],
        "X": ["array-like"],
        "y": ["array-like"],
        "initial_train_size": [Interval(Integral, 1, None, closed="left")],
        "step": [Interval(Integral, 1, None, closed="left")],
        "refit": ["boolean", Interval(Integral, 1, None, closed="left")],
        "window": [StrOptions({"expanding", "fixed"})],
        "gap": [Interval(Integral, 0, None, closed="left"), None],
        "horizon": [Interval(Integral, 1, None, closed="left"), None],
        "interval": [Interval(Real, 0, 1, closed="neither"), None],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
        "progress": [callable, None],
        "warm_start": ["boolean"],
        "update": ["boolean"],
        "interval_method": [StrOptions({"conformal", "rolling"})],
    },
    prefer_skip_nested_validation=True,
)
def backtest(
    estimator,
    X,
    y,
    *,
    initial_train_size,
    step=1,
    refit=True,
    window="expanding",
    gap=None,
    horizon=None,
    interval=None,
    n_jobs=None,
    verbose=0,
    progress=None,
    update=False,
    interval_method="conformal",
    warm_start=False,
):
    """Rolling-origin backtest of a window regressor.

    The rows are cut into folds in time order. Fold ``k`` forecasts the ``step`` rows that
    start at row ``initial_train_size + gap + k * step`` with a model fitted on the rows
    before them, less ``gap`` rows: with windows of horizon ``h`` the target of the last
    training row is then the newest value known at the origin of the first test row, so no
    fold sees its future. Every forecast uses only its own row (its lags and the
    known-ahead covariates of its target day).

    Windows of a panel (indexed ``(series, date)``, see :mod:`sklearn_hydro.forecasting`) are cut
    on days instead of rows: ``initial_train_size``, ``step`` and ``gap`` count days, every
    series' rows of a day fall in the same fold, and the estimator gets every series'
    training rows (a :class:`~sklearn_hydro.forecasting.PerSeriesRegressor` fits one model per
    series, a :class:`~sklearn_hydro.forecasting.GlobalRegressor` one for all). The predictions
    then have a ``series`` column; :meth:`BacktestResult.by_series` scores each series.

    Parameters
    ----------
    estimator : regressor
        Any regressor of window rows; cloned for every fit. A multi-output regressor (e.g.
        :class:`~sklearn_hydro.forecasting.DirectHorizonRegressor`) with ``y`` from
        :func:`~sklearn_hydro.windows.make_multi_horizon_windows` gives forecasts for
        every horizon.
    X : DataFrame or array-like of shape (n_samples, n_features)
        Window rows in time order (:func:`~sklearn_hydro.make_windows`: index = target date;
        multi-horizon windows: index = origin).
    y : Series, DataFrame or array-like
        The targets: 1-D for one horizon, one column per horizon for several.
    initial_train_size : int >= 1
        Training rows of the first fold (and the length of a ``"fixed"`` window).
    step : int >= 1, default=1
        Rows forecast per fold: the distance between consecutive fold origins (7 for weekly
        refits of daily windows).
    refit : bool or int >= 1, default=True
        ``True`` (or 1): refit at every fold; an int ``k``: every ``k`` folds; ``False``: fit
        once, on the first fold's rows.
    window : {"expanding", "fixed"}, default="expanding"
        ``"expanding"``: train on every row before the fold; ``"fixed"``: on the newest
        ``initial_train_size`` of them.
    gap : int >= 0 or None, default=None
        Rows left out between training and test rows. None: ``horizon - 1`` (the largest
        horizon for several), the smallest gap that does not leak; a smaller one raises.
    horizon : int >= 1 or None, default=None
        Horizon of 1-D windows. None: the one :func:`~sklearn_hydro.make_windows` records
        with them (``X.attrs["horizon"]``), else 1; a value that contradicts the recorded
        one is refused (a backtest of horizon-7 windows as horizon 1 would train on six
        days after each fold's origin). Read from the ``_h<k>`` column names of a 2-D ``y``.
    interval : float in (0, 1) or None, default=None
        Nominal coverage of prediction intervals, made as ``interval_method`` says.
    interval_method : {"conformal", "rolling"}, default="conformal"
        ``"conformal"``: the estimator's own ``predict_interval``, or (1-D ``y``) a
        :class:`~sklearn_hydro.conformal.ConformalRegressor` around it, which calibrates at
        every fit (a second fit each time). ``"rolling"``: no extra fit; intervals from the
        backtest's own earlier errors (:func:`rolling_intervals`), none for the first
        forecasts.
    n_jobs : int or None, default=None
        Fits run in parallel through joblib (one job per fit), with scikit-learn's meaning:
        None is one job unless a ``joblib.parallel_config`` context says otherwise, -1 every
        core (or worker of the backend). With one job the fits run here one after the other.
    verbose : int, default=0
        Print one line per fit when > 0 (and joblib's progress when > 1 in parallel).
    progress : callable or None, default=None
        Called with one line of text per fit (e.g. a logger), whatever ``verbose``.
    warm_start : bool, default=False
        Each refit after the first continues from the previous fit
        (:func:`~sklearn_hydro.utils.set_warm_start`: the networks start from their trained
        weights, the blend keeps its weights) instead of a fresh clone: a few epochs instead
        of a whole training. Serial only.
    update : bool, default=False
        Between refits, pass the rows whose targets have been observed by each fold's
        origin to the model's ``update`` method (e.g. adaptive conformal intervals of a
        :class:`~sklearn_hydro.conformal.ConformalRegressor`), as a deployed model would
        see them day by day.

    Returns
    -------
    BacktestResult
        ``predictions`` (one row per forecast) and ``folds`` (per-fold metrics).

    Examples
    --------
    >>> from sklearn.impute import SimpleImputer
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn_hydro import make_windows
    >>> from sklearn_hydro.datasets import make_synthetic_demand
    >>> from sklearn_hydro.model_selection import backtest
    >>> model = make_pipeline(SimpleImputer(), Ridge())
    >>> frame = make_synthetic_demand(n_days=200, random_state=0)
    >>> X, y = make_windows(frame, "demand", lookback=7, covariates=["rain"])
    >>> result = backtest(model, X, y, initial_train_size=120, step=7)
    >>> len(result.folds), len(result.predictions)
    (11, 71)
    >>> list(result.predictions.columns)
    ['fold', 'origin', 'target_date', 'horizon', 'observed', 'predicted']
    """
    _check_time_order(X, y)
    positions, index = _time_positions(X, y)
    panel = len(index) != len(positions)
    n = len(index)
    horizons = _horizons(y, _declared_horizon(X, y, horizon))
    min_gap = max(horizons) - 1
    gap = min_gap if gap is None else gap
    if gap < min_gap:
        raise ValueError(
            f"gap={gap} leaks: with horizon {max(horizons)} the last {min_gap} training "
            f"row(s) before a fold have targets after its origin; use gap >= {min_gap}"
        )
    multi = len(np.shape(y)) == 2
    rolling = interval is not None and interval_method == "rolling"
    predict_interval = interval is not None and not rolling
    if update and not hasattr(estimator, "update") and not (
        predict_interval and not multi
    ):
        raise ValueError("update=True needs an estimator with an update method")
    if predict_interval and not hasattr(estimator, "predict_interval"):
        if panel:
            raise ValueError(
                "intervals for panel windows need an estimator with predict_interval, e.g. "
                "PerSeriesRegressor(ConformalRegressor(...)), so that each series is "
                "calibrated on its own errors; or interval_method='rolling'"
            )
        if multi:
            raise ValueError(
                "intervals for several horizons need an estimator with predict_interval, e.g. "
                "DirectHorizonRegressor(ConformalRegressor(...))"
            )
        from ..conformal import ConformalRegressor

        estimator = ConformalRegressor(estimator, coverage=interval, gap=gap)
    folds = _folds(n, initial_train_size, step, gap, refit, window)
    groups = []
    for fold in folds:
        if fold["refit"]:
            groups.append([])
        groups[-1].append(fold)

    say = progress
    if say is None and verbose:
        say = print  # noqa: T201 (progress output asked for)
    start = time.perf_counter()
    if warm_start and effective_n_jobs(n_jobs) != 1:
        raise ValueError("warm_start=True refits one model after another: it needs n_jobs=1")
    if effective_n_jobs(n_jobs) == 1:
        results, previous = [], None
        for i, group in enumerate(groups, 1):
            if previous is not None and warm_start:
                previous = set_warm_start(previous)
            results.append(_run_group(estimator, X, y, group, predict_interval, interval,
                                      update, gap, positions, start_from=previous))
            previous = results[-1].model if warm_start else None
            if say is not None:
                elapsed = time.perf_counter() - start
                eta = elapsed / i * (len(groups) - i)
                say(f"backtest fit {i}/{len(groups)}: {elapsed:.1f} s elapsed, ~{eta:.0f} s left")
    else:
        results = Parallel(n_jobs=n_jobs, verbose=max(0, int(verbose) - 1) * 10)(
            delayed(in_task)(_run_group, estimator, X, y, g, predict_interval, interval,
                             update, gap, positions)
            for g in groups
        )
        if say is not None:
            say(f"backtest: {len(groups)} fits in {time.perf_counter() - start:.1f} s")

    # rows whose target is missing are not windows: the step allows gaps
    step_size = time_step(index, gaps=True) if isinstance(index, pd.DatetimeIndex) else None
    Y = np.asarray(y, dtype=np.float64).reshape(len(positions), -1)
    series = series_labels(X if hasattr(X, "index") else y)
    alpha = None if interval is None else 1.0 - interval
    pred_parts, fold_rows = [], []
    for fold, pred, bounds, fit_s in (item for group in results for item in group):
        test = _rows(positions, fold["test"])
        pred = pred.reshape(len(test), -1)
        if bounds is not None:
            bounds = bounds.reshape(len(test), len(horizons), 2)
        when = index[positions[test]]
        for j, h in enumerate(horizons):
            if multi:  # rows indexed by origin
                origin = when
                target_date = when + h * step_size if step_size is not None else when
            else:  # rows indexed by target date
                target_date = when
                origin = when - h * step_size if step_size is not None else when
            part = pd.DataFrame(
                {
                    "fold": fold["fold"],
                    "origin": origin,
                    "target_date": target_date,
                    "horizon": h,
                    "observed": Y[test, j],
                    "predicted": pred[:, j],
                }
            )
            if panel:
                part.insert(1, "series", series[test])
            if bounds is not None:
                part["lower"], part["upper"] = bounds[:, j, 0], bounds[:, j, 1]
            pred_parts.append(part)
        fold_pred = pd.concat(pred_parts[-len(horizons):])
        train_span, test_span = fold["train"], fold["test"]
        row = {
            "fold": fold["fold"],
            "train_start": index[train_span[0]],
            "train_end": index[train_span[1] - 1],
            "n_train": len(_rows(positions, train_span)),
            "test_start": index[test_span[0]],
            "test_end": index[test_span[1] - 1],
            "n_test": len(test),
            "refit": fold["refit"],
            "fit_s": fit_s,
            **_point_metrics(fold_pred["observed"], fold_pred["predicted"]),
        }
        if bounds is not None:
            row.update(
                _interval_metrics(fold_pred["observed"], fold_pred["lower"], fold_pred["upper"],
                                  alpha)
            )
        fold_rows.append(row)
    predictions = pd.concat(pred_parts, ignore_index=True)
    predictions = predictions.sort_values(["origin", "horizon"], kind="stable")
    predictions = predictions.reset_index(drop=True)
    if rolling:
        predictions["lower"], predictions["upper"] = np.nan, np.nan
        for _, part in (predictions.groupby("series", sort=False) if panel
                        else [(None, predictions)]):
            low, high = rolling_intervals(part, interval)
            predictions.loc[part.index, "lower"] = low
            predictions.loc[part.index, "upper"] = high
        for row in fold_rows:
            part = predictions[predictions["fold"] == row["fold"]]
            row.update(_interval_metrics(part["observed"], part["lower"], part["upper"], alpha))
    config = {
        "initial_train_size": initial_train_size,
        "step": step,
        "refit": refit,
        "window": window,
        "gap": gap,
        "horizons": horizons,
        "interval": interval,
        "alpha": alpha,
        "update": update,
        "interval_method": interval_method if interval is not None else None,
        "n_folds": len(folds),
        "n_fits": len(groups),
        "wall_s": time.perf_counter() - start,
    }
    return BacktestResult(predictions, pd.DataFrame(fold_rows), config)
