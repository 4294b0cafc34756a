"""Plots as scikit-learn style Display objects (matplotlib is an optional extra).

Each Display is built with ``from_estimator`` (it calls the estimator for you) or
``from_predictions`` / ``from_samples`` (you pass what you already computed), draws itself
with ``plot(ax=...)`` and keeps what it drew in attributes ending in ``_`` (``ax_``,
``figure_``, ...), like :class:`sklearn.metrics.PredictionErrorDisplay`. Install matplotlib
with ``pip install "sklearn-hydro[plot]"``.

- :class:`ForecastDisplay`: forecasts against the observed series over time; missing days
  are gaps, the y axis carries the unit, intervals are bands, leaky models are marked.
- :class:`WindowDisplay`: one forecast window, its outliers and what the smoother puts in
  their place.
- :class:`DecompositionDisplay`: one window's wavelet decomposition, denoised part and
  residual.
- :class:`MetricsDisplay`: per-model metric bars with their values.
- :class:`SampleGridDisplay`: a grid of generated samples (images or sequences).
"""

import numpy as np
import pandas as pd

__all__ = [
    "DecompositionDisplay",
    "ForecastDisplay",
    "MetricsDisplay",
    "SampleGridDisplay",
    "WindowDisplay",
]

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


class ForecastDisplay:
    """Forecasts against the observed series over time.

    Missing days (days without a target, hence without a window) are drawn as gaps, never
    bridged by a line. The y axis carries the unit. A prediction interval is drawn as a
    band around the first model. Models trained under a leaky protocol are drawn dashed and
    labelled ``LEAKY``.

    Build it with :meth:`from_estimator` or :meth:`from_predictions`; the constructor only
    stores the data.

    Parameters
    ----------
    y_true : pandas.Series
        Observed values, indexed by target date.
    y_pred : pandas.DataFrame
        One column per model, same index as ``y_true``.
    y_lower, y_upper : pandas.Series or None, default=None
        Lower and upper bounds of a prediction interval for the first model.
    interval_label : str or None, default=None
        Legend text of the band (e.g. ``"90 % interval"``).
    leaky : set of str, default=()
        Models to mark as leaky.
    target_name : str, default="demand"
        Name of the target, for the y axis.
    unit : str or None, default=None
        Unit of the target, e.g. ``"m³/day"``.

    Attributes
    ----------
    lines_ : dict of str -> matplotlib Line2D
        The drawn lines, by label (``"observed"`` and the model names).
    band_ : matplotlib PolyCollection or None
        The interval band.
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    See Also
    --------
    MetricsDisplay : per-model metric bars.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.plotting import ForecastDisplay
    >>> days = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-04", "2024-01-05"])
    >>> observed = pd.Series([10.0, 12, 11, 13], index=days)
    >>> display = ForecastDisplay.from_predictions(
    ...     observed, {"Persistence": [9.0, 10, 12, 11]}, unit="m³/day")
    >>> display.ax_.get_ylabel()
    'demand (m³/day)'
    >>> int(display.lines_["observed"].get_ydata().size)  # 2024-01-03 is a gap
    5
    """

    def __init__(self, *, y_true, y_pred, y_lower=None, y_upper=None, interval_label=None,
                 leaky=(), target_name="demand", unit=None):
        self.y_true = y_true
        self.y_pred = y_pred
        self.y_lower = y_lower
        self.y_upper = y_upper
        self.interval_label = interval_label
        self.leaky = leaky
        self.target_name = target_name
        self.unit = unit

    def plot(self, ax=None, *, title=None, observed_kw=None, line_kw=None, band_kw=None):
        """Draw the forecasts.

        Parameters
        ----------
        ax : matplotlib Axes or None, default=None
            Axes to draw on; a new figure when None.
        title : str or None, default=None
            Axes title; a default title when None.
        observed_kw, line_kw, band_kw : dict or None, default=None
            Keyword arguments passed to ``ax.plot`` for the observed line and the model
            lines, and to ``ax.fill_between`` for the band.

        Returns
        -------
        display : ForecastDisplay
        """
        ax, created = _new_axes(ax, (11, 4.5))
        frame = self.y_pred.copy()  # same rows as y_true (see from_predictions)
        frame.insert(0, "observed", np.asarray(self.y_true, dtype=float))
        has_band = self.y_lower is not None and self.y_upper is not None
        if has_band:
            frame["__lower"] = self.y_lower.to_numpy()
            frame["__upper"] = self.y_upper.to_numpy()
        frame = _fill_gaps(frame)
        self.lines_ = {}
        self.band_ = None
        if has_band:
            kw = {"alpha": 0.25, "lw": 0, "color": "C0",
                  "label": self.interval_label or "prediction interval"}
            kw.update(band_kw or {})
            self.band_ = ax.fill_between(frame.index, frame["__lower"], frame["__upper"], **kw)
        kw = {"color": "black", "lw": 1.6}
        kw.update(observed_kw or {})
        (self.lines_["observed"],) = ax.plot(frame.index, frame["observed"], label="observed",
                                             **kw)
        for i, name in enumerate(self.y_pred.columns):
            leaky = name in self.leaky
            kw = {"lw": 1.0, "alpha": 0.9, "color": f"C{i}"}
            if leaky:
                kw.update(ls="--")
            kw.update(line_kw or {})
            label = f"{name} ({LEAKY_LABEL})" if leaky else str(name)
            (self.lines_[name],) = ax.plot(frame.index, frame[name], label=label, **kw)
        ax.set_xlabel("target date")
        ax.set_ylabel(_ylabel(self.target_name, self.unit))
        if title is None:
            title = "Forecast vs observed"
            if self.leaky:
                title += f" ({LEAKY_LABEL}: look-ahead leakage flatters dashed models)"
        ax.set_title(title)
        ax.legend(loc="best", fontsize=8)
        ax.grid(alpha=0.3)
        return _finish(self, ax, created)

    @classmethod
    def from_predictions(cls, y_true, y_pred, *, y_lower=None, y_upper=None,
                         interval_label=None, leaky=None, target_name="demand", unit=None,
                         ax=None, title=None):
        """Plot forecasts you already have.

        Parameters
        ----------
        y_true : pandas.Series or array-like of shape (n_samples,)
            Observed values. A Series with a ``DatetimeIndex`` gives the dates; missing
            dates between its first and last become gaps.
        y_pred : array-like, pandas.Series, pandas.DataFrame or dict
            One model's forecasts (array or Series), or several: a DataFrame with one
            column per model or a dict ``{name: forecasts}``.
        y_lower, y_upper : array-like of shape (n_samples,) or None, default=None
            Interval bounds for the first model, drawn as a band.
        interval_label : str or None, default=None
            Legend text of the band.
        leaky : str or iterable of str or None, default=None
            Models whose numbers come from a leaky protocol: drawn dashed, labelled LEAKY.
        target_name : str, default="demand"
            Name of the target, for the y axis.
        unit : str or None, default=None
            Unit of the target (``"m³/day"`` for BWDF); shown on the y axis.
        ax : matplotlib Axes or None, default=None
            Axes to draw on.
        title : str or None, default=None
            Axes title.

        Returns
        -------
        display : ForecastDisplay
        """
        index = y_true.index if isinstance(y_true, pd.Series) else None
        y_true = _as_series(y_true, index, "observed")
        index = y_true.index
        if isinstance(y_pred, pd.DataFrame):
            if len(y_pred) != len(index):
                raise ValueError(f"y_pred has {len(y_pred)} rows for {len(index)} dates")
            y_pred = y_pred.set_axis(index) if not y_pred.index.equals(index) else y_pred
        elif isinstance(y_pred, dict):
            y_pred = pd.DataFrame({str(k): _as_series(v, index, str(k)).to_numpy()
                                   for k, v in y_pred.items()}, index=index)
        else:
            name = getattr(y_pred, "name", None) or "forecast"
            y_pred = pd.DataFrame({name: _as_series(y_pred, index, name).to_numpy()},
                                  index=index)
        if y_pred.shape[1] == 0:
            raise ValueError("y_pred holds no model")
        if (y_lower is None) != (y_upper is None):
            raise ValueError("give both y_lower and y_upper, or neither")
        if y_lower is not None:
            y_lower = _as_series(y_lower, index, "lower")
            y_upper = _as_series(y_upper, index, "upper")
        display = cls(
            y_true=y_true, y_pred=y_pred, y_lower=y_lower, y_upper=y_upper,
            interval_label=interval_label, leaky=_leaky_set(leaky, y_pred.columns),
            target_name=target_name, unit=unit,
        )
        return display.plot(ax=ax, title=title)

    @classmethod
    def from_estimator(cls, estimator, X, y, *, name=None, leaky=False, target_name="demand",
                       unit=None, ax=None, title=None):
        """Plot a fitted estimator's forecasts of the windows ``X`` against ``y``.

        Parameters
        ----------
        estimator : fitted regressor
            Any fitted estimator with ``predict``.
        X : pandas.DataFrame
            Forecast windows, from :func:`~sklearn_hydro.make_windows`.
        y : pandas.Series
            Observed targets of those windows (their index gives the dates).
        name : str or None, default=None
            Legend label; the estimator's class name when None.
        leaky : bool, default=False
            Mark the estimator as leaky (its windows came from a leaky protocol).
        target_name, unit, ax, title
            See :meth:`from_predictions`.

        Returns
        -------
        display : ForecastDisplay
        """
        name = name or type(estimator).__name__
        y_pred = pd.Series(np.asarray(estimator.predict(X), dtype=float), name=name)
        return cls.from_predictions(
            y, {name: y_pred.to_numpy()}, leaky=[name] if leaky else None,
            target_name=target_name, unit=unit, ax=ax, title=title,
        )


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


def _denoised_only(fitted, values):
    """The denoised rows, whatever the fitted denoiser's ``output``."""
    out = np.asarray(fitted.transform(values), dtype=float)
    if fitted.output == "both":
        return out[:, : out.shape[1] // 2]
    if fitted.output == "residual":
        return np.asarray(values, dtype=float) - out
    return out


class MetricsDisplay:
    """Per-model metric bars, each labelled with its value.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per model: a ``model`` column and one column per metric.
    metrics : tuple of str, default=("MAPE", "pMAPE")
        Columns to draw.
    leaky : set of str, default=()
        Models to mark as leaky (hatched bars, LEAKY in the label).
    unit : str, default="%"
        Unit of the metric values, for the axis label.

    Attributes
    ----------
    bars_ : dict of str -> matplotlib BarContainer
        The bars of each metric.
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hydro.plotting import MetricsDisplay
    >>> y = np.array([100.0, 110, 120, 130])
    >>> display = MetricsDisplay.from_predictions(
    ...     y, {"good": y * 1.01, "poor": y * 1.1})
    >>> [t.get_text() for t in display.ax_.get_yticklabels()]
    ['poor', 'good']
    >>> [t.get_text() for t in display.ax_.texts][:2]
    ['10.00', '1.00']
    """

    def __init__(self, *, table, metrics=("MAPE", "pMAPE"), leaky=(), unit="%"):
        self.table = table
        self.metrics = metrics
        self.leaky = leaky
        self.unit = unit

    def plot(self, ax=None, *, title=None, fmt="{:.2f}"):
        """Draw the bars, best model (first row) at the top.

        Parameters
        ----------
        ax : matplotlib Axes or None, default=None
        title : str or None, default=None
        fmt : str, default="{:.2f}"
            Format of the value printed at the end of each bar.

        Returns
        -------
        display : MetricsDisplay
        """
        ax, created = _new_axes(
            ax, (8.5, 0.5 * len(self.table) * max(1, len(self.metrics)) / 2 + 1.8))
        names = [str(n) for n in self.table["model"]][::-1]
        height = 0.8 / len(self.metrics)
        self.bars_ = {}
        for j, metric in enumerate(self.metrics):
            values = np.asarray(self.table[metric], dtype=float)[::-1]
            pos = np.arange(len(names)) + (len(self.metrics) - 1 - j) * height
            bars = ax.barh(pos, values, height=height, label=metric, color=f"C{j}")
            for bar, name in zip(bars, names, strict=True):
                if name in self.leaky:
                    bar.set_hatch("//")
                    bar.set_edgecolor("C3")
            ax.bar_label(bars, labels=[fmt.format(v) for v in values], padding=2,
                         fontsize=7)
            self.bars_[metric] = bars
        ax.set_yticks(np.arange(len(names)) + height * (len(self.metrics) - 1) / 2)
        ax.set_yticklabels([f"{n} ({LEAKY_LABEL})" if n in self.leaky else n for n in names])
        for tick, name in zip(ax.get_yticklabels(), names, strict=True):
            if name in self.leaky:
                tick.set_color("C3")
        ax.set_xlabel(f"error ({self.unit}), lower is better" if self.unit else
                      "lower is better")
        ax.margins(x=0.15)
        if title is None:
            title = "Test-period metrics per model"
            if self.leaky:
                title += f"\n{LEAKY_LABEL} (hatched): flattered by look-ahead leakage"
        ax.set_title(title, fontsize=10)
        # outside the axes, right: inside it would hide the value of some bar
        ax.legend(loc="lower left", bbox_to_anchor=(1.0, 0.0), fontsize=8, frameon=False)
        ax.grid(axis="x", alpha=0.3)
        return _finish(self, ax, created)

    @classmethod
    def from_table(cls, table, *, metrics=("MAPE", "pMAPE"), leaky=None, unit="%", ax=None,
                   title=None):
        """Plot a table of results, e.g. the ``table`` of a study result.

        Parameters
        ----------
        table : pandas.DataFrame
            A ``model`` column and the ``metrics`` columns; a boolean ``leaky`` column, when
            present and ``leaky`` is None, marks the leaky models.
        metrics : tuple of str, default=("MAPE", "pMAPE")
        leaky : iterable of str or None, default=None
        unit : str, default="%"
        ax : matplotlib Axes or None, default=None
        title : str or None, default=None

        Returns
        -------
        display : MetricsDisplay
        """
        missing = [c for c in ("model", *metrics) if c not in table.columns]
        if missing:
            raise ValueError(f"table lacks the column(s) {missing}")
        if leaky is None and "leaky" in table.columns:
            leaky = list(table.loc[table["leaky"].astype(bool), "model"])
        display = cls(table=table, metrics=tuple(metrics),
                      leaky=_leaky_set(leaky, list(table["model"])), unit=unit)
        return display.plot(ax=ax, title=title)

    @classmethod
    def from_predictions(cls, y_true, y_pred, *, metrics=("MAPE", "pMAPE"), leaky=None,
                         ax=None, title=None):
        """Score each model's forecasts and plot the bars, best MAPE first.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
        y_pred : dict or pandas.DataFrame
            ``{name: forecasts}`` or one column per model.
        metrics : tuple of str, default=("MAPE", "pMAPE")
            Any of ``"MAPE"``, ``"pMAPE"`` (in %), ``"EVS"``, ``"R"``.
        leaky : iterable of str or None, default=None
        ax : matplotlib Axes or None, default=None
        title : str or None, default=None

        Returns
        -------
        display : MetricsDisplay
        """
        from .metrics import regression_report

        items = y_pred.items() if isinstance(y_pred, dict | pd.DataFrame) else None
        if items is None:
            raise TypeError("y_pred must be a dict {name: forecasts} or a DataFrame")
        rows = []
        for name, pred in items:
            report = regression_report(np.asarray(y_true, dtype=float),
                                       np.asarray(pred, dtype=float))
            rows.append({"model": str(name), **report})
        table = pd.DataFrame(rows)
        unknown = [m for m in metrics if m not in table.columns]
        if unknown:
            raise ValueError(f"unknown metric(s) {unknown}; choose from "
                             f"{[c for c in table.columns if c != 'model']}")
        sort_by = "MAPE" if "MAPE" in table.columns else metrics[0]
        table = table.sort_values(sort_by, kind="stable").reset_index(drop=True)
        unit = "%" if set(metrics) <= {"MAPE", "pMAPE"} else ""
        return cls.from_table(table, metrics=metrics, leaky=leaky, unit=unit, ax=ax,
                              title=title)


class SampleGridDisplay:
    """A grid of generated samples: images when ``image_shape`` is given, else lines.

    Parameters
    ----------
    samples : ndarray of shape (n_samples, n_features)
    image_shape : tuple of int or None, default=None
        Shape of one image, e.g. ``(8, 8)``; None draws each sample as a line (e.g. a
        generated demand window).
    labels : array-like of shape (n_samples,) or None, default=None
        A title per cell (e.g. the class a conditional sampler was asked for).
    n_cols : int, default=10

    Attributes
    ----------
    axes_ : ndarray of matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hydro.plotting import SampleGridDisplay
    >>> samples = np.random.default_rng(0).uniform(0, 16, size=(12, 64))
    >>> display = SampleGridDisplay.from_samples(samples, image_shape=(8, 8), n_cols=6)
    >>> display.axes_.shape
    (2, 6)
    """

    def __init__(self, *, samples, image_shape=None, labels=None, n_cols=10):
        self.samples = samples
        self.image_shape = image_shape
        self.labels = labels
        self.n_cols = n_cols

    def plot(self, axes=None, *, title=None, cmap="gray_r"):
        """Draw the grid.

        Parameters
        ----------
        axes : 2-D array of matplotlib Axes or None, default=None
        title : str or None, default=None
            Figure title.
        cmap : str, default="gray_r"
            Colour map of images.

        Returns
        -------
        display : SampleGridDisplay
        """
        plt = _pyplot()
        samples = np.asarray(self.samples, dtype=float)
        n = len(samples)
        n_cols = min(self.n_cols, n)
        n_rows = -(-n // n_cols)
        if axes is None:
            size = 1.1 if self.image_shape is not None else 1.6
            _, axes = plt.subplots(n_rows, n_cols, figsize=(size * n_cols, size * n_rows + 0.6),
                                   squeeze=False)
        axes = np.asarray(axes, dtype=object).reshape(n_rows, n_cols)
        if self.image_shape is not None:
            vmin, vmax = np.nanmin(samples), np.nanmax(samples)
        for k, ax in enumerate(axes.ravel()):
            ax.set_xticks([])
            ax.set_yticks([])
            if k >= n:
                ax.set_axis_off()
                continue
            if self.image_shape is not None:
                ax.imshow(samples[k].reshape(self.image_shape), cmap=cmap, vmin=vmin, vmax=vmax)
            else:
                ax.plot(samples[k], lw=1)
            if self.labels is not None:
                ax.set_title(str(self.labels[k]), fontsize=8)
        fig = axes.ravel()[0].figure
        if title:
            fig.suptitle(title)
        self.axes_ = axes
        self.figure_ = fig
        return self

    @classmethod
    def from_samples(cls, samples, *, image_shape=None, labels=None, n_cols=10, axes=None,
                     title=None):
        """Plot samples you already drew.

        Parameters
        ----------
        samples : array-like of shape (n_samples, n_features)
        image_shape : tuple of int or None, default=None
        labels : array-like or None, default=None
        n_cols : int, default=10
        axes : 2-D array of matplotlib Axes or None, default=None
        title : str or None, default=None

        Returns
        -------
        display : SampleGridDisplay
        """
        samples = np.asarray(samples, dtype=float)
        if samples.ndim != 2 or len(samples) == 0:
            raise ValueError(f"samples must be a non-empty 2-D array, got shape "
                             f"{samples.shape}")
        if image_shape is not None and int(np.prod(image_shape)) != samples.shape[1]:
            raise ValueError(f"image_shape {tuple(image_shape)} does not hold "
                             f"{samples.shape[1]} features")
        if labels is not None and len(labels) != len(samples):
            raise ValueError(f"{len(labels)} labels for {len(samples)} samples")
        display = cls(samples=samples, image_shape=image_shape, labels=labels, n_cols=n_cols)
        return display.plot(axes=axes, title=title)

    @classmethod
    def from_estimator(cls, sampler, n_samples=20, *, image_shape=None, n_cols=10,
                       random_state=0, axes=None, title=None, **sample_params):
        """Draw ``n_samples`` from a fitted sampler and plot them.

        Parameters
        ----------
        sampler : fitted estimator with ``sample(n_samples, random_state=...)``
            E.g. a fitted ``GANSampler``. A conditional sampler returns ``(X, y)``; ``y``
            then titles the cells.
        n_samples : int, default=20
        image_shape : tuple of int or None, default=None
        n_cols : int, default=10
        random_state : int or None, default=0
        axes : 2-D array of matplotlib Axes or None, default=None
        title : str or None, default=None
        **sample_params
            Passed to ``sampler.sample``.

        Returns
        -------
        display : SampleGridDisplay
        """
        drawn = sampler.sample(n_samples, random_state=random_state, **sample_params)
        labels = None
        if isinstance(drawn, tuple):
            drawn, labels = drawn
        return cls.from_samples(drawn, image_shape=image_shape, labels=labels, n_cols=n_cols,
                                axes=axes, title=title)
