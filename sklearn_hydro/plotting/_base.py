"""What every Display shares: matplotlib on demand, axes, labels, gaps and LEAKY marks."""

import numpy as np
import pandas as pd

#: Label added to models whose numbers come from a leaky protocol.
LEAKY_LABEL = "LEAKY"


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            'plotting needs matplotlib: pip install "sklearn-hydro[plot]"'
        ) from exc
    return plt


def _new_axes(ax, figsize):
    """``(ax, created)``: the given axes, or the axes of a new figure."""
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
        return ax, True
    return ax, False


def _finish(display, ax, created):
    """Store the axes; lay out a figure the display made itself (never the caller's)."""
    if created:
        ax.figure.tight_layout()
    display.ax_ = ax
    display.figure_ = ax.figure
    return display


def _ylabel(target_name, unit):
    return f"{target_name} ({unit})" if unit else target_name


def _leaky_set(leaky, names):
    if leaky is None:
        return set()
    leaky = {leaky} if isinstance(leaky, str) else set(leaky)
    unknown = leaky - set(names)
    if unknown:
        raise ValueError(f"leaky names {sorted(unknown)} are not among the models {list(names)}")
    return leaky


def _as_series(values, index, name):
    if isinstance(values, pd.Series):
        if index is not None and not values.index.equals(index):
            values = values.reindex(index)
        return values.rename(name)
    values = np.asarray(values, dtype=float)
    if values.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {values.shape}")
    if index is not None and len(values) != len(index):
        raise ValueError(f"{name} has {len(values)} values for {len(index)} dates")
    return pd.Series(values, index=index, name=name)


def _fill_gaps(frame):
    """Reindex a date-indexed frame to its regular step so missing days become NaN rows.

    matplotlib breaks a line at NaN, so the plot shows a gap instead of a straight line
    bridging the missing days.
    """
    index = frame.index
    if not isinstance(index, pd.DatetimeIndex) or len(index) < 3 or not index.is_unique:
        return frame
    step = index.to_series().diff().dropna().mode().iloc[0]
    if step <= pd.Timedelta(0):
        return frame
    full = pd.date_range(index.min(), index.max(), freq=step, tz=index.tz, name=index.name)
    if len(full) > 10 * len(index):  # not a regular series with gaps: leave it alone
        return frame
    return frame.reindex(full)


def _row(X, row):
    """``(values, label)``: row ``row`` of ``X`` (a one-row frame or array) and its name."""
    if isinstance(X, pd.DataFrame):
        return X.iloc[[row]], X.index[row]
    return np.asarray(X, dtype=float)[[row]], row


def _writable(values):
    """A float copy of one row: pandas may hand out read-only views, which pywt refuses."""
    return np.array(values, dtype=float)[0]


def _window_title(label):
    if isinstance(label, pd.Timestamp):
        return f"window for target date {label:%Y-%m-%d}"
    return f"window {label}"
