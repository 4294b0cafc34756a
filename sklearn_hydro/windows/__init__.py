"""Forecast windows: supervised rows that hold only what is known at each forecast origin.

Builders (:func:`make_windows`, :func:`make_multi_horizon_windows`,
:func:`make_forecast_rows`), column selectors that find a window's blocks by name, the window
transformer that routes them, :class:`LagSelector`, and each row's own level.
"""

from ..utils import parse_lag_name, signal_lags
from ._columns import covariate_columns, lag_columns, past_covariate_columns
from ._level import remove_row_level, row_level
from ._make import make_forecast_rows, make_multi_horizon_windows, make_windows
from ._selector import LagSelector
from ._transformer import WindowTransformer, make_window_transformer

__all__ = [
    "LagSelector",
    "WindowTransformer",
    "covariate_columns",
    "lag_columns",
    "make_forecast_rows",
    "make_multi_horizon_windows",
    "make_window_transformer",
    "make_windows",
    "parse_lag_name",
    "past_covariate_columns",
    "remove_row_level",
    "row_level",
    "signal_lags",
]
