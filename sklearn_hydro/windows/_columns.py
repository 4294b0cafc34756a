"""Column selectors of window blocks, by name: the target's lags, past covariates' lags, and
the known-ahead covariates (callables for a ColumnTransformer)."""

from ..utils import lag_series, parse_lag_name, target_series

__all__ = ["covariate_columns", "lag_columns", "past_covariate_columns"]

def lag_columns(X, target=None):
    """Names of the target's lag block (``<target>_lag<k>`` columns), in their order in ``X``.

    A callable column selector for :class:`~sklearn.compose.ColumnTransformer`
    (``functools.partial(lag_columns, target="demand")`` when ``X`` also holds past
    covariates). ``target=None`` takes the only lagged series and refuses to guess among
    several.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.windows import lag_columns
    >>> lag_columns(pd.DataFrame(columns=["demand_lag2", "demand_lag1", "rain"]))
    ['demand_lag2', 'demand_lag1']
    """
    names = _columns(X)
    target = target_series(names, target)
    return [c for c in names if (parse_lag_name(c) or ("",))[0] == target]


def past_covariate_columns(X, target=None):
    """Names of the past covariates' lag blocks: every lag column that is not the target's.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.windows import past_covariate_columns
    >>> past_covariate_columns(pd.DataFrame(columns=["demand_lag1", "rain_lag1", "rain"]),
    ...                        target="demand")
    ['rain_lag1']
    """
    names = _columns(X)
    series = lag_series(names)
    if not series:
        return []
    target = target_series(names, target)
    return [c for c in names if (parse_lag_name(c) or (target,))[0] != target]


def covariate_columns(X):
    """Names of the known-ahead covariates (every column that is not a lag), in their order.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.windows import covariate_columns
    >>> covariate_columns(pd.DataFrame(columns=["demand_lag2", "demand_lag1", "rain"]))
    ['rain']
    """
    return [c for c in _columns(X) if parse_lag_name(c) is None]


def _columns(X):
    if not hasattr(X, "columns"):
        raise TypeError(
            "window column selectors need a DataFrame from make_windows (column names tell "
            f"lags from covariates); got {type(X).__name__}"
        )
    return [str(c) for c in X.columns]
