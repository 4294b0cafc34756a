"""sklearn-hydro: leakage-free forecasting of urban water demand and generative samplers.

Every public name of the subpackages (each one's ``__all__``) is importable from here too,
``from sklearn_hydro import Forecaster``; the subpackage is imported on first use, so that
``import sklearn_hydro`` does not pay for importing torch. The subpackages, by concept:

===================  ==========================================================================
``windows``          forecast windows, multi-horizon windows, forecast rows, block selectors
``preprocessing``    outlier smoothing, wavelet denoising, calendar features
``forecasting``      the forecaster, the recommended model, naive, direct, ensembles, panels
``conformal``        prediction intervals
``neural``           the recurrent regressor
``generative``       the GAN sampler
``metrics``          point, interval and sample-quality metrics, scorers
``model_selection``  backtests, panel splits, the look-ahead audit, the leakage guard
``datasets``         BWDF, synthetic demand, MNIST, CSV files
``io``               safe model files
``plotting``         Displays
``study``            the reproduction of the DWT-PCA-LSTM study
``utils``            helpers for developers (not re-exported here)
===================  ==========================================================================
"""

from importlib import import_module

__version__ = "0.1.0.dev0"

#: The subpackages whose ``__all__`` is re-exported here (tests/test_api.py checks the map).
SUBPACKAGES = (
    "windows",
    "preprocessing",
    "forecasting",
    "conformal",
    "neural",
    "generative",
    "metrics",
    "model_selection",
    "datasets",
    "io",
    "plotting",
    "study",
    "bwdf",
)

# name -> subpackage, from the subpackages' __all__; static so that importing the package
# stays light (tests/test_api.py fails if it drifts and prints the block to paste)
_NAMES = {
    "ABLATION_MODELS": "study",
    "ALL_MODELS": "study",
    "BWDFResult": "bwdf",
    "BWDF_HOURS": "bwdf",
    "BWDF_TIMEZONE": "datasets",
    "BWDF_WEEKS": "metrics",
    "BacktestResult": "model_selection",
    "ConformalRegressor": "conformal",
    "DEFAULT_MODEL": "study",
    "DecompositionDisplay": "plotting",
    "DirectHorizonRegressor": "forecasting",
    "DualLSTMRegressor": "neural",
    "DualRecurrentNet": "neural",
    "ForecastDisplay": "plotting",
    "Forecaster": "forecasting",
    "GANSampler": "generative",
    "GlobalRegressor": "forecasting",
    "HOURLY_WEATHER_COLUMNS": "datasets",
    "LEAKY_LABEL": "plotting",
    "LIBRARY_ENTRY": "bwdf",
    "LagSelector": "windows",
    "LookaheadAudit": "model_selection",
    "MIN_WINDOW_LAGS": "study",
    "MetricsDisplay": "plotting",
    "ModelFileError": "io",
    "NAIVE_ENTRY": "bwdf",
    "PEER_MODELS": "study",
    "PanelSplit": "model_selection",
    "PerSeriesRegressor": "forecasting",
    "RIDGE_ALPHAS": "forecasting",
    "RowLevelRegressor": "forecasting",
    "STUDY_MODELS": "study",
    "SYNTHETIC_HOLIDAYS": "datasets",
    "SampleGridDisplay": "plotting",
    "SeasonalNaiveRegressor": "forecasting",
    "SeedEnsembleRegressor": "forecasting",
    "SigmaOutlierSmoother": "preprocessing",
    "StackedHorizonRegressor": "forecasting",
    "StudyResult": "study",
    "TailBlendRegressor": "forecasting",
    "WaveletDenoiser": "preprocessing",
    "WindowDisplay": "plotting",
    "WindowTransformer": "windows",
    "audit_lookahead": "model_selection",
    "backtest": "model_selection",
    "bwdf_indicators": "metrics",
    "bwdf_rank_sum": "metrics",
    "bwdf_summary": "bwdf",
    "calendar_features": "preprocessing",
    "chronological_split": "study",
    "classifier_two_sample_score": "metrics",
    "conformal_quantile": "conformal",
    "covariate_columns": "windows",
    "denoise": "preprocessing",
    "describe_frame": "study",
    "evs_scorer": "metrics",
    "explained_variance": "metrics",
    "find_same_day_proxies": "model_selection",
    "find_target_reconstructions": "model_selection",
    "forecast_table": "forecasting",
    "forecast_week": "bwdf",
    "frechet_distance": "metrics",
    "horizon_metrics": "model_selection",
    "interval_coverage": "metrics",
    "interval_score": "metrics",
    "interval_width": "metrics",
    "is_calendar_column": "preprocessing",
    "is_panel": "forecasting",
    "lag_columns": "windows",
    "load_bwdf": "datasets",
    "load_bwdf_hourly": "datasets",
    "load_bwdf_submissions": "datasets",
    "load_mnist": "datasets",
    "load_model": "io",
    "make_bwdf_forecaster": "bwdf",
    "make_bwdf_regressor": "bwdf",
    "make_forecast_rows": "windows",
    "make_forecaster": "forecasting",
    "make_multi_horizon_windows": "windows",
    "make_study_model": "study",
    "make_synthetic_demand": "datasets",
    "make_window_transformer": "windows",
    "make_windows": "windows",
    "mape_scorer": "metrics",
    "maximum_mean_discrepancy": "metrics",
    "mean_absolute_percentage_error": "metrics",
    "median_gamma": "metrics",
    "naive_week": "bwdf",
    "observed_inflows": "bwdf",
    "parse_lag_name": "windows",
    "past_covariate_columns": "windows",
    "peak_mape": "metrics",
    "peak_mape_scorer": "metrics",
    "pearson_r": "metrics",
    "pearson_r_scorer": "metrics",
    "quick_params": "study",
    "read_dated_csv": "datasets",
    "read_idx": "datasets",
    "regression_report": "metrics",
    "remove_row_level": "windows",
    "rolling_intervals": "model_selection",
    "row_level": "windows",
    "run_bwdf": "bwdf",
    "run_study": "study",
    "save_model": "io",
    "series_labels": "forecasting",
    "signal_lags": "windows",
    "smooth_outliers": "preprocessing",
    "to_panel": "forecasting",
    "verdicts": "study",
    "week_history": "bwdf",
    "week_hours": "bwdf",
    "whole_series_windows": "study",
    "write_bwdf_report": "bwdf",
    "write_report": "study",
}

__all__ = sorted(_NAMES)


def __getattr__(name):
    if name in _NAMES:
        return getattr(import_module(f"{__name__}.{_NAMES[name]}"), name)
    if name in SUBPACKAGES or name == "utils":
        return import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_NAMES) | set(SUBPACKAGES))
