"""The Battle of the Water Demand Forecasting (BWDF, WDSA-CCWI 2024) as a protocol: each
evaluation week forecast hour by hour from the data before it, scored with the competition's
indicators and ranked among its submissions (``python -m sklearn_hydro bwdf``)."""

from ._protocol import (
    BWDF_HOURS,
    make_bwdf_forecaster,
    make_bwdf_regressor,
    week_history,
    week_hours,
)
from ._report import bwdf_summary, write_bwdf_report
from ._run import (
    LIBRARY_ENTRY,
    NAIVE_ENTRY,
    BWDFResult,
    forecast_week,
    naive_week,
    observed_inflows,
    run_bwdf,
)

__all__ = [
    "BWDFResult",
    "BWDF_HOURS",
    "LIBRARY_ENTRY",
    "NAIVE_ENTRY",
    "bwdf_summary",
    "forecast_week",
    "make_bwdf_forecaster",
    "make_bwdf_regressor",
    "naive_week",
    "observed_inflows",
    "run_bwdf",
    "week_history",
    "week_hours",
    "write_bwdf_report",
]
