"""Grid searches, backtests and per-series fits on a Dask cluster give the serial results.

Only the joblib backend changes (``joblib.parallel_config(backend="dask")``); the cluster is
a LocalCluster of two single-thread workers in this process, which is quick to start.
"""

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.base import clone
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from sklearn_hydro import DualLSTMRegressor, LagSelector, make_window_transformer, make_windows
from sklearn_hydro.datasets import make_synthetic_demand
from sklearn_hydro.forecasting import PerSeriesRegressor, SeedEnsembleRegressor
from sklearn_hydro.model_selection import backtest

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as dask_client:
            yield dask_client


@pytest.fixture(scope="module")
def windows():
    frame = make_synthetic_demand(200, random_state=0)
    return make_windows(frame, "demand", 14, covariates=["rain", "dow_sun"])


def tiny_lstm():
    return make_pipeline(
        SimpleImputer(keep_empty_features=True),
        DualLSTMRegressor(n_branches=1, sequence_length=14, hidden_size=4, max_epochs=3,
                          batch_size=32, level="global", early_stopping=False, random_state=0),
    )


def test_grid_search_on_dask_equals_serial(client, windows):
    X, y = windows
    search = GridSearchCV(
        make_pipeline(LagSelector(), SimpleImputer(), Ridge()),
        {"lagselector__lookback": [3, 7, 14], "ridge__alpha": [0.1, 10.0]},
        cv=TimeSeriesSplit(n_splits=3),
        scoring="neg_mean_absolute_error",
        n_jobs=-1,
    )
    serial = GridSearchCV(**{**search.get_params(deep=False), "n_jobs": None}).fit(X, y)
    with parallel_config(backend="dask"):
        search.fit(X, y)
    np.testing.assert_allclose(search.cv_results_["mean_test_score"],
                               serial.cv_results_["mean_test_score"])
    assert search.best_params_ == serial.best_params_
    assert client.run(lambda: True)  # the workers were there


def test_backtest_on_dask_equals_serial(client, windows):
    X, y = windows
    kwargs = {"initial_train_size": 120, "step": 15}
    serial = backtest(tiny_lstm(), X, y, **kwargs)
    with parallel_config(backend="dask"):
        spread = backtest(tiny_lstm(), X, y, n_jobs=-1, **kwargs)
    assert len(spread.folds) == len(serial.folds) > 1
    np.testing.assert_allclose(spread.predictions["predicted"], serial.predictions["predicted"],
                               rtol=1e-6)


def test_backtest_n_jobs_has_scikit_learns_meaning(client, windows):
    """n_jobs=None follows the joblib context (the Dask backend), n_jobs=1 fits here."""
    X, y = windows
    model = make_pipeline(SimpleImputer(), Ridge())
    kwargs = {"initial_train_size": 120, "step": 20}
    for n_jobs, spread in [(None, True), (1, False)]:
        with parallel_config(backend="dask"), distributed.get_task_stream(client) as stream:
            backtest(model, X, y, n_jobs=n_jobs, **kwargs)
        assert bool(stream.data) is spread, n_jobs


def test_per_series_fits_on_dask_equal_serial(client):
    panel = make_synthetic_demand(120, n_series=4, random_state=0)
    X, y = make_windows(panel, "demand", 14, covariates=["rain"])
    serial = PerSeriesRegressor(tiny_lstm()).fit(X, y).predict(X)
    with parallel_config(backend="dask"):
        spread = PerSeriesRegressor(tiny_lstm(), n_jobs=-1).fit(X, y).predict(X)
    np.testing.assert_allclose(spread, serial, rtol=1e-6)


def test_a_series_task_keeps_its_nested_loops(client):
    """A pipeline's ColumnTransformer runs inside its series' task, not as tasks of its own.

    Inside a task, joblib's Dask backend stays the backend of nested ``Parallel`` calls, so
    each ``fit_transform`` and ``transform`` of the window transformer went back to the
    cluster (and the task's worker waited on it): 24 tasks here instead of 6.
    """
    panel = make_synthetic_demand(120, n_series=3, random_state=0)
    X, y = make_windows(panel, "demand", 7, covariates=["rain", "temp_max"],
                        past_covariates=["rain"])
    pipeline = make_pipeline(
        make_window_transformer(lags=SimpleImputer(), past_covariates=SimpleImputer(),
                                covariates=SimpleImputer(), target="demand"),
        Ridge(),
    )
    with parallel_config(backend="dask"), distributed.get_task_stream(client) as stream:
        PerSeriesRegressor(pipeline, n_jobs=-1).fit(X, y).predict(X)
    names = {task["key"].split("-")[0] for task in stream.data}
    assert len(stream.data) == 6, names  # 3 fits, then 3 forecasts
    assert all("in_task" in name for name in names), names


def test_a_search_task_keeps_the_window_transformer_in_process(client):
    """GridSearchCV is scikit-learn's loop: the window transformer itself stays in-process."""
    panel = make_synthetic_demand(150, random_state=0)
    X, y = make_windows(panel, "demand", 7, covariates=["rain"], past_covariates=["rain"])
    pipeline = make_pipeline(
        make_window_transformer(lags=SimpleImputer(), past_covariates=SimpleImputer(),
                                target="demand"),
        Ridge(),
    )
    search = GridSearchCV(pipeline, {"ridge__alpha": [0.1, 10.0]}, cv=TimeSeriesSplit(2),
                          n_jobs=-1)
    with parallel_config(backend="dask"), distributed.get_task_stream(client) as stream:
        search.fit(X, y)
    names = {task["key"].split("-")[0] for task in stream.data}
    assert names == {"batch_of__fit_and_score_1_calls"}, names
    assert search.best_estimator_[0].n_jobs is None  # the default was kept, not changed

    spread = clone(pipeline).set_params(windowtransformer__n_jobs=2)
    with parallel_config(backend="dask"), distributed.get_task_stream(client) as stream:
        spread.fit(X, y)
    assert any("fit_transform_one" in task["key"] for task in stream.data)  # n_jobs=2 spreads


def test_an_ensemble_spreads_its_members_only_when_asked(client, windows):
    """n_jobs=None fits the members in this process even under the Dask backend."""
    X, y = windows
    model = make_pipeline(LagSelector(), SimpleImputer(), SeedEnsembleRegressor(Ridge(), 3))
    for n_jobs, spread in [(None, False), (1, False), (2, True)]:
        model.set_params(seedensembleregressor__n_jobs=n_jobs)
        with parallel_config(backend="dask"), distributed.get_task_stream(client) as stream:
            model.fit(X, y)
        assert bool(stream.data) is spread, n_jobs
