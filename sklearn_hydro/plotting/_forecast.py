"""Forecasts against the observed series over time."""

import numbers

import numpy as np
import pandas as pd

from ._base import (
    LEAKY_LABEL,
    _as_series,
    _fill_gaps,
    _finish,
    _leaky_set,
    _new_axes,
    _pyplot,
    _ylabel,
)

__all__ = ["ForecastDisplay"]


class ForecastDisplay:
    """Forecasts against the observed series over time.

    Missing days (days without a target, hence without a window) are drawn as gaps, never
    bridged by a line. The y axis carries the unit. A prediction interval is drawn as a
    band around the first model. Models trained under a leaky protocol are drawn dashed and
    labelled ``LEAKY``. Over long periods (years of daily forecasts) give ``zoom_days``: the
    last ``zoom_days`` days are drawn large, and the whole period goes above them as a
    context panel (see :meth:`plot`).

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
        The main axes (the last ``zoom_days`` days when there is a context panel).
    context_ax_ : matplotlib Axes or None
        The context panel of the whole period, or None when there is none.
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

    Two years of forecasts: the last 56 days large, the whole period above them.

    >>> import numpy as np
    >>> days = pd.date_range("2022-01-01", periods=730, freq="D")
    >>> observed = pd.Series(100 + np.sin(np.arange(730) / 58), index=days)
    >>> display = ForecastDisplay.from_predictions(observed, {"m": observed + 1},
    ...                                            zoom_days=56)
    >>> display.ax_.get_title(), display.context_ax_ is not None
    ('the last 56 days', True)
    >>> int(display.lines_["observed"].get_ydata().size)
    56
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

    @staticmethod
    def needs_context(dates, zoom_days):
        """Whether :meth:`plot` with ``zoom_days`` draws a context panel for these dates.

        It does when the dates span more than ``2 * zoom_days`` days; below that the whole
        period is readable in one panel.

        Parameters
        ----------
        dates : pandas.DatetimeIndex, pandas.Series or array-like
            The target dates (a Series gives its index); values other than dates never
            need one.
        zoom_days : int or None
            Days drawn large; None: never.

        Returns
        -------
        bool
        """
        if zoom_days is None:
            return False
        index = pd.Index(dates.index if isinstance(dates, pd.Series) else dates)
        if not isinstance(index, pd.DatetimeIndex) or len(index) == 0:
            return False
        return bool(index.max() - index.min() > pd.Timedelta(days=2 * zoom_days))

    def plot(self, ax=None, *, title=None, zoom_days=None, context_ax=None, observed_kw=None,
             line_kw=None, band_kw=None):
        """Draw the forecasts.

        Parameters
        ----------
        ax : matplotlib Axes or None, default=None
            Axes to draw on; a new figure when None.
        title : str or None, default=None
            Axes title; a default title when None.
        zoom_days : int >= 1 or None, default=None
            When the dates span more than ``2 * zoom_days`` days (see
            :meth:`needs_context`), draw the last ``zoom_days`` days on ``ax`` (with the
            band, titled "the last ... days") and the whole period on ``context_ax`` as a
            context panel (thin lines, the zoomed days shaded, ``title`` with ": the whole
            period"). None: the whole period on ``ax``.
        context_ax : matplotlib Axes or None, default=None
            Axes of the context panel; with ``ax=None`` too, a new figure holds both panels.
            Needed with ``ax`` when a context panel is drawn; unused otherwise.
        observed_kw, line_kw, band_kw : dict or None, default=None
            Keyword arguments passed to ``ax.plot`` for the observed line and the model
            lines, and to ``ax.fill_between`` for the band.

        Returns
        -------
        display : ForecastDisplay
        """
        if zoom_days is not None and (isinstance(zoom_days, bool)
                                      or not isinstance(zoom_days, numbers.Integral)
                                      or zoom_days < 1):
            raise ValueError(f"zoom_days must be a positive int or None, got {zoom_days!r}")
        context = self.needs_context(self.y_true.index, zoom_days)
        if context and (ax is None) != (context_ax is None):
            raise ValueError(
                f"these dates span more than 2 * zoom_days = {2 * zoom_days} days, which is "
                "drawn on two axes: pass both ax and context_ax (see needs_context), or "
                "neither")
        if context and ax is None:
            _, (context_ax, ax) = _pyplot().subplots(2, 1, figsize=(11, 8))
            created = True
        else:
            ax, created = _new_axes(ax, (11, 4.5))
        frame = self.y_pred.copy()  # same rows as y_true (see from_predictions)
        frame.insert(0, "observed", np.asarray(self.y_true, dtype=float))
        has_band = self.y_lower is not None and self.y_upper is not None
        if has_band:
            frame["__lower"] = self.y_lower.to_numpy()
            frame["__upper"] = self.y_upper.to_numpy()
        frame = _fill_gaps(frame)
        if title is None:
            title = "Forecast vs observed"
            if self.leaky:
                title += f" ({LEAKY_LABEL}: look-ahead leakage flatters dashed models)"
        self.context_ax_ = None
        if context:
            frame = self._plot_context(context_ax, frame, zoom_days, title)
            title = f"the last {zoom_days} days"
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
        ax.set_title(title)
        ax.legend(loc="best", fontsize=8)
        ax.grid(alpha=0.3)
        return _finish(self, ax, created)

    def _plot_context(self, ax, frame, zoom_days, title):
        """The whole period in thin lines, the zoomed days shaded; returns those days' rows."""
        last = frame.index.max()
        start = last - pd.Timedelta(days=zoom_days)
        ax.plot(frame.index, frame["observed"], color="black", lw=0.6, label="observed")
        for i, name in enumerate(self.y_pred.columns):
            leaky = name in self.leaky
            ax.plot(frame.index, frame[name], color=f"C{i}", lw=0.6, ls="--" if leaky else "-",
                    label=f"{name} ({LEAKY_LABEL})" if leaky else str(name))
        ax.axvspan(start, last, color="0.9", zorder=0, label=f"last {zoom_days} days, below")
        ax.set_ylabel(_ylabel(self.target_name, self.unit))
        ax.set_title(f"{title}: the whole period")
        ax.legend(loc="upper left", fontsize=8)
        ax.grid(alpha=0.3)
        self.context_ax_ = ax
        return frame[frame.index > start]

    @classmethod
    def from_predictions(cls, y_true, y_pred, *, y_lower=None, y_upper=None,
                         interval_label=None, leaky=None, target_name="demand", unit=None,
                         ax=None, title=None, zoom_days=None, context_ax=None):
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
        zoom_days : int or None, default=None
            Over more than ``2 * zoom_days`` days, the last ``zoom_days`` large and the
            whole period as a context panel above (see :meth:`plot`).
        context_ax : matplotlib Axes or None, default=None
            Axes of that context panel (see :meth:`plot`).

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
        return display.plot(ax=ax, title=title, zoom_days=zoom_days, context_ax=context_ax)

    @classmethod
    def from_estimator(cls, estimator, X, y, *, name=None, leaky=False, target_name="demand",
                       unit=None, ax=None, title=None, zoom_days=None, context_ax=None):
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
        target_name, unit, ax, title, zoom_days, context_ax
            See :meth:`from_predictions`.

        Returns
        -------
        display : ForecastDisplay
        """
        name = name or type(estimator).__name__
        y_pred = pd.Series(np.asarray(estimator.predict(X), dtype=float), name=name)
        return cls.from_predictions(
            y, {name: y_pred.to_numpy()}, leaky=[name] if leaky else None,
            target_name=target_name, unit=unit, ax=ax, title=title, zoom_days=zoom_days,
            context_ax=context_ax,
        )

