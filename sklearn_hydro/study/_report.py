"""Write a study run to a folder: tables (CSV, Markdown), predictions, plots and a report."""

from pathlib import Path

import pandas as pd

__all__ = ["describe_frame", "write_report"]

_LEAKY_NOTE = (
    "**Leaky protocol.** The DWT models of this run used the study's whole-series protocol: "
    "the whole series, test period included, was cleaned and wavelet-denoised before "
    "windowing, so every denoised lag already contains information from after its forecast "
    "origin. Their numbers are flattered and are not achievable in real forecasting. "
    "Compare with the default (honest) protocol."
)


def _ratio_line(table, a, b, what):
    """One sentence on MAPE(a) / MAPE(b), or None if either model did not run honestly."""
    honest = table[~table["leaky"]].set_index("model")["MAPE"]
    if a not in honest or b not in honest:
        return None
    ratio = honest[a] / honest[b]
    verdict = "helps" if ratio < 0.98 else "hurts" if ratio > 1.02 else "changes about nothing"
    return (
        f"- {what}: {verdict} ({a} {honest[a]:.2f} % vs {b} {honest[b]:.2f} %, "
        f"ratio {ratio:.3f})."
    )


def _effects(table):
    """What the wavelet, the second branch and the default forecaster add, in plain words."""
    lines = [
        _ratio_line(table, "DWT-PCA-LSTM-signal", "PCA-LSTM", "The wavelet (signal branch on "
                    "denoised instead of smoothed lags)"),
        _ratio_line(table, "DWT-PCA-LSTM", "DWT-PCA-LSTM-signal", "The second (residual) branch"),
        _ratio_line(table, "DWT-PCA-LSTM", "PCA-LSTM", "Wavelet and second branch together"),
        _ratio_line(table, "Default-forecaster", "DWT-PCA-LSTM", "The default forecaster "
                    "against the study's model"),
        _ratio_line(table, "Default-forecaster", "HistGradientBoosting", "The default "
                    "forecaster against gradient boosting"),
    ]
    lines = [line for line in lines if line]
    if not lines:
        return []
    return ["## What each piece adds (honest protocol, this test period)", "",
            "Ratios below 0.98 count as help, above 1.02 as harm; one split and one seed, so "
            "small differences are noise.", "", *lines, ""]


def _markdown_table(table):
    shown = table.copy()
    for col in ("MAPE", "pMAPE"):
        shown[col] = shown[col].map("{:.2f}".format)
    for col in ("EVS", "R"):
        shown[col] = shown[col].map("{:.3f}".format)
    for col in ("fit_s", "predict_s"):
        shown[col] = shown[col].map("{:.1f}".format)
    if "CV_MAPE" in shown:
        shown["CV_MAPE"] = shown["CV_MAPE"].map("{:.2f}".format)
    shown["leaky"] = shown["leaky"].map({True: "LEAKY", False: ""})
    header = "| rank | " + " | ".join(shown.columns) + " |"
    rule = "|" + "---|" * (len(shown.columns) + 1)
    lines = [header, rule]
    for rank, row in shown.iterrows():
        lines.append(f"| {rank} | " + " | ".join(str(v) for v in row.to_numpy()) + " |")
    return "\n".join(lines)


def write_report(result, output_dir, *, data_description="", wall_seconds=None, plots=True,
                 unit=None):
    """Write ``result`` (a :class:`StudyResult`) to ``output_dir``; return the written paths.

    Files: ``results.csv``, ``results.md``, ``predictions.csv``, ``report.md`` and, when
    matplotlib is installed and ``plots`` is true, ``forecast.png`` and ``metrics.png``
    (``unit``, e.g. ``"m³/day"``, labels the forecast plot's y axis).
    """
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    table_md = _markdown_table(result.table)
    result.table.to_csv(out / "results.csv")
    (out / "results.md").write_text(table_md + "\n")
    result.predictions.to_csv(out / "predictions.csv")
    written += [out / "results.csv", out / "results.md", out / "predictions.csv"]

    plot_files = []
    if plots:
        try:
            import matplotlib  # noqa: F401
        except ImportError:  # matplotlib is an optional extra
            pass
        else:
            plot_files = _write_plots(result, out, unit)
    written += plot_files

    cfg = result.config
    lines = ["# sklearn-hydro study report", ""]
    if data_description:
        lines += [f"Data: {data_description}", ""]
    lines += [
        f"Windows: {cfg['n_windows']} (lookback {cfg['lookback']}, horizon {cfg['horizon']}); "
        f"train {cfg['train_period'][0]} to {cfg['train_period'][1]}, "
        f"test {cfg['test_period'][0]} to {cfg['test_period'][1]} "
        f"(chronological {cfg['train_fraction']:.0%} / {1 - cfg['train_fraction']:.0%}).",
        f"Covariates: {', '.join(cfg['covariates']) or 'none'}.",
        f"Protocol: {cfg['protocol']}; level: {cfg['level']}; seed {cfg['random_state']}"
        + ("; quick mode (small, short-trained networks)" if cfg["quick"] else "")
        + (f"; wall time {wall_seconds:.0f} s" if wall_seconds is not None else "")
        + ".",
        "",
    ]
    if result.table["leaky"].any():
        lines += [_LEAKY_NOTE, ""]
    lines += [
        f"Ranked by MAPE (%) on the test period. pMAPE: MAPE over the days whose observed "
        f"value is at or above the {cfg['peak_quantile']:.0%} quantile of the test period. "
        "EVS: explained variance score. R: Pearson correlation.",
        "",
        table_md,
        "",
    ]
    if cfg.get("cv_choice"):
        chosen = result.table.set_index("model").loc[cfg["cv_choice"]]
        rank = int(result.table.index[result.table["model"] == cfg["cv_choice"]][0])
        lines += [
            f"**Chosen by cross-validation on the training part only:** {cfg['cv_choice']} "
            f"(CV MAPE {chosen['CV_MAPE']:.2f} %); on the test period it scored "
            f"{chosen['MAPE']:.2f} % (rank {rank}). This is the choice a user could have made "
            "without seeing the test period.",
            "",
        ]
    lines += _effects(result.table)
    lines += [f"![{p.stem}]({p.name})" for p in plot_files]
    (out / "report.md").write_text("\n".join(lines) + "\n")
    written.append(out / "report.md")
    return written


def _write_plots(result, out, unit):
    """forecast.png (the three best models; leaky ones dashed) and metrics.png."""
    import matplotlib.pyplot as plt

    from ..plotting import ForecastDisplay, MetricsDisplay

    table = result.table
    best = list(table["model"][:3])
    leaky = [m for m in best if bool(table.loc[table["model"] == m, "leaky"].iloc[0])]
    forecast = ForecastDisplay.from_predictions(
        result.predictions["observed"], result.predictions[best], leaky=leaky,
        target_name=result.config.get("target", "demand"), unit=unit,
        title="Forecast vs observed, test period (three best models)"
        + (" - dashed: LEAKY protocol" if leaky else ""),
    )
    metrics = MetricsDisplay.from_table(table)
    paths = []
    for display, name in ((forecast, "forecast.png"), (metrics, "metrics.png")):
        display.figure_.tight_layout()
        display.figure_.savefig(out / name, dpi=110)
        plt.close(display.figure_)
        paths.append(out / name)
    return paths


def describe_frame(frame, target, source):
    """One line describing the data of a run: source, days, missing targets.

    Examples
    --------
    >>> from sklearn_hydro.datasets import make_synthetic_demand
    >>> from sklearn_hydro.study import describe_frame
    >>> describe_frame(make_synthetic_demand(10, missing_fraction=0), "demand", "synthetic")
    "synthetic; 10 days from 2021-01-01 to 2021-01-10; target 'demand' with 0 missing day(s)."
    """
    idx = frame.index
    missing = int(pd.isna(frame[target]).sum())
    return (
        f"{source}; {len(frame)} days from {idx[0]:%Y-%m-%d} to {idx[-1]:%Y-%m-%d}; "
        f"target '{target}' with {missing} missing day(s)."
    )
