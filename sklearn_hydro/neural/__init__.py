"""Neural forecasting: the study's recurrent regressor (trained with skorch) and its torch
module."""

from ._modules import DualRecurrentNet
from ._regressor import DualLSTMRegressor

__all__ = ["DualLSTMRegressor", "DualRecurrentNet"]
