import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklearn_hydro.datasets import make_synthetic_demand
from sklearn_hydro.metrics import mape_scorer
from sklearn_hydro.study import (
    ALL_MODELS,
    chronological_split,
    make_study_model,
    run_study,
    whole_series_windows,
)
from sklearn_hydro.windows import lag_columns, make_windows

TINY = {"max_epochs": 2, "hidden_size": 4, "batch_size": 32}
LOOKBACK = 16


@pytest.fixture(scope="module")
def frame():
    return make_synthetic_demand(n_days=220, random_state=3)


@pytest.fixture(scope="module")
def windows(frame):
    return make_windows(frame, "demand", LOOKBACK)


@pytest.mark.parametrize("name", ALL_MODELS)
def test_every_named_model_fits_and_predicts(name, windows):
    X, y = windows
    X_train, X_test, y_train, y_test = chronological_split(X, y, 0.6)
    model = make_study_model(name, lookback=LOOKBACK, random_state=0, neural_params=TINY)
    pred = model.fit(X_train, y_train).predict(X_test)
    assert pred.shape == (len(X_test),)
    assert np.all(np.isfinite(pred))


def test_unknown_model_name():
    with pytest.raises(ValueError, match="unknown model 'LSTM2'"):
        make_study_model("LSTM2")


def test_naive_peers_are_what_they_say(windows):
    X, y = windows
    lags = X[lag_columns(X)].ffill(axis=1).to_numpy()
    persistence = make_study_model("Persistence", lookback=LOOKBACK).fit(X, y)
    weekly = make_study_model("Seasonal-naive-7", lookback=LOOKBACK).fit(X, y)
    clean = ~np.isnan(X[lag_columns(X)].to_numpy()).any(axis=1)
    # on rows without missing lags and without outliers the smoother changes nothing
    p, w = persistence.predict(X), weekly.predict(X)
    agree_p = np.isclose(p[clean], lags[clean, -1]).mean()
    agree_w = np.isclose(w[clean], lags[clean, -7]).mean()
    assert agree_p > 0.95 and agree_w > 0.95


def test_grid_search_time_series_split_on_study_pipelines(windows):
    X, y = windows
    svm = make_study_model("DWT-PCA-SVM", lookback=LOOKBACK)
    grid = {
        "windows__lags__waveletdenoiser__wavelet": ["db2", "db4"],
        "windows__covariates__pca__n_components": [2, 3],
    }
    search = GridSearchCV(svm, grid, cv=TimeSeriesSplit(n_splits=3), scoring=mape_scorer)
    search.fit(X, y)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert search.best_params_["windows__covariates__pca__n_components"] in (2, 3)

    lstm = make_study_model("DWT-PCA-LSTM", lookback=LOOKBACK, random_state=0,
                            neural_params=TINY)
    search = GridSearchCV(
        lstm,
        {"regressor__hidden_size": [3, 5]},
        cv=TimeSeriesSplit(n_splits=2),
        scoring=mape_scorer,
    ).fit(X, y)
    assert search.best_estimator_.named_steps["regressor"].hidden_size in (3, 5)


def test_pipeline_prediction_never_sees_the_future(frame):
    """Perturbing the series after a row's origin leaves that row's prediction unchanged."""
    X, y = make_windows(frame, "demand", LOOKBACK)
    model = make_study_model("DWT-PCA-LSTM", lookback=LOOKBACK, random_state=0,
                             neural_params=TINY)
    model.fit(X.iloc[:120], y.iloc[:120])
    pos = 170  # perturb the demand on this day (and make it an outlier)
    changed = frame.copy()
    changed.iloc[pos, changed.columns.get_loc("demand")] *= 3.0
    X2, _ = make_windows(changed, "demand", LOOKBACK)
    origins = frame.index.get_indexer(X.index) - 1
    before = origins < pos
    np.testing.assert_allclose(model.predict(X[before]), model.predict(X2[before]), rtol=1e-6)
    # and the perturbation does reach rows whose window contains it (the test can fail)
    assert not np.allclose(model.predict(X[~before]), model.predict(X2[~before]))


def test_whole_series_protocol_really_leaks(frame):
    X, _ = whole_series_windows(frame, "demand", LOOKBACK)
    changed = frame.copy()
    pos = 170
    changed.iloc[pos, changed.columns.get_loc("demand")] *= 3.0
    X2, _ = whole_series_windows(changed, "demand", LOOKBACK)
    origins = frame.index.get_indexer(X.index) - 1
    lags = lag_columns(X)
    past = X.loc[origins < pos - 5, lags]
    assert not np.allclose(past.to_numpy(), X2.loc[past.index, lags].to_numpy())


def test_run_study_table(frame):
    result = run_study(
        frame, models=["Persistence", "Ridge", "DWT-PCA-SVM"], lookback=LOOKBACK,
        protocol="whole-series",
    )
    table = result.table
    assert list(table["model"]) == sorted(table["model"], key=lambda m: table.set_index(
        "model").loc[m, "MAPE"])
    assert table.set_index("model").loc["DWT-PCA-SVM", "leaky"]
    assert not table.set_index("model").loc["Ridge", "leaky"]
    assert set(result.predictions.columns) == {"observed", "Persistence", "Ridge", "DWT-PCA-SVM"}
    with pytest.raises(ValueError, match="unknown model"):
        run_study(frame, models=["nope"])
    with pytest.raises(ValueError, match="protocol"):
        run_study(frame, protocol="leaky")
    with pytest.raises(ValueError, match="too few|too short"):
        run_study(frame.iloc[:20], lookback=LOOKBACK)


def test_cli_quick_end_to_end(tmp_path, capsys, monkeypatch):
    from sklearn_hydro._cli import main
    from sklearn_hydro.study import _runner

    # every model through the whole command; the networks' size is not what this tests
    tiny = {"max_epochs": 2, "hidden_size": 4, "n_iter_no_change": 5}
    monkeypatch.setattr(_runner, "QUICK_NEURAL_PARAMS", tiny)
    monkeypatch.setattr(_runner, "QUICK_FORECASTER_PARAMS",
                        {**tiny, "n_estimators": 1, "head_size": 4})
    out = tmp_path / "report"
    rc = main(["--synthetic", "--quick", "--lookback", "14", "--output", str(out)])
    assert rc == 0
    printed = capsys.readouterr().out
    for name in ALL_MODELS:
        assert name in printed
    for f in ("results.csv", "results.md", "predictions.csv", "report.md", "forecast.png",
              "metrics.png"):
        assert (out / f).stat().st_size > 0
    table = pd.read_csv(out / "results.csv")
    assert len(table) == len(ALL_MODELS)
    assert set(table["kind"]) == {"study", "peer", "ablation", "default"}


def test_cli_bad_input_gives_one_line_error(tmp_path, capsys):
    from sklearn_hydro._cli import main

    days = pd.date_range("2022-01-01", periods=60, freq="D")
    csv = tmp_path / "d.csv"
    pd.DataFrame({"day": days, "use": np.arange(60.0) + 10, "t": 1.0}).to_csv(csv, index=False)
    cases = [
        (["--csv", str(csv)], "date column 'date'"),
        (["--csv", str(csv), "--date-column", "day"], "target column 'demand'"),
        (["--csv", str(csv), "--date-column", "day", "--target", "use", "--lookback", "50"],
         "too"),
        (["--csv", str(tmp_path / "missing.csv")], "not found"),
        (["--synthetic", "--models", "LSTM,nope"], "unknown model"),
    ]
    for argv, message in cases:
        rc = main([*argv, "--output", str(tmp_path / "o"), "--quick"])
        err = capsys.readouterr().err
        assert rc == 2
        assert err.startswith("error:") and message in err
        assert err.count("\n") == 1
    text = tmp_path / "text.csv"
    pd.DataFrame({"date": days, "demand": ["a"] * 60}).to_csv(text, index=False)
    assert main(["--csv", str(text), "--quick"]) == 2
    assert "not numeric" in capsys.readouterr().err


def test_split_takes_the_first_days_not_the_first_windows(frame):
    X, y = make_windows(frame, "demand", 28)
    X_train, X_test, _, _ = chronological_split(
        X, y, 0.6, start=frame.index[0], end=frame.index[-1]
    )
    cutoff = frame.index[0] + pd.Timedelta(days=round(0.6 * len(frame)))
    assert X_train.index.max() < cutoff <= X_test.index.min()
    # by rows the test part would start 0.4 x lookback days later
    _, X_test_rows, _, _ = chronological_split(X.reset_index(drop=True), y, 0.6)
    assert len(X_test_rows) < len(X_test)


def test_cv_selection_names_a_model_without_the_test_period(frame, tmp_path):
    from sklearn_hydro.study._report import write_report

    result = run_study(frame, models=["Persistence", "Ridge", "Seasonal-naive-7"], lookback=14,
                       select="cv")
    assert result.config["cv_choice"] in {"Persistence", "Ridge", "Seasonal-naive-7"}
    assert result.table["CV_MAPE"].notna().all()
    best_cv = result.table.loc[result.table["CV_MAPE"].idxmin(), "model"]
    assert result.config["cv_choice"] == best_cv
    write_report(result, tmp_path, plots=False)
    assert "Chosen by cross-validation" in (tmp_path / "report.md").read_text()


def test_cli_select_cv_names_the_choice(tmp_path, capsys):
    from sklearn_hydro._cli import main

    rc = main(["study", "--synthetic", "--quick", "--select", "cv", "--models",
               "Persistence,Ridge", "--output", str(tmp_path / "o"), "-q"])
    assert rc == 0
    out = capsys.readouterr().out
    assert "CV_MAPE" in out and "chosen by cross-validation on the training part:" in out
    assert "Chosen by cross-validation" in (tmp_path / "o" / "report.md").read_text()


def test_cli_runs_openmp_and_torch_on_its_thread_setting_and_restores_them(tmp_path,
                                                                           monkeypatch):
    import torch
    from sklearn.ensemble import HistGradientBoostingRegressor
    from threadpoolctl import threadpool_info, threadpool_limits

    from sklearn_hydro._cli import main

    seen = []
    original = HistGradientBoostingRegressor.fit

    def spy(self, X, y, **kw):
        seen.append(({p["user_api"]: p["num_threads"] for p in threadpool_info()},
                     torch.get_num_threads()))
        return original(self, X, y, **kw)

    monkeypatch.setattr(HistGradientBoostingRegressor, "fit", spy)
    torch_before = torch.get_num_threads()
    # a caller with two threads in every pool (the suite runs scikit-learn's on one)
    with threadpool_limits(limits=2):
        rc = main(["study", "--synthetic", "--quick", "--models", "HistGradientBoosting",
                   "--threads", "1", "--output", str(tmp_path / "o"), "-q"])
        after = {p["filepath"]: p["num_threads"] for p in threadpool_info()}
    assert rc == 0 and seen
    pools, torch_threads = seen[0]
    # busy-waiting OpenMP threads of a small gradient boosting fit slow it 10-50x on a
    # shared machine (benchmarks/bench_threads.py): the CLI runs them on --threads
    assert pools.get("openmp", 1) == 1 and torch_threads == 1
    assert torch.get_num_threads() == torch_before
    assert set(after.values()) == {2}  # and restores the caller's pools
