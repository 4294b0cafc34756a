import numpy as np
import pandas as pd
import pytest

from sklearn_hydro.datasets import make_synthetic_demand
from sklearn_hydro.model_selection import audit_lookahead
from sklearn_hydro.preprocessing import denoise
from sklearn_hydro.study import (
    ALL_MODELS,
    DEFAULT_MODEL,
    make_study_model,
    whole_series_windows,
)
from sklearn_hydro.windows import make_windows

LOOKBACK = 16
TINY = {"max_epochs": 2, "hidden_size": 4, "batch_size": 32}


@pytest.fixture(scope="module")
def frame():
    return make_synthetic_demand(n_days=200, random_state=5)


def _origins(frame):
    return [frame.index[120], frame.index[170]]


def _windows_with_past(frame, target, lookback, horizon, covariates):
    covariates = [c for c in frame.columns if c != target]
    return make_windows(frame, target, lookback, horizon, covariates, past_covariates=covariates)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("name", ALL_MODELS)
def test_library_models_pass_the_audit(frame, name, short_training):
    """Every library model, on windows with past covariates as run_study makes them: the
    covariates are perturbed after the origin's target day (their past lags would show a
    leak), the target after the origin."""
    params = {**TINY, "n_estimators": 2} if name == DEFAULT_MODEL else TINY
    model = short_training(make_study_model(name, lookback=LOOKBACK, random_state=0,
                                            neural_params=params, target="demand"))
    audit = audit_lookahead(model, frame, "demand", lookback=LOOKBACK, origins=_origins(frame),
                            windows=_windows_with_past, known_ahead=["temp_max", "rain"])
    assert audit.passed, str(audit)
    assert audit.n_checked > 100
    assert "passed" in str(audit)


def test_the_studys_whole_series_protocol_fails(frame):
    model = make_study_model("DWT-PCA-SVM", lookback=LOOKBACK, predenoised=True)
    audit = audit_lookahead(model, frame, "demand", lookback=LOOKBACK, origins=_origins(frame),
                            windows=whole_series_windows)
    assert not audit.passed
    # the leak reaches forecasts issued long before the origin (the refit model moved)
    assert len(audit.moved) > 50
    assert "FAILED" in str(audit)


def test_whole_series_wavelet_denoiser_is_flagged(frame):
    """A user's own pipeline: denoise the whole series, then window it."""

    def protocol(data, origin):
        clean = data.assign(demand=denoise(data["demand"].interpolate(), wavelet="db4"))
        X, y = make_windows(clean, "demand", 7, covariates=[])
        lag1 = X["demand_lag1"]  # persistence of the denoised series
        return lag1[lag1.index <= origin + pd.Timedelta(days=1)]

    audit = audit_lookahead(protocol, frame, "demand", origins=_origins(frame))
    assert not audit.passed
    assert (audit.moved["target_date"] <= audit.moved["origin"] + pd.Timedelta(days=1)).all()


def test_centred_rolling_mean_is_flagged_and_trailing_one_passes(frame):
    from sklearn.linear_model import Ridge

    def smoothed(center):
        def windows(f, target, lookback, horizon, covariates):
            s = f[target].interpolate().rolling(7, center=center, min_periods=1).mean()
            return make_windows(f.assign(**{target: s}), target, lookback, horizon, [])
        return windows

    kwargs = {"lookback": 7, "origins": _origins(frame)}
    leaky = audit_lookahead(Ridge(), frame, "demand", windows=smoothed(True), **kwargs)
    honest = audit_lookahead(Ridge(), frame, "demand", windows=smoothed(False), **kwargs)
    assert not leaky.passed and honest.passed
    # the centred mean peeks 3 days ahead: the forecasts issued in the last 3 days move
    assert leaky.moved["target_date"].max() >= max(_origins(frame))


def test_audit_arguments(frame):
    from sklearn.linear_model import Ridge

    with pytest.raises(ValueError, match="lookback"):
        audit_lookahead(Ridge(), frame, "demand")
    with pytest.raises(ValueError, match="not a date"):
        audit_lookahead(Ridge(), frame, "demand", lookback=3,
                        origins=[pd.Timestamp("1990-01-01")])
    with pytest.raises(ValueError, match="perturb"):
        audit_lookahead(Ridge(), frame, "demand", lookback=3, columns=["nope"])
    assert np.isfinite(frame["rain"]).all()


@pytest.mark.parametrize("joint_from", [1, 2])
def test_the_week_ahead_default_passes_the_audit(frame, joint_from):
    """Days 1..3 of the default forecaster as one joint model, and as day 1 alone with days
    2..3 together (the Forecaster's default strategy), refitted at each audited origin on
    the windows whose targets are known by then: no forecast issued by the origin moves
    when the series changes after it."""
    from sklearn_hydro.forecasting import DirectHorizonRegressor, make_forecaster
    from sklearn_hydro.windows import make_multi_horizon_windows

    def protocol(data, origin):
        covariates = [c for c in data.columns if c != "demand"]
        X, Y = make_multi_horizon_windows(data, "demand", LOOKBACK, 3, covariates,
                                          past_covariates=covariates)
        known = X.index + pd.Timedelta(days=3) <= origin  # every target observed by then
        model = DirectHorizonRegressor(
            make_forecaster(target="demand", lookback=LOOKBACK, sequence_length=LOOKBACK,
                            n_estimators=2, random_state=0, **TINY),
            joint_from=joint_from).fit(X[known], Y[known])
        # the forecasts of target days up to the origin: everything they read (lags, the
        # known-ahead weather of their own day, the fitted rows) is known by then
        issued = X.index + pd.Timedelta(days=3) <= origin
        pred = model.predict(X[issued])
        index = pd.MultiIndex.from_product([X.index[issued], [1, 2, 3]])
        return pd.Series(pred.reshape(-1), index=index)

    audit = audit_lookahead(protocol, frame, "demand", origins=_origins(frame),
                            known_ahead=["temp_max", "rain"])
    assert audit.passed, str(audit)
    assert audit.n_checked > 100
