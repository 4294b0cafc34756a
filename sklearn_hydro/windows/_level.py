"""Each window's own level: the mean of its lag block, known at its forecast origin."""

from numbers import Integral

import numpy as np

__all__ = ["remove_row_level", "row_level"]

def row_level(X, n_lags):
    """Mean of the lag block of each row: its first ``n_lags`` columns, or those indexed.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hydro.windows import row_level
    >>> row_level(np.array([[1.0, 3.0, 100.0], [2.0, 2.0, -5.0]]), 2)
    array([2., 2.])
    """
    columns = slice(0, n_lags) if isinstance(n_lags, Integral) else np.asarray(n_lags)
    return np.asarray(X[:, columns], dtype=np.float64).mean(axis=1)


def remove_row_level(X, n_lags):
    """Subtract each row's level from its lag block (first ``n_lags`` columns, or indexed).

    Returns
    -------
    X_centred : ndarray of shape (n_samples, n_features), float64
        A copy of ``X`` whose first ``n_lags`` columns have the row's level removed.
    level : ndarray of shape (n_samples,)
        :func:`row_level` of each row, to add back to a forecast.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hydro.windows import remove_row_level
    >>> X_centred, level = remove_row_level(np.array([[1.0, 3.0, 100.0]]), 2)
    >>> X_centred, level
    (array([[ -1.,   1., 100.]]), array([2.]))
    """
    level = row_level(X, n_lags)
    X = np.array(X, dtype=np.float64)
    columns = slice(0, n_lags) if isinstance(n_lags, Integral) else np.asarray(n_lags)
    X[:, columns] -= level[:, None]
    return X, level
