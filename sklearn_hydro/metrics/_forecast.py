"""The study's forecast metrics: MAPE, peak MAPE, explained variance and Pearson R.

Each metric validates its input the same way: two 1-D arrays of equal, non-zero length with
finite values. Errors name the problem instead of returning ``nan`` or ``inf``.

Two decisions hold for every metric here:

* values are compared by position, as in scikit-learn. When both inputs are pandas objects
  their indexes must be equal (same labels, same order); otherwise the metric refuses
  instead of pairing the forecast of one day with the observation of another (align them
  first, e.g. ``y_pred.reindex(y_true.index)``);
* MAPE and peak MAPE refuse a zero or a negative observation with a ``ValueError`` that
  counts them: a percentage of a zero demand divides by zero, one of a negative demand has no
  meaning, so such a ``y_true`` is a data problem to fix, not a number to average. Explained
  variance and Pearson R accept any sign.

Callers that must not fail on such data (a backtest's tables, a blend's choice of weights)
pass ``strict=False`` to :func:`mean_absolute_percentage_error`: NaN where ``y_true`` has a
zero or a negative value, for the same reasons (so a table never shows a percentage the strict
metric would refuse). It is the one MAPE of the package, in percent.
"""

import numbers

import numpy as np
import pandas as pd
from sklearn.metrics import explained_variance_score, make_scorer

__all__ = [
    "evs_scorer",
    "explained_variance",
    "mape_scorer",
    "mean_absolute_percentage_error",
    "pearson_r",
    "pearson_r_scorer",
    "peak_mape",
    "peak_mape_scorer",
    "regression_report",
]


def _check_same_index(y_true, y_pred):
    """Refuse two pandas inputs whose indexes differ: values are compared by position."""
    pandas_types = (pd.Series, pd.DataFrame)
    if not (isinstance(y_true, pandas_types) and isinstance(y_pred, pandas_types)):
        return
    if y_true.index.equals(y_pred.index):
        return
    same_labels = len(y_true.index) == len(y_pred.index) and y_pred.index.isin(
        y_true.index
    ).all() and y_true.index.isin(y_pred.index).all()
    what = "the same labels in a different order" if same_labels else "different labels"
    raise ValueError(
        f"y_true and y_pred are pandas objects whose indexes differ ({what}). The metrics "
        "compare values by position, so align them first, e.g. y_pred.reindex(y_true.index), "
        "or pass arrays."
    )


def _check_targets(y_true, y_pred):
    """Return ``y_true`` and ``y_pred`` as finite 1-D float64 arrays of equal length."""
    _check_same_index(y_true, y_pred)
    arrays = []
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        try:
            arr = np.asarray(y, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name} must be numeric, got {type(y).__name__}: {exc}") from None
        if arr.ndim == 2 and arr.shape[1] == 1:
            arr = arr[:, 0]
        if arr.ndim != 1:
            raise ValueError(f"{name} must be 1-D, got an array of shape {arr.shape}")
        if not np.all(np.isfinite(arr)):
            n_bad = int(np.sum(~np.isfinite(arr)))
            raise ValueError(f"{name} contains {n_bad} NaN or infinite value(s)")
        arrays.append(arr)
    y_true, y_pred = arrays
    if y_true.shape[0] != y_pred.shape[0]:
        raise ValueError(
            f"y_true and y_pred have different lengths: {y_true.shape[0]} != {y_pred.shape[0]}"
        )
    if y_true.shape[0] == 0:
        raise ValueError("y_true and y_pred are empty")
    return y_true, y_pred


def _check_no_negative_truth(y_true):
    negative = y_true < 0
    if np.any(negative):
        raise ValueError(
            f"MAPE is undefined for negative observations: y_true contains "
            f"{int(negative.sum())} negative value(s), e.g. {float(y_true[negative][0]):g}. A "
            "percentage of a negative demand has no meaning; fix the data (or use a scale-free "
            "metric such as explained_variance)."
        )


def _check_no_zero_truth(y_true):
    zeros = y_true == 0
    if np.any(zeros):
        raise ValueError(
            f"MAPE is undefined: y_true contains {int(zeros.sum())} zero value(s) "
            "(division by zero)"
        )


def _mape(y_true, y_pred):
    """MAPE in percent of checked arrays, ``y_true`` positive."""
    return float(100.0 * np.mean(np.abs((y_true - y_pred) / y_true)))


def mean_absolute_percentage_error(y_true, y_pred, *, strict=True):
    """Mean absolute percentage error, in percent.

    .. math:: \\mathrm{MAPE} = \\frac{100}{n} \\sum_{i=1}^{n}
              \\left| \\frac{y_i - \\hat y_i}{y_i} \\right|

    Unlike :func:`sklearn.metrics.mean_absolute_percentage_error`, the result is in percent
    and a zero or negative value in ``y_true`` raises instead of producing a huge or
    meaningless number.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed values; all must be positive. A pandas Series must have the same index as a
        pandas ``y_pred`` (values are compared by position).
    y_pred : array-like of shape (n_samples,)
        Forecasts.
    strict : bool, default=True
        ``True``: a zero or negative value in ``y_true`` raises a ``ValueError`` that counts
        them. ``False``, for callers that must not fail on such data (the tables of
        :func:`~sklearn_hydro.model_selection.backtest`, the weights of
        :class:`~sklearn_hydro.forecasting.TailBlendRegressor`): NaN if ``y_true`` contains
        a zero or a negative value (the cases ``True`` refuses). Both give the same number on
        positive observations.

    Returns
    -------
    float
        MAPE in percent (lower is better); NaN only with ``strict=False``.

    Raises
    ------
    ValueError
        If the lengths differ, an input is empty, not 1-D, contains NaN/inf, two pandas
        inputs have different indexes, or (``strict=True``) ``y_true`` contains a zero or a
        negative value.

    See Also
    --------
    peak_mape : the same error restricted to the peak days.

    Examples
    --------
    >>> from sklearn_hydro.metrics import mean_absolute_percentage_error
    >>> mean_absolute_percentage_error([100, 200], [110, 190])
    7.5
    >>> mean_absolute_percentage_error([0, 200], [10, 190], strict=False)
    nan
    >>> mean_absolute_percentage_error([-5, 200], [10, 190], strict=False)
    nan
    """
    y_true, y_pred = _check_targets(y_true, y_pred)
    if not strict:
        return np.nan if np.any(y_true <= 0) else _mape(y_true, y_pred)
    _check_no_negative_truth(y_true)
    _check_no_zero_truth(y_true)
    return _mape(y_true, y_pred)


def _check_peak_quantile(peak_quantile):
    if not isinstance(peak_quantile, numbers.Real) or not 0.0 <= peak_quantile < 1.0:
        raise ValueError(f"peak_quantile must be a float in [0, 1), got {peak_quantile!r}")


def peak_mape(y_true, y_pred, *, peak_quantile=0.9):
    """MAPE over the peak days, in percent.

    Peak days are the evaluation days whose *observed* value is at or above the
    ``peak_quantile`` quantile of the observed values (linear interpolation, numpy's
    default). Forecasts never choose which days count.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed values; none may be negative and none of the peak days zero.
    y_pred : array-like of shape (n_samples,)
        Forecasts.
    peak_quantile : float in [0, 1), default=0.9
        Quantile of ``y_true`` at or above which a day is a peak day. ``0`` gives plain MAPE.

    Returns
    -------
    float
        pMAPE in percent (lower is better).

    Examples
    --------
    >>> from sklearn_hydro.metrics import peak_mape
    >>> y_true = [100, 100, 100, 100, 100, 100, 100, 100, 100, 200]
    >>> y_pred = [100, 100, 100, 100, 100, 100, 100, 100, 100, 150]
    >>> peak_mape(y_true, y_pred)
    25.0
    """
    _check_peak_quantile(peak_quantile)
    y_true, y_pred = _check_targets(y_true, y_pred)
    _check_no_negative_truth(y_true)
    peak = y_true >= np.quantile(y_true, peak_quantile)
    _check_no_zero_truth(y_true[peak])
    return _mape(y_true[peak], y_pred[peak])


def explained_variance(y_true, y_pred):
    """Explained variance score, ``1 - Var(y - y_hat) / Var(y)``.

    Same value as :func:`sklearn.metrics.explained_variance_score` with this module's input
    checks; a constant ``y_true`` raises (the score is undefined).

    Examples
    --------
    >>> from sklearn_hydro.metrics import explained_variance
    >>> explained_variance([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    1.0
    """
    y_true, y_pred = _check_targets(y_true, y_pred)
    if np.ptp(y_true) == 0:
        raise ValueError("explained variance is undefined for a constant y_true")
    return float(explained_variance_score(y_true, y_pred))


def pearson_r(y_true, y_pred):
    """Pearson correlation coefficient between observations and forecasts.

    .. math:: r = \\frac{\\sum (y_i - \\bar y)(\\hat y_i - \\bar{\\hat y})}
              {\\sqrt{\\sum (y_i - \\bar y)^2 \\sum (\\hat y_i - \\bar{\\hat y})^2}}

    Raises when either input is constant (r is undefined) or has fewer than two values.

    Examples
    --------
    >>> from sklearn_hydro.metrics import pearson_r
    >>> pearson_r([1, 2, 3], [2, 4, 6])
    1.0
    """
    y_true, y_pred = _check_targets(y_true, y_pred)
    if y_true.shape[0] < 2:
        raise ValueError("Pearson R needs at least two values")
    for name, arr in (("y_true", y_true), ("y_pred", y_pred)):
        if np.ptp(arr) == 0:
            raise ValueError(f"Pearson R is undefined: {name} is constant")
    dt = y_true - y_true.mean()
    dp = y_pred - y_pred.mean()
    r = float(np.dot(dt, dp) / np.sqrt(np.dot(dt, dt) * np.dot(dp, dp)))
    return float(np.clip(r, -1.0, 1.0))


def regression_report(y_true, y_pred, *, peak_quantile=0.9):
    """All four study metrics at once.

    Returns
    -------
    dict
        ``{"MAPE": ..., "pMAPE": ..., "EVS": ..., "R": ...}``; MAPE and pMAPE in percent.

    Examples
    --------
    >>> from sklearn_hydro.metrics import regression_report
    >>> report = regression_report([100, 120, 90, 150], [98, 125, 92, 140])
    >>> sorted(report)
    ['EVS', 'MAPE', 'R', 'pMAPE']
    """
    return {
        "MAPE": mean_absolute_percentage_error(y_true, y_pred),
        "pMAPE": peak_mape(y_true, y_pred, peak_quantile=peak_quantile),
        "EVS": explained_variance(y_true, y_pred),
        "R": pearson_r(y_true, y_pred),
    }


#: Scorer for :class:`~sklearn.model_selection.GridSearchCV`: negated MAPE (greater is better).
mape_scorer = make_scorer(mean_absolute_percentage_error, greater_is_better=False)
#: Negated peak MAPE with ``peak_quantile=0.9``.
peak_mape_scorer = make_scorer(peak_mape, greater_is_better=False)
#: Explained variance score (greater is better).
evs_scorer = make_scorer(explained_variance)
#: Pearson R (greater is better).
pearson_r_scorer = make_scorer(pearson_r)
