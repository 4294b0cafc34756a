"""Display objects: what they draw, gaps, units, bands, leaky marks, and clear errors."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge

from sklearn_hydro import SigmaOutlierSmoother, WaveletDenoiser, make_windows
from sklearn_hydro.datasets import make_synthetic_demand
from sklearn_hydro.plotting import (
    DecompositionDisplay,
    ForecastDisplay,
    MetricsDisplay,
    SampleGridDisplay,
    WindowDisplay,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def gappy():
    days = pd.date_range("2024-01-01", periods=10, freq="D")
    keep = np.ones(10, dtype=bool)
    keep[[3, 4]] = False  # two missing target days: no windows for them
    observed = pd.Series(np.arange(10, 20, dtype=float), index=days)[keep]
    return observed


def test_forecast_gaps_are_gaps_not_bridged(gappy):
    display = ForecastDisplay.from_predictions(gappy, {"m": gappy.to_numpy() + 1})
    for label in ("observed", "m"):
        x = pd.to_datetime(display.lines_[label].get_xdata())
        y = np.asarray(display.lines_[label].get_ydata(), dtype=float)
        assert len(x) == 10  # every day of the range, the missing ones included
        assert np.isnan(y[[3, 4]]).all()
        assert not np.isnan(np.delete(y, [3, 4])).any()


def test_forecast_unit_on_y_axis_and_target_name(gappy):
    display = ForecastDisplay.from_predictions(gappy, gappy, target_name="inflow",
                                               unit="m³/day")
    assert display.ax_.get_ylabel() == "inflow (m³/day)"
    assert display.ax_.get_xlabel() == "target date"
    bare = ForecastDisplay.from_predictions(gappy, gappy)
    assert bare.ax_.get_ylabel() == "demand"


def test_forecast_interval_is_a_band_with_gaps(gappy):
    display = ForecastDisplay.from_predictions(
        gappy, {"m": gappy}, y_lower=gappy - 1, y_upper=gappy + 1, interval_label="90 %"
    )
    assert display.band_ is not None
    assert display.band_.get_label() == "90 %"
    # fill_between leaves out NaN stretches: two separate polygons around the gap
    assert len(display.band_.get_paths()) == 2


def test_forecast_marks_leaky_models(gappy):
    display = ForecastDisplay.from_predictions(
        gappy, {"honest": gappy, "DWT-LSTM": gappy + 1}, leaky=["DWT-LSTM"]
    )
    labels = [t.get_text() for t in display.ax_.get_legend().get_texts()]
    assert "DWT-LSTM (LEAKY)" in labels and "honest" in labels
    assert display.lines_["DWT-LSTM"].get_linestyle() == "--"
    assert display.lines_["honest"].get_linestyle() == "-"
    assert "LEAKY" in display.ax_.get_title()


def test_forecast_from_estimator_uses_its_predictions():
    frame = make_synthetic_demand(n_days=200, random_state=0)
    X, y = make_windows(frame, "demand", lookback=7)
    X = X.fillna(X.mean())
    model = Ridge().fit(X, y)
    display = ForecastDisplay.from_estimator(model, X, y, name="ridge", unit="m³/day")
    drawn = np.asarray(display.lines_["ridge"].get_ydata(), dtype=float)
    expected = pd.Series(model.predict(X), index=y.index).reindex(
        pd.date_range(y.index.min(), y.index.max(), freq="D"))
    np.testing.assert_allclose(drawn, expected.to_numpy())


def test_forecast_draws_on_the_given_axes(gappy):
    _, ax = plt.subplots()
    display = ForecastDisplay.from_predictions(gappy, gappy, ax=ax)
    assert display.ax_ is ax
    # plot() again on other axes reuses the stored data
    _, other = plt.subplots()
    assert display.plot(ax=other).ax_ is other


def _years(n_days=800):
    days = pd.date_range("2021-01-01", periods=n_days, freq="D")
    return pd.Series(100 + 10 * np.sin(np.arange(n_days) / 30.0), index=days)


def test_forecast_over_years_zooms_on_the_last_days_below_a_context_panel():
    observed = _years()
    display = ForecastDisplay.from_predictions(
        observed, {"m": observed + 1, "leaky": observed}, y_lower=observed - 2,
        y_upper=observed + 2, leaky=["leaky"], unit="m³/day", zoom_days=56, title="run")
    context, zoom = display.context_ax_, display.ax_
    assert display.figure_.axes == [context, zoom]
    assert zoom.get_title() == "the last 56 days"
    assert context.get_title() == "run: the whole period"
    assert context.get_ylabel() == zoom.get_ylabel() == "demand (m³/day)"
    # the zoom holds the last 56 days, line and band; the context every day, and a shade
    for line in display.lines_.values():
        x = pd.to_datetime(line.get_xdata())
        assert len(x) == 56 and x[0] == observed.index[-56] and x[-1] == observed.index[-1]
    left, right = zoom.get_xlim()
    assert observed.index[-60] < matplotlib.dates.num2date(left).replace(tzinfo=None)
    band_x = display.band_.get_paths()[0].vertices[:, 0]
    assert band_x.min() >= matplotlib.dates.date2num(observed.index[-56])
    assert [len(line.get_xdata()) for line in context.get_lines()] == [800, 800, 800]
    labels = [t.get_text() for t in context.get_legend().get_texts()]
    assert labels == ["observed", "m", "leaky (LEAKY)", "last 56 days, below"]
    # short periods stay one panel; a long one on given axes needs both
    short = ForecastDisplay.from_predictions(observed.iloc[-100:], observed.iloc[-100:],
                                             zoom_days=56)
    assert short.context_ax_ is None and len(short.figure_.axes) == 1
    assert ForecastDisplay.needs_context(observed, 56)
    assert not ForecastDisplay.needs_context(observed.iloc[-112:], 56)
    assert not ForecastDisplay.needs_context(observed, None)
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="pass both ax and context_ax"):
        ForecastDisplay.from_predictions(observed, observed, ax=ax, zoom_days=56)
    with pytest.raises(ValueError, match="zoom_days must be a positive int"):
        ForecastDisplay.from_predictions(observed, observed, zoom_days=0)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"y_pred": np.zeros(3)}, "3 values for 8 dates"),
        ({"y_pred": {"m": np.zeros(8)}, "leaky": ["x"]}, "not among the models"),
        ({"y_pred": np.zeros(8), "y_lower": np.zeros(8)}, "both y_lower and y_upper"),
        ({"y_pred": pd.DataFrame(index=range(8))}, "no model"),
    ],
)
def test_forecast_bad_input_is_a_clear_error(gappy, kwargs, message):
    with pytest.raises(ValueError, match=message):
        ForecastDisplay.from_predictions(gappy, **kwargs)


def test_window_display_shows_the_smoothers_outliers():
    rng = np.random.default_rng(0)
    X = rng.normal(100, 5, size=(60, 14))
    X[-1, 4] = 300.0
    X[-1, 9] = np.nan
    smoother = SigmaOutlierSmoother().fit(X[:-1])
    display = WindowDisplay.from_estimator(smoother, X, unit="m³/day")
    assert np.flatnonzero(display.outlier_mask).tolist() == [4, 9]
    np.testing.assert_allclose(display.smoothed, smoother.transform(X[-1:])[0])
    labels = [t.get_text() for t in display.ax_.get_legend().get_texts()]
    assert "flagged outlier" in labels and "missing, filled" in labels
    assert display.ax_.get_ylabel() == "value (m³/day)"


def test_window_display_titles_a_dataframe_row_by_its_date():
    frame = make_synthetic_demand(n_days=120, random_state=1)
    X, _ = make_windows(frame, "demand", lookback=14, covariates=[])
    X = X.fillna(X.mean())
    display = WindowDisplay.from_estimator(SigmaOutlierSmoother().fit(X), X, row=5)
    assert f"{X.index[5]:%Y-%m-%d}" in display.ax_.get_title()


@pytest.mark.parametrize("output", ["denoised", "residual", "both"])
def test_decomposition_display_whatever_the_output(output):
    X = np.random.default_rng(0).normal(100, 5, size=(40, 32))
    denoiser = WaveletDenoiser("db2", level=3, output=output).fit(X)
    display = DecompositionDisplay.from_estimator(denoiser, X, row=2)
    reference = WaveletDenoiser("db2", level=3).fit(X).transform(X[2:3])[0]
    np.testing.assert_allclose(display.denoised, reference)
    assert len(display.axes_) == 1 + 1 + 3  # window, approximation, three detail levels
    assert len(display.coefficients) == 4
    np.testing.assert_allclose(display.thresholds, denoiser.thresholds_)


def test_decomposition_display_needs_enough_axes():
    X = np.random.default_rng(0).normal(size=(10, 16))
    denoiser = WaveletDenoiser("haar", level=2).fit(X)
    _, axes = plt.subplots(2, 1)
    with pytest.raises(ValueError, match="need 4 axes"):
        DecompositionDisplay.from_estimator(denoiser, X, axes=axes)


def test_metrics_display_prints_values_and_ranks():
    y = np.array([100.0, 110, 120, 130, 140])
    display = MetricsDisplay.from_predictions(y, {"poor": y * 1.1, "good": y * 1.02})
    # best first in the table, drawn at the top (the last tick)
    assert [t.get_text() for t in display.ax_.get_yticklabels()] == ["poor", "good"]
    texts = [t.get_text() for t in display.ax_.texts]
    assert "2.00" in texts and "10.00" in texts
    assert set(display.bars_) == {"MAPE", "pMAPE"}


def test_metrics_display_marks_leaky_rows_of_a_study_table():
    table = pd.DataFrame({"model": ["DWT-LSTM", "Ridge"], "MAPE": [0.8, 1.0],
                          "pMAPE": [1.0, 1.2], "leaky": [True, False]})
    display = MetricsDisplay.from_table(table)
    ticks = [t.get_text() for t in display.ax_.get_yticklabels()]
    assert ticks == ["Ridge", "DWT-LSTM (LEAKY)"]
    hatches = [bar.get_hatch() for bar in display.bars_["MAPE"]]
    assert hatches == [None, "//"]  # drawn bottom-up: Ridge, then DWT-LSTM
    assert "LEAKY" in display.ax_.get_title()


def test_metrics_display_errors():
    with pytest.raises(ValueError, match="lacks the column"):
        MetricsDisplay.from_table(pd.DataFrame({"model": ["a"]}))
    with pytest.raises(ValueError, match="unknown metric"):
        MetricsDisplay.from_predictions([1.0, 2.0], {"a": [1.0, 2.0]}, metrics=("RMSE",))
    with pytest.raises(TypeError, match="dict"):
        MetricsDisplay.from_predictions([1.0, 2.0], [1.0, 2.0])


def test_sample_grid_images_and_lines():
    samples = np.random.default_rng(0).uniform(size=(7, 16))
    images = SampleGridDisplay.from_samples(samples, image_shape=(4, 4), labels=list("abcdefg"),
                                            n_cols=4)
    assert images.axes_.shape == (2, 4)
    assert len(images.axes_[0, 0].images) == 1
    assert images.axes_[0, 1].get_title() == "b"
    assert not images.axes_[1, 3].axison  # the unused eighth cell is hidden
    lines = SampleGridDisplay.from_samples(samples, n_cols=7)
    assert len(lines.axes_[0, 0].get_lines()) == 1


def test_sample_grid_from_estimator_with_a_conditional_sampler():
    class Sampler:
        def sample(self, n_samples, random_state=None):
            rng = np.random.default_rng(random_state)
            return rng.uniform(size=(n_samples, 4)), np.arange(n_samples) % 2

    display = SampleGridDisplay.from_estimator(Sampler(), 4, image_shape=(2, 2), n_cols=2)
    assert [ax.get_title() for ax in display.axes_.ravel()] == ["0", "1", "0", "1"]


def test_sample_grid_errors():
    with pytest.raises(ValueError, match="does not hold"):
        SampleGridDisplay.from_samples(np.zeros((2, 10)), image_shape=(3, 3))
    with pytest.raises(ValueError, match="2-D"):
        SampleGridDisplay.from_samples(np.zeros(10))
    with pytest.raises(ValueError, match="labels"):
        SampleGridDisplay.from_samples(np.zeros((2, 4)), labels=[1])


def test_study_report_plots_mark_leaky_models_and_units(tmp_path, monkeypatch):
    from sklearn_hydro.study import _report, run_study

    frame = make_synthetic_demand(n_days=240, random_state=0)
    result = run_study(frame, models=["DWT-PCA-SVM", "Ridge"], lookback=14,
                       protocol="whole-series")
    drawn = {}
    real = _report._write_plots

    def spy(result, out, unit):
        import matplotlib.pyplot as plt

        close = plt.close
        monkeypatch.setattr(plt, "close", lambda fig: drawn.setdefault("figs", []).append(fig))
        try:
            return real(result, out, unit)
        finally:
            monkeypatch.setattr(plt, "close", close)

    monkeypatch.setattr(_report, "_write_plots", spy)
    paths = _report.write_report(result, tmp_path, unit="m³/day")
    assert (tmp_path / "forecast.png").stat().st_size > 0
    assert (tmp_path / "metrics.png").stat().st_size > 0
    assert tmp_path / "forecast.png" in paths
    forecast_ax, metrics_ax = (fig.axes[0] for fig in drawn["figs"])
    assert forecast_ax.get_ylabel() == "demand (m³/day)"
    legend = [t.get_text() for t in forecast_ax.get_legend().get_texts()]
    assert "DWT-PCA-SVM (LEAKY)" in legend
    assert "DWT-PCA-SVM (LEAKY)" in [t.get_text() for t in metrics_ax.get_yticklabels()]


def test_study_report_plot_over_a_long_test_period_has_a_context_panel(tmp_path,
                                                                          monkeypatch):
    from sklearn_hydro.study import _report, run_study

    frame = make_synthetic_demand(n_days=700, random_state=0)
    result = run_study(frame, models=["Persistence", "Ridge"], lookback=14)
    figures = []
    monkeypatch.setattr(plt, "close", lambda fig: figures.append(fig))
    _report.write_report(result, tmp_path, unit="m³/day")
    context, zoom = figures[0].axes  # forecast.png, then metrics.png
    assert "the whole period" in context.get_title() and zoom.get_title() == "the last 56 days"
    dates = result.predictions.index
    x = pd.to_datetime(zoom.get_lines()[0].get_xdata())
    assert x[0] == dates[-1] - pd.Timedelta(days=55) and x[-1] == dates[-1]
    assert pd.to_datetime(context.get_lines()[0].get_xdata())[0] == dates[0]


def test_displays_take_pandas_output_and_title_rows_by_date():
    # pandas (copy-on-write) hands out read-only arrays; pywt refuses those
    frame = make_synthetic_demand(n_days=150, random_state=2)
    X, _ = make_windows(frame, "demand", lookback=16, covariates=[])
    smoother = SigmaOutlierSmoother().set_output(transform="pandas").fit(X)
    clean = smoother.transform(X)
    assert isinstance(clean, pd.DataFrame)
    denoiser = WaveletDenoiser("db2", level=2).set_output(transform="pandas").fit(clean)
    display = DecompositionDisplay.from_estimator(denoiser, clean, row=3)
    assert f"{X.index[3]:%Y-%m-%d}" in display.axes_[0].get_title()
    window = WindowDisplay.from_estimator(smoother, X, row=3)
    np.testing.assert_allclose(window.smoothed, clean.iloc[3].to_numpy())


def test_forecast_with_repeated_dates_is_drawn_as_given():
    # e.g. backtest rows of several origins for one target date: no gap filling, no error
    days = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-02", "2024-01-03"])
    observed = pd.Series([1.0, 2.0, 2.0, 3.0], index=days)
    display = ForecastDisplay.from_predictions(observed, {"m": [1.1, 2.1, 1.9, 3.2]})
    assert len(display.lines_["m"].get_ydata()) == 4
