"""sklearn-hydro: leakage-free forecasting of urban water demand and generative samplers.

The public names are importable from the top-level package; the deep-learning ones are
loaded lazily so that ``import sklearn_hydro`` does not pay for importing torch.
"""

from importlib import import_module

__version__ = "0.1.0.dev0"

_LAZY = {
    "make_windows": "sklearn_hydro.windows",
    "lag_columns": "sklearn_hydro.windows",
    "past_covariate_columns": "sklearn_hydro.windows",
    "LagSelector": "sklearn_hydro.windows",
    "covariate_columns": "sklearn_hydro.windows",
    "SigmaOutlierSmoother": "sklearn_hydro.preprocessing",
    "WaveletDenoiser": "sklearn_hydro.preprocessing",
    "smooth_outliers": "sklearn_hydro.preprocessing",
    "denoise": "sklearn_hydro.preprocessing",
    "SeasonalNaiveRegressor": "sklearn_hydro.naive",
    "RowLevelRegressor": "sklearn_hydro.row_level",
    "make_window_transformer": "sklearn_hydro.windows",
    "DualLSTMRegressor": "sklearn_hydro.neural",
    "ConformalRegressor": "sklearn_hydro.conformal",
    "DirectHorizonRegressor": "sklearn_hydro.multi_horizon",
    "make_multi_horizon_windows": "sklearn_hydro.multi_horizon",
    "make_forecast_rows": "sklearn_hydro.multi_horizon",
    "forecast_table": "sklearn_hydro.multi_horizon",
    "GANSampler": "sklearn_hydro.generative",
}

__all__ = sorted(_LAZY)


def __getattr__(name):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sklearn_hydro' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
