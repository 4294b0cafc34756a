"""Panels: several series in one frame indexed by ``(series, time)``.

The helpers every panel-aware piece shares: telling a panel, its series and its times, and
applying a one-series function to each series.
"""

import numpy as np
import pandas as pd

__all__ = [
    "SERIES",
    "apply_per_series",
    "day_positions",
    "is_panel",
    "series_labels",
    "series_prefix",
    "time_values",
]

SERIES = "series"


def is_panel(data):
    """True if ``data`` (a frame, Series or windows) is indexed by ``(series, time)``.

    Examples
    --------
    >>> from sklearn_hydro.datasets import make_synthetic_demand
    >>> from sklearn_hydro.utils import is_panel
    >>> is_panel(make_synthetic_demand(60, n_series=3)), is_panel(make_synthetic_demand(60))
    (True, False)
    """
    index = getattr(data, "index", None)
    return isinstance(index, pd.MultiIndex) and index.nlevels == 2


def series_labels(data):
    """The series of each row of a panel (its index's first level), or None for one series.

    Examples
    --------
    >>> from sklearn_hydro.datasets import make_synthetic_demand
    >>> from sklearn_hydro.utils import series_labels
    >>> series_labels(make_synthetic_demand(8, n_series=2))[:3].tolist()
    ['S001', 'S001', 'S001']
    """
    if not is_panel(data):
        return None
    return np.asarray(data.index.get_level_values(0))


def time_values(data):
    return data.index.get_level_values(1)


def day_positions(data):
    """Each row's position among the distinct times of a panel, and those times in order.

    Rows of the same day share a position, so splits and folds cut on days, across series.
    """
    times = time_values(data)
    days = pd.Index(times.unique()).sort_values()
    return days.get_indexer(times), days


def series_prefix(series):
    return f"series {series!r}: "


def apply_per_series(function, panel, *args, per_series=None, **kwargs):
    """Apply a window function to each series of a panel and stack the results.

    ``function(frame_of_one_series, *args, **kwargs)`` returns a frame (or Series) or a
    tuple of them, indexed by time; the results get the series as their first index level
    and are put in time order (ties in the panel's series order), the order every forecast
    model of this library expects. An error names its series. ``per_series`` maps keyword
    arguments to panels whose series' part goes with that series (None where it has none).

    Examples
    --------
    >>> from sklearn_hydro import make_windows
    >>> from sklearn_hydro.datasets import make_synthetic_demand
    >>> from sklearn_hydro.utils import apply_per_series
    >>> panel = make_synthetic_demand(30, n_series=2, missing_fraction=0)
    >>> X, y = apply_per_series(make_windows, panel, "demand", 7)
    >>> X.index[:3].tolist()  # doctest: +NORMALIZE_WHITESPACE
    [('S001', Timestamp('2021-01-08 00:00:00')), ('S002', Timestamp('2021-01-08 00:00:00')),
     ('S001', Timestamp('2021-01-09 00:00:00'))]
    """
    if not is_panel(panel):
        raise ValueError("apply_per_series needs a panel indexed by (series, time)")
    level = panel.index.names[0] or SERIES
    names = list(pd.unique(panel.index.get_level_values(0)))
    outputs = []
    for series in names:
        frame = panel.xs(series, level=0)
        own = {
            key: (value.xs(series, level=0) if series in value.index.get_level_values(0)
                  else None)
            for key, value in (per_series or {}).items()
        }
        try:
            out = function(frame, *args, **kwargs, **own)
        except (ValueError, TypeError) as exc:
            raise type(exc)(series_prefix(series) + str(exc)) from exc
        outputs.append(out if isinstance(out, tuple) else (out,))
    rank = {s: i for i, s in enumerate(names)}
    stacked = []
    for j in range(len(outputs[0])):
        part = pd.concat([o[j] for o in outputs], keys=names, names=[level])
        times = np.asarray(part.index.get_level_values(1))
        codes = np.array([rank[s] for s in part.index.get_level_values(0)])
        order = np.lexsort((codes, times))
        stacked.append(part.iloc[order])
    return stacked[0] if len(stacked) == 1 else tuple(stacked)
