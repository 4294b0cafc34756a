"""The library's recommended forecaster: its best honest pipeline, with defaults chosen by
cross-validation on BWDF training periods only (``benchmarks/select_forecaster.py``)."""

from sklearn.compose import TransformedTargetRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from ..neural import DualLSTMRegressor
from ..preprocessing import SigmaOutlierSmoother
from ..windows import LagSelector, make_window_transformer
from ._ensemble import SeedEnsembleRegressor, TailBlendRegressor
from ._row_level import RowLevelRegressor

__all__ = ["RIDGE_ALPHAS", "make_forecaster"]

#: The penalties RidgeCV chooses among in the library's linear models (the default
#: forecaster's level-free Ridge and the study's Ridge peer).
RIDGE_ALPHAS = (0.01, 0.1, 1.0, 10.0, 100.0)


def make_forecaster(
    *,
    lookback=28,
    sequence_length=14,
    target=None,
    n_estimators=5,
    hidden_size=64,
    head_size=64,
    learning_rate=1e-3,
    max_epochs=300,
    n_iter_no_change=20,
    validation_fraction=0.15,
    blend_fraction=0.2,
    random_state=None,
    n_jobs=None,
    **neural_params,
):
    """The recommended forecaster: a seed-averaged LSTM blended with a level-free Ridge.

    A :class:`~sklearn_hydro.forecasting.TailBlendRegressor` over the rows of
    :func:`~sklearn_hydro.make_windows`, blending two pipelines with convex weights chosen on
    the last ``blend_fraction`` of the training rows (never on the future):

    ``lstm``
        ``LagSelector(sequence_length)``; the target's lags through
        :class:`~sklearn_hydro.SigmaOutlierSmoother` (outliers and missing days replaced within
        the row), past covariates' lags and the target day's covariates imputed by their
        training medians (the latter also standardised); then
        :class:`~sklearn_hydro.forecasting.SeedEnsembleRegressor` averaging ``n_estimators``
        one-branch :class:`~sklearn_hydro.DualLSTMRegressor` networks that forecast the
        deviation from each window's own level. Each step of the sequence carries the day's
        demand and past covariates; the target day's covariates are static features fed to
        every step and to an MLP head.
    ``linear``
        ``LagSelector(lookback)``; the smoothed lags and the standardised covariates of the
        target day; ridge regression (alpha by leave-one-out CV) of the deviation from each
        window's own level (:class:`~sklearn_hydro.RowLevelRegressor`).

    Every default was chosen by cross-validation on the training periods of the ten BWDF
    districts only (``benchmarks/select_forecaster.py``): seed averaging, the blend and the
    row level each lowered the CV MAPE; wavelet denoising, PCA and a second branch did not
    help (see the study report), and lags of the calendar as past covariates hurt. Give the
    windows the weather observed before the origin as past covariates::

        X, y = make_windows(frame, "demand", lookback=28, covariates=weather + calendar,
                            past_covariates=weather)

    Parameters
    ----------
    lookback : int, default=28
        Lags read by the linear model (the windows must hold at least as many).
    sequence_length : int, default=14
        Lags read by the LSTM (the newest ones).
    target : str or None, default=None
        Name of the target series, needed when the windows hold past covariates (their lags
        are named like the target's).
    n_estimators : int, default=5
        Networks averaged, each with its own seed.
    hidden_size, head_size, learning_rate, max_epochs, n_iter_no_change, validation_fraction
        Of each :class:`~sklearn_hydro.DualLSTMRegressor` (early stopping on the last
        ``validation_fraction`` of the rows it is fitted on).
    blend_fraction : float, default=0.2
        Share of the training rows, from the end, on which the blend's weights are chosen
        (weights in steps of 0.25): the returned blend's ``validation_fraction``. It keeps
        its own name here because ``validation_fraction`` above is the networks' hold-out
        (0.15), a second tail of its own.
    random_state : int or None, default=None
        Seeds the networks.
    n_jobs : int or None, default=None
        Networks trained in parallel (joblib).
    **neural_params
        Other parameters of :class:`~sklearn_hydro.DualLSTMRegressor` (``device``,
        ``n_threads``, ``batch_size``...).

    Returns
    -------
    TailBlendRegressor
        Tune e.g. ``lstm__lags__lookback`` or ``lstm__regressor__estimator__hidden_size``
        with GridSearchCV; ``weights_`` tells the blend chosen in ``fit``.

    Examples
    --------
    >>> from sklearn_hydro import make_windows
    >>> from sklearn_hydro.datasets import make_synthetic_demand
    >>> from sklearn_hydro.forecasting import make_forecaster
    >>> frame = make_synthetic_demand(n_days=200, random_state=0)
    >>> X, y = make_windows(frame, "demand", lookback=28, past_covariates=["temp_max", "rain"])
    >>> model = make_forecaster(target="demand", n_estimators=2, max_epochs=5, random_state=0)
    >>> model.fit(X[:150], y[:150]).predict(X[150:]).shape
    (20,)
    >>> float(model.weights_.sum())
    1.0
    """
    if sequence_length > lookback:
        raise ValueError(
            f"sequence_length={sequence_length} must not exceed lookback={lookback}: the "
            "windows hold lookback lags"
        )
    network = DualLSTMRegressor(
        n_branches=1,
        target=target,
        hidden_size=hidden_size,
        head_size=head_size,
        learning_rate=learning_rate,
        max_epochs=max_epochs,
        n_iter_no_change=n_iter_no_change,
        validation_fraction=validation_fraction,
        level="row",
        **neural_params,
    )
    lstm = Pipeline(
        [
            ("lags", LagSelector(sequence_length)),
            ("windows", make_window_transformer(
                lags=SigmaOutlierSmoother(),
                past_covariates=SimpleImputer(strategy="median", keep_empty_features=True),
                covariates=make_pipeline(
                    SimpleImputer(strategy="median", keep_empty_features=True), StandardScaler()
                ),
                target=target,
            )),
            ("regressor", SeedEnsembleRegressor(
                network, n_estimators=n_estimators, random_state=random_state, n_jobs=n_jobs
            )),
        ]
    )
    linear = Pipeline(
        [
            ("lags", LagSelector(lookback)),
            ("windows", make_window_transformer(
                lags=SigmaOutlierSmoother(),
                past_covariates="drop",
                covariates=make_pipeline(
                    SimpleImputer(strategy="median", keep_empty_features=True), StandardScaler()
                ),
                target=target,
            )),
            ("regressor", RowLevelRegressor(
                TransformedTargetRegressor(
                    make_pipeline(StandardScaler(), RidgeCV(alphas=RIDGE_ALPHAS)),
                    transformer=StandardScaler(),
                ),
                target=target,
            )),
        ]
    )
    return TailBlendRegressor(
        [("lstm", lstm), ("linear", linear)], weights="auto",
        validation_fraction=blend_fraction, step=0.25,
    )
