"""The entry point of ``python -m sklearn_hydro``: the study's comparison, backtests, and
tomorrow's forecast.

Subcommands (``study`` is the default, so ``python -m sklearn_hydro`` alone runs it):

* ``study``: the DWT-PCA-LSTM study's comparison on one chronological split, with a report;
* ``backtest``: a rolling-origin backtest of one model (per-origin table, metrics, a plot);
* ``fit``: train the default forecaster (or a named model) for days 1..H on all the data,
  with conformal intervals, and save it (skops format, not a pickle);
* ``forecast``: load a saved model and forecast the next H days from the latest data and the
  known-ahead covariates you supply (e.g. a weather forecast CSV).

This module imports nothing heavy at start, so ``--help`` is fast (no torch).
"""

import sys
import time

from ._parser import COMMANDS, _parser, _split_list
from ._threads import restore_threads, set_threads


def _run_study(args, say):
    import pandas as pd

    from ._commands import roles_of
    from ._data import add_calendar, check_output_dir, describe_inputs, load_data, unit_of

    models = _split_list(args.models, "--models")
    check_output_dir(args.output, force=args.force)
    say("loading data ...")
    frame, source, spec = load_data(args)
    frame = add_calendar(frame, spec)
    target = args.target or "demand"
    roles = roles_of(args, frame, target, spec)
    from ..study import describe_frame, run_study, verdicts, write_report

    description = describe_frame(frame, target, source)
    inputs = describe_inputs(frame, target, roles)
    say(description)
    say(inputs)
    set_threads(args.threads)
    start = time.perf_counter()
    result = run_study(
        frame, target=target, covariates=roles.known_ahead, past_covariates=roles.lagged,
        models=models, lookback=args.lookback,
        horizon=args.horizon, train_fraction=args.train_fraction, protocol=args.protocol,
        random_state=args.seed, quick=args.quick, level=args.level, select=args.select,
        progress=say,
    )
    wall = time.perf_counter() - start
    written = write_report(result, args.output, data_description=description + " " + inputs,
                           wall_seconds=wall, plots=not args.no_plots,
                           unit=unit_of(args, spec))
    columns = ["model", "MAPE", "pMAPE", "EVS", "R", "fit_s", "kind", "leaky"]
    if args.select:
        columns.append("CV_MAPE")
    with pd.option_context("display.width", 120, "display.precision", 3):
        print(result.table[columns].to_string())
    if args.select:
        print(f"chosen by cross-validation on the training part: {result.config['cv_choice']}")
    for line in verdicts(result.table):
        print(line[2:])
    print(f"wall time {wall:.1f} s; wrote {', '.join(str(p) for p in written)}")


def main(argv=None):
    """Entry point of ``python -m sklearn_hydro`` and the ``sklearn-hydro`` script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv = ["study", *argv]
    args = _parser().parse_args(argv)
    say = (lambda line: None) if args.quiet else (lambda line: print(line, flush=True))
    try:
        if args.command == "study":
            _run_study(args, say)
        else:
            from . import _commands

            status = getattr(_commands, f"run_{args.command}")(args, say)
            if isinstance(status, int):
                return status
    except KeyboardInterrupt:
        print("interrupted: the command stopped before writing its output", file=sys.stderr)
        return 130
    except (ValueError, TypeError, ImportError, OSError, RuntimeError, KeyError) as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        print(f"error: {message}", file=sys.stderr)
        return 2
    finally:
        restore_threads()
    return 0

