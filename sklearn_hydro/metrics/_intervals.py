"""Prediction-interval metrics: empirical coverage, mean width and the interval (Winkler) score.

Every metric takes the observed values and the lower and upper bounds of central intervals
(three 1-D arrays of equal length with finite values, ``lower <= upper``).
"""

import numbers

import numpy as np

from ..utils._sklearn import Interval, validate_params

__all__ = ["interval_coverage", "interval_score", "interval_width"]


def _check_intervals(y_true, lower, upper):
    arrays = []
    for name, a in (("y_true", y_true), ("lower", lower), ("upper", upper)):
        try:
            arr = np.asarray(a, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name} must be numeric, got {type(a).__name__}: {exc}") from None
        if arr.ndim == 2 and arr.shape[1] == 1:
            arr = arr[:, 0]
        if arr.ndim != 1:
            raise ValueError(f"{name} must be 1-D, got an array of shape {arr.shape}")
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} contains {int(np.sum(~np.isfinite(arr)))} NaN or inf")
        arrays.append(arr)
    y_true, lower, upper = arrays
    if not len(y_true) == len(lower) == len(upper):
        raise ValueError(
            f"y_true, lower and upper have different lengths: {len(y_true)}, {len(lower)}, "
            f"{len(upper)}"
        )
    if len(y_true) == 0:
        raise ValueError("y_true, lower and upper are empty")
    if np.any(lower > upper):
        raise ValueError(f"lower > upper in {int(np.sum(lower > upper))} interval(s)")
    return y_true, lower, upper


@validate_params(
    {"y_true": ["array-like"], "lower": ["array-like"], "upper": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def interval_coverage(y_true, lower, upper):
    """Share of observations inside their interval (bounds included), in ``[0, 1]``.

    Examples
    --------
    >>> from sklearn_hydro.metrics import interval_coverage
    >>> interval_coverage([1.0, 2.0, 5.0], [0.0, 2.0, 3.0], [2.0, 3.0, 4.0])
    0.666...
    """
    y_true, lower, upper = _check_intervals(y_true, lower, upper)
    return float(np.mean((y_true >= lower) & (y_true <= upper)))


@validate_params(
    {"y_true": ["array-like"], "lower": ["array-like"], "upper": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def interval_width(y_true, lower, upper):
    """Mean width ``upper - lower`` of the intervals, in the target's units.

    ``y_true`` is only validated (it gives the same signature as the other metrics).

    Examples
    --------
    >>> from sklearn_hydro.metrics import interval_width
    >>> interval_width([1.0, 2.0], [0.0, 1.0], [2.0, 4.0])
    2.5
    """
    _, lower, upper = _check_intervals(y_true, lower, upper)
    return float(np.mean(upper - lower))


@validate_params(
    {
        "y_true": ["array-like"],
        "lower": ["array-like"],
        "upper": ["array-like"],
        "alpha": [Interval(numbers.Real, 0, 1, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def interval_score(y_true, lower, upper, *, alpha=0.1):
    """Mean interval (Winkler) score of central ``1 - alpha`` intervals; lower is better.

    .. math:: S = (u - l) + \\frac{2}{\\alpha}(l - y)\\,[y < l]
                  + \\frac{2}{\\alpha}(y - u)\\,[y > u]

    It rewards narrow intervals and penalises each miss by its distance, so a method cannot
    win by being too wide or too narrow (Gneiting and Raftery, 2007).

    Parameters
    ----------
    y_true, lower, upper : array-like of shape (n_samples,)
    alpha : float in (0, 1), default=0.1
        Miscoverage the intervals were made for (0.1 for 90 % intervals).

    Returns
    -------
    float

    Examples
    --------
    >>> from sklearn_hydro.metrics import interval_score
    >>> interval_score([1.0, 5.0], [0.0, 3.0], [2.0, 4.0], alpha=0.5)
    3.5
    """
    y_true, lower, upper = _check_intervals(y_true, lower, upper)
    below = np.clip(lower - y_true, 0.0, None)
    above = np.clip(y_true - upper, 0.0, None)
    return float(np.mean((upper - lower) + 2.0 / alpha * (below + above)))
