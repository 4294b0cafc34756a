"""Data sets: BWDF district demand, a synthetic demand generator, and MNIST IDX files."""

from ._bwdf import load_bwdf
from ._mnist import load_mnist, read_idx
from ._synthetic import make_synthetic_demand

__all__ = ["load_bwdf", "make_synthetic_demand", "read_idx", "load_mnist"]
