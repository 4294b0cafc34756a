"""Plots of forecasts and metrics (matplotlib is an optional extra: ``sklearn-hydro[plot]``)."""

__all__ = ["plot_forecasts", "plot_metrics"]


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            'plotting needs matplotlib: pip install "sklearn-hydro[plot]"'
        ) from exc
    return plt


def plot_forecasts(predictions, models, *, observed="observed", ax=None, path=None):
    """Observed series and the forecasts of ``models`` over the test period.

    Parameters
    ----------
    predictions : DataFrame
        Date-indexed; column ``observed`` and one column per model.
    models : list of str
        Columns to draw.
    ax : matplotlib Axes or None
    path : str or Path or None
        Save the figure there (and close it) when given.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.plotting import plot_forecasts
    >>> days = pd.date_range("2024-01-01", periods=4, freq="D")
    >>> predictions = pd.DataFrame({"observed": [10.0, 12, 11, 13],
    ...                             "Persistence": [9.0, 10, 12, 11]}, index=days)
    >>> ax = plot_forecasts(predictions, ["Persistence"])
    >>> [line.get_label() for line in ax.get_lines()]
    ['observed', 'Persistence']
    """
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 4.5))
    ax.plot(predictions.index, predictions[observed], color="black", lw=1.6, label="observed")
    for name in models:
        ax.plot(predictions.index, predictions[name], lw=1.0, alpha=0.85, label=name)
    ax.set_xlabel("target date")
    ax.set_ylabel("demand")
    ax.set_title("Forecast vs observed, test period")
    ax.legend(loc="best", fontsize=8)
    ax.grid(alpha=0.3)
    return _finish(plt, ax, path)


def plot_metrics(table, *, metrics=("MAPE", "pMAPE"), ax=None, path=None):
    """Horizontal bars of ``metrics`` per model (a study result table, ranked).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.plotting import plot_metrics
    >>> table = pd.DataFrame({"model": ["Ridge", "Persistence"], "MAPE": [0.9, 1.1],
    ...                       "pMAPE": [1.2, 1.5]})
    >>> ax = plot_metrics(table)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Persistence', 'Ridge']
    """
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.45 * len(table) + 1.5))
    names = list(table["model"])[::-1]
    height = 0.8 / len(metrics)
    for j, metric in enumerate(metrics):
        pos = [i + j * height for i in range(len(names))]
        ax.barh(pos, list(table[metric])[::-1], height=height, label=f"{metric} (%)")
    ax.set_yticks([i + height * (len(metrics) - 1) / 2 for i in range(len(names))])
    ax.set_yticklabels(names)
    ax.set_xlabel("error, % (lower is better)")
    ax.legend(loc="best", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    return _finish(plt, ax, path)


def _finish(plt, ax, path):
    if path is not None:
        fig = ax.figure
        fig.tight_layout()
        fig.savefig(path, dpi=110)
        plt.close(fig)
    return ax
