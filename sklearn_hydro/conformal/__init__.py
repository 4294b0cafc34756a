"""Conformal prediction intervals for any window regressor, with rolling updates."""

from ._conformal import ConformalRegressor, conformal_quantile

__all__ = ["ConformalRegressor", "conformal_quantile"]
