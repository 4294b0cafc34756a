"""Plots as scikit-learn style Display objects (matplotlib is an optional extra).

Each Display is built with ``from_estimator`` (it calls the estimator for you) or
``from_predictions`` / ``from_samples`` (you pass what you already computed), draws itself
with ``plot(ax=...)`` and keeps what it drew in attributes ending in ``_`` (``ax_``,
``figure_``, ...), like :class:`sklearn.metrics.PredictionErrorDisplay`. Install matplotlib
with ``pip install "sklearn-hydro[plot]"``.

- :class:`ForecastDisplay`: forecasts against the observed series over time; missing days
  are gaps, the y axis carries the unit, intervals are bands, leaky models are marked.
- :class:`WindowDisplay`: one forecast window, its outliers and what the smoother puts in
  their place.
- :class:`DecompositionDisplay`: one window's wavelet decomposition, denoised part and
  residual.
- :class:`MetricsDisplay`: per-model metric bars with their values.
- :class:`SampleGridDisplay`: a grid of generated samples (images or sequences).
"""

from ._base import LEAKY_LABEL
from ._decomposition import DecompositionDisplay
from ._forecast import ForecastDisplay
from ._metrics import MetricsDisplay
from ._samples import SampleGridDisplay
from ._window import WindowDisplay

__all__ = [
    "LEAKY_LABEL",
    "DecompositionDisplay",
    "ForecastDisplay",
    "MetricsDisplay",
    "SampleGridDisplay",
    "WindowDisplay",
]
