import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.metrics import explained_variance_score

from sklearn_hydro.metrics import (
    evs_scorer,
    explained_variance,
    mape_scorer,
    mean_absolute_percentage_error,
    peak_mape,
    peak_mape_scorer,
    pearson_r,
    pearson_r_scorer,
    regression_report,
)


def test_mape_in_percent():
    assert mean_absolute_percentage_error([100, 200], [110, 190]) == pytest.approx(7.5)
    assert mean_absolute_percentage_error([100], [-50]) == pytest.approx(150.0)


def test_mape_not_strict_is_nan_on_zeros_and_negatives_and_equal_elsewhere():
    """strict=False is for tables and blends: NaN where strict refuses, the same otherwise."""
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.uniform(50, 150, 30), rng.uniform(50, 150, 30)
    assert mean_absolute_percentage_error(y_true, y_pred, strict=False) == (
        mean_absolute_percentage_error(y_true, y_pred))
    assert np.isnan(mean_absolute_percentage_error([0.0, 2.0], [1.0, 2.0], strict=False))
    assert np.isnan(mean_absolute_percentage_error([-10.0], [-5.0], strict=False))
    assert np.isnan(mean_absolute_percentage_error([-10.0, 2.0], [1.0, 2.0], strict=False))
    with pytest.raises(ValueError, match="NaN"):
        mean_absolute_percentage_error([np.nan, 2.0], [1.0, 2.0], strict=False)


@pytest.mark.parametrize("func", [mean_absolute_percentage_error, peak_mape])
def test_negative_observations_are_refused_by_percentage_errors(func):
    # a negative forecast is just a (large) error; a negative observation is a data problem,
    # even off the peak days
    with pytest.raises(ValueError, match=r"negative observations.*1 negative value\(s\), e.g. -5"):
        func([100.0, -5.0, 120.0, 90.0], [100.0, 5.0, 120.0, 90.0])
    assert explained_variance([-1.0, 2.0, -3.0], [-1.0, 2.0, -2.0]) > 0


@pytest.mark.parametrize(
    "func", [mean_absolute_percentage_error, peak_mape, explained_variance, pearson_r]
)
def test_pandas_inputs_with_different_indexes_are_refused(func):
    days = pd.date_range("2024-01-01", periods=4, freq="D")
    y_true = pd.Series([100.0, 200.0, 150.0, 120.0], index=days)
    shuffled = y_true.iloc[[2, 0, 3, 1]] * 1.01  # by label: 1 % off everywhere
    with pytest.raises(ValueError, match="same labels in a different order.*reindex"):
        func(y_true, shuffled)
    with pytest.raises(ValueError, match="different labels"):
        func(y_true, y_true.set_axis(days + pd.Timedelta(days=1)))
    aligned = shuffled.reindex(y_true.index)
    assert func(y_true, aligned) == func(y_true.to_numpy(), aligned.to_numpy())
    # positional inputs (arrays, or a Series against an array) are compared as given
    assert func(y_true, aligned.to_numpy()) == func(y_true, aligned)
    assert func(y_true.to_frame(), aligned) == func(y_true, aligned)


def test_peak_mape_uses_observed_quantile_only():
    y_true = np.arange(1, 101, dtype=float)
    y_pred = y_true.copy()
    y_pred[:90] *= 2  # huge errors off-peak do not count
    y_pred[95] *= 1.1
    # peak days: y_true >= quantile(0.9) = 90.1 -> values 91..100 (10 days)
    assert peak_mape(y_true, y_pred) == pytest.approx(1.0)
    assert peak_mape(y_true, y_pred, peak_quantile=0.0) == pytest.approx(
        mean_absolute_percentage_error(y_true, y_pred)
    )
    # the forecast does not choose the peak days: overshooting off-peak days changes nothing
    y_pred2 = y_pred.copy()
    y_pred2[:90] = 1000
    assert peak_mape(y_true, y_pred2) == peak_mape(y_true, y_pred)


def test_evs_and_r():
    rng = np.random.default_rng(0)
    y = rng.normal(size=50)
    p = y + rng.normal(scale=0.3, size=50)
    assert explained_variance(y, p) == pytest.approx(explained_variance_score(y, p))
    assert pearson_r(y, p) == pytest.approx(np.corrcoef(y, p)[0, 1])
    assert pearson_r(y, -y) == pytest.approx(-1.0)


@pytest.mark.parametrize(
    "func", [mean_absolute_percentage_error, peak_mape, explained_variance, pearson_r]
)
def test_clear_errors(func):
    with pytest.raises(ValueError, match="different lengths"):
        func([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="NaN"):
        func([1, np.nan, 3], [1, 2, 3])
    with pytest.raises(ValueError, match="NaN"):
        func([1, 2, 3], [1, np.inf, 3])
    with pytest.raises(ValueError, match="1-D"):
        func(np.ones((3, 2)), np.ones((3, 2)))
    with pytest.raises(ValueError, match="empty"):
        func([], [])
    with pytest.raises(TypeError, match="numeric"):
        func(["a", "b"], [1, 2])


def test_zero_and_constant_errors():
    with pytest.raises(ValueError, match="zero"):
        mean_absolute_percentage_error([0, 1], [1, 1])
    with pytest.raises(ValueError, match=r"2 zero value\(s\)"):
        peak_mape([0, 0, 1], [1, 1, 1], peak_quantile=0.0)
    with pytest.raises(ValueError, match="constant"):
        pearson_r([1, 1, 1], [1, 2, 3])
    with pytest.raises(ValueError, match="constant"):
        explained_variance([1, 1, 1], [1, 2, 3])
    with pytest.raises(ValueError, match="peak_quantile"):
        peak_mape([1, 2], [1, 2], peak_quantile=1.0)


def test_scorers_sign():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 2))
    y = 50 + X @ [3.0, -2.0] + rng.normal(scale=0.5, size=40)
    model = LinearRegression().fit(X, y)
    pred = model.predict(X)
    assert mape_scorer(model, X, y) == pytest.approx(-mean_absolute_percentage_error(y, pred))
    assert peak_mape_scorer(model, X, y) == pytest.approx(-peak_mape(y, pred))
    assert evs_scorer(model, X, y) == pytest.approx(explained_variance(y, pred))
    assert pearson_r_scorer(model, X, y) == pytest.approx(pearson_r(y, pred))
    report = regression_report(y, pred)
    assert report["MAPE"] == pytest.approx(mean_absolute_percentage_error(y, pred))
