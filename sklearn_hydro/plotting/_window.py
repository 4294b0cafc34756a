"""One forecast window, its outliers and what the smoother puts in their place."""

import numpy as np

from ._base import _finish, _new_axes, _row, _window_title, _writable, _ylabel

__all__ = ["WindowDisplay"]


class WindowDisplay:
    """One forecast window: its values, the flagged outliers and what replaces them.

    Parameters
    ----------
    window : ndarray of shape (n_lags,)
        The window's values, oldest to newest (NaN for missing ones).
    smoothed : ndarray of shape (n_lags,)
        The window after :class:`~sklearn_hydro.preprocessing.SigmaOutlierSmoother`.
    outlier_mask : ndarray of bool, shape (n_lags,)
        Which values were flagged (outliers and missing values).
    lower, upper : ndarray of shape (n_lags,) or None, default=None
        The smoother's accepted band per lag.
    label : str, default=""
        Which window (used in the title).
    unit : str or None, default=None
        Unit of the values.

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hydro.plotting import WindowDisplay
    >>> from sklearn_hydro.preprocessing import SigmaOutlierSmoother
    >>> X = np.random.default_rng(0).normal(100, 5, size=(50, 14))
    >>> X[-1, 6] = 400.0
    >>> smoother = SigmaOutlierSmoother().fit(X[:-1])
    >>> display = WindowDisplay.from_estimator(smoother, X, row=-1)
    >>> [int(i) for i in np.flatnonzero(display.outlier_mask)]
    [6]
    """

    def __init__(self, *, window, smoothed, outlier_mask, lower=None, upper=None, label="",
                 unit=None):
        self.window = window
        self.smoothed = smoothed
        self.outlier_mask = outlier_mask
        self.lower = lower
        self.upper = upper
        self.label = label
        self.unit = unit

    def plot(self, ax=None):
        """Draw the window.

        Parameters
        ----------
        ax : matplotlib Axes or None, default=None
            Axes to draw on; a new figure when None.

        Returns
        -------
        display : WindowDisplay
        """
        ax, created = _new_axes(ax, (8, 4.4))
        n = len(self.window)
        lags = np.arange(-n + 1, 1)  # 0 is the forecast origin
        if self.lower is not None and self.upper is not None:
            ax.fill_between(lags, self.lower, self.upper, color="0.92",
                            label="accepted band (mean ± n_sigma·std)")
        ax.plot(lags, self.window, "o-", color="0.35", ms=3, lw=1, label="window as observed")
        ax.plot(lags, self.smoothed, color="C0", lw=1.6, label="after outlier smoothing")
        flagged = np.asarray(self.outlier_mask, dtype=bool)
        observed = flagged & ~np.isnan(self.window)
        ax.plot(lags[observed], self.window[observed], "x", color="C3", ms=9, mew=2,
                label="flagged outlier")
        missing = flagged & np.isnan(self.window)
        if missing.any():
            ax.plot(lags[missing], self.smoothed[missing], "s", mfc="none", color="C1", ms=8,
                    label="missing, filled")
        ax.set_xlabel("days before the forecast origin (0 = origin)")
        ax.set_ylabel(_ylabel("value", self.unit))
        ax.set_title(f"Outliers in one {_window_title(self.label)}")
        # below the axes: the accepted band fills the plot, so any inner spot hides data
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=8,
                  frameon=False)
        ax.grid(alpha=0.3)
        return _finish(self, ax, created)

    @classmethod
    def from_estimator(cls, smoother, X, *, row=-1, unit=None, ax=None):
        """Plot row ``row`` of ``X`` as a fitted smoother sees it.

        Parameters
        ----------
        smoother : fitted SigmaOutlierSmoother
        X : array-like or pandas.DataFrame of shape (n_samples, n_lags)
            Lag windows (only the lag block: the smoother's input).
        row : int, default=-1
            Position of the row to draw.
        unit : str or None, default=None
            Unit of the values.
        ax : matplotlib Axes or None, default=None

        Returns
        -------
        display : WindowDisplay
        """
        values, label = _row(X, row)
        window = _writable(values)
        smoothed = np.asarray(smoother.transform(values), dtype=float)[0]
        mask = np.asarray(smoother.get_outlier_mask(values), dtype=bool)[0]
        lower = np.broadcast_to(smoother.lower_, window.shape)
        upper = np.broadcast_to(smoother.upper_, window.shape)
        display = cls(window=window, smoothed=smoothed, outlier_mask=mask, lower=lower,
                      upper=upper, label=label, unit=unit)
        return display.plot(ax=ax)

