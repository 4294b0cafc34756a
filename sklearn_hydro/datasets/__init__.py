"""Data sets: BWDF district demand, a synthetic demand generator, MNIST IDX files, and a
reader of your own CSV files."""

from ._bwdf import load_bwdf
from ._csv import read_dated_csv
from ._mnist import load_mnist, read_idx
from ._synthetic import make_synthetic_demand

__all__ = ["load_bwdf", "make_synthetic_demand", "read_dated_csv", "read_idx", "load_mnist"]
