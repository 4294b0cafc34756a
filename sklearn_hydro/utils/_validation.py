"""Input checks shared by the whole package: integers, time indexes, finite values, and the
pass-through check of the meta-estimators that hand windows on to the models they wrap."""

import numbers

import numpy as np
import pandas as pd
from sklearn.utils import check_array, check_consistent_length
from sklearn.utils.validation import validate_data

__all__ = [
    "check_finite",
    "check_horizons",
    "check_positive_int",
    "check_regular_index",
    "irregular_step",
    "validate_passthrough",
]

def check_positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def check_regular_index(index):
    if not isinstance(index, pd.DatetimeIndex):
        raise TypeError(
            "frame must have a DatetimeIndex (one row per time step); got "
            f"{type(index).__name__}. Use frame.set_index(pd.to_datetime(frame['date']))."
        )
    if index.has_duplicates:
        dup = index[index.duplicated()][0]
        raise ValueError(f"frame's index has duplicate time stamps, e.g. {dup}")
    if not index.is_monotonic_increasing:
        raise ValueError("frame's index must be sorted in increasing time order")
    if len(index) > 2 and irregular_step(index) is not None:
        # A tz-aware index of days (or weeks) is regular on the local calendar even though
        # its days last 23 or 25 hours across a DST change: compare local wall-clock times.
        local = index.tz_localize(None) if index.tz is not None else None
        where = irregular_step(index) if local is None else irregular_step(local)
        if where is not None:
            dst = (
                f" The index is tz-aware ({index.tz}): steps are compared in UTC and in local "
                "wall-clock time, and neither is regular."
                if local is not None
                else ""
            )
            raise ValueError(
                "frame's index is not regular: the step changes between "
                f"{index[where]} and {index[where + 1]}. Lags count rows, so missing time "
                "steps must be present as rows with NaN (e.g. frame.asfreq('D'))." + dst
            )


def irregular_step(index):
    """Position of the first step that differs from the first one, or None if all agree."""
    steps = np.diff(index.asi8)
    changed = steps != steps[0]
    return int(np.argmax(changed)) if changed.any() else None


def check_finite(frame, columns):
    """Refuse infinite values: NaN means missing (and is handled), inf is a broken value."""
    values = frame[columns].to_numpy(dtype=np.float64)
    infinite = np.isinf(values)
    if infinite.any():
        row, col = (int(i[0]) for i in np.nonzero(infinite))
        n_bad = int(infinite.sum())
        raise ValueError(
            f"column {columns[col]!r} holds an infinite value at {frame.index[row]} "
            f"({n_bad} infinite value(s) in all). Replace them by NaN if they mean missing "
            "(frame.replace([np.inf, -np.inf], np.nan)) or fix the data."
        )



def validate_passthrough(estimator, X, y="no_validation", *, reset, missing_y=False,
                         **check_params):
    """Check ``X`` (and ``y``) as scikit-learn does, but hand a DataFrame on unchanged.

    The wrapped window models find their column blocks by name and validate the values
    themselves (a Pipeline may take windows with missing lags), so only the shape, the
    feature names and count (``n_features_in_``, ``feature_names_in_``), sparse input and
    the target are checked here; values are not converted or checked for NaN.

    Parameters
    ----------
    estimator : estimator
        The meta-estimator; ``reset=True`` records the features it is fitted on.
    X : array-like or DataFrame of shape (n_samples, n_features)
    y : array-like, None or "no_validation", default="no_validation"
        Checked when given (with ``check_params`` such as ``y_numeric``, ``multi_output``);
        None is refused with scikit-learn's "requires y" error.
    reset : bool
        True in ``fit``, False in ``predict``.
    missing_y : bool, default=False
        Let a multi-output ``y`` hold NaN (the unmeasured hours of partial windows, see
        :func:`~sklearn_hydro.make_multi_horizon_windows`): the wrapped estimator takes
        them or says it cannot.

    Returns
    -------
    X : DataFrame or ndarray
        ``X`` itself if it is a DataFrame, else the checked array.
    y : ndarray
        Only when ``y`` is given.
    """
    kwargs = {"dtype": None, "ensure_all_finite": False, "reset": reset, **check_params}
    if isinstance(y, str) and y == "no_validation":
        checked = validate_data(estimator, X, **kwargs)
        return X if hasattr(X, "iloc") else checked
    if missing_y and _has_nan(y):
        for key in ("multi_output", "y_numeric"):
            kwargs.pop(key, None)
        checked = validate_data(estimator, X, **kwargs)
        y = check_array(y, ensure_all_finite="allow-nan", ensure_2d=False, dtype=np.float64,
                        input_name="y")
        check_consistent_length(checked, y)
        return (X if hasattr(X, "iloc") else checked), y
    checked, y = validate_data(estimator, X, y, **kwargs)
    return (X if hasattr(X, "iloc") else checked), y


def _has_nan(y):
    """Whether a numeric ``y`` holds NaN (anything else: the usual validation speaks)."""
    if y is None:
        return False
    values = np.asarray(y)
    if values.dtype.kind == "O":
        try:
            values = values.astype(np.float64)
        except (TypeError, ValueError):
            return False
    return values.dtype.kind == "f" and bool(np.isnan(values).any())


def check_horizons(horizons):
    """``1..H`` for an int ``H``, or the checked, increasing list of horizons given.

    Examples
    --------
    >>> from sklearn_hydro.utils import check_horizons
    >>> check_horizons(3), check_horizons([1, 7])
    ([1, 2, 3], [1, 7])
    """
    if isinstance(horizons, numbers.Integral) and not isinstance(horizons, bool):
        return list(range(1, check_positive_int(horizons, "horizons") + 1))
    hs = [check_positive_int(h, "each horizon") for h in horizons]
    if not hs or sorted(set(hs)) != hs:
        raise ValueError(f"horizons must be increasing and not empty, got {horizons!r}")
    return hs
