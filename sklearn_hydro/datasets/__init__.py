"""Data sets: BWDF district demand and the BWDF's ranked submissions, a synthetic demand
generator, MNIST IDX files, and a reader of your own CSV files."""

from ._bwdf import load_bwdf
from ._bwdf_hourly import BWDF_TIMEZONE, HOURLY_WEATHER_COLUMNS, load_bwdf_hourly
from ._bwdf_submissions import load_bwdf_submissions
from ._csv import read_dated_csv
from ._mnist import load_mnist, read_idx
from ._synthetic import SYNTHETIC_HOLIDAYS, make_synthetic_demand

__all__ = [
    "BWDF_TIMEZONE",
    "HOURLY_WEATHER_COLUMNS",
    "SYNTHETIC_HOLIDAYS",
    "load_bwdf",
    "load_bwdf_hourly",
    "load_bwdf_submissions",
    "load_mnist",
    "make_synthetic_demand",
    "read_dated_csv",
    "read_idx",
]
