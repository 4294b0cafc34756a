"""``python -m sklearn_hydro``: reproduce the study's comparison on real data and write a report.

With no arguments it loads the default BWDF district (daily), builds forecast windows, makes
the chronological 60/40 split, fits the study's seven models and the peers, prints a ranked
table and writes CSV/Markdown tables, predictions, plots and ``report.md`` to ``--output``.
"""

import argparse
import sys
import time

DEFAULT_AREA = "DMA 5"


def _parser():
    from .study import PEER_MODELS, STUDY_MODELS

    p = argparse.ArgumentParser(
        prog="python -m sklearn_hydro",
        description="Reproduce the DWT-PCA-LSTM study's comparison on daily demand data, "
        "leakage-free, and write a report.",
    )
    src = p.add_argument_group("data (default: the BWDF data set, one district, daily)")
    src.add_argument("--area", default=DEFAULT_AREA,
                     help=f"BWDF district, e.g. 'DMA 3' or 3 (default: {DEFAULT_AREA!r})")
    src.add_argument("--csv", metavar="PATH",
                     help="your own daily data: a CSV with a date column, the target and "
                     "known-ahead covariates")
    src.add_argument("--date-column", default="date", help="date column of --csv (default: date)")
    src.add_argument("--target", default="demand", help="target column (default: demand)")
    src.add_argument("--covariates", metavar="A,B,...",
                     help="covariate columns (default: every other numeric column)")
    src.add_argument("--synthetic", action="store_true",
                     help="use the built-in synthetic demand series (no download, for a demo)")
    m = p.add_argument_group("study")
    m.add_argument("--models", metavar="A,B,...",
                   help="models to run (default: all). Study: " + ", ".join(STUDY_MODELS)
                   + ". Peers: " + ", ".join(PEER_MODELS))
    m.add_argument("--lookback", type=int, default=28, help="lags per window (default: 28)")
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
    m.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    m.add_argument("--threads", type=int, default=1,
                   help="torch threads (default: 1, the fastest for these small networks)")
    m.add_argument("--quick", action="store_true",
                   help="small, briefly trained networks: a fast look, not a fair comparison")
    o = p.add_argument_group("output")
    o.add_argument("--output", default="hydro_report", help="output folder (default: hydro_report)")
    o.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    o.add_argument("-q", "--quiet", action="store_true", help="print only the final table")
    return p


def _split_list(text):
    return [t.strip() for t in text.split(",") if t.strip()] if text else None


def _load(args):
    import pandas as pd

    if args.csv:
        try:
            frame = pd.read_csv(args.csv)
        except FileNotFoundError:
            raise ValueError(f"CSV file not found: {args.csv}") from None
        if args.date_column not in frame.columns:
            raise ValueError(
                f"date column {args.date_column!r} not in {args.csv} (columns: "
                f"{list(frame.columns)}); use --date-column"
            )
        try:
            dates = pd.to_datetime(frame.pop(args.date_column))
        except (ValueError, TypeError) as exc:
            raise ValueError(f"cannot parse the date column {args.date_column!r}: {exc}") from None
        frame.index = pd.DatetimeIndex(dates, name="date")
        frame = frame.sort_index()
        if frame.index.has_duplicates:
            raise ValueError(f"{args.csv} has duplicate dates")
        if len(frame) < 2:
            raise ValueError(f"{args.csv} has fewer than two rows")
        # missing dates become rows of NaN, at the series' most common step (a day, usually)
        frame = frame.asfreq(frame.index.to_series().diff().mode().iloc[0])
        return frame, f"CSV file {args.csv}"
    if args.synthetic:
        from .datasets import make_synthetic_demand

        frame = make_synthetic_demand(random_state=args.seed)
        return frame, "synthetic demand (make_synthetic_demand)"
    from .datasets import load_bwdf

    area = int(args.area) if str(args.area).isdigit() else args.area
    return load_bwdf(area), f"BWDF data set, {area} (daily volume, m3)"


def main(argv=None):
    """Entry point of ``python -m sklearn_hydro`` and the ``sklearn-hydro`` script."""
    args = _parser().parse_args(argv)
    say = (lambda line: None) if args.quiet else (lambda line: print(line, flush=True))
    start = time.perf_counter()
    try:
        import pandas as pd

        from .study import run_study
        from .study._report import describe_frame, write_report

        say("loading data ...")
        frame, source = _load(args)
        if args.target not in frame.columns:
            raise ValueError(
                f"target column {args.target!r} not found (columns: {list(frame.columns)})"
            )
        if not pd.api.types.is_numeric_dtype(frame[args.target]):
            raise ValueError(f"target column {args.target!r} is not numeric")
        covariates = _split_list(args.covariates)
        if covariates is None:
            covariates = [
                c for c in frame.columns
                if c != args.target and pd.api.types.is_numeric_dtype(frame[c])
            ]
        description = describe_frame(frame, args.target, source)
        say(description)
        import torch

        torch.set_num_threads(max(1, args.threads))
        result = run_study(
            frame,
            target=args.target,
            covariates=covariates,
            models=_split_list(args.models),
            lookback=args.lookback,
            horizon=args.horizon,
            train_fraction=args.train_fraction,
            protocol=args.protocol,
            random_state=args.seed,
            quick=args.quick,
            level=args.level,
            progress=say,
        )
        wall = time.perf_counter() - start
        # BWDF and the synthetic series are daily volumes in m3; a CSV's unit is unknown
        unit = None if args.csv else "m³/day"
        written = write_report(result, args.output, data_description=description,
                               wall_seconds=wall, plots=not args.no_plots, unit=unit)
    except (ValueError, TypeError, ImportError, FileNotFoundError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    columns = ["model", "MAPE", "pMAPE", "EVS", "R", "fit_s", "kind", "leaky"]
    with pd.option_context("display.width", 120, "display.precision", 3):
        print(result.table[columns].to_string())
    print(f"wall time {wall:.1f} s; wrote {', '.join(str(p) for p in written)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
