"""Neural estimators trained with skorch: the study's recurrent regressor and a GAN sampler."""

try:  # TEMPORARY during parallel development; removed at integration
    from ._gan import GANSampler
except ImportError:
    pass
try:
    from ._regressor import DualLSTMRegressor
except ImportError:
    pass

__all__ = ["DualLSTMRegressor", "GANSampler"]
