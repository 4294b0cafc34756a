"""The command line's data: its source (BWDF, synthetic, a CSV), calendar and covariates."""

from pathlib import Path

import pandas as pd

from ..datasets import read_dated_csv

__all__ = ["DataSpec", "check_output_dir", "load_data", "select_covariates"]

# calendar of the BWDF city (as its loader builds it)
_BWDF_CALENDAR = {"country": "IT", "extra_holidays": [(11, 3)]}


class DataSpec(dict):
    """How the frame was made, kept with a saved model so that ``forecast`` can redo it."""


def check_output_dir(path, what="--output", *, force=False):
    """Create the output folder now (before any fitting) and check it can be written.

    A folder that already holds files (an earlier report) is refused unless ``force``.
    """
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise ValueError(f"{what} {out} exists and is not a folder")
    if not force and out.is_dir() and any(p for p in out.iterdir()
                                          if not p.name.startswith(".")):
        raise ValueError(f"{what} {out} already holds files (an earlier run?); choose a new "
                         "folder or pass --force to replace them")
    out.mkdir(parents=True, exist_ok=True)
    probe = out / ".sklearn_hydro_write_test"
    probe.write_text("")
    probe.unlink()
    return out


def check_output_file(path, what="--output", *, force=False, inputs=()):
    """Check that a file can be written at ``path`` (its folder is created): not an input,
    and not an existing file unless ``force``."""
    from ..utils import check_not_input

    out = Path(path)
    if out.is_dir():
        raise ValueError(f"{what} {out} is a folder; give a file name, e.g. {out / 'model.skops'}")
    check_not_input(out, inputs, what)
    if out.exists() and not force:
        raise ValueError(f"{what} {out} exists; choose another file or pass --force to "
                         "replace it")
    parent = out.parent if str(out.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    return out


def _calendar(dates, spec):
    from ..preprocessing import calendar_features

    kwargs = {k: spec[k] for k in ("country", "subdivision") if spec.get(k) is not None}
    if spec.get("extra_holidays"):
        kwargs["extra_holidays"] = [tuple(d) if isinstance(d, list) else d
                                    for d in spec["extra_holidays"]]
    return calendar_features(dates, **kwargs)


def calendar_params(spec):
    """The calendar parameters of a :class:`~sklearn_hydro.Forecaster` for ``spec``."""
    holidays = [tuple(d) for d in spec.get("extra_holidays") or ()]
    return {"calendar": bool(spec.get("calendar")), "country": spec.get("country"),
            "subdivision": spec.get("subdivision"), "extra_holidays": holidays}


def calendar_names(frame, spec):
    """The calendar columns of a run (derived from the dates; none without the calendar)."""
    if not spec.get("calendar"):
        return []
    return list(_calendar(frame.index[:1], spec).columns)


def add_calendar(frame, spec):
    """``frame`` with the calendar columns it lacks (for the study and the audit, which take
    a frame with every column; the forecaster adds its calendar itself)."""
    names = [c for c in calendar_names(frame, spec) if c not in frame.columns]
    if not names:
        return frame
    cal = _calendar(frame.index, spec)
    out = frame.copy()
    for c in names:
        out[c] = cal[c].to_numpy()
    return out


def load_data(args, spec=None):
    """The frame of a run, a one-line description of its source, and how it was made.

    ``spec`` (from a saved model) fixes the source, the date parsing and the calendar.
    """
    spec = DataSpec(spec or {})
    spec.pop("calendar_columns", None)  # written by earlier versions: now derived
    source_kind = spec.get("source")
    if args.csv:
        date_column = args.date_column or spec.get("date_column") or "date"
        resample = args.resample or spec.get("resample")
        frame = read_dated_csv(args.csv, date_column=date_column, date_format=args.date_format,
                               dayfirst=args.dayfirst, resample=resample)
        source = f"CSV file {args.csv}"
        if source_kind != "csv":
            spec.clear()
            spec.update(source="csv", date_column=date_column, resample=resample,
                        calendar=not args.no_calendar, country=args.country,
                        subdivision=args.subdivision)
    elif args.synthetic or (source_kind == "synthetic" and not args.area):
        from ..datasets import SYNTHETIC_HOLIDAYS, make_synthetic_demand

        frame = make_synthetic_demand(random_state=args.seed)
        source = "synthetic demand (make_synthetic_demand)"
        if source_kind != "synthetic":
            spec.clear()
            spec.update(source="synthetic", calendar=True,
                        extra_holidays=[list(d) for d in sorted(SYNTHETIC_HOLIDAYS)])
    else:
        from ..datasets import load_bwdf

        area = args.area or spec.get("area") or "DMA 5"
        area = int(area) if str(area).isdigit() else area
        frame = load_bwdf(area)
        name = f"DMA {area}" if isinstance(area, int) else area
        source = f"BWDF data set, {name} (daily volume, m3)"
        if source_kind != "bwdf":
            spec.clear()
            spec.update(source="bwdf", area=area, calendar=True, **_BWDF_CALENDAR)
            spec["extra_holidays"] = [list(d) for d in spec["extra_holidays"]]
    return frame, source, spec


def select_covariates(frame, target, covariates, *, guard=True, calendar=()):
    """The covariates of a run: the named ones, or every other numeric column.

    The ``calendar`` columns derived from the dates are added too (known ahead by
    construction); the others are checked for same-day reconstructions of the target
    (``guard``).

    Columns that reconstruct the target on its own day are refused (see
    :func:`~sklearn_hydro.model_selection.find_target_reconstructions`).
    """
    from ..model_selection import find_target_reconstructions

    if target not in frame.columns:
        raise ValueError(f"target column {target!r} not found (columns: {list(frame.columns)})")
    if not pd.api.types.is_numeric_dtype(frame[target]):
        raise ValueError(f"target column {target!r} is not numeric")
    if covariates is None:
        covariates = [c for c in frame.columns
                      if c != target and pd.api.types.is_numeric_dtype(frame[c])]
    else:
        missing = [c for c in covariates if c not in frame.columns]
        if missing:
            raise ValueError(f"covariate column(s) not found: {missing} (columns: "
                             f"{list(frame.columns)})")
        bad = [c for c in covariates if not pd.api.types.is_numeric_dtype(frame[c])]
        if bad:
            raise ValueError(f"covariate column(s) not numeric: {bad}")
    covariates = list(covariates) + [c for c in calendar if c not in covariates]
    # the calendar columns are derived from the dates: known ahead by construction
    tested = [c for c in covariates if c not in set(calendar)]
    if guard and tested:
        groups = find_target_reconstructions(frame, target, tested)
        if groups:
            names = "; ".join(" + ".join(g) for g in groups)
            raise ValueError(
                f"covariate(s) that reconstruct the target {target!r} on the same day: {names}. "
                "They are not known before the target is, and would make every forecast look "
                "perfect. Leave them out (--covariates lists the ones to use) or, if they "
                "really are known ahead, pass --no-leakage-guard"
            )
    return list(covariates)


def describe_inputs(frame, target, covariates):
    """One line on the covariates used and the values the models will impute."""
    observed = [c for c in covariates if c in frame.columns]  # not the calendar to come
    n_cov_missing = int(frame[observed].isna().sum().sum()) if observed else 0
    n_target_missing = int(frame[target].isna().sum())
    used = ", ".join(covariates) if covariates else "none"
    return (
        f"covariates used ({len(covariates)}): {used}; imputed: {n_cov_missing} missing "
        f"covariate value(s) (median of the training rows), {n_target_missing} missing "
        "target day(s) (as lags: filled from their neighbours in each window; as targets: "
        "no window)"
    )
