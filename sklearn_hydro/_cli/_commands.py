"""The ``backtest``, ``fit`` and ``forecast`` commands."""

import time
from pathlib import Path

import numpy as np
import pandas as pd

from ._data import (
    add_calendar,
    check_output_dir,
    check_output_file,
    describe_inputs,
    load_data,
    read_dated_csv,
    select_covariates,
)
from ._parser import _split_list
from ._threads import set_threads

__all__ = ["build_forecaster", "run_audit", "run_backtest", "run_fit", "run_forecast"]

#: Interval settings of the command line's forecasters: recency-weighted split conformal
#: with adaptive updates (adaptive conformal inference); see benchmarks/bench_intervals.py.
INTERVAL_PARAMS = {"calibration_size": 0.2, "method": "weighted", "half_life": 60,
                   "adapt_rate": 0.02, "symmetric": False}


def build_forecaster(name="default", *, lookback=28, horizons=7, coverage=0.9, random_state=0,
                     target=None, neural_params=None, conformal=True):
    """The command line's model: ``DirectHorizonRegressor(ConformalRegressor(base))``.

    (``DirectHorizonRegressor(base)`` with ``conformal=False``.)

    ``base`` is the default forecaster (:func:`~sklearn_hydro.forecasting.make_forecaster`) for
    ``"default"``, or a model of :func:`~sklearn_hydro.study.make_study_model` by name. The
    windows it reads hold the covariates both as past covariates (lags) and known ahead, as
    in :func:`~sklearn_hydro.study.run_study`.

    Returns
    -------
    model : DirectHorizonRegressor
    label : str
        What ``base`` is, for reports.
    """
    from .. import study
    from ..conformal import ConformalRegressor
    from ..forecasting import DirectHorizonRegressor

    hs = list(range(1, horizons + 1)) if isinstance(horizons, int) else list(horizons)
    known = list(study.ALL_MODELS)
    name = study.DEFAULT_MODEL if name in (None, "default") else name
    if name not in known:
        raise ValueError(f"unknown model {name!r}; choose 'default' or one of {known}")
    if name == "Seasonal-naive-7" and max(hs) > 1:
        raise ValueError("Seasonal-naive-7 serves one horizon; use --horizon 1")
    base = study.make_study_model(name, lookback=lookback, random_state=random_state,
                                  target=target, neural_params=neural_params)
    label = "default forecaster (make_forecaster)" if name == study.DEFAULT_MODEL else name
    if conformal:
        base = ConformalRegressor(base, coverage=coverage, gap=max(hs) - 1, **INTERVAL_PARAMS)
    return DirectHorizonRegressor(base), label


#: Lags in the windows at least (the default forecaster reads 14), as in run_study.
MIN_WINDOW_LAGS = 14


def _check_common(args):
    if args.lookback < 1 or args.horizon < 1:
        raise ValueError("--lookback and --horizon must be at least 1")
    interval = getattr(args, "interval", 0.9)
    if interval and not 0 < interval < 1:
        raise ValueError(f"--interval must be in (0, 1), got {interval}")


def _prepare(args, say):
    from ..windows import make_multi_horizon_windows

    say("loading data ...")
    frame, source, spec = load_data(args)
    target = args.target or "demand"
    covariates = select_covariates(frame, target, _split(args.covariates),
                                   guard=not args.no_leakage_guard,
                                   calendar=spec.get("calendar_columns", ()))
    say(f"{source}; {len(frame)} days from {frame.index[0]:%Y-%m-%d} to "
        f"{frame.index[-1]:%Y-%m-%d}")
    say(describe_inputs(frame, target, covariates))
    X, Y = make_multi_horizon_windows(frame, target, max(args.lookback, MIN_WINDOW_LAGS),
                                      args.horizon, covariates, past_covariates=covariates)
    return frame, source, spec, target, covariates, X, Y


def _quick(args):
    if not getattr(args, "quick", False):
        return None
    from ..study import DEFAULT_MODEL, quick_params

    return quick_params(DEFAULT_MODEL if args.model in (None, "default") else args.model)


def _split(text):
    return _split_list(text, "--covariates")


def run_backtest(args, say):
    """``backtest``: per-forecast table, per-fold and per-horizon metrics, a plot."""
    from ..model_selection import backtest

    _check_common(args)
    if args.step < 1 or args.refit < 0:
        raise ValueError("--step must be at least 1 and --refit at least 0")
    out = check_output_dir(args.output)
    frame, source, spec, target, covariates, X, Y = _prepare(args, say)
    interval = args.interval or None
    rolling = args.intervals == "rolling"
    model, label = build_forecaster(args.model, lookback=args.lookback, horizons=args.horizon,
                                    coverage=interval or 0.9, random_state=args.seed,
                                    target=target, neural_params=_quick(args),
                                    conformal=interval is not None and not rolling)
    if args.test_days is not None:
        initial = len(Y) - args.test_days - (args.horizon - 1)
    else:
        initial = args.initial_train or int(round(len(Y) * args.initial_train_fraction))
    if not 2 <= initial < len(Y):
        raise ValueError(f"the first training window ({initial} rows) must leave rows to "
                         f"forecast among the {len(Y)} windows")
    set_threads(args.threads)
    say(f"backtest of {label}: {len(Y)} windows, first training window {initial} rows, "
        f"origins every {args.step} day(s), refit every {args.refit or 'never'} fold(s)")
    start = time.perf_counter()
    result = backtest(model, X, Y, initial_train_size=initial, step=args.step,
                      refit=args.refit if args.refit > 0 else False, window=args.window,
                      interval=interval, n_jobs=args.n_jobs, progress=say,
                      update=interval is not None and not rolling,
                      interval_method="rolling" if rolling else "conformal")
    wall = time.perf_counter() - start
    by_h = result.by_horizon()
    written = [out / "backtest.csv", out / "folds.csv", out / "horizons.csv"]
    result.predictions.to_csv(written[0], index=False)
    result.folds.to_csv(written[1], index=False)
    by_h.to_csv(written[2])
    if not args.no_plots:
        try:
            from ._plots import plot_backtest
        except ImportError:  # matplotlib is an optional extra
            pass
        else:
            written.append(plot_backtest(result, out / "backtest.png", target=target,
                                         title=f"{label}, {source}"))
    lines = [
        "# sklearn-hydro backtest", "",
        f"Data: {source}. {describe_inputs(frame, target, covariates)}.", "",
        f"Model: {label}, lookback {args.lookback}, days 1..{args.horizon} ahead (direct "
        f"strategy); intervals: {'none' if interval is None else f'{interval:.0%} conformal'}"
        + ("" if interval is None else f" ({args.intervals})") + ".",
        f"Origins: {len(result.folds)} folds of {args.step} day(s) from "
        f"{result.predictions['origin'].min():%Y-%m-%d} to "
        f"{result.predictions['origin'].max():%Y-%m-%d}; {result.config['n_fits']} fits "
        f"({args.window} window); wall time {wall:.0f} s.", "",
        "Metrics by horizon:", "", "```", by_h.round(3).to_string(), "```", "",
    ]
    (out / "report.md").write_text("\n".join(lines) + "\n")
    written.append(out / "report.md")
    with pd.option_context("display.width", 120):
        print(by_h.round(3).to_string())
    print(f"wall time {wall:.1f} s; wrote {', '.join(str(p) for p in written)}")


def run_fit(args, say):
    """``fit``: train on all windows and save the model with what ``forecast`` needs."""
    from .. import __version__
    from ..io import save_model

    _check_common(args)
    path = check_output_file(args.output)
    frame, source, spec, target, covariates, X, Y = _prepare(args, say)
    model, label = build_forecaster(args.model, lookback=args.lookback, horizons=args.horizon,
                                    coverage=args.interval, random_state=args.seed,
                                    target=target, neural_params=_quick(args))
    set_threads(args.threads)
    say(f"fitting {label} for days 1..{args.horizon} on {len(Y)} windows ...")
    start = time.perf_counter()
    model.fit(X, Y)
    fit_s = time.perf_counter() - start
    metadata = {
        "target": target,
        "covariates": covariates,
        "lookback": args.lookback,
        "window_lags": max(args.lookback, MIN_WINDOW_LAGS),
        "horizons": list(range(1, args.horizon + 1)),
        "coverage": args.interval,
        "model": label,
        "data": dict(spec),
        "source": source,
        "last_origin": str(X.index[-1].date()),
        "n_windows": len(Y),
        "library": __version__,
    }
    save_model(model, path, metadata=metadata)
    print(f"fitted {label} on {len(Y)} windows ({X.index[0]:%Y-%m-%d} to "
          f"{X.index[-1]:%Y-%m-%d}) in {fit_s:.1f} s; saved {path}")


def _future_frame(path, spec, args):
    date_column = args.date_column or spec.get("date_column") or "date"
    return read_dated_csv(path, date_column=date_column, date_format=args.date_format,
                          dayfirst=args.dayfirst, what="future covariates file")


def run_forecast(args, say):
    """``forecast``: the next H days from the latest data, with intervals."""
    from ..forecasting import forecast_table
    from ..io import load_model
    from ..windows import make_forecast_rows, make_multi_horizon_windows

    model, meta = load_model(args.model_file)
    for path in (args.output, args.plot):
        if path:
            check_output_file(path)
    target, covariates = meta["target"], list(meta["covariates"])
    lookback = int(meta.get("window_lags", meta["lookback"]))
    horizons = [int(h) for h in meta["horizons"]]
    spec = dict(meta["data"])
    if args.target and args.target != target:
        raise ValueError(f"the model forecasts {target!r}, not {args.target!r}")
    if spec.get("source") == "csv" and not args.csv:
        raise ValueError("this model was fitted on a CSV file: give the latest data with --csv")
    say(f"model: {meta['model']}, target {target!r}, lookback {meta['lookback']}, days "
        f"1..{max(horizons)}"
        f", fitted on data up to {meta['last_origin']}")
    frame, source, spec = load_data(args, spec=spec)
    missing = [c for c in [target, *covariates] if c not in frame.columns]
    calendar = set(spec.get("calendar_columns", []))
    if [c for c in missing if c not in calendar]:
        raise ValueError(f"the data lack column(s) the model needs: {missing}")
    observed = frame.index[frame[target].notna().to_numpy()]
    if len(observed) == 0:
        raise ValueError(f"the target {target!r} is never observed in the data")
    origin = observed[-1]
    days = pd.date_range(origin, periods=max(horizons) + 1, freq="D")[1:]
    extended = frame.reindex(frame.index.union(days))
    extended.index.name = frame.index.name
    if args.future:
        future = _future_frame(args.future, spec, args)
        cols = [c for c in future.columns if c in covariates]
        if not cols:
            raise ValueError(f"{args.future} has none of the model's covariates {covariates}")
        extended.update(future.loc[future.index > origin, cols])  # future values win
    extended = add_calendar(extended, spec)
    # adaptive intervals: errors of the forecasts made since the fit, now observed
    if hasattr(model, "update"):
        try:
            X_new, Y_new = make_multi_horizon_windows(extended.loc[:origin], target, lookback,
                                                      horizons, covariates,
                                                      past_covariates=covariates)
        except ValueError:
            X_new = None
        if X_new is not None:
            since = X_new.index > pd.Timestamp(meta["last_origin"])
            if since.any():
                model.update(X_new[since], Y_new[since])
                say(f"updated the intervals with {int(since.sum())} origin(s) observed since "
                    "the fit")
    row = make_forecast_rows(extended, target, lookback, horizons, covariates,
                             past_covariates=covariates)
    table = forecast_table(model, row, horizons)
    say(f"{source}; forecasts from {row.index[0]:%Y-%m-%d} (the last observed {target!r}); "
        f"intervals: {meta['coverage']:.0%} conformal")
    with pd.option_context("display.width", 120, "display.precision", 2):
        print(table.to_string(index=False))
    if args.output:
        table.to_csv(Path(args.output), index=False)
        print(f"wrote {args.output}")
    if args.plot:
        from ._plots import plot_forecast

        plot_forecast(frame[target].loc[:origin], table, args.plot, target=target,
                      title=f"{meta['model']}, {source}")
        print(f"wrote {args.plot}")
    return table


def run_audit(args, say):
    """``audit``: the look-ahead audit of one model and protocol; returns 1 if it failed."""
    from .. import study
    from ..model_selection import audit_lookahead
    from ..windows import make_windows

    if args.lookback < 1 or args.origins < 1:
        raise ValueError("--lookback and --origins must be at least 1")
    say("loading data ...")
    frame, source, spec = load_data(args)
    target = args.target or "demand"
    calendar = spec.get("calendar_columns", ())
    covariates = select_covariates(frame, target, _split(args.covariates),
                                   guard=not args.no_leakage_guard, calendar=calendar)
    name = study.DEFAULT_MODEL if args.model in (None, "default") else args.model
    if name not in study.ALL_MODELS:
        raise ValueError(f"unknown model {name!r}; choose 'default' or one of "
                         f"{list(study.ALL_MODELS)}")
    leaky = args.protocol == "whole-series"
    if leaky and not name.startswith("DWT"):
        raise ValueError("--protocol whole-series applies to the DWT models only")
    model = study.make_study_model(name, lookback=args.lookback, random_state=args.seed,
                                   target=target, neural_params=_quick(args), predenoised=leaky)
    window_lags = max(args.lookback, MIN_WINDOW_LAGS)
    if leaky:
        def windows(f, t, lookback, horizon, c):
            return study.whole_series_windows(f, t, args.lookback, horizon, c)
    else:
        def windows(f, t, lookback, horizon, c):
            return make_windows(f, t, window_lags, horizon, c, past_covariates=c)
    index = frame.index
    positions = np.linspace(0.5, 0.9, args.origins) * (len(index) - 1)
    origins = [index[int(p)] for p in positions]
    set_threads(args.threads)
    say(f"auditing {name} ({args.protocol} protocol) on {source} at {len(origins)} origin(s)")
    audit = audit_lookahead(model, frame, target, lookback=window_lags, covariates=covariates,
                            origins=origins, windows=windows,
                            known_ahead=[c for c in covariates if c not in set(calendar)])
    print(str(audit))
    if not audit.passed:
        with pd.option_context("display.width", 120, "display.precision", 2):
            print(audit.moved.head(10).to_string(index=False))
        return 1
    return 0
