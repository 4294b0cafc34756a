"""One window's wavelet decomposition, denoised part and residual."""

import numpy as np

from ._base import _pyplot, _row, _window_title, _writable, _ylabel

__all__ = ["DecompositionDisplay"]


def _denoised_only(fitted, values):
    """The denoised rows, whatever the fitted denoiser's ``output``."""
    out = np.asarray(fitted.transform(values), dtype=float)
    if fitted.output == "both":
        return out[:, : out.shape[1] // 2]
    if fitted.output == "residual":
        return np.asarray(values, dtype=float) - out
    return out


class DecompositionDisplay:
    """One window's wavelet decomposition, its denoised part and its residual.

    The top panel shows the window, the denoised window (what the study's first branch
    reads) and the residual (what the second branch reads); one panel per coefficient
    array follows (approximation, then details from coarse to fine), with the
    thresholds the denoiser applies.

    Parameters
    ----------
    window, denoised : ndarray of shape (n_lags,)
    coefficients : list of ndarray
        ``pywt.wavedec`` output for the window: ``[cA_n, cD_n, ..., cD_1]``.
    thresholds : ndarray of shape (n_levels,) or None, default=None
        Threshold of each detail level (coarse to fine).
    wavelet : str, default=""
    label : str, default=""
        Which window (used in the title).
    unit : str or None, default=None

    Attributes
    ----------
    axes_ : ndarray of matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hydro.plotting import DecompositionDisplay
    >>> from sklearn_hydro.preprocessing import WaveletDenoiser
    >>> X = np.random.default_rng(0).normal(100, 5, size=(40, 28))
    >>> denoiser = WaveletDenoiser("db2", level=2).fit(X)
    >>> display = DecompositionDisplay.from_estimator(denoiser, X, row=0)
    >>> len(display.axes_)  # window + approximation + 2 detail levels
    4
    """

    def __init__(self, *, window, denoised, coefficients, thresholds=None, wavelet="",
                 label="", unit=None):
        self.window = window
        self.denoised = denoised
        self.coefficients = coefficients
        self.thresholds = thresholds
        self.wavelet = wavelet
        self.label = label
        self.unit = unit

    def plot(self, axes=None):
        """Draw the decomposition.

        Parameters
        ----------
        axes : sequence of matplotlib Axes or None, default=None
            ``len(coefficients) + 1`` axes to draw on; a new figure when None.

        Returns
        -------
        display : DecompositionDisplay
        """
        plt = _pyplot()
        n_panels = len(self.coefficients) + 1
        if axes is None:
            _, axes = plt.subplots(n_panels, 1, figsize=(8, 1.7 * n_panels + 1.2),
                                   height_ratios=[2.2] + [1] * (n_panels - 1))
        axes = np.asarray(axes, dtype=object).ravel()
        if len(axes) != n_panels:
            raise ValueError(f"need {n_panels} axes, got {len(axes)}")
        n = len(self.window)
        lags = np.arange(-n + 1, 1)
        top = axes[0]
        top.plot(lags, self.window, color="0.4", lw=1, label="window")
        top.plot(lags, self.denoised, color="C0", lw=1.8, label="denoised")
        twin = top.twinx()
        twin.bar(lags, self.window - self.denoised, color="C2", alpha=0.35, width=0.8,
                 label="residual")
        twin.set_ylabel("residual", fontsize=8)
        twin.tick_params(labelsize=7)
        handles = top.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
        top.legend(handles=handles, loc="upper left", fontsize=8)
        top.set_ylabel(_ylabel("value", self.unit))
        top.set_xlabel("days before the forecast origin (0 = origin)")
        top.set_title(f"Wavelet decomposition ({self.wavelet}) of one {_window_title(self.label)}")
        n_levels = len(self.coefficients) - 1
        for i, (ax, coef) in enumerate(zip(axes[1:], self.coefficients, strict=True)):
            pos = np.arange(len(coef))
            if i == 0:
                ax.plot(pos, coef, "o-", color="C0", ms=3)
                name = f"cA{n_levels}"
            else:
                ax.vlines(pos, 0, coef, color="C1")
                ax.plot(pos, coef, "o", color="C1", ms=3)
                name = f"cD{n_levels - i + 1}"
                if self.thresholds is not None:
                    t = float(self.thresholds[i - 1])
                    ax.axhspan(-t, t, color="C3", alpha=0.12, lw=0)
            ax.set_ylabel(name, rotation=0, ha="right", va="center")
            ax.tick_params(labelsize=7)
            ax.grid(alpha=0.3)
        axes[-1].set_xlabel("coefficient index (shaded: zeroed by the threshold)")
        self.axes_ = axes
        self.figure_ = axes[0].figure
        self.figure_.tight_layout()
        return self

    @classmethod
    def from_estimator(cls, denoiser, X, *, row=-1, unit=None, axes=None):
        """Decompose row ``row`` of ``X`` as a fitted denoiser does.

        Parameters
        ----------
        denoiser : fitted WaveletDenoiser
        X : array-like or pandas.DataFrame of shape (n_samples, n_lags)
            Lag windows (the denoiser's input, outliers already smoothed).
        row : int, default=-1
            Position of the row to draw.
        unit : str or None, default=None
        axes : sequence of matplotlib Axes or None, default=None

        Returns
        -------
        display : DecompositionDisplay
        """
        import pywt

        values, label = _row(X, row)
        window = _writable(values)
        denoised = _denoised_only(denoiser, values)[0]
        coefficients = pywt.wavedec(window, denoiser.wavelet, mode=denoiser.signal_extension,
                                    level=denoiser.level_)
        display = cls(window=window, denoised=denoised, coefficients=coefficients,
                      thresholds=np.asarray(denoiser.thresholds_, dtype=float),
                      wavelet=denoiser.wavelet, label=label, unit=unit)
        return display.plot(axes=axes)

