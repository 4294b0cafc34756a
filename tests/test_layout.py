"""Layouts by names, never by positions: past covariates, lag selection, mis-wiring refused."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklearn_hydro import LagSelector, make_windows
from sklearn_hydro.datasets import make_synthetic_demand
from sklearn_hydro.metrics import mape_scorer
from sklearn_hydro.neural import DualLSTMRegressor
from sklearn_hydro.study import make_study_model
from sklearn_hydro.windows import covariate_columns, lag_columns, past_covariate_columns

TINY = dict(hidden_size=4, max_epochs=3, batch_size=16, early_stopping=False, random_state=0)


@pytest.fixture(scope="module")
def frame():
    return make_synthetic_demand(n_days=160, random_state=1)


def _frame(n=30, seed=0):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2022-01-01", periods=n, freq="D", name="date")
    return pd.DataFrame(
        {"demand": 100 + rng.normal(size=n).cumsum(), "temp": rng.normal(size=n),
         "rain": rng.gamma(1.0, size=n)},
        index=idx,
    )


# ---------------------------------------------------------------- windows with past covariates


def test_past_covariates_are_windowed_like_the_target():
    frame = _frame()
    X, y = make_windows(frame, "demand", lookback=3, horizon=2, covariates=["temp"],
                        past_covariates=["temp", "rain"])
    assert list(X.columns) == [
        "demand_lag3", "demand_lag2", "demand_lag1",
        "temp_lag3", "temp_lag2", "temp_lag1",
        "rain_lag3", "rain_lag2", "rain_lag1",
        "temp",
    ]
    for date, row in X.iterrows():
        pos = frame.index.get_loc(date)
        origin = pos - 2
        np.testing.assert_array_equal(row[["rain_lag3", "rain_lag2", "rain_lag1"]],
                                      frame["rain"].iloc[origin - 2 : origin + 1])
        assert row["temp_lag1"] == frame["temp"].iloc[origin]
        assert row["temp"] == frame["temp"].iloc[pos]  # known ahead: the target day
    assert lag_columns(X, target="demand") == ["demand_lag3", "demand_lag2", "demand_lag1"]
    assert past_covariate_columns(X, target="demand")[0] == "temp_lag3"
    assert covariate_columns(X) == ["temp"]
    # default known-ahead covariates: every column but the target and the past covariates
    X2, _ = make_windows(frame, "demand", lookback=3, past_covariates=["rain"])
    assert covariate_columns(X2) == ["temp"]


def test_the_target_is_never_guessed_among_several_lagged_series():
    X, _ = make_windows(_frame(), "demand", lookback=3, past_covariates=["rain"])
    with pytest.raises(ValueError, match="several series.*target="):
        lag_columns(X)
    with pytest.raises(ValueError, match="no lag columns of target='flow'"):
        lag_columns(X, target="flow")
    with pytest.raises(ValueError, match="cannot be a past covariate"):
        make_windows(_frame(), "demand", 3, past_covariates=["demand"])
    with pytest.raises(ValueError, match="past covariate column"):
        make_windows(_frame(), "demand", 3, past_covariates=["wind"])


@settings(max_examples=40, deadline=None)
@given(lookback=st.integers(1, 5), horizon=st.integers(1, 3), data=st.data())
def test_past_covariate_windows_never_hold_values_after_their_origin(lookback, horizon, data):
    frame = _frame(25)
    X, _ = make_windows(frame, "demand", lookback, horizon, past_covariates=["rain", "temp"])
    pos = data.draw(st.integers(0, len(frame) - 1))
    column = data.draw(st.sampled_from(["rain", "temp"]))
    changed = frame.copy()
    changed.loc[changed.index[pos], column] += 1000.0
    X2, _ = make_windows(changed, "demand", lookback, horizon, past_covariates=["rain", "temp"])
    lags = [c for c in X.columns if "_lag" in c]
    origin = frame.index.get_indexer(X.index) - horizon
    before = origin < pos
    pd.testing.assert_frame_equal(X.loc[before, lags], X2.loc[before, lags])
    # the perturbation does reach the rows whose window holds it, so the test can fail
    holding = (origin >= pos) & (origin - lookback < pos)
    if holding.any():
        assert not X.loc[holding, lags].equals(X2.loc[holding, lags])


# ---------------------------------------------------------------- LagSelector


def test_lag_selector_keeps_the_newest_lags_of_every_series():
    X, _ = make_windows(_frame(), "demand", lookback=5, covariates=["temp"],
                        past_covariates=["rain"])
    out = LagSelector(lookback=2).fit_transform(X)
    assert list(out.columns) == ["demand_lag2", "demand_lag1", "rain_lag2", "rain_lag1", "temp"]
    pd.testing.assert_frame_equal(out, X[list(out.columns)])
    with pytest.raises(ValueError, match="fewer lags"):
        LagSelector(lookback=6).fit(X)
    with pytest.raises(ValueError, match="no column names"):
        LagSelector(lookback=2).fit(X.to_numpy())
    assert LagSelector().fit_transform(X).equals(X)


# ---------------------------------------------------------------- DualLSTMRegressor by names


def test_column_order_does_not_matter_with_names(frame):
    X, y = make_windows(frame, "demand", lookback=7, covariates=["temp_max", "rain"])
    X = X.fillna(X.mean())
    model = DualLSTMRegressor(n_branches=1, **TINY).fit(X, y)
    shuffled = X[list(reversed(X.columns))]  # statics first, lags newest first
    model2 = DualLSTMRegressor(n_branches=1, **TINY).fit(shuffled, y)
    np.testing.assert_allclose(model2.predict(shuffled), model.predict(X), rtol=1e-4)
    assert model.sequence_length_ == 7 and model.n_static_ == 2
    # at predict time the columns are matched by name, as scikit-learn checks them
    with pytest.raises(ValueError, match="feature names"):
        model.predict(shuffled)


def test_past_covariates_become_channels_of_every_step(frame):
    X, y = make_windows(frame, "demand", lookback=7, covariates=["rain"],
                        past_covariates=["temp_max", "rain"])
    X = X.fillna(X.mean())
    model = DualLSTMRegressor(n_branches=1, **TINY).fit(X, y)
    assert model.n_exog_ == 2 and model.n_static_ == 1 and model.layout_.target == "demand"
    assert np.all(np.isfinite(model.predict(X)))
    # without a named y the target must be named
    with pytest.raises(ValueError, match="several series"):
        DualLSTMRegressor(n_branches=1, **TINY).fit(X, y.to_numpy())
    DualLSTMRegressor(n_branches=1, target="demand", **TINY).fit(X, y.to_numpy())


def test_mismatched_layouts_are_refused(frame):
    X, y = make_windows(frame, "demand", lookback=7, covariates=["rain"])
    X = X.fillna(X.mean())
    with pytest.raises(ValueError, match="sequence_length=5.*7 lags"):
        DualLSTMRegressor(n_branches=1, sequence_length=5, **TINY).fit(X, y)
    with pytest.raises(ValueError, match="residual"):
        DualLSTMRegressor(n_branches=2, **TINY).fit(X, y)
    both = pd.concat([X.iloc[:, :7].add_suffix("_denoised"), X.iloc[:, :7].add_suffix("_residual"),
                      X[["rain"]]], axis=1)
    with pytest.raises(ValueError, match="n_branches=1"):
        DualLSTMRegressor(n_branches=1, **TINY).fit(both, y)
    short = both.drop(columns="demand_lag7_residual")
    with pytest.raises(ValueError, match="same lags"):
        DualLSTMRegressor(n_branches=2, **TINY).fit(short, y)


# ---------------------------------------------------------------- study pipelines


def test_a_shorter_lookback_reads_the_newest_lags(frame):
    X28, y = make_windows(frame, "demand", lookback=28)
    X14, y14 = make_windows(frame, "demand", lookback=14)
    X14, y14 = X14.loc[X28.index], y14.loc[X28.index]
    for name in ("DWT-PCA-LSTM", "DWT-PCA-SVM"):
        tiny = {k: v for k, v in TINY.items() if k != "random_state"}
        params = {"neural_params": tiny} if "LSTM" in name else {}
        a = make_study_model(name, lookback=14, wavelet="haar", random_state=0, **params)
        b = make_study_model(name, lookback=14, wavelet="haar", random_state=0, **params)
        pred_long = a.fit(X28, y).predict(X28)
        pred_short = b.fit(X14, y14).predict(X14)
        np.testing.assert_allclose(pred_long, pred_short, rtol=1e-4)
        # the network reads 14 signal lags and 14 residual lags, not 28 + 28 mixed up
        if "LSTM" in name:
            assert a[-1].sequence_length_ == 14


def test_grid_search_tunes_the_lookback(frame):
    X, y = make_windows(frame, "demand", lookback=21)
    model = make_study_model("DWT-PCA-SVM", lookback=21, wavelet="haar")
    search = GridSearchCV(model, {"lags__lookback": [7, 14, 21]}, cv=TimeSeriesSplit(3),
                          scoring=mape_scorer).fit(X, y)
    assert search.best_params_["lags__lookback"] in (7, 14, 21)
    scores = search.cv_results_["mean_test_score"]
    assert len(set(np.round(scores, 10))) == 3  # the three lookbacks are different models


def test_every_reader_of_the_signal_lags_refuses_raw_and_denoised_together(frame):
    from sklearn_hydro import RowLevelRegressor, SeasonalNaiveRegressor

    X, y = make_windows(frame, "demand", lookback=3, covariates=["rain"])
    X = X.fillna(X.mean())
    both = pd.concat([X, X.filter(like="_lag").add_suffix("_denoised")], axis=1)
    for model in (SeasonalNaiveRegressor(), RowLevelRegressor(),
                  DualLSTMRegressor(n_branches=1, **TINY)):
        with pytest.raises(ValueError, match="both raw and denoised lags of 'demand'"):
            model.fit(both, y)
    # with one of them each reads the same signal lags
    assert SeasonalNaiveRegressor().fit(X, y).lag_columns_.tolist() == [2, 1, 0]

