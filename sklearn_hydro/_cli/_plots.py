"""The backtest plot of the command line."""

import numpy as np

__all__ = ["plot_backtest", "plot_forecast"]


def plot_backtest(result, path, *, target="demand", title="", unit=None, zoom_days=56):
    """Forecast vs observed for the shortest horizon (with the interval band), and the error
    by horizon when there are several; gaps in the dates stay gaps. A backtest longer than
    ``2 * zoom_days`` days gets the whole period as a context panel above the last
    ``zoom_days`` days drawn large, so that years stay readable. Returns ``path``."""

    import matplotlib.pyplot as plt

    from ..plotting import ForecastDisplay

    pred = result.predictions
    h0 = pred["horizon"].min()
    first = pred[pred["horizon"] == h0].set_index("target_date").sort_index()
    long = ForecastDisplay.needs_context(first.index, zoom_days)
    n_panels = 1 + int(long) + int(pred["horizon"].nunique() > 1)
    fig, axes = plt.subplots(n_panels, 1, figsize=(11, 4 + 3 * (n_panels - 1)), squeeze=False)
    panel = iter(axes[:, 0])
    context_ax = next(panel) if long else None
    band = {}
    if "lower" in first:
        ok = np.isfinite(first["lower"]) & np.isfinite(first["upper"])
        band = {"y_lower": first["lower"].where(ok), "y_upper": first["upper"].where(ok),
                "interval_label": f"{result.config['interval']:.0%} interval"}
    # the Display reindexes to whole days, so gaps in the dates stay gaps; over a long
    # backtest it draws the whole period on context_ax and the last zoom_days days large
    ForecastDisplay.from_predictions(
        first["observed"], {f"forecast, {h0} day(s) ahead": first["predicted"].to_numpy()},
        target_name=target, unit=unit, ax=next(panel), context_ax=context_ax,
        zoom_days=zoom_days, title=title or "backtest", **band,
    )
    if pred["horizon"].nunique() > 1:
        ax = next(panel)
        by_h = result.by_horizon()
        ax.bar(by_h.index, by_h["MAPE"], color="tab:blue")
        ax.set_xticks(list(by_h.index))
        ax.set_xlabel("horizon (days ahead)")
        ax.set_ylabel("MAPE (%)")
    fig.tight_layout()
    fig.savefig(path, dpi=110, format="png")
    plt.close(fig)
    return path


def plot_forecast(history, table, path, *, target="demand", title="", unit=None, days=56):
    """The last ``days`` observed days and the forecasts (a :meth:`Forecaster.predict`
    table, indexed by target time) with their interval band."""
    import matplotlib.pyplot as plt

    recent = history.iloc[-days:]
    fig, ax = plt.subplots(figsize=(10, 4))
    ax.plot(recent.index, recent.to_numpy(), color="black", lw=1, label="observed")
    ax.plot(table.index, table["forecast"], color="tab:blue", marker="o", lw=1,
            label="forecast")
    if "lower" in table:
        ax.fill_between(table.index, table["lower"], table["upper"],
                        color="tab:blue", alpha=0.2, lw=0, label="interval")
    ax.set_ylabel(f"{target} ({unit})" if unit else target)
    ax.set_title(title or "forecast")
    ax.legend(loc="upper left")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=110, format="png")
    plt.close(fig)
    return path
