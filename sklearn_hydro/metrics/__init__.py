"""Metrics: the study's forecast metrics and scorers, the BWDF's indicators and rank sum, and
two-sample quality metrics."""

from ._bwdf import BWDF_WEEKS, bwdf_indicators, bwdf_rank_sum
from ._forecast import (
    evs_scorer,
    explained_variance,
    mape_scorer,
    mean_absolute_percentage_error,
    peak_mape,
    peak_mape_scorer,
    pearson_r,
    pearson_r_scorer,
    regression_report,
)
from ._intervals import interval_coverage, interval_score, interval_width
from ._sample_quality import (
    classifier_two_sample_score,
    frechet_distance,
    maximum_mean_discrepancy,
    median_gamma,
)

__all__ = [
    "BWDF_WEEKS",
    "bwdf_indicators",
    "bwdf_rank_sum",
    "classifier_two_sample_score",
    "evs_scorer",
    "explained_variance",
    "frechet_distance",
    "interval_coverage",
    "interval_score",
    "interval_width",
    "mape_scorer",
    "maximum_mean_discrepancy",
    "median_gamma",
    "mean_absolute_percentage_error",
    "pearson_r",
    "pearson_r_scorer",
    "peak_mape",
    "peak_mape_scorer",
    "regression_report",
]
