"""The Battle of the Water Demand Forecasting (BWDF, WDSA-CCWI 2024) as a protocol."""

from ._protocol import BWDF_HOURS, make_bwdf_forecaster, week_history, week_hours

__all__ = ["BWDF_HOURS", "make_bwdf_forecaster", "week_history", "week_hours"]
