"""Panels of many series: windows, per-series and global models, backtests and splits."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from sklearn_hydro import LagSelector, make_forecast_rows, make_multi_horizon_windows, make_windows
from sklearn_hydro.conformal import ConformalRegressor
from sklearn_hydro.datasets import make_synthetic_demand
from sklearn_hydro.forecasting import (
    GlobalRegressor,
    PerSeriesRegressor,
    is_panel,
    series_labels,
    to_panel,
)
from sklearn_hydro.model_selection import PanelSplit, backtest
from sklearn_hydro.study import chronological_split
from sklearn_hydro.utils import apply_per_series


@pytest.fixture(scope="module")
def panel():
    return make_synthetic_demand(160, n_series=3, random_state=0)


@pytest.fixture(scope="module")
def complete_panel():
    """No missing target: each series' rows are its days, so row and day folds agree."""
    return make_synthetic_demand(160, n_series=3, missing_fraction=0.0, random_state=1)


def ridge():
    return make_pipeline(SimpleImputer(keep_empty_features=True), Ridge(alpha=1.0))


# ------------------------------------------------------------------------------ data
def test_synthetic_panel_shares_weather_and_differs_in_level(panel):
    assert panel.index.names == ["series", "date"]
    assert list(pd.unique(panel.index.get_level_values(0))) == ["S001", "S002", "S003"]
    weather = panel["temp_max"].unstack("series")
    assert (weather.nunique(axis=1) == 1).all()  # one city's weather
    levels = panel.groupby(level=0)["demand"].mean()
    assert levels.max() / levels.min() > 1.05  # districts differ
    again = make_synthetic_demand(160, n_series=3, random_state=0)
    pd.testing.assert_frame_equal(panel, again)
    single = make_synthetic_demand(160, random_state=0)
    assert list(panel.columns) == list(single.columns)


def test_to_panel_from_wide_frame():
    days = pd.date_range("2024-01-01", periods=3, freq="D", name="date")
    wide = pd.DataFrame({"demand_A": [1.0, 2, 3], "demand_B": [10.0, 20, 30],
                         "rain": [0.0, 1, 2]}, index=days)
    long = to_panel(wide)
    assert is_panel(long) and list(long.columns) == ["demand", "rain"]
    assert long.loc["B", "demand"].tolist() == [10.0, 20.0, 30.0]
    assert long.loc["A", "rain"].tolist() == long.loc["B", "rain"].tolist()
    assert list(pd.unique(to_panel(wide, series=["B"]).index.get_level_values(0))) == ["B"]
    with pytest.raises(ValueError, match="demand_C"):
        to_panel(wide, series=["C"])
    with pytest.raises(ValueError, match="no series column"):
        to_panel(wide, target="flow")


def test_panel_windows_are_each_series_windows_in_time_order(panel):
    X, y = make_windows(panel, "demand", 7, past_covariates=["rain"])
    assert is_panel(X) and X.index.equals(y.index)
    times = X.index.get_level_values(1)
    assert times.is_monotonic_increasing
    for name in ["S001", "S003"]:
        Xs, ys = make_windows(panel.xs(name, level=0), "demand", 7, past_covariates=["rain"])
        pd.testing.assert_frame_equal(X.xs(name, level=0), Xs)
        pd.testing.assert_series_equal(y.xs(name, level=0), ys)
    assert series_labels(X).tolist()[:3] == ["S001", "S002", "S003"]


@settings(max_examples=25, deadline=None)
@given(
    lengths=st.lists(st.integers(6, 30), min_size=1, max_size=4),
    lookback=st.integers(1, 4),
    horizon=st.integers(1, 2),
    seed=st.integers(0, 2**16),
)
def test_panel_windows_property(lengths, lookback, horizon, seed):
    """Any panel, with series of different lengths and starts and missing days: its windows
    are exactly each series' own windows, stacked in time order."""
    rng = np.random.default_rng(seed)
    parts = {}
    for i, n in enumerate(lengths):
        days = pd.date_range("2024-01-01", periods=n, freq="D", name="date") + pd.Timedelta(
            days=int(rng.integers(0, 5)))
        demand = rng.normal(100, 10, n)
        demand[rng.random(n) < 0.2] = np.nan
        parts[f"s{i}"] = pd.DataFrame({"demand": demand, "rain": rng.random(n)}, index=days)
    panel = pd.concat(parts, names=["series", "date"])
    try:
        X, y = make_windows(panel, "demand", lookback, horizon)
    except ValueError as exc:  # a series too short or without an observed target
        assert str(exc).startswith("series '")
        return
    assert X.index.get_level_values(1).is_monotonic_increasing
    assert X.index.equals(y.index)
    for name, frame in parts.items():
        Xs, ys = make_windows(frame, "demand", lookback, horizon)
        pd.testing.assert_frame_equal(X.xs(name, level=0), Xs, check_freq=False)
        pd.testing.assert_series_equal(y.xs(name, level=0), ys, check_freq=False)


def test_panel_window_errors_name_the_series(panel):
    short = pd.concat([panel.loc[["S001"]], panel.loc[["S002"]].iloc[:5]])
    with pytest.raises(ValueError, match="series 'S002'.*too short"):
        make_windows(short, "demand", 7)
    with pytest.raises(ValueError, match="apply_per_series needs a panel"):
        apply_per_series(make_windows, panel.xs("S001", level=0), "demand", 7)


def test_multi_horizon_and_forecast_rows_of_a_panel(panel):
    X, Y = make_multi_horizon_windows(panel, "demand", 7, horizons=3)
    assert is_panel(X) and Y.shape[1] == 3
    rows = make_forecast_rows(panel, "demand", 7, horizons=2, covariates=[])
    assert rows.index.get_level_values(0).tolist() == ["S001", "S002", "S003"]
    one = make_forecast_rows(panel.xs("S002", level=0), "demand", 7, horizons=2,
                             covariates=[])
    np.testing.assert_array_equal(rows.xs("S002", level=0).to_numpy(), one.to_numpy())


def test_forecast_rows_take_each_series_future(panel):
    history = panel.copy()
    last = history.index.get_level_values(1).max()
    history.loc[(slice(None), last), "demand"] = np.nan  # tomorrow is unknown everywhere
    after = last + pd.Timedelta(days=1)
    future = pd.DataFrame(
        {c: [1.0, 2.0] for c in panel.columns if c != "demand"},
        index=pd.MultiIndex.from_tuples([("S001", after), ("S002", after)],
                                        names=["series", "date"]),
    )
    rows = make_forecast_rows(history.loc[["S001", "S002"]], "demand", 7, horizons=2,
                              future=future)
    assert rows.loc["S001", "rain_h2"].iloc[0] == 1.0
    assert rows.loc["S002", "rain_h2"].iloc[0] == 2.0


# ------------------------------------------------------------------- per-series model
def test_per_series_regressor_equals_one_model_per_series(panel):
    X, y = make_windows(panel, "demand", 7)
    model = PerSeriesRegressor(ridge()).fit(X, y)
    assert list(model.series_) == ["S001", "S002", "S003"]
    pred = model.predict(X)
    for name in model.series_:
        mine = series_labels(X) == name
        alone = clone(ridge()).fit(X[mine], y[mine])
        np.testing.assert_allclose(pred[mine], alone.predict(X[mine]))


def test_per_series_regressor_refuses_unknown_series(panel):
    X, y = make_windows(panel, "demand", 7)
    model = PerSeriesRegressor(ridge()).fit(X.loc[["S001", "S002"]], y.loc[["S001", "S002"]])
    with pytest.raises(ValueError, match=r"no model for the series \['S003'\]"):
        model.predict(X)
    with pytest.raises(ValueError, match="pass panel windows"):
        model.predict(X.xs("S001", level=0))


def test_per_series_intervals_pass_through(panel):
    X, y = make_windows(panel, "demand", 7)
    model = PerSeriesRegressor(ConformalRegressor(ridge(), coverage=0.8)).fit(X, y)
    bounds = model.predict_interval(X.iloc[-6:])
    assert bounds.shape == (6, 2) and np.all(bounds[:, 0] <= bounds[:, 1])
    assert not hasattr(PerSeriesRegressor(ridge()), "predict_interval")


# ------------------------------------------------------------------------ global model
class _Recorder(RegressorMixin, BaseEstimator):
    """Ridge that remembers what it was fitted on."""

    def fit(self, X, y):
        self.X_, self.y_ = X, y
        self.model_ = Ridge(alpha=1e-6).fit(np.nan_to_num(np.asarray(X, dtype=float)), y)
        return self

    def predict(self, X):
        return self.model_.predict(np.nan_to_num(np.asarray(X, dtype=float)))


def test_global_regressor_scales_each_series_and_sees_rows_in_time_order(panel):
    X, y = make_windows(panel, "demand", 7, covariates=["rain"])
    model = GlobalRegressor(_Recorder()).fit(X, y)
    seen = model.estimator_.X_
    assert [c for c in seen.columns if c.startswith("series=")] == [
        "series=S001", "series=S002", "series=S003"]
    assert seen.index.get_level_values(1).is_monotonic_increasing
    for name, level in model.scales_.items():
        assert level == pytest.approx(y.xs(name, level=0).mean())
    mine = seen.index.get_level_values(0) == "S002"
    np.testing.assert_allclose(seen.loc[mine, "demand_lag1"],
                               X.loc["S002", "demand_lag1"] / model.scales_["S002"])
    np.testing.assert_allclose(seen.loc[mine, "rain"], X.loc["S002", "rain"])  # not scaled


def test_global_regressor_forecasts_scale_with_their_series(panel):
    """Ten times the demand of one district gives ten times its forecasts, nothing else."""
    X, y = make_windows(panel, "demand", 7, covariates=["rain", "dow_sun"])
    bigger = panel.copy()
    bigger.loc["S002", "demand"] = bigger.loc["S002", "demand"].to_numpy() * 10
    Xb, yb = make_windows(bigger, "demand", 7, covariates=["rain", "dow_sun"])
    pred = GlobalRegressor(ridge()).fit(X, y).predict(X)
    pred_b = GlobalRegressor(ridge()).fit(Xb, yb).predict(Xb)
    mine = series_labels(X) == "S002"
    np.testing.assert_allclose(pred_b[mine], 10 * pred[mine], rtol=1e-8)
    np.testing.assert_allclose(pred_b[~mine], pred[~mine], rtol=1e-8)


def test_global_regressor_errors(panel):
    X, y = make_windows(panel, "demand", 7, past_covariates=["rain"])
    with pytest.raises(ValueError, match="several series"):
        GlobalRegressor(ridge()).fit(X, y.to_numpy())
    model = GlobalRegressor(ridge(), target="demand").fit(X.loc[["S001"]], y.loc[["S001"]])
    with pytest.raises(ValueError, match=r"no model for the series \['S002'"):
        model.predict(X.loc[["S002"]])
    zero = y.copy() * 0
    with pytest.raises(ValueError, match="cannot scale"):
        GlobalRegressor(ridge()).fit(X, zero)


# --------------------------------------------------------------------------- backtests
def test_panel_backtest_cuts_days_and_never_trains_on_the_future(panel):
    X, y = make_windows(panel, "demand", 7)
    result = backtest(GlobalRegressor(ridge()), X, y, initial_train_size=90, step=20)
    pred = result.predictions
    assert set(pred["series"]) == {"S001", "S002", "S003"}
    for _, fold in result.folds.iterrows():
        assert fold["train_end"] < fold["test_start"]
        in_fold = pred[pred["fold"] == fold["fold"]]
        assert in_fold["target_date"].between(fold["test_start"], fold["test_end"]).all()
        assert fold["n_train"] == (X.index.get_level_values(1) <= fold["train_end"]).sum()
    # every series of a day is in the same fold
    assert (pred.groupby("target_date")["fold"].nunique() == 1).all()
    table = result.by_series()
    assert set(table.index.get_level_values("series")) == {"S001", "S002", "S003"}
    with pytest.raises(ValueError, match="panel"):
        backtest(ridge(), *make_windows(panel.xs("S001", level=0), "demand", 7),
                 initial_train_size=90, step=20).by_series()


def test_panel_backtest_of_per_series_models_equals_each_series_backtest(complete_panel):
    X, y = make_windows(complete_panel, "demand", 7)
    result = backtest(PerSeriesRegressor(ridge()), X, y, initial_train_size=90, step=20)
    for name in ["S001", "S003"]:
        Xs, ys = make_windows(complete_panel.xs(name, level=0), "demand", 7)
        alone = backtest(ridge(), Xs, ys, initial_train_size=90, step=20).predictions
        mine = result.predictions[result.predictions["series"] == name]
        np.testing.assert_allclose(mine["predicted"], alone["predicted"])
        assert mine["target_date"].tolist() == alone["target_date"].tolist()


def test_panel_backtest_intervals(panel):
    X, y = make_windows(panel, "demand", 7)
    with pytest.raises(ValueError, match="PerSeriesRegressor"):
        backtest(PerSeriesRegressor(ridge()), X, y, initial_train_size=90, step=20,
                 interval=0.8)
    result = backtest(PerSeriesRegressor(ConformalRegressor(ridge(), coverage=0.8)), X, y,
                      initial_train_size=90, step=20, interval=0.8)
    assert result.predictions[["lower", "upper"]].notna().all().all()
    rolling = backtest(PerSeriesRegressor(ridge()), X, y, initial_train_size=60, step=20,
                       interval=0.8, interval_method="rolling", refit=False)
    pred = rolling.predictions
    # each series' intervals come from its own errors: the first 20 of each have none
    for _, part in pred.groupby("series"):
        assert part["lower"].iloc[:20].isna().all() and part["lower"].iloc[20:].notna().all()


# ------------------------------------------------------------------ splits and search
def test_panel_split_keeps_days_whole_and_in_order(panel):
    X, y = make_windows(panel, "demand", 7)
    times = X.index.get_level_values(1)
    splits = list(PanelSplit(n_splits=3, test_size=10, gap=2).split(X))
    assert len(splits) == 3
    for train, test in splits:
        assert times[train].max() + pd.Timedelta(days=2) < times[test].min()
        assert len(set(times[test])) == 10
        assert len(test) == (times.isin(set(times[test]))).sum()  # whole days
    plain = np.zeros((20, 1))
    assert [t.tolist() for _, t in PanelSplit(n_splits=2).split(plain)] == [
        list(range(8, 14)), list(range(14, 20))]


def test_grid_search_over_panel_models(panel):
    X, y = make_windows(panel, "demand", 14)
    search = GridSearchCV(
        PerSeriesRegressor(make_pipeline(LagSelector(), SimpleImputer(), Ridge())),
        {"estimator__lagselector__lookback": [7, 14]},
        cv=PanelSplit(n_splits=2, test_size=20),
        scoring="neg_mean_absolute_error",
    ).fit(X, y)
    assert search.best_params_["estimator__lagselector__lookback"] in (7, 14)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


def test_chronological_split_cuts_every_series_on_one_day(panel):
    X, y = make_windows(panel, "demand", 7)
    X_train, X_test, _, _ = chronological_split(X, y, 0.6)
    last_train = X_train.index.get_level_values(1).max()
    first_test = X_test.index.get_level_values(1).min()
    assert last_train < first_test
    assert set(series_labels(X_train)) == set(series_labels(X_test)) == {"S001", "S002", "S003"}


def test_forecast_table_of_a_panel(panel):
    from sklearn_hydro import forecast_table
    from sklearn_hydro.forecasting import DirectHorizonRegressor

    X, Y = make_multi_horizon_windows(panel, "demand", 7, horizons=3, covariates=["rain"])
    model = PerSeriesRegressor(DirectHorizonRegressor(ConformalRegressor(ridge()))).fit(X, Y)
    future = panel.xs("S001", level=0)[["rain"]].iloc[-3:]
    history = panel.copy()
    history.loc[(slice(None), future.index), "demand"] = np.nan
    rows = make_forecast_rows(history, "demand", 7, horizons=3, covariates=["rain"])
    table = forecast_table(model, rows, horizons=[1, 2, 3])
    assert list(table.columns) == ["series", "origin", "target_date", "horizon", "forecast",
                                   "lower", "upper"]
    assert len(table) == 9 and set(table["series"]) == {"S001", "S002", "S003"}
    assert (table["target_date"] - table["origin"]).dt.days.tolist() == [1, 2, 3] * 3
    assert (table["lower"] <= table["forecast"]).all()
    assert (table["forecast"] <= table["upper"]).all()
    one = model.estimators_["S002"].predict(rows.loc[["S002"]].droplevel(0))
    np.testing.assert_allclose(table.loc[table["series"] == "S002", "forecast"], one.ravel())
    with pytest.raises(ValueError, match="2 horizons for 3 outputs"):
        forecast_table(model, rows, horizons=[1, 2])


def test_global_regressor_forecasts_several_horizons(panel):
    from sklearn_hydro import forecast_table
    from sklearn_hydro.forecasting import DirectHorizonRegressor

    X, Y = make_multi_horizon_windows(panel, "demand", 7, horizons=2, covariates=[])
    model = GlobalRegressor(DirectHorizonRegressor(ridge()), target="demand").fit(X, Y)
    assert model.predict(X).shape == Y.shape
    table = forecast_table(model, make_forecast_rows(panel, "demand", 7, horizons=2,
                                                     covariates=[]), horizons=[1, 2])
    assert len(table) == 6 and table["forecast"].notna().all()
    # forecasts are in each district's own units: near its level, not near 1
    levels = panel.groupby(level=0)["demand"].mean()
    for name, part in table.groupby("series"):
        assert abs(part["forecast"].mean() / levels[name] - 1) < 0.5
