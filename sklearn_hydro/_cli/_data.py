"""The command line's data: read a CSV safely, add calendar features, choose covariates."""

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["DataSpec", "check_output_dir", "load_data", "read_dated_csv", "select_covariates"]

_TRUE = {"y", "yes", "true", "t"}
_FALSE = {"n", "no", "false", "f"}
# calendar of the BWDF city (as its loader builds it)
_BWDF_CALENDAR = {"country": "IT", "extra_holidays": [(11, 3)]}


class DataSpec(dict):
    """How the frame was made, kept with a saved model so that ``forecast`` can redo it."""


def check_output_dir(path, what="--output"):
    """Create the output folder now (before any fitting) and check it can be written."""
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise ValueError(f"{what} {out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    probe = out / ".sklearn_hydro_write_test"
    probe.write_text("")
    probe.unlink()
    return out


def check_output_file(path, what="--output"):
    """Check that a file can be written at ``path`` (its folder is created)."""
    out = Path(path)
    if out.is_dir():
        raise ValueError(f"{what} {out} is a folder; give a file name, e.g. {out / 'model.skops'}")
    check_output_dir(out.parent if str(out.parent) else ".", what=f"the folder of {what}")
    return out


def _yes_no(series):
    """0/1 for a column of Y/N or true/false strings (any case); None if it is not one."""
    values = series.dropna()
    if values.empty or not all(isinstance(v, str) for v in values):
        return None
    lower = values.str.strip().str.lower()
    if not lower.isin(_TRUE | _FALSE).all():
        return None
    out = series.str.strip().str.lower().map(lambda v: 1.0 if v in _TRUE else 0.0)
    return out.where(series.notna())


def read_dated_csv(path, *, date_column="date", date_format=None, dayfirst=False,
                   resample=None, what="CSV file"):
    """A CSV as a daily frame: parsed dates as index, Y/N and booleans as 0/1.

    Missing days become rows of NaN. Data with steps shorter than a day need an explicit
    ``resample`` ("sum" or "mean" per day); longer steps are refused.
    """
    try:
        frame = pd.read_csv(path)
    except FileNotFoundError:
        raise ValueError(f"{what} not found: {path}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {what} {path}: {str(exc).splitlines()[0]}") from None
    if date_column not in frame.columns:
        raise ValueError(
            f"date column {date_column!r} not in {path} (columns: {list(frame.columns)}); "
            "use --date-column"
        )
    raw = frame.pop(date_column)
    try:
        if date_format:
            dates = pd.to_datetime(raw, format=date_format)
        else:
            dates = pd.to_datetime(raw, dayfirst=dayfirst)
    except (ValueError, TypeError) as exc:
        hint = "" if date_format else "; give the format with --date-format (e.g. %d-%m-%Y) "
        hint += "" if date_format or dayfirst else "or --dayfirst for DD-MM-YYYY dates"
        raise ValueError(
            f"cannot parse the date column {date_column!r}: {str(exc).splitlines()[0]}{hint}"
        ) from None
    if dates.isna().any():
        raise ValueError(f"the date column {date_column!r} has {int(dates.isna().sum())} "
                         "empty value(s)")
    frame.index = pd.DatetimeIndex(dates, name="date")
    for col in frame.columns:
        if pd.api.types.is_bool_dtype(frame[col]):
            frame[col] = frame[col].astype(np.float64)
        elif frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            yn = _yes_no(frame[col])
            if yn is not None:
                frame[col] = yn
    frame = frame.sort_index()
    if frame.index.has_duplicates and resample is None:
        dup = frame.index[frame.index.duplicated()][0]
        raise ValueError(f"{path} has duplicate dates, e.g. {dup}")
    if len(frame) < 2:
        raise ValueError(f"{path} has fewer than two rows")
    step = pd.Series(frame.index[1:] - frame.index[:-1]).median()
    if resample is not None:
        numeric = frame.select_dtypes("number")
        daily = numeric.resample("D")
        frame = daily.sum(min_count=1) if resample == "sum" else daily.mean()
    elif step < pd.Timedelta(days=1):
        raise ValueError(
            f"{path} is not daily: its typical time step is {step}. Choose how to make daily "
            "values with --resample sum (volumes) or --resample mean (rates, temperatures)"
        )
    elif step > pd.Timedelta(days=1):
        raise ValueError(f"{path} is not daily: its typical time step is {step}; daily data "
                         "are needed")
    else:
        frame.index = frame.index.normalize()
        if frame.index.has_duplicates:
            raise ValueError(f"{path} has several rows on the same day; use --resample")
        frame = frame.asfreq("D")
    return frame


def _calendar(dates, spec):
    from ..preprocessing import calendar_features

    kwargs = {k: spec[k] for k in ("country", "subdivision") if spec.get(k) is not None}
    if spec.get("extra_holidays"):
        kwargs["extra_holidays"] = [tuple(d) if isinstance(d, list) else d
                                    for d in spec["extra_holidays"]]
    return calendar_features(dates, **kwargs)


def add_calendar(frame, spec):
    """Add (or, for new dates, fill in) the calendar columns of ``frame`` from its dates.

    The first call records in ``spec`` which columns are calendar columns (those the data
    did not have already, for a CSV); ``forecast`` then computes the same for future days.
    """
    if not spec.get("calendar"):
        return frame
    cal = _calendar(frame.index, spec)
    if "calendar_columns" not in spec:
        spec["calendar_columns"] = [c for c in cal.columns if c not in frame.columns]
    out = frame.copy()
    for c in spec["calendar_columns"]:
        out[c] = cal[c].to_numpy()
    return out


def load_data(args, spec=None):
    """The frame of a run, a one-line description of its source, and how it was made.

    ``spec`` (from a saved model) fixes the source, the date parsing and the calendar.
    """
    spec = DataSpec(spec or {})
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
        from ..datasets import make_synthetic_demand
        from ..datasets._synthetic import _HOLIDAYS

        frame = make_synthetic_demand(random_state=args.seed)
        source = "synthetic demand (make_synthetic_demand)"
        if source_kind != "synthetic":
            spec.clear()
            spec.update(source="synthetic", calendar=True,
                        extra_holidays=[list(d) for d in sorted(_HOLIDAYS)])
            spec["calendar_columns"] = list(_calendar(frame.index[:1], spec).columns)
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
            spec["calendar_columns"] = list(_calendar(frame.index[:1], spec).columns)
    frame = add_calendar(frame, spec)
    return frame, source, spec


def select_covariates(frame, target, covariates, *, guard=True, calendar=()):
    """The covariates of a run: the named ones, or every other numeric column.

    With named covariates, the ``calendar`` columns derived from the dates are added too.
    The others are checked for same-day reconstructions of the target (``guard``).

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
    n_cov_missing = int(frame[covariates].isna().sum().sum()) if covariates else 0
    n_target_missing = int(frame[target].isna().sum())
    used = ", ".join(covariates) if covariates else "none"
    return (
        f"covariates used ({len(covariates)}): {used}; imputed: {n_cov_missing} missing "
        f"covariate value(s) (median of the training rows), {n_target_missing} missing "
        "target day(s) (as lags: filled from their neighbours in each window; as targets: "
        "no window)"
    )
