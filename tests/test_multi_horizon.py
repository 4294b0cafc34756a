import numpy as np
import pandas as pd
import pytest
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

from sklearn_hydro.datasets import make_synthetic_demand
from sklearn_hydro.forecasting import DirectHorizonRegressor
from sklearn_hydro.windows import make_forecast_rows, make_multi_horizon_windows, make_windows

COVS = ["rain", "temp_max"]


@pytest.fixture(scope="module")
def frame():
    return make_synthetic_demand(n_days=150, random_state=2)


def test_rows_of_each_horizon_are_make_windows_rows(frame):
    X, Y = make_multi_horizon_windows(frame, "demand", 10, horizons=[1, 3], covariates=COVS)
    assert list(Y.columns) == ["demand_h1", "demand_h3"]
    assert X.index.name == "origin" and not Y.isna().any().any()
    for h in (1, 3):
        Xh, yh = make_windows(frame, "demand", 10, horizon=h, covariates=COVS)
        origins = Xh.index - pd.Timedelta(days=h)
        common = X.index.intersection(origins)
        assert len(common) > 100
        ours = DirectHorizonRegressor(Ridge())._columns_for(X.loc[common], h)
        theirs = Xh.set_axis(origins).loc[common]
        pd.testing.assert_frame_equal(ours, theirs, check_names=False)
        np.testing.assert_array_equal(Y.loc[common, f"demand_h{h}"], yh.set_axis(origins)[common])


def test_direct_model_of_horizon_h_is_a_model_fitted_on_its_windows(frame):
    model = make_pipeline(SimpleImputer(), Ridge())
    X, Y = make_multi_horizon_windows(frame, "demand", 10, horizons=3, covariates=COVS)
    direct = DirectHorizonRegressor(model).fit(X, Y)
    assert direct.horizons_ == [1, 2, 3]
    for j, h in enumerate(direct.horizons_):
        Xh = direct._columns_for(X, h)
        alone = make_pipeline(SimpleImputer(), Ridge()).fit(Xh, Y.iloc[:, j])
        np.testing.assert_allclose(direct.predict(X)[:, j], alone.predict(Xh))


def test_forecast_rows_are_the_next_windows(frame):
    X, _ = make_multi_horizon_windows(frame, "demand", 10, horizons=3, covariates=COVS)
    # hide the last three targets: the forecast row from the history is the window at
    # that origin, with the covariates of the three following days taken from the frame
    history = frame.copy()
    history.iloc[-3:, history.columns.get_loc("demand")] = np.nan
    row = make_forecast_rows(history, "demand", 10, horizons=3, covariates=COVS)
    origin = frame.index[-4]
    assert row.index[0] == origin
    lags = frame["demand"].iloc[-13:-3].to_numpy()
    np.testing.assert_array_equal(row.iloc[0, :10].to_numpy(), lags)
    assert row.loc[origin, "rain_h3"] == frame["rain"].iloc[-1]
    assert list(row.columns) == list(X.columns)
    # future covariates from another frame; a missing day is named
    future = frame[COVS].iloc[-3:] + 1.0
    row2 = make_forecast_rows(history, "demand", 10, horizons=3, covariates=COVS,
                              future=future)
    assert row2.loc[origin, "rain_h2"] == frame["rain"].iloc[-2] + 1.0
    with pytest.raises(ValueError, match=r"rain on \d{4}-\d\d-\d\d"):
        make_forecast_rows(frame, "demand", 10, horizons=2, covariates=COVS)


def test_bad_arguments(frame):
    with pytest.raises(ValueError, match="increasing"):
        make_multi_horizon_windows(frame, "demand", 5, horizons=[3, 1])
    with pytest.raises(ValueError, match="too short"):
        make_multi_horizon_windows(frame.iloc[:10], "demand", 5, horizons=7)
    with pytest.raises(ValueError, match="lack column"):
        make_forecast_rows(frame, "demand", 5, horizons=1, covariates=COVS,
                           future=pd.DataFrame({"rain": [1.0]}))


def test_past_covariates_are_windowed_like_make_windows(frame):
    X, _ = make_multi_horizon_windows(frame, "demand", 5, horizons=2, covariates=["rain"],
                                      past_covariates=["temp_max"])
    Xw, _ = make_windows(frame, "demand", 5, horizon=1, covariates=["rain"],
                         past_covariates=["temp_max"])
    shared = X.index.intersection(Xw.index - pd.Timedelta(days=1))
    lag_cols = [c for c in Xw.columns if "_lag" in c]
    theirs = Xw.set_axis(Xw.index - pd.Timedelta(days=1)).loc[shared, lag_cols]
    pd.testing.assert_frame_equal(X.loc[shared, lag_cols], theirs, check_names=False)
    row = make_forecast_rows(frame, "demand", 5, horizons=1, covariates=[],
                             past_covariates=["temp_max"])
    np.testing.assert_array_equal(row.filter(like="temp_max_lag").to_numpy()[0],
                                  frame["temp_max"].iloc[-5:].to_numpy())


def test_verbose_prints_one_line_per_horizon_with_time_left(capsys):
    from sklearn.linear_model import Ridge

    from sklearn_hydro.datasets import make_synthetic_demand
    from sklearn_hydro.forecasting import DirectHorizonRegressor
    from sklearn_hydro.windows import make_multi_horizon_windows

    frame = make_synthetic_demand(n_days=120, random_state=0, missing_fraction=0)[["demand"]]
    X, Y = make_multi_horizon_windows(frame, "demand", 7, horizons=3)
    DirectHorizonRegressor(Ridge(), verbose=1).fit(X, Y)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and "(3/3)" in lines[-1] and "left" in lines[0]
    DirectHorizonRegressor(Ridge()).fit(X, Y)
    assert capsys.readouterr().out == ""


def test_y_with_horizons_that_x_lacks_is_refused():
    from sklearn.linear_model import Ridge

    from sklearn_hydro.datasets import make_synthetic_demand
    from sklearn_hydro.forecasting import DirectHorizonRegressor
    from sklearn_hydro.windows import make_multi_horizon_windows

    frame = make_synthetic_demand(n_days=120, random_state=0, missing_fraction=0)
    X2, _ = make_multi_horizon_windows(frame[["demand", "rain"]], "demand", 7, 2, ["rain"])
    X3, Y3 = make_multi_horizon_windows(frame[["demand", "rain"]], "demand", 7, 3, ["rain"])
    with pytest.raises(ValueError, match=r"horizon\(s\) \[3\]"):
        DirectHorizonRegressor(Ridge()).fit(X2.loc[X3.index], Y3)


def test_panel_models_fitted_on_one_series_refuse_a_panel():
    from sklearn.linear_model import Ridge

    from sklearn_hydro import make_windows
    from sklearn_hydro.datasets import make_synthetic_demand
    from sklearn_hydro.forecasting import GlobalRegressor, PerSeriesRegressor

    one = make_synthetic_demand(n_days=100, random_state=0, missing_fraction=0)[["demand"]]
    panel = make_synthetic_demand(n_days=100, n_series=3, random_state=0,
                                  missing_fraction=0)[["demand"]]
    X1, y1 = make_windows(one, "demand", 7)
    Xp, _ = make_windows(panel, "demand", 7)
    for model in (PerSeriesRegressor(Ridge()), GlobalRegressor(Ridge(), target="demand")):
        model.fit(X1, y1)
        with pytest.raises(ValueError, match="one series"):
            model.predict(Xp)


def test_joint_from_fits_the_first_horizons_alone_and_the_rest_as_one_model():
    from sklearn_hydro import ConformalRegressor

    frame = make_synthetic_demand(n_days=200, random_state=0)
    X, Y = make_multi_horizon_windows(frame, "demand", 14, horizons=4,
                                      covariates=["rain", "temp_max"])
    ridge = make_pipeline(SimpleImputer(keep_empty_features=True), Ridge())
    split = DirectHorizonRegressor(ridge, joint_from=3).fit(X, Y)
    assert split.groups_ == [[1], [2], [3, 4]]
    direct = DirectHorizonRegressor(ridge).fit(X, Y)
    pred = split.predict(X)
    assert pred.shape == (len(X), 4)
    np.testing.assert_allclose(pred[:, :2], direct.predict(X)[:, :2], rtol=1e-10)
    rest = split.estimators_[-1]  # days 3 and 4, each with its own day's covariates
    assert {"rain_h3", "rain_h4"} <= set(rest.feature_names_in_)
    assert not {"rain_h1", "rain_h2"} & set(rest.feature_names_in_)
    cols = list(rest.feature_names_in_)
    np.testing.assert_allclose(pred[:, 2:], rest.predict(X[cols]), rtol=1e-10)
    intervals = DirectHorizonRegressor(ConformalRegressor(ridge), joint_from=2).fit(X, Y)
    bounds = intervals.predict_interval(X.iloc[-5:])
    assert bounds.shape == (5, 4, 2) and np.all(bounds[..., 0] <= bounds[..., 1])
    intervals.update(X.iloc[-5:], Y.iloc[-5:])  # new errors reach both models


def test_a_network_of_horizons_2_to_h_reads_each_horizon_s_own_covariates():
    from sklearn_hydro import DualLSTMRegressor

    frame = make_synthetic_demand(n_days=150, random_state=0, missing_fraction=0)
    X, Y = make_multi_horizon_windows(frame, "demand", 7, horizons=3, covariates=["temp_max"])
    rest = X.drop(columns="temp_max_h1")
    net = DualLSTMRegressor(n_branches=1, hidden_size=4, head_size=4, max_epochs=3,
                            random_state=0, target="demand").fit(rest, Y.iloc[:, 1:])
    assert net.layout_.n_horizon_static == 1  # temp_max, of horizon 2 then of horizon 3
    moved = rest.copy()
    moved["temp_max_h3"] += 5.0
    a, b = net.predict(rest), net.predict(moved)
    np.testing.assert_allclose(a[:, 0], b[:, 0], rtol=1e-6)  # day 2 reads its own only
    assert not np.allclose(a[:, 1], b[:, 1])
