"""The library's recommended forecaster: its best honest pipeline, with defaults chosen by
cross-validation on BWDF training periods only (``benchmarks/select_forecaster.py``)."""

from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from ..ensemble import SeedEnsembleRegressor
from ..neural import DualLSTMRegressor
from ..preprocessing import SigmaOutlierSmoother
from ..windows import LagSelector, make_window_transformer

__all__ = ["make_forecaster"]


def make_forecaster(
    *,
    lookback=14,
    target=None,
    n_estimators=5,
    hidden_size=64,
    head_size=64,
    learning_rate=1e-3,
    max_epochs=300,
    n_iter_no_change=20,
    validation_fraction=0.15,
    level="row",
    random_state=None,
    n_jobs=None,
    **neural_params,
):
    """The recommended forecaster: an LSTM over the lags and past covariates, seed-averaged.

    A Pipeline over the rows of :func:`~sklearn_hydro.make_windows`:

    1. ``lags``: :class:`~sklearn_hydro.LagSelector` keeps the newest ``lookback`` lags;
    2. ``windows``: the target's lags through :class:`~sklearn_hydro.SigmaOutlierSmoother`
       (outliers and missing days replaced within the row); past covariates' lags and the
       target day's known covariates imputed by their training medians, the known ones also
       standardised;
    3. ``regressor``: :class:`~sklearn_hydro.ensemble.SeedEnsembleRegressor` averaging
       ``n_estimators`` one-branch :class:`~sklearn_hydro.DualLSTMRegressor` networks. Each
       step of the sequence carries the day's demand and past covariates; the target day's
       covariates are static features fed to every step and to an MLP head.

    No wavelet, no PCA and no second branch: cross-validated on the BWDF training periods,
    none of them helped (see the study report). Give the windows past covariates (the
    observed weather and calendar before the origin) for the best results::

        X, y = make_windows(frame, "demand", lookback=14, past_covariates=covariates)

    Parameters
    ----------
    lookback : int, default=14
        Lags read (the windows must hold at least as many).
    target : str or None, default=None
        Name of the target series, needed when the windows hold past covariates (their lags
        are named like the target's).
    n_estimators : int, default=5
        Networks averaged, each with its own seed.
    hidden_size, head_size, learning_rate, max_epochs, n_iter_no_change, validation_fraction
        Of each :class:`~sklearn_hydro.DualLSTMRegressor` (early stopping on the last
        ``validation_fraction`` of the training rows).
    level : {"row", "global"}, default="row"
        See :class:`~sklearn_hydro.DualLSTMRegressor`.
    random_state : int or None, default=None
        Seeds the ensemble.
    n_jobs : int or None, default=None
        Networks trained in parallel (joblib).
    **neural_params
        Other parameters of :class:`~sklearn_hydro.DualLSTMRegressor` (``device``,
        ``n_threads``, ``batch_size``...).

    Returns
    -------
    Pipeline
        Steps ``lags``, ``windows``, ``regressor``; tune e.g. ``lags__lookback`` or
        ``regressor__estimator__hidden_size`` with GridSearchCV.

    Examples
    --------
    >>> from sklearn_hydro import make_windows
    >>> from sklearn_hydro.datasets import make_synthetic_demand
    >>> from sklearn_hydro.study import make_forecaster
    >>> frame = make_synthetic_demand(n_days=200, random_state=0)
    >>> X, y = make_windows(frame, "demand", lookback=14, past_covariates=["temp_max", "rain"])
    >>> model = make_forecaster(target="demand", n_estimators=2, max_epochs=5, random_state=0)
    >>> model.fit(X[:150], y[:150]).predict(X[150:]).shape
    (34,)
    """
    network = DualLSTMRegressor(
        n_branches=1,
        target=target,
        hidden_size=hidden_size,
        head_size=head_size,
        learning_rate=learning_rate,
        max_epochs=max_epochs,
        n_iter_no_change=n_iter_no_change,
        validation_fraction=validation_fraction,
        level=level,
        **neural_params,
    )
    windows = make_window_transformer(
        lags=SigmaOutlierSmoother(),
        past_covariates=SimpleImputer(strategy="median", keep_empty_features=True),
        covariates=make_pipeline(
            SimpleImputer(strategy="median", keep_empty_features=True), StandardScaler()
        ),
        target=target,
    )
    regressor = SeedEnsembleRegressor(
        network, n_estimators=n_estimators, random_state=random_state, n_jobs=n_jobs
    )
    return Pipeline(
        [("lags", LagSelector(lookback)), ("windows", windows), ("regressor", regressor)]
    )
