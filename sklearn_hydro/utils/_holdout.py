"""The newest-rows hold-out: the one way the package sets rows aside for validation.

Rows are in time order, so a model is validated (early stopping, blend weights, conformal
calibration) on the rows that come last, the way it will be used, never on the past of its
training rows. Every estimator that holds rows out calls :func:`tail_split_indices`: the
early stopping of :class:`~sklearn_hydro.DualLSTMRegressor` and the weights of
:class:`~sklearn_hydro.forecasting.TailBlendRegressor` (``validation_fraction``), the
calibration rows of :class:`~sklearn_hydro.conformal.ConformalRegressor`
(``calibration_size``, a different role: its rows calibrate intervals, they validate nothing).
"""

import math
from numbers import Integral

__all__ = ["tail_split_indices"]


def tail_split_indices(n_samples, validation_fraction, *, gap=0):
    """Split ``range(n_samples)`` into a head for training and a tail for validation.

    The rows are taken in their given (time) order, so the model is validated on the rows that
    come last, the way it will be used, and never on the past of its training rows.

    Parameters
    ----------
    n_samples : int
        Number of rows.
    validation_fraction : float in [0, 1) or int >= 1
        Share of the rows held out; the count is ``ceil(validation_fraction * n_samples)``.
        0 means no validation rows. An int >= 1 is the count itself.
    gap : int >= 0, default=0
        Rows left out between the head and the tail (in neither), so that no target of the
        tail is known at the time of the head's rows (``horizon - 1`` for windows).

    Returns
    -------
    train : slice
        ``slice(0, n_train)``.
    valid : slice
        ``slice(n_train + gap, n_samples)``, empty when ``validation_fraction == 0``.

    Raises
    ------
    ValueError
        If the split leaves no training row.

    Examples
    --------
    >>> from sklearn_hydro.utils import tail_split_indices
    >>> tail_split_indices(10, 0.2)
    (slice(0, 8, None), slice(8, 10, None))
    >>> tail_split_indices(10, 3, gap=1)
    (slice(0, 6, None), slice(7, 10, None))
    """
    if not isinstance(n_samples, Integral) or n_samples < 1:
        raise ValueError(f"n_samples must be a positive integer, got {n_samples!r}.")
    if not isinstance(gap, Integral) or gap < 0:
        raise ValueError(f"gap must be a non-negative integer, got {gap!r}.")
    if isinstance(validation_fraction, Integral) and validation_fraction >= 1:
        n_valid = int(validation_fraction)
    elif 0 <= validation_fraction < 1:
        n_valid = math.ceil(validation_fraction * n_samples)
    else:
        raise ValueError(
            f"validation_fraction must be in [0, 1) or an int >= 1, got {validation_fraction!r}."
        )
    n_train = n_samples - n_valid - gap
    if n_train < 1:
        raise ValueError(
            f"validation_fraction={validation_fraction} (and gap={gap}) leaves no training "
            f"rows with n_samples={n_samples}; pass more rows or hold out fewer."
        )
    return slice(0, n_train), slice(n_samples - n_valid, n_samples)
