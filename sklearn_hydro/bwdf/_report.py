"""The BWDF run's report: the leaderboard, the indicators per district and week, plots."""

from pathlib import Path

import pandas as pd

from ..utils import atomic_path
from ._run import LIBRARY_ENTRY

__all__ = ["bwdf_summary", "write_bwdf_report"]


def _replace(path, write):
    with atomic_path(path, overwrite=True) as tmp:
        write(tmp)


def _markdown(table, floatfmt="{:.3f}"):
    cols = [str(c) for c in table.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, row in table.iterrows():
        cells = [floatfmt.format(v) if isinstance(v, float) else str(v) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def bwdf_summary(result):
    """Lines saying where the library placed and how its indicators compare."""
    board = result.leaderboard
    ours = board.loc[board["entry"] == LIBRARY_ENTRY].iloc[0]
    lines = [f"sklearn-hydro places {int(ours['rank'])} of {len(board)} by the competition's "
             f"rank sum ({int(ours['rank_sum'])}); means over the "
             f"{len(result.indicators)} DMA-weeks: PI1 {ours['PI1']:.3f}, PI2 "
             f"{ours['PI2']:.3f}, PI3 {ours['PI3']:.3f} L/s."]
    first = board.loc[board["entry"] == "position 1"]
    if len(first):
        f = first.iloc[0]
        lines.append(f"The winning submission (ranking position 1): rank sum "
                     f"{int(f['rank_sum'])}, PI1 {f['PI1']:.3f}, PI2 {f['PI2']:.3f}, PI3 "
                     f"{f['PI3']:.3f} L/s.")
    if result.coverage == result.coverage:  # not NaN
        lines.append(f"Intervals: {result.config.get('interval_coverage') or 0:.0%} nominal, "
                     f"{result.coverage:.1%} of the observed hours covered, mean width "
                     f"{result.mean_width:.2f} L/s.")
    seconds = ", ".join(f"{k} {v:.0f} s" for k, v in result.fit_seconds.items())
    lines.append(f"Wall time {result.wall_seconds:.0f} s (fits and forecasts: {seconds}); "
                 f"peak memory {result.peak_memory_mb:.0f} MB.")
    return lines


def write_bwdf_report(result, output_dir, *, plots=True):
    """Write a :class:`BWDFResult` to ``output_dir``; return the written paths.

    Files: ``leaderboard.csv``, ``indicators.csv`` (PI1-PI3 per week and district),
    ``forecasts.csv`` (every hour and district: forecast, interval, observed),
    ``report.md`` and, with matplotlib and ``plots``, ``week_<label>.png`` per week
    (forecast against observed with the interval band, one panel per district).
    """
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    board = result.leaderboard
    tidy = pd.concat({name: frame.stack(future_stack=True)
                      for name, frame in {**result.forecasts,
                                          "observed": result.observed}.items()}, axis=1)
    tidy.index.names = ["time", "dma"]
    _replace(out / "leaderboard.csv", lambda p: board.to_csv(p, index=False))
    _replace(out / "indicators.csv", result.indicators.to_csv)
    _replace(out / "forecasts.csv", tidy.to_csv)
    written = [out / "leaderboard.csv", out / "indicators.csv", out / "forecasts.csv"]
    plot_files = _write_plots(result, out) if plots and _has_matplotlib() else []
    written += plot_files

    per_week = result.indicators.groupby(level="week", sort=False).mean()
    per_week.index.name = "week"
    lines = ["# sklearn-hydro in the Battle of the Water Demand Forecasting", "",
             *bwdf_summary(result), "",
             "Protocol: for each evaluation week the forecaster was fitted only on the "
             "hours before its Monday 00:00 (Europe/Rome) and forecast its 168 hours for the "
             "ten districts, with the week's observed weather as a perfect forecast (as the "
             "competition allowed). Its structure was chosen by cross-validation on weeks "
             "before the first evaluation week (benchmarks/bwdf_select.py); later weeks only "
             "refit it. Indicators (L/s): PI1 mean absolute error of hours 1-24, PI2 their "
             "maximum absolute error, PI3 mean absolute error of hours 25-168. Every "
             "(week, DMA, indicator) cell ranks the entries 1..n (ties share the best rank, "
             "an empty cell ranks last); the lowest rank sum wins.", "",
             "Forecaster:", "", "```", result.config.get("forecaster", ""), "```", "",
             "## Leaderboard", "", _markdown(board), "",
             "## sklearn-hydro per week (mean over the districts, L/s)", "",
             _markdown(per_week.reset_index()), "",
             "## sklearn-hydro per week and district (L/s)", "",
             _markdown(result.indicators.reset_index()), ""]
    lines += [f"![{p.stem}]({p.name})" for p in plot_files]
    _replace(out / "report.md", lambda p: p.write_text("\n".join(lines) + "\n"))
    written.append(out / "report.md")
    return written


def _has_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:  # an optional extra
        return False
    return True


def _write_plots(result, out):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = []
    forecast = result.forecasts["forecast"]
    for label, monday in result.config["weeks"].items():
        hours = forecast.index[forecast.index.tz_localize(None).normalize()
                               >= pd.Timestamp(monday)][:168]
        districts = list(forecast.columns)
        fig, axes = plt.subplots(2, (len(districts) + 1) // 2, figsize=(20, 6.5),
                                 sharex=True, squeeze=False)
        for ax, dma in zip(axes.flat, districts, strict=False):
            x = hours.tz_localize(None)
            if "lower" in result.forecasts:
                ax.fill_between(x, result.forecasts["lower"].loc[hours, dma],
                                result.forecasts["upper"].loc[hours, dma], color="C0",
                                alpha=0.2, linewidth=0, label="interval")
            ax.plot(x, result.observed.loc[hours, dma], color="black", linewidth=1,
                    label="observed")
            ax.plot(x, forecast.loc[hours, dma], color="C0", linewidth=1.2,
                    label="forecast")
            row = result.indicators.loc[(label, dma)]
            ax.set_title(f"{dma}: PI1 {row['PI1']:.2f}, PI2 {row['PI2']:.2f}, "
                         f"PI3 {row['PI3']:.2f}", fontsize=9)
            ax.tick_params(axis="x", labelrotation=45, labelsize=7)
        for ax in axes[:, 0]:
            ax.set_ylabel("inflow (L/s)")
        axes.flat[0].legend(fontsize=7, loc="upper left")
        fig.suptitle(f"BWDF {label}, week of {monday}: sklearn-hydro's forecast against the "
                     "observed inflow")
        fig.tight_layout()
        path = out / f"week_{label}.png"
        with atomic_path(path, overwrite=True) as tmp:
            fig.savefig(tmp, dpi=90, format="png")
        plt.close(fig)
        paths.append(path)
    return paths
