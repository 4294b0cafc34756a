"""Per-row preprocessing of forecast windows: outlier smoothing and wavelet denoising.

Both transformers treat each row of ``X`` as one time-ordered sequence (columns oldest to
newest) and process rows independently, so nothing leaks from after a row's forecast origin.
"""

from ._outliers import SigmaOutlierSmoother, smooth_outliers
from ._wavelet import WaveletDenoiser, denoise

__all__ = ["SigmaOutlierSmoother", "WaveletDenoiser", "denoise", "smooth_outliers"]
