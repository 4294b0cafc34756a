"""The backtest plot of the command line."""

import numpy as np

__all__ = ["plot_backtest", "plot_forecast"]


def plot_backtest(result, path, *, target="demand", title="", unit="m3/day"):
    """Forecast vs observed for the shortest horizon (with the interval band), and the error
    by horizon when there are several; gaps in the dates stay gaps. Returns ``path``."""

    import matplotlib.pyplot as plt

    pred = result.predictions
    h0 = pred["horizon"].min()
    first = pred[pred["horizon"] == h0].set_index("target_date").sort_index()
    first = first.asfreq("D") if first.index.is_unique else first
    n_panels = 2 if pred["horizon"].nunique() > 1 else 1
    fig, axes = plt.subplots(n_panels, 1, figsize=(11, 4 + 3 * (n_panels - 1)), squeeze=False)
    ax = axes[0, 0]
    ax.plot(first.index, first["observed"], color="black", lw=1, label="observed")
    ax.plot(first.index, first["predicted"], color="tab:blue", lw=1,
            label=f"forecast, {h0} day(s) ahead")
    if "lower" in first:
        ok = np.isfinite(first["lower"]) & np.isfinite(first["upper"])
        ax.fill_between(first.index, first["lower"].where(ok), first["upper"].where(ok),
                        color="tab:blue", alpha=0.2, lw=0,
                        label=f"{result.config['interval']:.0%} interval")
    ax.set_ylabel(f"{target} ({unit})")
    ax.set_title(title or "backtest")
    ax.legend(loc="upper left")
    if n_panels == 2:
        by_h = result.by_horizon()
        axes[1, 0].bar(by_h.index, by_h["MAPE"], color="tab:blue")
        axes[1, 0].set_xlabel("horizon (days ahead)")
        axes[1, 0].set_ylabel("MAPE (%)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_forecast(history, table, path, *, target="demand", title="", unit="m3/day",
                  days=56):
    """The last ``days`` observed days and the forecasts with their interval band."""
    import matplotlib.pyplot as plt

    recent = history.iloc[-days:]
    fig, ax = plt.subplots(figsize=(10, 4))
    ax.plot(recent.index, recent.to_numpy(), color="black", lw=1, label="observed")
    ax.plot(table["target_date"], table["forecast"], color="tab:blue", marker="o", lw=1,
            label="forecast")
    if "lower" in table:
        ax.fill_between(table["target_date"], table["lower"], table["upper"],
                        color="tab:blue", alpha=0.2, lw=0, label="interval")
    ax.set_ylabel(f"{target} ({unit})")
    ax.set_title(title or "forecast")
    ax.legend(loc="upper left")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
