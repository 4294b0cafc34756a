"""Per-model metric bars with their values."""

import numpy as np
import pandas as pd

from ._base import LEAKY_LABEL, _finish, _leaky_set, _new_axes

__all__ = ["MetricsDisplay"]


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
        from ..metrics import regression_report

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

