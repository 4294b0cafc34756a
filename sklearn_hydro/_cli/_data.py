"""The command line's data: its source (BWDF, synthetic, a CSV), calendar and covariates."""

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..datasets import read_dated_csv

__all__ = ["ColumnRoles", "DataSpec", "check_output_dir", "load_data", "select_roles",
           "is_hourly", "unit_of"]

# calendar of the BWDF city (as its loader builds it)
_BWDF_CALENDAR = {"country": "IT", "extra_holidays": [(11, 3)]}


class DataSpec(dict):
    """How the frame was made, kept with a saved model so that ``forecast`` can redo it."""


def unit_of(args, spec):
    """The target's unit: ``--unit``, else m3/day for the built-in data, else None."""
    if getattr(args, "unit", None):
        return args.unit
    if spec.get("source") == "bwdf" and is_hourly(spec):
        return "L/s"
    return "m3/day" if spec.get("source") in ("bwdf", "synthetic") else None


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

    params = calendar_params(spec)
    del params["calendar"]  # the same settings as the forecaster's calendar
    return calendar_features(dates, **params)


def calendar_params(spec):
    """The calendar parameters of a :class:`~sklearn_hydro.Forecaster` for ``spec``."""
    holidays = [tuple(d) for d in spec.get("extra_holidays") or ()]
    return {"calendar": bool(spec.get("calendar")), "country": spec.get("country"),
            "subdivision": spec.get("subdivision"), "extra_holidays": holidays}


def is_hourly(spec):
    """Whether a run reads hours (``--hourly``, or a model fitted on hours)."""
    return spec.get("freq") == "h"


def calendar_names(frame, spec):
    """The calendar columns of a run (derived from the dates; none without the calendar)."""
    if not spec.get("calendar"):
        return []
    return list(_calendar(frame.index[:2], spec).columns)  # two rows: hours have "hour"


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
    hourly = bool(getattr(args, "hourly", False) or spec.get("freq") == "h")
    timezone = getattr(args, "timezone", None) or spec.get("timezone")
    if getattr(args, "hourly", False) and args.command not in ("fit", "forecast"):
        raise ValueError(f"--hourly: the {args.command} command is daily; fit and forecast "
                         "take hours (and the bwdf command runs the hourly competition)")
    if hourly and getattr(args, "resample", None):
        raise ValueError("--hourly reads the rows as hours: leave out --resample")
    if args.csv:
        date_column = args.date_column or spec.get("date_column") or "date"
        resample = None if hourly else args.resample or spec.get("resample")
        frame = read_dated_csv(args.csv, date_column=date_column, date_format=args.date_format,
                               dayfirst=args.dayfirst, resample=resample,
                               target=args.target or "demand", freq="h" if hourly else "D",
                               timezone=timezone)
        source = f"CSV file {args.csv}" + (" (hourly)" if hourly else "")
        if source_kind != "csv":
            spec.clear()
            spec.update(source="csv", date_column=date_column, resample=resample,
                        calendar=not args.no_calendar, country=args.country,
                        subdivision=args.subdivision)
            if hourly:
                spec.update(freq="h", timezone=timezone)
    elif args.synthetic or (source_kind == "synthetic" and not args.area):
        from ..datasets import SYNTHETIC_HOLIDAYS, make_synthetic_demand

        frame = make_synthetic_demand(random_state=args.seed)
        source = "synthetic demand (make_synthetic_demand)"
        if source_kind != "synthetic":
            spec.clear()
            spec.update(source="synthetic", calendar=True,
                        extra_holidays=[list(d) for d in sorted(SYNTHETIC_HOLIDAYS)])
    else:
        from ..datasets import load_bwdf, load_bwdf_hourly

        area = args.area or spec.get("area") or "DMA 5"
        area = int(area) if str(area).isdigit() else area
        frame = load_bwdf_hourly(area) if hourly else load_bwdf(area)
        name = f"DMA {area}" if isinstance(area, int) else area
        source = (f"BWDF data set, {name} " + ("(hourly inflow, L/s)" if hourly
                                               else "(daily volume, m3)"))
        if source_kind != "bwdf":
            spec.clear()
            spec.update(source="bwdf", area=area, calendar=True, **_BWDF_CALENDAR)
            spec["extra_holidays"] = [list(d) for d in spec["extra_holidays"]]
            if hourly:
                spec.update(freq="h", timezone="Europe/Rome")
    until = getattr(args, "until", None)
    if until:
        try:
            end = pd.Timestamp(until)
        except ValueError:
            raise ValueError(f"--until {until!r} is not a date (e.g. 2024-06-30)") from None
        if frame.index.tz is not None and end.tz is None:
            end = end.tz_localize(frame.index.tz)
        frame = frame.loc[:end]
        if frame.empty:
            raise ValueError(f"--until {until}: no data on or before that date")
        source += f", up to {end:%Y-%m-%d}"
    return frame, source, spec


@dataclass
class ColumnRoles:
    """The role of every column of a run: declared, never guessed from correlations.

    ``known``: data columns known ahead (their value at the target day is read);
    ``past``: columns read as lags only (observed up to the origin); ``calendar``: derived
    from the dates, known ahead; ``proxies``: past columns that give the target almost
    exactly on its own day (harmless as lags, listed so that the user sees them).
    """

    known: list
    past: list
    calendar: list
    proxies: list = field(default_factory=list)

    @property
    def known_ahead(self):
        """Every column read at the target day: the known data columns and the calendar."""
        return self.known + [c for c in self.calendar if c not in self.known]

    @property
    def lagged(self):
        """Every data column read as lags (the calendar's lags are not)."""
        return self.known + self.past


#: Sources whose weather columns are known ahead by convention: the BWDF competition gave
#: the observed weather of the forecast week as a perfect weather forecast.
_WEATHER_KNOWN_AHEAD = ("bwdf", "synthetic")


def select_roles(frame, target, spec, *, columns=None, known_ahead=None, past=None,
                 guard=True):
    """The column roles of a run (see :class:`ColumnRoles`).

    ``columns``: the data columns to use (None: every other numeric column but the
    calendar's). ``known_ahead``: the known-ahead ones (None: none for a CSV; for the
    built-in BWDF and synthetic data, their weather, by the competition's convention).
    ``past``: the lags-only ones (None: every used column that is not known ahead).
    Known-ahead columns that give the target on its own day (a copy, a sum of parts, a
    product or ratio, a near-copy) are refused with ``guard``, as the forecasts would read
    the target itself (:func:`~sklearn_hydro.model_selection.find_same_day_proxies`).
    """
    from ..model_selection import find_same_day_proxies

    if target not in frame.columns:
        raise ValueError(f"target column {target!r} not found (columns: {list(frame.columns)})")
    if not pd.api.types.is_numeric_dtype(frame[target]):
        raise ValueError(f"target column {target!r} is not numeric")
    calendar = calendar_names(frame, spec)
    cal = set(calendar)
    for option, names in (("--covariates", columns), ("--known-ahead", known_ahead),
                          ("--past", past)):
        if names is None:
            continue
        missing = [c for c in names if c not in frame.columns and c not in cal]
        if missing:
            raise ValueError(f"{option}: column(s) not found: {missing} (columns: "
                             f"{list(frame.columns)})")
        bad = [c for c in names if c in frame.columns
               and not pd.api.types.is_numeric_dtype(frame[c])]
        if bad:
            raise ValueError(f"{option}: column(s) not numeric: {bad}")
        if target in names:
            raise ValueError(f"{option} names the target {target!r}")
    if columns is None:
        columns = [c for c in frame.columns if c != target and c not in cal
                   and pd.api.types.is_numeric_dtype(frame[c])]
    columns = [c for c in columns if c not in cal]
    if known_ahead is None:
        known = list(columns) if spec.get("source") in _WEATHER_KNOWN_AHEAD else []
    else:
        known = [c for c in known_ahead if c not in cal]
    if past is None:
        past = [c for c in columns if c not in known]
    empty = [c for c in [*known, *past] if c in frame.columns and frame[c].isna().all()]
    if empty:
        raise ValueError(f"column(s) {empty} hold no value at all; leave them out "
                         "(--covariates lists the ones to use)")
    both = sorted(set(known) & set(past))
    if both:
        raise ValueError(f"column(s) {both} are both --known-ahead and --past: give each one "
                         "role")
    if guard and known:
        found = find_same_day_proxies(frame, target, known)
        if found:
            names = "; ".join(" + ".join(g) + f" ({kind})" for g, kind in found)
            raise ValueError(
                f"known-ahead column(s) that give the target {target!r} on its own day: "
                f"{names}. They are not known before the target is, and would make every "
                "forecast look perfect. Read them as lags only (--past) or leave them out "
                "(--covariates lists the ones to use); if they really are known ahead, pass "
                "--no-leakage-guard"
            )
    proxies = find_same_day_proxies(frame, target, list(past)) if past else []
    return ColumnRoles(list(known), list(past), calendar, proxies)


def describe_inputs(frame, target, roles):
    """What each column is used as, and the values the models will impute."""
    observed = [c for c in roles.lagged if c in frame.columns]
    n_cov_missing = int(frame[observed].isna().sum().sum()) if observed else 0
    n_target_missing = int(frame[target].isna().sum())

    def names(cols):
        return ", ".join(cols) if cols else "none"

    line = (f"known ahead, read at the target day ({len(roles.known)}): {names(roles.known)}; "
            f"past only, read as lags ({len(roles.past)}): {names(roles.past)}; calendar, "
            f"from the dates ({len(roles.calendar)}): {names(roles.calendar)}")
    if roles.proxies:
        line += ("; same-day proxies of the target, read as lags only: "
                 + "; ".join(" + ".join(g) + f" ({kind})" for g, kind in roles.proxies))
    return line + (
        f"; imputed: {n_cov_missing} missing covariate value(s) (median of the training "
        f"rows), {n_target_missing} missing target day(s) (as lags: filled from their "
        "neighbours in each window; as targets: no window)"
    )
