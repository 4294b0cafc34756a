"""Neural forecasting: the study's recurrent regressor, trained with skorch."""

from ._regressor import DualLSTMRegressor

__all__ = ["DualLSTMRegressor"]
