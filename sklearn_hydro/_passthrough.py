"""Input checks of the meta-estimators that hand windows on to the models they wrap."""

from sklearn.utils.validation import validate_data

__all__ = ["validate_passthrough"]


def validate_passthrough(estimator, X, y="no_validation", *, reset, **check_params):
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
    checked, y = validate_data(estimator, X, y, **kwargs)
    return (X if hasattr(X, "iloc") else checked), y
