"""The default forecaster and its ensembles: sklearn behaviour, tuning, no look-ahead."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.dummy import DummyRegressor
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklearn_hydro import make_windows
from sklearn_hydro.datasets import make_synthetic_demand
from sklearn_hydro.forecasting import SeedEnsembleRegressor, TailBlendRegressor, make_forecaster
from sklearn_hydro.metrics import mape_scorer
from sklearn_hydro.neural import DualLSTMRegressor

TINY = dict(n_estimators=2, hidden_size=4, head_size=4, max_epochs=3, random_state=0)
WEATHER = ["temp_max", "rain"]


@pytest.fixture(scope="module")
def frame():
    return make_synthetic_demand(n_days=200, random_state=5)


@pytest.fixture(scope="module")
def windows(frame):
    return make_windows(frame, "demand", 28, past_covariates=WEATHER)


def test_fit_predict_clone_pickle(windows):
    X, y = windows
    model = make_forecaster(target="demand", **TINY)
    with pytest.raises(NotFittedError):
        model.predict(X)
    model.fit(X[:120], y[:120])
    pred = model.predict(X[120:])
    assert pred.shape == (len(X) - 120,) and np.all(np.isfinite(pred))
    assert model.weights_.tolist() == [0.5, 0.25, 0.25]  # fixed, chosen by CV
    members = np.stack([m.predict(X[120:]) for m in model.estimators_])
    np.testing.assert_allclose(pred, model.weights_ @ members, rtol=1e-10)
    auto = make_forecaster(target="demand", weights="auto", **TINY).fit(X[:120], y[:120])
    assert set(auto.tail_errors_) == {"lstm", "linear", "boosting", "blend"}
    assert auto.tail_errors_["blend"] <= min(auto.tail_errors_[k] for k in
                                             ("lstm", "linear", "boosting")) + 1e-10
    lstm = model.named_estimators_["lstm"][-1]
    assert len(lstm.estimators_) == 2
    assert lstm.estimators_[0].n_exog_ == 2  # the past weather, as channels of each step
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_allclose(again.predict(X[120:]), pred, rtol=1e-6)
    refit = clone(model).fit(X[:120], y[:120])
    np.testing.assert_allclose(refit.predict(X[120:]), pred, rtol=1e-4)


def test_forecast_never_sees_the_future(frame):
    """Changing the series after the newest training day leaves every forecast whose origin
    is before the change unchanged (same fit, same rows)."""
    X, y = make_windows(frame, "demand", 28, past_covariates=WEATHER)
    model = make_forecaster(target="demand", **TINY).fit(X[:120], y[:120])
    cut = 150
    changed = frame.copy()
    changed.iloc[cut:, changed.columns.get_loc("demand")] *= 3.0
    changed.iloc[cut:, changed.columns.get_loc("rain")] += 50.0
    X2, _ = make_windows(changed, "demand", 28, past_covariates=WEATHER)
    origin_before = frame.index.get_indexer(X.index) - 1 < cut
    np.testing.assert_allclose(model.predict(X2[origin_before]), model.predict(X[origin_before]),
                               rtol=1e-9)
    assert not np.allclose(model.predict(X2[~origin_before]), model.predict(X[~origin_before]))


def test_grid_search_over_the_forecasters_parameters(windows):
    X, y = windows
    # one network per candidate: the search's parameter routing is the subject here
    search = GridSearchCV(
        make_forecaster(target="demand", **{**TINY, "n_estimators": 1}),
        {"lstm__lags__lookback": [7, 14], "linear__lags__lookback": [14, 28]},
        cv=TimeSeriesSplit(2), scoring=mape_scorer,
    ).fit(X, y)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert search.best_params_["linear__lags__lookback"] in (14, 28)


def test_windows_shorter_than_the_lookback_are_refused(frame):
    X, y = make_windows(frame, "demand", 14)
    with pytest.raises(ValueError, match="lookback=28.*fewer lags"):
        make_forecaster(**TINY).fit(X, y)
    with pytest.raises(ValueError, match="sequence_length=20 must not exceed"):
        make_forecaster(lookback=14, sequence_length=20)


def test_tail_blend_weights_follow_the_better_model_on_the_tail():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = 50 + X @ [1.0, 2.0, -1.0] + 0.01 * rng.normal(size=300)
    blend = TailBlendRegressor([("mean", DummyRegressor()), ("linear", LinearRegression())])
    blend.fit(X, y)
    np.testing.assert_array_equal(blend.weights_, [0.0, 1.0])
    fixed = TailBlendRegressor([("a", Ridge()), ("b", DummyRegressor())], weights=[3, 1])
    assert fixed.fit(X, y).weights_.tolist() == [0.75, 0.25]
    with pytest.raises(ValueError, match="weights must be 2"):
        TailBlendRegressor([("a", Ridge()), ("b", Ridge())], weights=[1.0]).fit(X, y)
    assert blend.get_params()["linear"] is blend.estimators[1][1]
    blend.set_params(linear__fit_intercept=False)
    assert blend.estimators[1][1].fit_intercept is False


def test_tail_errors_are_the_package_mape_or_the_mae_on_zeros():
    from sklearn.metrics import mean_absolute_error

    from sklearn_hydro.metrics import mean_absolute_percentage_error

    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 2))
    y = 50 + X @ [1.0, 2.0]
    blend = TailBlendRegressor([("mean", DummyRegressor()), ("linear", LinearRegression())],
                               validation_fraction=0.2).fit(X, y)
    mean = DummyRegressor().fit(X[:80], y[:80])
    assert blend.tail_errors_["mean"] == mean_absolute_percentage_error(
        y[80:], mean.predict(X[80:]))
    y[90] = 0.0  # MAPE is undefined on the tail: the blend weighs by the MAE
    blend.fit(X, y)
    assert blend.tail_errors_["mean"] == mean_absolute_error(y[80:], mean.predict(X[80:]))
    y[90] = -1.0  # a negative observation: the same
    blend.fit(X, y)
    assert blend.tail_errors_["mean"] == mean_absolute_error(y[80:], mean.predict(X[80:]))
    with pytest.raises(ValueError, match="too few rows"):
        TailBlendRegressor([("mean", DummyRegressor())], validation_fraction=0.5).fit(
            X[:3], y[:3])


def test_seed_ensemble_averages_members_with_different_seeds():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(120, 4))
    y = X.sum(axis=1)
    net = DualLSTMRegressor(n_branches=1, sequence_length=4, hidden_size=3, max_epochs=3,
                            early_stopping=False, level="global")
    ensemble = SeedEnsembleRegressor(net, n_estimators=3, random_state=0).fit(X, y)
    assert len(set(ensemble.seeds_.tolist())) == 3
    members = np.stack([m.predict(X) for m in ensemble.estimators_])
    assert not np.allclose(members[0], members[1])
    np.testing.assert_allclose(ensemble.predict(X), members.mean(axis=0))
    again = SeedEnsembleRegressor(net, n_estimators=3, random_state=0).fit(X, y)
    np.testing.assert_allclose(again.predict(X), ensemble.predict(X), rtol=1e-5, atol=1e-6)


def test_blend_of_several_outputs_weighs_each_output_on_its_own():
    from sklearn.compose import make_column_transformer
    from sklearn.pipeline import make_pipeline

    def reads(column):
        return make_pipeline(make_column_transformer(("passthrough", [column])),
                             LinearRegression())

    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 2))
    # output 0 depends on column 0 only, output 1 on column 1 only
    Y = np.column_stack([100 + 3 * X[:, 0], 100 - 2 * X[:, 1]]) + rng.normal(0, 0.1, (300, 2))
    models = [("first", reads(0)), ("second", reads(1))]
    blend = TailBlendRegressor(models, step=0.5).fit(X, Y)
    assert blend.weights_.tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert blend.predict(X).shape == (300, 2)
    alone = TailBlendRegressor(models, step=0.5).fit(X, Y[:, 1])
    np.testing.assert_allclose(blend.predict(X)[:, 1], alone.predict(X))


def test_one_horizon_as_a_column_blends_members_of_either_shape(windows):
    # a 2-D target of one column (Forecaster's windows, horizons=1): the LSTMs and the
    # stacked boosting answer (n, 1), the row-level Ridge (n,); the blend is (n, 1)
    X, y = windows
    Y = y.to_frame("demand_h1")
    model = make_forecaster(target="demand", **TINY).fit(X[:120], Y[:120])
    shapes = {np.asarray(m.predict(X[120:])).shape for m in model.estimators_}
    assert shapes == {(len(X) - 120, 1), (len(X) - 120,)}
    pred = model.predict(X[120:])
    assert pred.shape == (len(X) - 120, 1)
    np.testing.assert_allclose(pred[:, 0], make_forecaster(target="demand", **TINY)
                               .fit(X[:120], y[:120]).predict(X[120:]), rtol=1e-5)
