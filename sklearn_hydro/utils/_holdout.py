"""The newest-rows hold-out: the one way the package sets rows aside for validation.

Rows are in time order, so a model is validated (early stopping, blend weights, conformal
calibration) on the rows that come last, the way it will be used, never on the past of its
training rows. Every estimator that holds rows out names the share ``validation_fraction``
and calls :func:`tail_split_indices`.
"""

import math
from numbers import Integral

__all__ = ["tail_split_indices"]

def tail_split_indices(n_samples, validation_fraction):
    """Split ``range(n_samples)`` into a head for training and a tail for validation.

    The rows are taken in their given (time) order, so the model is validated on the rows that
    come last, the way it will be used, and never on the past of its training rows.

    Parameters
    ----------
    n_samples : int
        Number of rows.
    validation_fraction : float in [0, 1)
        Share of the rows held out; the count is ``ceil(validation_fraction * n_samples)``.
        0 means no validation rows.

    Returns
    -------
    train : slice
        ``slice(0, n_train)``.
    valid : slice
        ``slice(n_train, n_samples)``, empty when ``validation_fraction == 0``.

    Raises
    ------
    ValueError
        If the split leaves no training row.

    Examples
    --------
    >>> from sklearn_hydro.utils import tail_split_indices
    >>> tail_split_indices(10, 0.2)
    (slice(0, 8, None), slice(8, 10, None))
    """
    if not isinstance(n_samples, Integral) or n_samples < 1:
        raise ValueError(f"n_samples must be a positive integer, got {n_samples!r}.")
    if not 0 <= validation_fraction < 1:
        raise ValueError(f"validation_fraction must be in [0, 1), got {validation_fraction!r}.")
    n_valid = math.ceil(validation_fraction * n_samples)
    n_train = n_samples - n_valid
    if n_train < 1:
        raise ValueError(
            f"validation_fraction={validation_fraction} leaves no training rows with "
            f"n_samples={n_samples}; pass more rows or early_stopping=False."
        )
    return slice(0, n_train), slice(n_train, n_samples)
