"""The Forecaster object: a frame in, a table of forecasts at the frame's own time step out."""

import numpy as np
import pandas as pd
import pytest
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

from sklearn_hydro import Forecaster
from sklearn_hydro.datasets import make_synthetic_demand


def _ridge():
    return make_pipeline(SimpleImputer(keep_empty_features=True), Ridge())


def _hourly(n_hours=24 * 40):
    # across the spring DST change of Europe/Rome (2024-03-31 02:00 does not exist)
    times = pd.date_range("2024-03-01", periods=n_hours, freq="h", tz="Europe/Rome")
    rng = np.random.default_rng(0)
    hour = times.hour.to_numpy()
    demand = 10 + 3 * np.sin(2 * np.pi * hour / 24) + rng.normal(0, 0.2, n_hours)
    temp = 15 + rng.normal(0, 1, n_hours)
    return pd.DataFrame({"demand": demand, "temp": temp}, index=times.rename("time"))


def test_hourly_frame_across_dst_gives_the_next_168_hours():
    frame = _hourly()
    model = Forecaster(_ridge(), lookback=48, horizons=168, past_covariates=["temp"],
                       calendar=False, coverage=None).fit(frame)
    table = model.predict(frame)
    expected = pd.date_range(frame.index[-1], periods=169, freq="h", tz="Europe/Rome")[1:]
    assert table.index.equals(pd.DatetimeIndex(expected, name="time"))
    assert table["horizon"].tolist() == list(range(1, 169))
    assert np.isfinite(table["forecast"]).all()


def test_hourly_timestamps_cross_a_dst_change_in_the_forecast():
    frame = _hourly(24 * 29)  # ends 2024-03-29 23:00; the week ahead crosses March 31
    model = Forecaster(_ridge(), lookback=24, horizons=72, calendar=False,
                       coverage=None).fit(frame)
    times = model.predict(frame).index
    assert (np.diff(times.asi8) == np.diff(times.asi8)[0]).all()  # one hour each, in UTC
    assert pd.Timestamp("2024-03-31 03:00", tz="Europe/Rome") in times
    assert times.tz is not None


def test_daily_frame_gives_the_next_7_days_with_intervals():
    frame = make_synthetic_demand(n_days=300, random_state=0)
    model = Forecaster(_ridge(), lookback=14, horizons=7, known_ahead=["temp_max"],
                       coverage=0.9).fit(frame.iloc[:-7])
    table = model.predict(frame.iloc[:-7], future=frame.iloc[-7:][["temp_max"]])
    expected = pd.date_range(frame.index[-8], periods=8, freq="D")[1:]
    assert list(table.index) == list(expected)
    assert (table["lower"] <= table["forecast"]).all()
    assert (table["forecast"] <= table["upper"]).all()


def test_daily_tz_aware_days_stay_at_local_midnight_across_dst():
    frame = make_synthetic_demand(n_days=120, random_state=0, missing_fraction=0)[["demand"]]
    frame.index = pd.date_range("2023-12-01", periods=120, freq="D", tz="Europe/Rome")
    cut = frame.loc[:"2024-03-28"]
    model = Forecaster(_ridge(), lookback=14, horizons=7, coverage=None).fit(cut)
    times = model.predict(cut).index
    assert (times.hour == 0).all()
    assert times[-1] == pd.Timestamp("2024-04-04", tz="Europe/Rome")


def test_update_moves_the_origin_one_step_and_matches_a_fresh_predict():
    frame = make_synthetic_demand(n_days=300, random_state=1, missing_fraction=0)
    history = frame.copy()
    history.loc[history.index[-3:], "demand"] = np.nan  # weather known, demand not yet

    def model():
        return Forecaster(_ridge(), lookback=14, horizons=3, known_ahead=["temp_max"],
                          coverage=0.9).fit(frame.iloc[:-4])

    updated = model()
    origin = updated.origin_
    updated.update(frame.iloc[:-3])
    assert updated.origin_ == origin + pd.Timedelta(days=1)
    pd.testing.assert_series_equal(updated.predict(history)["forecast"],
                                   model().predict(history)["forecast"])
    assert updated.predict(history).index[0] == frame.index[-3]


def test_undeclared_columns_are_not_used():
    frame = make_synthetic_demand(n_days=200, random_state=0)
    model = Forecaster(_ridge(), lookback=14, horizons=2, calendar=False,
                       coverage=None).fit(frame)
    names = model.model_.feature_names_in_
    assert all(n.startswith("demand_lag") for n in names)


def test_unknown_column_is_refused():
    frame = make_synthetic_demand(n_days=100, random_state=0)
    with pytest.raises(ValueError, match="'nope' is not in the frame"):
        Forecaster(_ridge(), known_ahead=["nope"]).fit(frame)


def test_model_file_round_trip_keeps_origin_step_and_forecasts(tmp_path):
    from sklearn_hydro.io import load_model, save_model

    frame = make_synthetic_demand(n_days=150, random_state=0, missing_fraction=0)[["demand"]]
    frame.index = pd.date_range("2024-01-01", periods=150, freq="D", tz="Europe/Rome")
    model = Forecaster(_ridge(), lookback=14, horizons=3).fit(frame)
    path = save_model(model, tmp_path / "f.skops")
    loaded, _ = load_model(path)  # only trusted types: the Forecaster's state is plain data
    assert loaded.origin_ == model.origin_ and str(loaded.origin_.tz) == "Europe/Rome"
    assert loaded.step_ == model.step_
    pd.testing.assert_frame_equal(loaded.predict(frame), model.predict(frame))
    assert isinstance(model.origin_, pd.Timestamp)  # saving did not change the model


def test_clone_and_pickle():
    import pickle

    from sklearn.base import clone

    frame = make_synthetic_demand(n_days=120, random_state=0)
    model = Forecaster(_ridge(), lookback=7, horizons=2, past_covariates=["rain"]).fit(frame)
    assert clone(model).get_params()["past_covariates"] == ["rain"]
    again = pickle.loads(pickle.dumps(model))
    pd.testing.assert_frame_equal(again.predict(frame), model.predict(frame))


def test_calendar_fills_only_what_the_frame_lacks():
    frame = make_synthetic_demand(n_days=120, random_state=0, missing_fraction=0)
    frame = frame[["demand"]].assign(is_holiday=0.0)  # the user's own holiday column
    frame.loc[frame.index[50], "is_holiday"] = 1.0
    model = Forecaster(_ridge(), lookback=7, horizons=2, past_covariates=["is_holiday"])
    X, _ = model.windows(frame)
    # the user's values are the ones read (as lags here), not the library's calendar
    assert X["is_holiday_lag1"].sum() == 1.0
    # the calendar's other columns are known ahead (at each target day), not lagged
    assert {"dow_mon_h1", "dow_mon_h2"} <= set(X.columns)
    assert "dow_mon_lag1" not in X.columns


def test_calendar_columns_may_also_be_read_as_lags():
    frame = make_synthetic_demand(n_days=120, random_state=0, missing_fraction=0)[["demand"]]
    model = Forecaster(_ridge(), lookback=7, horizons=2, past_covariates=["dow_mon"])
    X, _ = model.windows(frame)
    assert {"dow_mon_lag1", "dow_mon_lag7", "dow_mon_h1"} <= set(X.columns)


def _panel(n_days=200):
    frame = make_synthetic_demand(n_days=n_days, n_series=2, random_state=0, missing_fraction=0)
    return frame[["demand", "temp_max"]]


def test_panel_forecasts_each_series_from_its_own_origin():
    from sklearn_hydro import GlobalRegressor

    panel = _panel()
    labels = list(dict.fromkeys(panel.index.get_level_values(0)))
    # the second series' last two days are not observed yet
    last = panel.index.get_level_values(1).max()
    panel.loc[(labels[1], last), "demand"] = np.nan
    panel.loc[(labels[1], last - pd.Timedelta(days=1)), "demand"] = np.nan
    model = Forecaster(GlobalRegressor(_ridge()), lookback=14, horizons=3,
                       past_covariates=["temp_max"]).fit(panel)
    table = model.predict(panel)
    assert table.index.names == ["series", "time"]
    assert table.loc[labels[0]].index[0] == last + pd.Timedelta(days=1)
    assert table.loc[labels[1]].index[0] == last - pd.Timedelta(days=1)
    assert (table.groupby(level=0)["horizon"].apply(list) == [[1, 2, 3]] * 2).all()
    assert set(model.origin_) == set(labels)


def test_panel_update_moves_each_series_origin():
    from sklearn_hydro import GlobalRegressor

    panel = _panel()
    last = panel.index.get_level_values(1).max()
    older = panel[panel.index.get_level_values(1) < last]
    model = Forecaster(GlobalRegressor(_ridge()), lookback=14, horizons=2).fit(older)
    before = dict(model.origin_)
    model.update(panel)
    assert all(model.origin_[s] == before[s] + pd.Timedelta(days=1) for s in before)


def test_panel_model_file_round_trip(tmp_path):
    from sklearn_hydro import GlobalRegressor
    from sklearn_hydro.io import load_model, save_model

    panel = _panel(120)
    model = Forecaster(GlobalRegressor(_ridge()), lookback=7, horizons=2).fit(panel)
    loaded, _ = load_model(save_model(model, tmp_path / "p.skops"))
    assert loaded.origin_ == model.origin_
    pd.testing.assert_frame_equal(loaded.predict(panel), model.predict(panel))


def test_known_ahead_columns_that_reconstruct_the_target_are_refused():
    frame = make_synthetic_demand(n_days=200, random_state=0, missing_fraction=0)
    frame["north"] = np.random.default_rng(0).uniform(0.3, 0.5, len(frame)) * frame["demand"]
    frame["south"] = frame["demand"] - frame["north"]
    with pytest.raises(ValueError, match="north \\+ south"):
        Forecaster(_ridge(), lookback=7, known_ahead=["temp_max", "north", "south"]).fit(frame)
    # as past covariates (lags only) they are fine, and the guard can be switched off
    Forecaster(_ridge(), lookback=7, past_covariates=["north", "south"]).fit(frame)
    Forecaster(_ridge(), lookback=7, known_ahead=["north", "south"],
               leakage_guard=False).fit(frame)


def test_parameters_are_validated():
    from sklearn.utils._param_validation import InvalidParameterError

    frame = make_synthetic_demand(n_days=60, random_state=0)
    for bad in ({"lookback": 0}, {"coverage": 1.5}, {"known_ahead": "temp_max"},
                {"regressor": "ridge"}):
        with pytest.raises(InvalidParameterError):
            Forecaster(**bad).fit(frame)


def test_joint_strategy_fits_one_model_for_every_horizon():
    from sklearn_hydro import ConformalRegressor, DirectHorizonRegressor

    frame = make_synthetic_demand(n_days=200, random_state=0)
    frame.loc[frame.index[-3:], "demand"] = np.nan  # the weather of the next 3 days is known
    joint = Forecaster(_ridge(), lookback=14, horizons=3, known_ahead=["temp_max"],
                       strategy="joint").fit(frame)
    assert isinstance(joint.model_, ConformalRegressor)
    assert {"temp_max_h1", "temp_max_h3"} <= set(joint.model_.feature_names_in_)
    # auto: Ridge has several outputs, so day 1 by its own model and days 2..3 by one
    split = Forecaster(_ridge(), lookback=14, horizons=3, known_ahead=["temp_max"],
                       strategy="auto").fit(frame)
    assert split.model_.groups_ == [[1], [2, 3]]
    first, rest = split.model_.estimators_
    assert "temp_max" in first.feature_names_in_  # its own day's, renamed
    assert {"temp_max_h2", "temp_max_h3"} <= set(rest.feature_names_in_)
    assert "temp_max_h1" not in rest.feature_names_in_
    assert split.predict(frame)["horizon"].tolist() == [1, 2, 3]
    assert Forecaster().strategy == "auto"  # the default
    direct = Forecaster(_ridge(), lookback=14, horizons=3, known_ahead=["temp_max"],
                        strategy="direct").fit(frame)
    assert isinstance(direct.model_, DirectHorizonRegressor)
    a, b = joint.predict(frame), direct.predict(frame)
    assert a.index.equals(b.index) and list(a.columns) == list(b.columns)


def test_one_network_forecasts_every_horizon_and_updates():
    from sklearn_hydro import DualLSTMRegressor

    frame = make_synthetic_demand(n_days=160, random_state=0, missing_fraction=0)
    net = DualLSTMRegressor(n_branches=1, hidden_size=4, max_epochs=2, random_state=0,
                            target="demand")
    model = Forecaster(net, lookback=7, horizons=4, past_covariates=["temp_max"],
                       calendar=False, strategy="joint").fit(frame.iloc[:-2])
    assert model.model_.estimator_.n_outputs_ == 4  # one network, four outputs
    table = model.predict(frame.iloc[:-2])
    assert table["horizon"].tolist() == [1, 2, 3, 4]
    assert table.index[0] == frame.index[-2]
    assert (table["lower"] <= table["upper"]).all()
    model.update(frame)
    assert model.origin_ == frame.index[-5]  # the newest window whose 4 days are observed


def test_a_target_missing_for_weeks_is_not_forecast_in_the_past():
    frame = make_synthetic_demand(n_days=200, random_state=0, missing_fraction=0)
    model = Forecaster(_ridge(), lookback=7, horizons=3, calendar=False).fit(frame)
    stale = frame.copy()
    stale.loc[stale.index[-60:], "demand"] = np.nan  # the meter stopped two months ago
    with pytest.raises(ValueError, match="already past"):
        model.predict(stale)
    recent = frame.copy()
    recent.loc[recent.index[-3:], "demand"] = np.nan  # the 3 forecast days: fine
    assert len(model.predict(recent)) == 3


def test_a_warm_update_refits_without_starting_over():
    from sklearn_hydro import DualLSTMRegressor

    frame = make_synthetic_demand(n_days=200, random_state=0, missing_fraction=0)
    net = DualLSTMRegressor(n_branches=1, hidden_size=4, max_epochs=20, n_iter_no_change=3,
                            random_state=0, target="demand")
    model = Forecaster(net, lookback=7, horizons=1, calendar=False,
                       strategy="direct").fit(frame.iloc[:-20])
    fitted = model.model_.estimators_[0].estimator_.net_.module_.state_dict()
    before = {k: v.clone() for k, v in fitted.items()}
    scores = model.model_.estimators_[0].calibration_scores_.copy()
    model.update(frame, refit="warm")
    assert model.origin_ == frame.index[-2]
    np.testing.assert_array_equal(model.model_.estimators_[0].calibration_scores_, scores)
    after = model.model_.estimators_[0].estimator_.net_.module_.state_dict()
    moved = sum(float((after[k] - before[k]).abs().sum()) for k in before)
    assert moved > 0  # trained on, from the fitted weights
    assert len(model.predict(frame)) == 1


def test_a_warm_update_refits_gradient_boosting_on_the_new_rows():
    # scikit-learn's warm_start adds max_iter minus the fitted iterations: none with the
    # same settings, so a fitted boosting model set warm would keep the trees of the old
    # rows; set_warm_start leaves scikit-learn's models as they are
    from sklearn.ensemble import HistGradientBoostingRegressor

    frame = make_synthetic_demand(n_days=220, random_state=0, missing_fraction=0)
    model = Forecaster(HistGradientBoostingRegressor(max_iter=20, random_state=0), horizons=2,
                       strategy="direct", coverage=None)
    full = model.fit(frame).predict(frame)["forecast"].to_numpy()
    model.fit(frame.iloc[:-60]).update(frame, refit="warm")
    assert not any(tree.warm_start for tree in model.model_.estimators_)
    # refitted on every row: the same model as a full fit
    np.testing.assert_allclose(model.predict(frame)["forecast"].to_numpy(), full, rtol=1e-12)


def test_the_guard_is_the_command_line_s_guard_near_copies_and_ratios_too():
    frame = make_synthetic_demand(n_days=200, random_state=0, missing_fraction=0)
    rng = np.random.default_rng(0)
    frame["plant"] = frame["demand"] + rng.normal(0, 0.1 * frame["demand"].std(), len(frame))
    frame["projected"] = frame["demand"] * rng.uniform(0.9, 1.1, len(frame))
    frame["ratio"] = frame["demand"] / frame["projected"]
    with pytest.raises(ValueError, match=r"plant \(near-copy"):
        Forecaster(_ridge(), lookback=7, known_ahead=["plant"]).fit(frame)
    with pytest.raises(ValueError, match=r"projected \+ ratio \(product or ratio\)"):
        Forecaster(_ridge(), lookback=7, known_ahead=["projected", "ratio"]).fit(frame)


@pytest.mark.parametrize("strategy", ["joint", "direct", "first+joint"])
def test_verbose_fit_counts_every_network_to_the_last_with_time_left(strategy, capsys):
    from sklearn_hydro import make_forecaster

    frame = make_synthetic_demand(n_days=150, random_state=0)
    model = Forecaster(make_forecaster(target="demand", n_estimators=2, max_epochs=2,
                                       random_state=0),
                       horizons=3, strategy=strategy, verbose=1, coverage=0.9)
    model.fit(frame)
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("network")]
    # the conformal layer's two fits x 2 seeds (the blend's weights are fixed), once for
    # the joint model, per day for direct, for day 1 and for days 2..3 with first+joint
    total = {"joint": 4, "direct": 12, "first+joint": 8}[strategy]
    assert [ln.split()[1] for ln in lines] == [f"{k}/{total}" for k in range(1, total + 1)]
    assert all("s left" in ln for ln in lines[:-1]) and "left" not in lines[-1]
    model.update(frame, refit="warm")  # keeps the blend's weights and conformal scores
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("network")]
    assert len(lines) == total // 2 and lines[-1].split()[1] == f"{total // 2}/{total // 2}"
