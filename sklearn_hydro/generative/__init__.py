"""Generative samplers: GANSampler, a scikit-learn density estimator trained with skorch."""

from ._estimator import GANSampler

__all__ = ["GANSampler"]
