"""The window transformer: a ColumnTransformer that routes the blocks of windows by name."""

from functools import partial

from sklearn.compose import ColumnTransformer

from ..utils import nested_in_process
from ._columns import covariate_columns, lag_columns, past_covariate_columns

__all__ = ["WindowTransformer", "make_window_transformer"]

def make_window_transformer(
    lags="passthrough", covariates="passthrough", past_covariates="passthrough", *, target=None
):
    """A ColumnTransformer that routes the blocks of forecast windows by their names.

    The output holds the transformed target lags, then the past covariates' lags, then the
    transformed known-ahead covariates, with pandas output so that the names (which
    :class:`~sklearn_hydro.DualLSTMRegressor` reads its layout from) reach the regressor.

    Parameters
    ----------
    lags : transformer, "passthrough" or "drop", default="passthrough"
        Applied to the target's lag columns (e.g. smoother then denoiser).
    covariates : transformer, "passthrough" or "drop", default="passthrough"
        Applied to the known-ahead covariate columns (e.g. imputer, scaler, PCA).
    past_covariates : transformer, "passthrough" or "drop", default="passthrough"
        Applied to the past covariates' lag columns, if any (a row-wise or column-wise
        transformer that keeps the names, e.g. an imputer).
    target : str or None, default=None
        Name of the target series; needed only when the windows hold past covariates.

    Returns
    -------
    ColumnTransformer
        With ``verbose_feature_names_out=False`` so names stay readable. Its class,
        ``WindowTransformer``, fits and applies the blocks in the calling process unless
        its ``n_jobs`` is above 1, even under a joblib backend's context (on Dask each
        block would be a task of its own).

    Examples
    --------
    >>> from sklearn.decomposition import PCA
    >>> from sklearn_hydro.windows import make_window_transformer
    >>> ct = make_window_transformer(covariates=PCA(n_components=2))
    >>> [name for name, _, _ in ct.transformers]
    ['lags', 'past_covariates', 'covariates']
    """
    ct = WindowTransformer(
        [
            ("lags", lags, partial(lag_columns, target=target)),
            ("past_covariates", past_covariates, partial(past_covariate_columns, target=target)),
            ("covariates", covariates, covariate_columns),
        ],
        verbose_feature_names_out=False,
    )
    return ct.set_output(transform="pandas")


class WindowTransformer(ColumnTransformer):
    """The ColumnTransformer of :func:`make_window_transformer`; build it with that function.

    It differs from its parent in one default only: with ``n_jobs=None`` (or 1) its blocks
    are fitted and applied one after the other in the calling process, even inside a joblib
    backend's context. A window's blocks (impute, scale, smooth a few dozen columns) never
    gain from being spread, and on joblib's Dask backend a ``GridSearchCV`` or a backtest
    would otherwise send each block of each ``fit`` and ``transform`` to the cluster as a
    task of its own, while the task that needs it waits (``benchmarks/bench_scale.py
    --search``: 582 tasks for 27 fits, 1.53x on two workers instead of 1.63x; with small
    networks 1.09x instead of 1.52x). Pass ``n_jobs`` > 1 to spread the blocks anyway.
    """

    def fit_transform(self, X, y=None, **params):
        with nested_in_process(self.n_jobs):
            return super().fit_transform(X, y, **params)

    def transform(self, X, **params):
        with nested_in_process(self.n_jobs):
            return super().transform(X, **params)
