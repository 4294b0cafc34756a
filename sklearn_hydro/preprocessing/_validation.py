"""Input checks shared by the per-row transformers and their one-series functions."""

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

# Accepted by ``validate_data(dtype=...)``: float32 is kept, anything else becomes float64.
FLOAT_DTYPES = [np.float64, np.float32]


def check_no_missing(X, estimator_name):
    """Raise a ValueError naming the problem if the float array ``X`` holds NaN or inf.

    The first pass is one sum (no temporary array), as in scikit-learn's own check.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(X.sum()):
            return
    if np.isnan(X).any():
        raise ValueError(
            f"Input X contains NaN. {estimator_name} needs complete rows: put "
            "SigmaOutlierSmoother before it (for example in a Pipeline) to fill missing "
            "values from their neighbours."
        )
    if np.isinf(X).any():
        raise ValueError(
            f"Input X contains infinity or a value too large for {X.dtype!r}; "
            f"{estimator_name} needs finite values."
        )


def series_as_row(series, function_name):
    """Return ``(row, rewrap)`` for a one-series function.

    ``row`` is the series as a float array of shape (1, n_values); ``rewrap(values)`` turns a
    1-D result back into a Series with the same index and name (or returns the ndarray when
    the input was not a Series).
    """
    if isinstance(series, pd.DataFrame):
        raise TypeError(
            f"{function_name} expects one series (a pandas Series or a 1-D array); "
            "got a DataFrame. Use the estimator for 2-D input."
        )
    if isinstance(series, pd.Series):
        if not is_numeric_dtype(series.dtype) or is_bool_dtype(series.dtype):
            raise TypeError(
                f"{function_name} expects a numeric series, got dtype {series.dtype}."
            )
        dtype = np.float32 if series.dtype == np.float32 else np.float64
        values = series.to_numpy(dtype=dtype, na_value=np.nan)
        index, name = series.index, series.name

        def rewrap(result):
            return pd.Series(result, index=index, name=name)

    else:
        values = np.asarray(series)
        if values.dtype.kind not in "iuf":
            raise TypeError(
                f"{function_name} expects a numeric series, got dtype {values.dtype}."
            )

        def rewrap(result):
            return result

    if values.ndim != 1:
        raise ValueError(
            f"{function_name} expects a 1-D series, got an array of shape {values.shape}."
        )
    return values.reshape(1, -1), rewrap
