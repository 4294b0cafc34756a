"""Run the study's comparison on one chronological split and collect the metrics."""

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..metrics import regression_report
from ..preprocessing import denoise, is_calendar_column, smooth_outliers
from ..utils import is_panel
from ..windows import covariate_columns, make_windows
from ._models import make_study_model
from ._names import ABLATION_MODELS, DEFAULT_MODEL, PEER_MODELS, REGISTRY, STUDY_MODELS

__all__ = ["StudyResult", "chronological_split", "run_study", "whole_series_windows"]

PROTOCOLS = ("honest", "whole-series")
MIN_TRAIN_WINDOWS, MIN_TEST_WINDOWS = 30, 10
#: Neural settings of ``quick=True``: a fast look, not a fair comparison.
QUICK_NEURAL_PARAMS = {"max_epochs": 15, "hidden_size": 16, "n_iter_no_change": 5}
QUICK_FORECASTER_PARAMS = {**QUICK_NEURAL_PARAMS, "n_estimators": 1, "head_size": 16}
#: Every model the runner knows, in its default order.
ALL_MODELS = (*STUDY_MODELS, *ABLATION_MODELS, *PEER_MODELS, DEFAULT_MODEL)
#: Lags of the windows at least (the default forecaster reads 14); the command line's
#: forecasters use the same.
MIN_WINDOW_LAGS = 14


def chronological_split(X, y, train_fraction=0.6, *, start=None, end=None):
    """Split windows in time order: the first ``train_fraction`` of the *days* train.

    With a DatetimeIndex (the target dates of :func:`~sklearn_hydro.make_windows`), the
    days from ``start`` to ``end`` (default: the first and last target date) are cut at
    ``start + round(train_fraction * n_days)`` days, as the study split its series; pass the
    frame's first and last day so that the lookback days count, as they did in the study.
    Without dates the first ``train_fraction`` of the rows train. Panel windows (indexed
    ``(series, date)``, in time order) are cut on the same day for every series.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hydro.study import chronological_split
    >>> X_train, X_test, y_train, y_test = chronological_split(np.arange(10)[:, None],
    ...                                                        np.arange(10), 0.6)
    >>> y_train.tolist(), y_test.tolist()
    ([0, 1, 2, 3, 4, 5], [6, 7, 8, 9])
    """
    if not 0.0 < train_fraction < 1.0:
        raise ValueError(f"train_fraction must be in (0, 1), got {train_fraction!r}")
    n = len(y)
    index = getattr(X, "index", None)
    if is_panel(X):  # cut the panel's days
        index = index.get_level_values(1)
        if not index.is_monotonic_increasing:
            raise ValueError("panel windows must be in time order (as make_windows gives)")
    if isinstance(index, pd.DatetimeIndex) and len(index):
        first = pd.Timestamp(index[0] if start is None else start)
        last = pd.Timestamp(index[-1] if end is None else end)
        n_days = (last - first).days + 1
        cutoff = first + pd.Timedelta(days=int(round(n_days * train_fraction)))
        n_train = int(np.searchsorted(index.to_numpy(), cutoff.to_datetime64(), side="left"))
    else:
        n_train = int(round(n * train_fraction))
    if n_train < 2 or n - n_train < 2:
        raise ValueError(
            f"{n} windows are too few for a {train_fraction:.0%} / {1 - train_fraction:.0%} "
            "split: each side needs at least two"
        )

    def take(a, rows):
        return a.iloc[rows] if hasattr(a, "iloc") else a[rows]

    train, test = slice(0, n_train), slice(n_train, n)
    return take(X, train), take(X, test), take(y, train), take(y, test)


def whole_series_windows(frame, target, lookback, horizon=1, covariates=None, *, wavelet="db4",
                         level=None):
    """Windows as the study made them: clean and denoise the WHOLE series, then window it.

    **Leaky by design**: every denoised value depends on values after it, test period
    included. It exists only to show how much this protocol flatters the DWT models. Rows
    and targets are those of ``make_windows(frame, ...)``; the lag block holds the denoised
    lags (``<target>_lag<k>_denoised``) followed by the residual lags
    (``<target>_lag<k>_residual``), the names :class:`~sklearn_hydro.WaveletDenoiser` gives
    them, then the covariates.

    Examples
    --------
    >>> from sklearn_hydro.datasets import make_synthetic_demand
    >>> from sklearn_hydro.study import whole_series_windows
    >>> frame = make_synthetic_demand(n_days=120, random_state=0)
    >>> X, y = whole_series_windows(frame, "demand", lookback=3, covariates=["rain"])
    >>> list(X.columns)  # doctest: +NORMALIZE_WHITESPACE
    ['demand_lag3_denoised', 'demand_lag2_denoised', 'demand_lag1_denoised',
     'demand_lag3_residual', 'demand_lag2_residual', 'demand_lag1_residual', 'rain']
    """
    X, y = make_windows(frame, target, lookback, horizon, covariates)
    cleaned = smooth_outliers(frame[target])
    signal = denoise(cleaned, wavelet=wavelet, level=level)
    blocks = []
    for suffix, series in (("denoised", signal), ("residual", cleaned - signal)):
        part = pd.DataFrame({target: series.to_numpy()}, index=frame.index)
        Xs, _ = make_windows(part, target, lookback, horizon, covariates=[])
        blocks.append(Xs.loc[X.index].add_suffix(f"_{suffix}"))
    blocks.append(X[covariate_columns(X)])
    return pd.concat(blocks, axis=1), y


@dataclass
class StudyResult:
    """What :func:`run_study` returns.

    Attributes
    ----------
    table : DataFrame
        One row per model, ranked by MAPE: MAPE and pMAPE (percent), EVS, R, fit and
        predict seconds, and whether the model is one of the study's or a peer.
    predictions : DataFrame
        Test-period observations (column ``observed``) and each model's forecasts.
    config : dict
        The settings of the run.
    """

    table: pd.DataFrame
    predictions: pd.DataFrame
    config: dict = field(default_factory=dict)


def run_study(
    frame,
    *,
    target="demand",
    covariates=None,
    past_covariates=None,
    models=None,
    lookback=28,
    horizon=1,
    train_fraction=0.6,
    protocol="honest",
    random_state=0,
    quick=False,
    level="row",
    peak_quantile=0.9,
    select=None,
    progress=None,
):
    """Fit the study's models, the peers and the default forecaster on one split; score them.

    The split is chronological by calendar days: the first ``train_fraction`` of the frame's
    days train, the rest test, as in the study. The windows hold the target's lags, the past
    covariates' lags (the covariates observed up to the origin, read only by the default
    forecaster) and the target day's covariates.

    Parameters
    ----------
    frame : DataFrame
        Daily, regularly indexed frame with the target and covariates.
    target : str, default="demand"
    covariates : list of str or None, default=None
        Covariates (None: every other column), known ahead for the target day.
    past_covariates : list of str or None, default=None
        Columns windowed as lags for the default forecaster (the study's models do not read
        them); columns observed only up to the origin belong here and not in
        ``covariates``. None: the covariates that are not calendar columns.
    models : list of str or None, default=None
        Names from :data:`ALL_MODELS` (None: all of them).
    lookback, horizon : int
        Window shape of the study's models, see :func:`~sklearn_hydro.make_windows`.
    train_fraction : float, default=0.6
        The study's chronological 60 % / 40 % split (of the days).
    protocol : {"honest", "whole-series"}, default="honest"
        ``"whole-series"`` reproduces the study's leaky protocol for the DWT models (the
        whole series is denoised before splitting); the other models are unchanged.
    random_state : int, default=0
    quick : bool, default=False
        Small, short-trained networks for a fast look.
    level : {"row", "global"}, default="row"
        See :func:`make_study_model`.
    peak_quantile : float, default=0.9
    select : {None, "cv"}, default=None
        ``"cv"``: also score every model by TimeSeriesSplit cross-validation (3 folds, gap
        ``horizon - 1``) on the training part only, and name the model with the best CV
        MAPE: the honest choice, made without looking at the test period.
    progress : callable or None
        Called with one line of text per step (e.g. ``print``).

    Returns
    -------
    StudyResult

    Examples
    --------
    >>> from sklearn_hydro.datasets import make_synthetic_demand
    >>> from sklearn_hydro.study import run_study
    >>> frame = make_synthetic_demand(n_days=300, random_state=0)
    >>> result = run_study(frame, models=["Persistence", "Ridge"], lookback=14)
    >>> sorted(result.table["model"])
    ['Persistence', 'Ridge']
    >>> list(result.table.columns[:5])
    ['model', 'MAPE', 'pMAPE', 'EVS', 'R']
    """
    if protocol not in PROTOCOLS:
        raise ValueError(f"protocol must be one of {PROTOCOLS}, got {protocol!r}")
    if select not in (None, "cv"):
        raise ValueError(f"select must be None or 'cv', got {select!r}")
    models = list(ALL_MODELS) if models is None else list(models)
    unknown = [m for m in models if m not in ALL_MODELS]
    if not models:
        raise ValueError(f"no model given; choose from {list(ALL_MODELS)}")
    if unknown:
        raise ValueError(f"unknown model(s) {unknown}; choose from {list(ALL_MODELS)}")
    say = progress or (lambda line: None)

    if covariates is None:
        covariates = [c for c in frame.columns if c != target]
    window_lags = max(lookback, MIN_WINDOW_LAGS)
    # the observed covariates before the origin (weather), for the default forecaster
    if past_covariates is None:
        past = [c for c in covariates if not is_calendar_column(c)]
    else:
        past = list(past_covariates)
    X, y = make_windows(frame, target, window_lags, horizon, covariates, past_covariates=past)
    X_train, X_test, y_train, y_test = chronological_split(
        X, y, train_fraction, start=frame.index[0], end=frame.index[-1]
    )
    if len(X_train) < MIN_TRAIN_WINDOWS or len(X_test) < MIN_TEST_WINDOWS:
        raise ValueError(
            f"too few windows: {len(frame)} rows give {len(X)} windows with lookback "
            f"{window_lags} and horizon {horizon}, split {len(X_train)} train / {len(X_test)} "
            f"test; the study needs at least {MIN_TRAIN_WINDOWS} train and "
            f"{MIN_TEST_WINDOWS} test windows (use more data or a shorter lookback)"
        )
    if protocol == "whole-series":
        X_leaky, _ = whole_series_windows(frame, target, lookback, horizon, covariates)
        X_leaky = X_leaky.loc[X.index]
        X_leaky_train, X_leaky_test = X_leaky.loc[X_train.index], X_leaky.loc[X_test.index]
    say(
        f"{len(X)} windows (lookback {lookback}, horizon {horizon}); train "
        f"{X_train.index[0]:%Y-%m-%d}..{X_train.index[-1]:%Y-%m-%d} ({len(X_train)}), test "
        f"{X_test.index[0]:%Y-%m-%d}..{X_test.index[-1]:%Y-%m-%d} ({len(X_test)}); "
        f"protocol {protocol}"
    )

    rows, predictions = [], {"observed": y_test.to_numpy()}
    for i, name in enumerate(models, 1):
        leaky = protocol == "whole-series" and bool(REGISTRY[name][2].get("denoise"))
        model = make_study_model(
            name,
            lookback=lookback,
            horizon=horizon,
            random_state=random_state,
            neural_params=quick_params(name) if quick else None,
            level=level,
            predenoised=leaky,
            target=target,
        )
        Xtr, Xte = (X_leaky_train, X_leaky_test) if leaky else (X_train, X_test)
        cv_mape = _cv_mape(model, Xtr, y_train, horizon) if select == "cv" else np.nan
        start = time.perf_counter()
        model.fit(Xtr, y_train)
        fit_s = time.perf_counter() - start
        start = time.perf_counter()
        pred = np.asarray(model.predict(Xte), dtype=np.float64)
        predict_s = time.perf_counter() - start
        scores = regression_report(y_test, pred, peak_quantile=peak_quantile)
        rows.append(
            {
                "model": name,
                **scores,
                "fit_s": fit_s,
                "predict_s": predict_s,
                "kind": _kind(name),
                "leaky": leaky,
                **({"CV_MAPE": cv_mape} if select == "cv" else {}),
            }
        )
        predictions[name] = pred
        say(
            f"[{i}/{len(models)}] {name:<22} MAPE {scores['MAPE']:6.2f} %  "
            f"pMAPE {scores['pMAPE']:6.2f} %  R {scores['R']:.3f}  fit {fit_s:6.1f} s"
            + (f"  CV MAPE {cv_mape:6.2f} %" if select == "cv" else "")
            + ("  (leaky whole-series DWT)" if leaky else "")
        )

    table = pd.DataFrame(rows).sort_values("MAPE", kind="stable").reset_index(drop=True)
    table.index = pd.RangeIndex(1, len(table) + 1, name="rank")
    config = {
        "target": target,
        "covariates": covariate_columns(X),
        "lookback": lookback,
        "horizon": horizon,
        "train_fraction": train_fraction,
        "protocol": protocol,
        "random_state": random_state,
        "quick": quick,
        "level": level,
        "peak_quantile": peak_quantile,
        "n_windows": len(X),
        "train_period": (str(X_train.index[0].date()), str(X_train.index[-1].date())),
        "test_period": (str(X_test.index[0].date()), str(X_test.index[-1].date())),
        "select": select,
    }
    if select == "cv":
        honest = table[~table["leaky"]]
        config["cv_choice"] = str(honest.loc[honest["CV_MAPE"].idxmin(), "model"])
    return StudyResult(table, pd.DataFrame(predictions, index=y_test.index), config)


def _kind(name):
    if name in STUDY_MODELS:
        return "study"
    if name in ABLATION_MODELS:
        return "ablation"
    return "default" if name == DEFAULT_MODEL else "peer"


def quick_params(name):
    """Settings of a model's networks for ``--quick`` runs: small, briefly trained.

    Examples
    --------
    >>> from sklearn_hydro.study import quick_params
    >>> quick_params("DWT-PCA-LSTM")["max_epochs"]
    15
    """
    return dict(QUICK_FORECASTER_PARAMS if name == DEFAULT_MODEL else QUICK_NEURAL_PARAMS)


def _cv_mape(model, X, y, horizon, n_splits=3):
    """Mean MAPE of ``model`` over a TimeSeriesSplit of the training windows."""
    from sklearn.base import clone
    from sklearn.model_selection import TimeSeriesSplit

    from ..metrics import mean_absolute_percentage_error

    scores = []
    for train, test in TimeSeriesSplit(n_splits, gap=horizon - 1).split(X):
        fitted = clone(model).fit(X.iloc[train], y.iloc[train])
        scores.append(mean_absolute_percentage_error(y.iloc[test], fitted.predict(X.iloc[test])))
    return float(np.mean(scores))
