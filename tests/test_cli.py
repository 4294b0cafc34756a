"""The command line: backtest, fit, forecast, safe model files and the bad-input catalogue."""

import subprocess
import sys
import zipfile

import numpy as np
import pandas as pd
import pytest

from sklearn_hydro._cli import main
from sklearn_hydro.datasets import make_synthetic_demand

WEATHER = ["temp_max", "rain"]


@pytest.fixture(scope="module")
def synthetic():
    return make_synthetic_demand(n_days=260, random_state=4)


def _write(frame, path, date_format="%Y-%m-%d"):
    out = frame.copy()
    out.insert(0, "date", out.index.strftime(date_format))
    out.to_csv(path, index=False)
    return path


@pytest.fixture
def csvs(tmp_path, synthetic):
    """History (weather + demand, no calendar: the CLI derives it) and next days' weather."""
    history = synthetic[["demand", *WEATHER]].iloc[:-5]
    future = synthetic[WEATHER].iloc[-5:]
    return _write(history, tmp_path / "history.csv"), _write(future, tmp_path / "weather.csv")


def _error(capsys):
    err = capsys.readouterr().err
    assert err.startswith("error:") and err.count("\n") == 1, err
    return err


def test_fit_then_forecast_from_a_clean_folder_reproduces_the_api(tmp_path, csvs, capsys,
                                                                   monkeypatch):
    history_csv, weather_csv = csvs
    work = tmp_path / "clean"
    work.mkdir()
    monkeypatch.chdir(work)
    assert main(["fit", "--csv", str(history_csv), "--model", "Ridge", "--lookback", "14",
                 "--horizon", "3", "--country", "IT", "--known-ahead", "temp_max,rain", "-q",
                 "--output", "m.skops"]) == 0
    assert main(["forecast", "--model-file", "m.skops", "--csv", str(history_csv),
                 "--future", str(weather_csv), "--output", "fc.csv", "--plot", "fc.png"]) == 0
    assert (work / "fc.png").stat().st_size > 0
    printed = capsys.readouterr().out
    got = pd.read_csv(work / "fc.csv", parse_dates=["time", "origin"], index_col="time")
    assert "forecast" in printed and len(got) == 3

    # the same with the public Forecaster ...
    from sklearn_hydro import Forecaster
    from sklearn_hydro._cli._commands import INTERVAL_PARAMS
    from sklearn_hydro.datasets import read_dated_csv
    from sklearn_hydro.study import make_study_model

    hist = read_dated_csv(history_csv)
    weather = read_dated_csv(weather_csv)
    covs = [c for c in hist.columns if c != "demand"] + [
        "dow_mon", "dow_tue", "dow_wed", "dow_thu", "dow_fri", "dow_sat", "dow_sun",
        "is_weekend", "doy_sin", "doy_cos", "is_holiday", "days_to_holiday",
        "days_since_holiday"]
    api = Forecaster(make_study_model("Ridge", lookback=14, random_state=0, target="demand"),
                     lookback=14,
                     horizons=3, known_ahead=covs, past_covariates=WEATHER, country="IT",
                     interval_params=INTERVAL_PARAMS).fit(hist)
    pd.testing.assert_frame_equal(got, api.predict(hist, future=weather), check_freq=False,
                                  rtol=1e-10)

    # ... and with the windows by hand, as the protocol reads
    from sklearn_hydro.conformal import ConformalRegressor
    from sklearn_hydro.forecasting import DirectHorizonRegressor
    from sklearn_hydro.preprocessing import calendar_features
    from sklearn_hydro.study import make_study_model
    from sklearn_hydro.windows import make_forecast_rows, make_multi_horizon_windows

    hist = pd.read_csv(history_csv, parse_dates=["date"]).set_index("date").asfreq("D")
    weather = pd.read_csv(weather_csv, parse_dates=["date"]).set_index("date")
    frame = pd.concat([hist, weather]).asfreq("D")
    frame = frame.join(calendar_features(frame.index, country="IT"))
    covariates = [c for c in frame.columns if c != "demand"]
    X, Y = make_multi_horizon_windows(frame.loc[: hist.index[-1]], "demand", 14, 3, covariates,
                                      past_covariates=covariates)
    model = DirectHorizonRegressor(ConformalRegressor(  # day 1 alone, days 2..3 jointly
        make_study_model("Ridge", lookback=14, random_state=0, target="demand"), coverage=0.9,
        gap=2, **INTERVAL_PARAMS), joint_from=2).fit(X, Y)
    row = make_forecast_rows(frame, "demand", 14, 3, covariates, past_covariates=covariates)
    np.testing.assert_allclose(got["forecast"], model.predict(row)[0], rtol=1e-10)
    np.testing.assert_allclose(got[["lower", "upper"]], model.predict_interval(row)[0],
                               rtol=1e-10)
    assert (got.index == pd.date_range(hist.index[-1], periods=4)[1:]).all()


def test_forecast_needs_future_covariates_and_names_the_days(tmp_path, csvs, capsys):
    history_csv, _ = csvs
    model = tmp_path / "m.skops"
    assert main(["fit", "--csv", str(history_csv), "--model", "Persistence", "--lookback", "7",
                 "--horizon", "2", "--known-ahead", "temp_max", "-q", "--output",
                 str(model)]) == 0
    capsys.readouterr()
    assert main(["forecast", "--model-file", str(model), "--csv", str(history_csv)]) == 2
    assert "temp_max on" in _error(capsys)


def test_tampered_model_file_is_refused_and_runs_nothing(tmp_path, csvs, capsys):
    history_csv, _ = csvs
    model = tmp_path / "m.skops"
    assert main(["fit", "--csv", str(history_csv), "--model", "Persistence", "--lookback", "7",
                 "--horizon", "1", "-q", "--output", str(model)]) == 0
    capsys.readouterr()
    # 1. damaged bytes
    damaged = tmp_path / "damaged.skops"
    data = bytearray(model.read_bytes())
    data[len(data) // 2: len(data) // 2 + 64] = b"x" * 64
    damaged.write_bytes(bytes(data))
    assert main(["forecast", "--model-file", str(damaged), "--csv", str(history_csv)]) == 2
    assert "not a valid sklearn-hydro model file" in _error(capsys)
    # 2. a type that would run code: refused before anything is built
    evil = tmp_path / "evil.skops"
    with zipfile.ZipFile(model) as src, zipfile.ZipFile(evil, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "schema.json":
                content = content.replace(b'"__module__": "sklearn_hydro.forecasting._naive"',
                                          b'"__module__": "os"').replace(
                    b'"__class__": "SeasonalNaiveRegressor"', b'"__class__": "system"')
                assert b'"os"' in content
            dst.writestr(item, content)
    assert main(["forecast", "--model-file", str(evil), "--csv", str(history_csv)]) == 2
    err = _error(capsys)
    assert "not trusted: os.system" in err and "nothing in it ran" in err
    # 3. not a model file at all
    text = tmp_path / "text.skops"
    text.write_text("hello")
    assert main(["forecast", "--model-file", str(text), "--csv", str(history_csv)]) == 2
    assert "not a valid" in _error(capsys)


def test_leakage_guard_refuses_a_target_split_into_two_columns(tmp_path, synthetic, capsys):
    frame = synthetic[["demand", *WEATHER]].copy()
    share = np.random.default_rng(0).uniform(0.3, 0.7, len(frame))
    frame["zone_a"] = frame["demand"] * share
    frame["zone_b"] = frame["demand"] - frame["zone_a"]
    csv = _write(frame, tmp_path / "split.csv")
    args = ["--csv", str(csv), "--models", "Ridge", "--lookback", "7", "--output",
            str(tmp_path / "out")]
    # known ahead, the two zones would give the target itself: refused, named
    assert main(["study", *args, "--known-ahead", "temp_max,zone_a,zone_b"]) == 2
    err = _error(capsys)
    assert "zone_a + zone_b (sum)" in err and "give the target" in err
    # by default a CSV's columns are past only (lags): allowed, and listed as proxies
    assert main(["study", *args, "-q"]) == 0
    report = (tmp_path / "out" / "report.md").read_text()
    assert "past only, read as lags (4)" in report and "imputed:" in report
    assert "same-day proxies of the target, read as lags only: zone_a + zone_b" in report
    assert "dow_mon" in report  # calendar features on by default for CSV data


def test_dates_day_first_and_yes_no_columns(tmp_path, synthetic, capsys):
    frame = synthetic[["demand", "rain"]].iloc[:120].copy()
    frame["festival"] = np.where(np.arange(120) % 9 == 0, "Y", "n")
    frame["open"] = np.where(np.arange(120) % 2 == 0, "true", "False")
    csv = _write(frame, tmp_path / "dmy.csv", date_format="%d-%m-%Y")
    base = ["study", "--csv", str(csv), "--models", "Ridge", "--lookback", "7", "-q",
            "--no-plots"]
    assert main([*base, "--output", str(tmp_path / "a")]) == 2
    assert "--dayfirst" in _error(capsys)
    assert main([*base, "--dayfirst", "--output", str(tmp_path / "b")]) == 0
    assert main([*base, "--date-format", "%d-%m-%Y", "--output", str(tmp_path / "c")]) == 0
    report = (tmp_path / "c" / "report.md").read_text()
    assert "festival" in report and "open" in report
    from sklearn_hydro.datasets import read_dated_csv

    read = read_dated_csv(csv, date_format="%d-%m-%Y")
    assert set(read["festival"].unique()) == {0.0, 1.0} and read["open"].sum() == 60


def test_hourly_csv_needs_an_explicit_choice(tmp_path, capsys):
    hours = pd.date_range("2024-01-01", periods=24 * 90, freq="h")
    frame = pd.DataFrame({"date": hours, "demand": 10.0 + np.sin(np.arange(len(hours))),
                          "rain": 0.0})
    csv = tmp_path / "hourly.csv"
    frame.to_csv(csv, index=False)
    base = ["study", "--csv", str(csv), "--models", "Ridge", "--lookback", "7", "-q",
            "--no-plots", "--output", str(tmp_path / "o")]
    assert main(base) == 2
    assert "--resample sum" in _error(capsys)
    assert main([*base, "--resample", "sum"]) == 0
    from sklearn_hydro.datasets import read_dated_csv

    daily = read_dated_csv(csv, resample="sum")
    assert len(daily) == 90 and daily["demand"].iloc[0] == pytest.approx(
        frame["demand"].iloc[:24].sum())


def test_output_problems_are_one_line_errors_before_any_fit(tmp_path, capsys):
    existing = tmp_path / "a_file"
    existing.write_text("x")
    cases = [
        (["study", "--synthetic", "--quick", "--output", str(existing)], "not a folder"),
        (["study", "--synthetic", "--quick", "--output", str(existing / "sub")], "a_file"),
        (["backtest", "--synthetic", "--output", str(existing)], "not a folder"),
        (["fit", "--synthetic", "--output", str(tmp_path)], "is a folder"),
        (["fit", "--synthetic", "--output", str(existing / "m.skops")], "a_file"),
        (["study", "--synthetic", "--models", "", "--output", str(tmp_path / "o")],
         "--models is empty"),
        (["study", "--synthetic", "--models", " , ", "--output", str(tmp_path / "o")],
         "--models is empty"),
    ]
    for argv, message in cases:
        assert main(argv) == 2, argv
        captured = capsys.readouterr()
        assert "loading data" not in captured.out  # refused before loading or fitting
        err = captured.err
        assert err.startswith("error:") and message in err and err.count("\n") == 1, err


def test_backtest_command_writes_its_table_and_plot(tmp_path, capsys):
    out = tmp_path / "bt"
    assert main(["backtest", "--synthetic", "--model", "Persistence", "--lookback", "7",
                 "--horizon", "2", "--initial-train", "600", "--step", "30", "-q",
                 "--output", str(out)]) == 0
    table = pd.read_csv(out / "backtest.csv", parse_dates=["origin", "target_date"])
    assert set(table["horizon"]) == {1, 2}
    assert {"observed", "predicted", "lower", "upper"} <= set(table.columns)
    for name in ("folds.csv", "horizons.csv", "backtest.png", "report.md"):
        assert (out / name).stat().st_size > 0
    assert "coverage" in capsys.readouterr().out


@pytest.mark.parametrize(("value", "counted"), [(0.0, "1 of a zero, 0 of a negative"),
                                               (-3.0, "0 of a zero, 1 of a negative")])
def test_backtest_says_why_mape_is_undefined(tmp_path, synthetic, capsys, value, counted):
    """A zero or negative observation: MAPE NaN in the tables, and the reason printed."""
    data = synthetic[["demand", *WEATHER]].copy()
    data.iloc[200, 0] = value
    csv = _write(data, tmp_path / "odd.csv")
    out = tmp_path / "bt"
    assert main(["backtest", "--csv", str(csv), "--model", "Persistence", "--lookback", "7",
                 "--initial-train", "150", "--step", "30", "-q", "--output", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "MAPE is undefined (NaN) where an observed value is zero or negative" in printed
    assert f"(1 forecast(s): {counted} value)" in printed and "read MAE and RMSE" in printed
    horizons = pd.read_csv(out / "horizons.csv", index_col="horizon")
    assert horizons["MAPE"].isna().all() and horizons["MAE"].notna().all()
    assert counted in (out / "report.md").read_text()


def test_help_is_fast_and_does_not_import_torch():
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "sklearn_hydro", "--help"],
                            capture_output=True, text=True, check=True)
    assert "backtest" in result.stdout and "forecast" in result.stdout
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines()}
    assert "torch" not in imported and "pandas" not in imported
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "sklearn_hydro", "study",
                             "--help"], capture_output=True, text=True, check=True)
    assert "DWT-PCA-LSTM" in result.stdout and "torch" not in result.stderr


def test_forecast_adapts_intervals_to_days_observed_since_the_fit(tmp_path, synthetic, capsys):
    frame = synthetic[["demand", *WEATHER]]
    old = _write(frame.iloc[:-30], tmp_path / "old.csv")
    new = _write(frame.iloc[:-3], tmp_path / "new.csv")
    future = _write(frame[WEATHER].iloc[-3:], tmp_path / "w.csv")
    model = tmp_path / "m.skops"
    assert main(["fit", "--csv", str(old), "--model", "Persistence", "--lookback", "7",
                 "--horizon", "2", "--known-ahead", ",".join(WEATHER), "-q", "--output",
                 str(model)]) == 0
    capsys.readouterr()
    assert main(["forecast", "--model-file", str(model), "--csv", str(new), "--future",
                 str(future), "--output", str(tmp_path / "f.csv")]) == 0
    out = capsys.readouterr().out
    # origins after the fit's last one whose two targets are observed in the new data
    assert "updated the intervals with 27 origin(s)" in out
    table = pd.read_csv(tmp_path / "f.csv", parse_dates=["origin"])
    assert table["origin"].iloc[0] == frame.index[-4]


def test_audit_command_fails_the_leaky_protocol_and_passes_the_honest_one(capsys):
    base = ["audit", "--synthetic", "--model", "DWT-PCA-SVM", "--lookback", "14", "-q",
            "--origins", "2"]
    assert main([*base, "--protocol", "whole-series"]) == 1
    assert "look-ahead audit FAILED" in capsys.readouterr().out
    assert main(base) == 0
    assert "look-ahead audit passed" in capsys.readouterr().out
    assert main(["audit", "--synthetic", "--model", "Ridge", "--protocol", "whole-series"]) == 2
    assert "DWT models only" in _error(capsys)


def test_joint_strategy_fits_one_model_and_forecasts(tmp_path, csvs, capsys):
    from sklearn_hydro.conformal import ConformalRegressor
    from sklearn_hydro.io import load_model

    history_csv, weather_csv = csvs
    model = tmp_path / "m.skops"
    assert main(["fit", "--csv", str(history_csv), "--model", "Ridge", "--lookback", "7",
                 "--horizon", "3", "--strategy", "joint", "--known-ahead", "temp_max,rain",
                 "-q", "--output", str(model)]) == 0
    loaded, _ = load_model(model)
    assert isinstance(loaded.model_, ConformalRegressor)  # one model for the three days
    assert main(["forecast", "--model-file", str(model), "--csv", str(history_csv),
                 "--future", str(weather_csv), "--output", str(tmp_path / "f.csv")]) == 0
    table = pd.read_csv(tmp_path / "f.csv")
    assert table["horizon"].tolist() == [1, 2, 3] and (table["lower"] < table["upper"]).all()


def _fit(history_csv, output, *extra):
    return main(["fit", "--csv", str(history_csv), "--model", "Persistence", "--lookback",
                 "7", "--horizon", "1", "--known-ahead", "temp_max,rain", "-q", "--output",
                 str(output), *extra])


def test_an_output_that_is_an_input_is_refused_and_the_input_kept(tmp_path, csvs, capsys):
    history_csv, weather_csv = csvs
    before = history_csv.read_bytes()
    assert _fit(history_csv, history_csv, "--force") == 2
    assert "also an input" in _error(capsys)
    assert history_csv.read_bytes() == before
    model = tmp_path / "m.skops"
    assert _fit(history_csv, model) == 0
    capsys.readouterr()
    for output in (history_csv, weather_csv, model):
        assert main(["forecast", "--model-file", str(model), "--csv", str(history_csv),
                     "--future", str(weather_csv), "--output", str(output), "--force"]) == 2
        assert "also an input" in _error(capsys)
    assert history_csv.read_bytes() == before


def test_existing_outputs_are_kept_unless_forced(tmp_path, csvs, capsys):
    history_csv, weather_csv = csvs
    model = tmp_path / "m.skops"
    assert _fit(history_csv, model) == 0
    first = model.read_bytes()
    assert _fit(history_csv, model) == 2
    assert "--force" in _error(capsys)
    assert model.read_bytes() == first
    assert _fit(history_csv, model, "--force") == 0
    forecast = tmp_path / "f.csv"
    forecast.write_text("yesterday's forecast\n")
    args = ["forecast", "--model-file", str(model), "--csv", str(history_csv), "--future",
            str(weather_csv), "--output", str(forecast), "-q"]
    capsys.readouterr()
    assert main(args) == 2 and "exists" in _error(capsys)
    assert forecast.read_text() == "yesterday's forecast\n"
    assert main([*args, "--force"]) == 0 and "forecast" in forecast.read_text()
    report = tmp_path / "report"
    report.mkdir()
    (report / "report.md").write_text("an earlier report")
    capsys.readouterr()
    assert main(["study", "--csv", str(history_csv), "--models", "Persistence", "-q",
                 "--no-plots", "--output", str(report)]) == 2
    assert "already holds files" in _error(capsys)
    assert (report / "report.md").read_text() == "an earlier report"


def test_ctrl_c_during_fit_exits_non_zero_and_keeps_the_previous_model(tmp_path, csvs,
                                                                       capsys, monkeypatch):
    from sklearn_hydro.forecasting import Forecaster

    history_csv, _ = csvs
    model = tmp_path / "m.skops"
    assert _fit(history_csv, model) == 0
    first = model.read_bytes()

    def interrupted(self, frame):
        raise KeyboardInterrupt

    monkeypatch.setattr(Forecaster, "fit", interrupted)
    assert _fit(history_csv, model, "--force") == 130
    assert "interrupted" in capsys.readouterr().err
    assert model.read_bytes() == first
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp file left


def test_save_model_refuses_unfitted_models_and_existing_files(tmp_path):
    from sklearn.exceptions import NotFittedError
    from sklearn.linear_model import Ridge

    from sklearn_hydro.io import save_model

    with pytest.raises(NotFittedError):
        save_model(Ridge(), tmp_path / "r.skops")
    fitted = Ridge().fit([[0.0], [1.0]], [0.0, 1.0])
    path = save_model(fitted, tmp_path / "r.skops")
    with pytest.raises(FileExistsError):
        save_model(fitted, path)
    save_model(fitted, path, overwrite=True)


def test_a_flattering_city_csv_is_demoted_and_named(tmp_path, synthetic, capsys):
    # the real-city situation: a projection, the actual/projected ratio, and the same flow
    # metered at the plant on the same day
    frame = synthetic[["demand", *WEATHER]].copy()
    rng = np.random.default_rng(1)
    frame["projected"] = frame["demand"] * rng.uniform(0.9, 1.1, len(frame))
    frame["ratio"] = frame["demand"] / frame["projected"]
    frame["plant"] = frame["demand"] + rng.normal(0, 0.05 * frame["demand"].std(), len(frame))
    csv = _write(frame, tmp_path / "city.csv")
    out = tmp_path / "out"
    args = ["study", "--csv", str(csv), "--models", "Ridge", "--lookback", "7", "--no-plots"]
    assert main([*args, "--known-ahead", "temp_max,projected,ratio,plant", "--output",
                 str(out)]) == 2
    err = _error(capsys)
    assert "projected + ratio (product or ratio)" in err and "plant (near-copy" in err
    assert main([*args, "-q", "--output", str(out)]) == 0  # by default: lags only
    report = (out / "report.md").read_text()
    assert "known ahead, read at the target day (0): none" in report
    assert "projected + ratio (product or ratio)" in report and "plant (near-copy" in report
    # declared known ahead with the guard off, the audit still catches them
    capsys.readouterr()
    assert main(["audit", "--csv", str(csv), "--model", "Ridge", "--lookback", "7",
                 "--known-ahead", "temp_max,projected,ratio,plant", "--no-leakage-guard",
                 "-q"]) == 1
    assert "audit FAILED" in capsys.readouterr().out


def test_hourly_volumes_are_summed_and_temperatures_averaged_per_day(tmp_path):
    from sklearn_hydro.datasets import read_dated_csv

    hours = pd.date_range("2024-01-01", periods=24 * 3 + 3, freq="h")  # last day: 3 hours
    frame = pd.DataFrame({"date": hours, "demand": 1.0, "temp": 10.0})
    frame.to_csv(tmp_path / "h.csv", index=False)
    daily = read_dated_csv(tmp_path / "h.csv", resample="sum", target="demand")
    assert daily["demand"].tolist()[:3] == [24.0, 24.0, 24.0]
    assert np.isnan(daily["demand"].iloc[3])  # 3 of 24 hours: not a day's volume
    assert daily["temp"].tolist() == [10.0] * 4  # averaged, never summed


def test_until_one_day_future_folder_model_and_clear_date_errors(tmp_path, csvs, capsys,
                                                                 synthetic):
    history_csv, weather_csv = csvs
    model = tmp_path / "m.skops"
    last = pd.read_csv(history_csv)["date"].iloc[-30]
    assert _fit(history_csv, model, "--until", last) == 0
    assert f"data up to {last}" in capsys.readouterr().out
    one_day = _write(synthetic[WEATHER].iloc[-5:-4], tmp_path / "one.csv")
    assert main(["forecast", "--model-file", str(model), "--csv", str(history_csv),
                 "--future", str(one_day), "-q"]) == 0  # a one-day model, a one-day file
    capsys.readouterr()
    assert main(["forecast", "--model-file", str(tmp_path), "--csv", str(history_csv)]) == 2
    assert "is a folder" in _error(capsys)
    bad = tmp_path / "bad.csv"
    bad.write_text("date,demand\n2024-01-01,1\n31-02-2024,2\n2024-01-03,3\n")
    assert main(["study", "--csv", str(bad), "-q"]) == 2
    err = _error(capsys)
    assert "cannot parse the date column" in err and "try:" not in err


def test_an_empty_column_is_refused(tmp_path, synthetic, capsys):
    frame = synthetic[["demand", *WEATHER]].copy()
    frame["broken_sensor"] = np.nan
    csv = _write(frame, tmp_path / "x.csv")
    assert main(["study", "--csv", str(csv), "--models", "Ridge", "-q", "--no-plots",
                 "--output", str(tmp_path / "o")]) == 2
    assert "broken_sensor" in _error(capsys)


def test_forecast_fewer_days_and_the_unit_is_shown(tmp_path, csvs, capsys):
    history_csv, weather_csv = csvs
    model = tmp_path / "m.skops"
    assert main(["fit", "--csv", str(history_csv), "--model", "Ridge", "--lookback", "7",
                 "--horizon", "3", "--known-ahead", "temp_max,rain", "-q", "--output",
                 str(model)]) == 0
    capsys.readouterr()
    assert main(["forecast", "--model-file", str(model), "--csv", str(history_csv),
                 "--future", str(weather_csv), "--days", "2", "--unit", "ML/day",
                 "--output", str(tmp_path / "f.csv")]) == 0
    assert "in ML/day" in capsys.readouterr().out
    assert pd.read_csv(tmp_path / "f.csv")["horizon"].tolist() == [1, 2]
    assert main(["forecast", "--model-file", str(model), "--csv", str(history_csv),
                 "--future", str(weather_csv), "--days", "5"]) == 2
    assert "--days must be in 1..3" in _error(capsys)


def test_a_backtest_over_years_gets_a_context_panel_and_a_zoom(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    from sklearn_hydro._cli import _plots

    days = pd.date_range("2020-01-01", periods=800, freq="D")
    pred = pd.DataFrame({"fold": 0, "origin": days - pd.Timedelta(days=1), "target_date": days,
                         "horizon": 1, "observed": 100.0, "predicted": 101.0})

    class Result:
        predictions, config = pred, {"interval": None}

    figures = []
    monkeypatch.setattr(plt, "close", lambda fig: figures.append(fig))
    _plots.plot_backtest(Result(), tmp_path / "long.png")
    _plots.plot_backtest(type("R", (), {"predictions": pred.iloc[-60:], "config": {}}),
                         tmp_path / "short.png")
    assert [len(f.axes) for f in figures] == [2, 1]
    assert "last 56 days" in figures[0].axes[1].get_title()
