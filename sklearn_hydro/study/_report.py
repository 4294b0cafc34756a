"""Write a study run to a folder: tables (CSV, Markdown), predictions, plots and a report."""

from pathlib import Path

import pandas as pd

from ..utils import atomic_path

__all__ = ["describe_frame", "verdicts", "write_report"]

# days of the test period drawn large in forecast.png, as in the backtest command's plot
_ZOOM_DAYS = 56

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


#: Models whose test MAPE differ by less than this (relative) tie on one split and one seed.
TIE_TOLERANCE = 0.01
#: The study's baselines: a user would try them first.
_BASELINES = ("Persistence", "Seasonal-naive-7", "Ridge", "HistGradientBoosting")


def verdicts(table):
    """Plain sentences on what a ranking cannot hide: a baseline beating the default
    forecaster, and the models at the top that tie.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.study import verdicts
    >>> table = pd.DataFrame({"model": ["Persistence", "Default-forecaster", "LSTM"],
    ...                       "MAPE": [0.864, 0.870, 1.2], "leaky": [False] * 3})
    >>> first, second = verdicts(table)
    >>> first.split(":")[0]
    '- A baseline beats the default forecaster on this test period'
    >>> second.split(" (")[0]
    '- Persistence and Default-forecaster tie'
    """
    honest = table[~table["leaky"]].sort_values("MAPE", kind="stable")
    mape = honest.set_index("model")["MAPE"]
    lines = []
    if "Default-forecaster" in mape:
        default = mape["Default-forecaster"]
        better = [m for m in _BASELINES if m in mape and mape[m] < default]
        if better:
            named = ", ".join(f"{m} {mape[m]:.2f} %" for m in better)
            lines.append(f"- A baseline beats the default forecaster on this test period: "
                         f"{named} vs {default:.2f} %.")
    if len(mape) >= 2:
        best = mape.iloc[0]
        tied = [m for m, v in mape.items() if v <= best * (1 + TIE_TOLERANCE)]
        if len(tied) >= 2:
            names = ", ".join(tied[:-1]) + f" and {tied[-1]}"
            lines.append(f"- {names} tie (MAPE within {TIE_TOLERANCE * 100:g} %, relative): one "
                         "split and one seed cannot tell them apart.")
    return lines


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


def _replace(path, write):
    """Write ``path`` whole or not at all (a temporary file renamed into place)."""
    with atomic_path(path, overwrite=True) as tmp:
        write(tmp)


def write_report(result, output_dir, *, data_description="", wall_seconds=None, plots=True,
                 unit=None):
    """Write ``result`` (a :class:`StudyResult`) to ``output_dir``; return the written paths.

    Files: ``results.csv``, ``results.md``, ``predictions.csv``, ``report.md`` and, when
    matplotlib is installed and ``plots`` is true, ``forecast.png`` and ``metrics.png``
    (``unit``, e.g. ``"m³/day"``, labels the forecast plot's y axis). A test period of
    more than 112 days gets its last 56 days drawn large in ``forecast.png``, below the whole
    period as a context panel, so that years stay readable.
    """
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    table_md = _markdown_table(result.table)
    _replace(out / "results.csv", result.table.to_csv)
    _replace(out / "results.md", lambda p: p.write_text(table_md + "\n"))
    _replace(out / "predictions.csv", result.predictions.to_csv)
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
    found = verdicts(result.table)
    if found:
        lines += ["## Verdicts", "", *found, ""]
    lines += _effects(result.table)
    lines += [f"![{p.stem}]({p.name})" for p in plot_files]
    _replace(out / "report.md", lambda p: p.write_text("\n".join(lines) + "\n"))
    written.append(out / "report.md")
    return written


def _write_plots(result, out, unit):
    """forecast.png (the three best models; leaky ones dashed; over more than 112 days the
    last 56 large, the whole test period above them) and metrics.png."""
    import matplotlib.pyplot as plt

    from ..plotting import ForecastDisplay, MetricsDisplay

    table = result.table
    best = list(table["model"][:3])
    leaky = [m for m in best if bool(table.loc[table["model"] == m, "leaky"].iloc[0])]
    forecast = ForecastDisplay.from_predictions(
        result.predictions["observed"], result.predictions[best], leaky=leaky,
        target_name=result.config.get("target", "demand"), unit=unit,
        title="Forecast vs observed, test period (three best models"
        + ("; dashed: LEAKY protocol)" if leaky else ")"), zoom_days=_ZOOM_DAYS,
    )
    metrics = MetricsDisplay.from_table(table)
    paths = []
    for display, name in ((forecast, "forecast.png"), (metrics, "metrics.png")):
        display.figure_.tight_layout()
        with atomic_path(out / name, overwrite=True) as tmp:
            display.figure_.savefig(tmp, dpi=110, format="png")
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
