import numpy as np
import pandas as pd
import pytest
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

from sklearn_hydro.datasets import make_synthetic_demand
from sklearn_hydro.forecasting import DirectHorizonRegressor
from sklearn_hydro.model_selection import backtest
from sklearn_hydro.windows import make_multi_horizon_windows, make_windows


@pytest.fixture(scope="module")
def frame():
    return make_synthetic_demand(n_days=160, random_state=1)


def _model():
    return make_pipeline(SimpleImputer(), Ridge(alpha=1.0))


@pytest.mark.parametrize("horizon", [1, 3])
@pytest.mark.parametrize(("refit", "window"), [(True, "expanding"), (2, "fixed"),
                                               (False, "expanding")])
def test_backtest_equals_hand_rolled_loop(frame, horizon, refit, window):
    X, y = make_windows(frame, "demand", 7, horizon, covariates=["rain", "temp_max"])
    init, step = 60, 9
    result = backtest(_model(), X, y, initial_train_size=init, step=step, refit=refit,
                      window=window, horizon=horizon)
    gap = horizon - 1
    expected, model, k = [], None, 0
    for start in range(init + gap, len(y), step):
        every = 1 if refit is True else (0 if refit is False else refit)
        if k == 0 or (every and k % every == 0):
            end = start - gap
            first = 0 if window == "expanding" else max(0, end - init)
            model = _model().fit(X.iloc[first:end], y.iloc[first:end])
        expected.append(model.predict(X.iloc[start:start + step]))
        k += 1
    np.testing.assert_allclose(result.predictions["predicted"], np.concatenate(expected))
    pred = result.predictions
    np.testing.assert_array_equal(pred["target_date"], y.index[init + gap:])
    np.testing.assert_array_equal(pred["observed"], y.to_numpy()[init + gap:])
    assert (pred["target_date"] - pred["origin"] == pd.Timedelta(days=horizon)).all()
    assert len(result.folds) == k
    # every fold's training targets are known at the origin of its first forecast
    for _, fold in result.folds.iterrows():
        first_origin = pred.loc[pred["fold"] == fold["fold"], "origin"].min()
        assert fold["train_end"] <= first_origin


def test_no_fold_sees_its_future(frame):
    """Changing the target after a fold's origin changes none of that fold's forecasts."""
    X, y = make_windows(frame, "demand", 7, covariates=["rain"])
    base = backtest(_model(), X, y, initial_train_size=60, step=10).predictions
    for fold_origin in base.groupby("fold")["origin"].min().iloc[[0, 3, 6]]:
        changed = frame.copy()
        after = changed.index > fold_origin
        changed.loc[after, "demand"] = changed.loc[after, "demand"] * 3.0 + 500.0
        X2, y2 = make_windows(changed, "demand", 7, covariates=["rain"])
        pert = backtest(_model(), X2, y2, initial_train_size=60, step=10).predictions
        same = base["origin"] == fold_origin
        np.testing.assert_allclose(base.loc[same, "predicted"], pert.loc[same, "predicted"])
        later = base["origin"] > fold_origin + pd.Timedelta(days=1)
        assert not np.allclose(base.loc[later, "predicted"], pert.loc[later, "predicted"])


def test_fold_metrics_are_the_metrics_of_the_package(frame):
    from sklearn.metrics import mean_absolute_error, root_mean_squared_error

    from sklearn_hydro.metrics import mean_absolute_percentage_error

    X, y = make_windows(frame, "demand", 7, covariates=["rain"])
    result = backtest(_model(), X, y, initial_train_size=80, step=20)
    part = result.predictions[result.predictions["fold"] == 0]
    row = result.folds.iloc[0]
    obs, pred = part["observed"], part["predicted"]
    assert row["MAE"] == mean_absolute_error(obs, pred)
    assert row["RMSE"] == root_mean_squared_error(obs, pred)
    assert row["MAPE"] == mean_absolute_percentage_error(obs, pred)
    # a zero observation makes the table's MAPE NaN, not an error
    y0 = y.copy()
    y0.iloc[85] = 0.0
    zero = backtest(_model(), X, y0, initial_train_size=80, step=20).folds
    assert np.isnan(zero.loc[0, "MAPE"]) and np.isfinite(zero.loc[0, "MAE"])
    assert np.isfinite(zero.loc[1, "MAPE"])


def test_a_negative_observation_makes_mape_nan_as_a_zero_does(frame):
    """The strict MAPE refuses a negative observation, so a table gives NaN, not a number."""
    X, y = make_windows(frame, "demand", 7, covariates=["rain"])
    y_neg = y.copy()
    y_neg.iloc[85] = -5.0
    result = backtest(_model(), X, y_neg, initial_train_size=80, step=20)
    folds, by_h = result.folds, result.by_horizon()
    assert np.isnan(folds.loc[0, "MAPE"]) and np.isfinite(folds.loc[0, "MAE"])
    assert np.isfinite(folds.loc[1:, "MAPE"]).all()
    assert np.isnan(by_h.loc[1, "MAPE"]) and np.isfinite(by_h.loc[1, "RMSE"])


def test_origins_step_over_missing_windows(frame):
    gappy = frame.copy()
    gappy.iloc[[100, 101, 130], gappy.columns.get_loc("demand")] = np.nan
    X, y = make_windows(gappy, "demand", 7, horizon=2, covariates=["rain"])
    assert len(y) < len(frame) - 8  # the windows of the missing days are dropped
    pred = backtest(_model(), X, y, initial_train_size=60, step=10, horizon=2).predictions
    assert (pred["target_date"] - pred["origin"] == pd.Timedelta(days=2)).all()


def test_gap_smaller_than_horizon_is_refused(frame):
    X, y = make_windows(frame, "demand", 7, horizon=3, covariates=["rain"])
    with pytest.raises(ValueError, match="gap=1 leaks"):
        backtest(_model(), X, y, initial_train_size=60, horizon=3, gap=1)
    with pytest.raises(ValueError, match="no fold"):
        backtest(_model(), X, y, initial_train_size=len(y))


def test_parallel_equals_sequential_and_progress(frame):
    X, y = make_windows(frame, "demand", 7, covariates=["rain"])
    lines = []
    seq = backtest(_model(), X, y, initial_train_size=80, step=20, progress=lines.append)
    par = backtest(_model(), X, y, initial_train_size=80, step=20, n_jobs=2)
    pd.testing.assert_frame_equal(seq.predictions, par.predictions)
    assert len(lines) == seq.config["n_fits"] and "fit 1/" in lines[0]


def test_backtest_intervals_and_multi_horizon(frame):
    X, Y = make_multi_horizon_windows(frame, "demand", 7, horizons=3, covariates=["rain"])
    from sklearn_hydro.conformal import ConformalRegressor

    model = DirectHorizonRegressor(ConformalRegressor(_model(), calibration_size=30, gap=2))
    result = backtest(model, X, Y, initial_train_size=80, step=10, interval=0.8)
    pred = result.predictions
    assert set(pred["horizon"]) == {1, 2, 3}
    assert (pred["lower"] <= pred["predicted"]).all() and (pred["predicted"] <= pred["upper"]).all()
    assert (pred["target_date"] - pred["origin"] == pd.to_timedelta(pred["horizon"], "D")).all()
    assert result.config["gap"] == 2
    table = result.by_horizon()
    assert list(table.index) == [1, 2, 3]
    assert {"MAE", "coverage", "width", "interval_score"} <= set(table.columns)
    assert {"coverage", "width"} <= set(result.folds.columns)
    # a plain regressor is wrapped in a ConformalRegressor for 1-D y
    X1, y1 = make_windows(frame, "demand", 7, covariates=["rain"])
    res1 = backtest(_model(), X1, y1, initial_train_size=80, step=20, interval=0.9)
    assert np.isfinite(res1.predictions[["lower", "upper"]].to_numpy()).all()


def test_rolling_intervals_cover_and_use_only_observed_errors():
    from sklearn.linear_model import LinearRegression

    from sklearn_hydro.model_selection import rolling_intervals

    rng = np.random.default_rng(0)
    days = pd.date_range("2020-01-01", periods=900, freq="D")
    X = pd.DataFrame(rng.normal(size=(900, 2)), index=days, columns=["a", "b"])
    y = pd.Series(X @ [1.0, 2.0] + rng.normal(size=900), index=days)
    fits = []

    class Counting(LinearRegression):
        def fit(self, X, y):
            fits.append(len(y))
            return super().fit(X, y)

    result = backtest(Counting(), X, y, initial_train_size=200, step=50, interval=0.9,
                      interval_method="rolling", horizon=2, gap=1)
    assert len(fits) == len(result.folds)  # no calibration fit
    pred = result.predictions
    has = pred["lower"].notna()
    assert has.sum() > 600 and not has.iloc[:20].any()
    inside = (pred["observed"] >= pred["lower"]) & (pred["observed"] <= pred["upper"])
    assert abs(inside[has].mean() - 0.9) < 0.03
    # an interval depends only on errors whose targets are observed by its origin
    changed = pred.copy()
    cut = changed["origin"].iloc[400]
    later = changed["target_date"] > cut
    changed.loc[later, "observed"] += 100.0
    lo1, hi1 = rolling_intervals(pred, 0.9)
    lo2, hi2 = rolling_intervals(changed, 0.9)
    early = (pred["origin"] <= cut).to_numpy()
    np.testing.assert_allclose(lo1[early], lo2[early])
    np.testing.assert_allclose(hi1[early], hi2[early])
    assert not np.allclose(hi1[~early][50:], hi2[~early][50:])


def _ridge_windows(horizon=1):
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline

    from sklearn_hydro import make_windows
    from sklearn_hydro.datasets import make_synthetic_demand

    frame = make_synthetic_demand(n_days=200, random_state=0)
    X, y = make_windows(frame, "demand", 7, horizon=horizon, covariates=["rain"])
    return make_pipeline(SimpleImputer(), Ridge()), X, y


def test_windows_out_of_time_order_are_refused():
    model, X, y = _ridge_windows()
    with pytest.raises(ValueError, match="not in time order"):
        backtest(model, X.iloc[::-1], y.iloc[::-1], initial_train_size=100, step=7)
    shuffled = np.random.default_rng(0).permutation(len(X))
    with pytest.raises(ValueError, match="not in time order"):
        backtest(model, X.iloc[shuffled], y.iloc[shuffled], initial_train_size=100, step=7)


def test_the_horizon_travels_with_the_windows():
    model, X, y = _ridge_windows(horizon=7)
    result = backtest(model, X, y, initial_train_size=100, step=7)  # horizon 7 read
    assert set(result.predictions["horizon"]) == {7}
    with pytest.raises(ValueError, match="made with horizon=7"):
        backtest(model, X, y, initial_train_size=100, step=7, horizon=1)


def test_a_repeated_panel_row_is_refused():
    from sklearn.linear_model import Ridge

    from sklearn_hydro import make_windows
    from sklearn_hydro.datasets import make_synthetic_demand
    from sklearn_hydro.forecasting import GlobalRegressor

    panel = make_synthetic_demand(n_days=120, n_series=2, random_state=0, missing_fraction=0)
    X, y = make_windows(panel[["demand"]], "demand", 7)
    X2 = pd.concat([X, X.iloc[[50]]]).sort_index(level=1, kind="stable")
    y2 = pd.concat([y, y.iloc[[50]]]).sort_index(level=1, kind="stable")
    with pytest.raises(ValueError, match="more than once"):
        backtest(GlobalRegressor(Ridge()), X2, y2, initial_train_size=60, step=14)


def test_the_horizon_table_says_how_many_forecasts_have_an_interval():
    model, X, y = _ridge_windows()
    result = backtest(model, X, y, initial_train_size=100, step=7, interval=0.9,
                      interval_method="rolling")
    table = result.by_horizon()
    finite = result.predictions["lower"].notna().sum()
    assert table.loc[1, "n"] == len(result.predictions)
    assert table.loc[1, "n_intervals"] == finite < table.loc[1, "n"]  # none for the first 20


def test_warm_refits_continue_from_the_previous_fit():
    from sklearn_hydro import DualLSTMRegressor
    from sklearn_hydro.forecasting import SeedEnsembleRegressor

    frame = make_synthetic_demand(n_days=200, random_state=0, missing_fraction=0)
    X, y = make_windows(frame[["demand"]], "demand", 7)
    net = SeedEnsembleRegressor(DualLSTMRegressor(n_branches=1, hidden_size=4, max_epochs=30,
                                                  n_iter_no_change=3), n_estimators=2,
                                random_state=0)
    cold = backtest(net, X, y, initial_train_size=150, step=10)
    warm = backtest(net, X, y, initial_train_size=150, step=10, warm_start=True)
    assert cold.config["n_fits"] == warm.config["n_fits"] > 1
    assert len(warm.predictions) == len(cold.predictions)
    assert np.isfinite(warm.predictions["predicted"]).all()
    with pytest.raises(ValueError, match="n_jobs=1"):
        backtest(net, X, y, initial_train_size=150, step=10, warm_start=True, n_jobs=2)
