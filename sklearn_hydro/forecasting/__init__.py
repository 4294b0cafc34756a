"""Forecasting: the forecaster that owns the protocol, the recommended model, and the window
regressors and meta-estimators it is built from.

* :class:`Forecaster`: a time-indexed frame in, a tidy table of forecasts out (target,
  lookback, horizons, column roles, calendar, intervals; ``fit`` / ``predict`` / ``update``);
* :func:`make_forecaster`: the library's recommended window regressor;
* naive, row-level, direct multi-horizon, ensembles, and panel meta-estimators.

``make_forecaster`` is loaded lazily (it imports torch).
"""

from importlib import import_module

from ..utils import is_panel, series_labels
from ._direct import DirectHorizonRegressor, forecast_table
from ._ensemble import SeedEnsembleRegressor, TailBlendRegressor
from ._naive import SeasonalNaiveRegressor
from ._panel import GlobalRegressor, PerSeriesRegressor, to_panel
from ._row_level import RowLevelRegressor
from ._stacked import StackedHorizonRegressor

_LAZY = {"make_forecaster": "._default", "RIDGE_ALPHAS": "._default", "Forecaster": "._forecaster"}

__all__ = [
    "DirectHorizonRegressor",
    "Forecaster",
    "GlobalRegressor",
    "PerSeriesRegressor",
    "RIDGE_ALPHAS",
    "RowLevelRegressor",
    "SeasonalNaiveRegressor",
    "SeedEnsembleRegressor",
    "StackedHorizonRegressor",
    "TailBlendRegressor",
    "forecast_table",
    "is_panel",
    "make_forecaster",
    "series_labels",
    "to_panel",
]


def __getattr__(name):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
