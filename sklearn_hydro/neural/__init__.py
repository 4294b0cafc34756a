"""Neural estimators trained with skorch: the study's recurrent regressor and a GAN sampler."""

from ._gan import GANSampler
from ._regressor import DualLSTMRegressor

__all__ = ["DualLSTMRegressor", "GANSampler"]
