"""Preprocessing: calendar features of the frame, and per-row smoothing and denoising.

Both transformers treat each row of ``X`` as one time-ordered sequence (columns oldest to
newest) and process rows independently, so nothing leaks from after a row's forecast origin.
"""

from ._calendar import calendar_features, is_calendar_column
from ._outliers import SigmaOutlierSmoother, smooth_outliers
from ._wavelet import WaveletDenoiser, denoise

__all__ = [
    "SigmaOutlierSmoother",
    "WaveletDenoiser",
    "calendar_features",
    "denoise",
    "is_calendar_column",
    "smooth_outliers",
]
