import numpy as np
import pytest
from sklearn.linear_model import LinearRegression

from sklearn_hydro.conformal import ConformalRegressor, conformal_quantile
from sklearn_hydro.metrics import interval_coverage, interval_score, interval_width


def _data(n, seed, sigma=2.0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, X @ [1.0, -2.0, 0.5] + 10.0 + sigma * rng.normal(size=n)


@pytest.mark.parametrize("coverage", [0.8, 0.9])
@pytest.mark.parametrize("symmetric", [True, False])
def test_coverage_with_known_gaussian_noise(coverage, symmetric):
    X, y = _data(6000, 0)
    model = ConformalRegressor(LinearRegression(), coverage=coverage, calibration_size=1000,
                               symmetric=symmetric).fit(X[:2000], y[:2000])
    low, high = model.predict_interval(X[2000:]).T
    got = interval_coverage(y[2000:], low, high)
    assert abs(got - coverage) < 0.03
    # the width is close to the true central interval of N(0, 2): 2 * z * sigma
    z = {0.8: 1.2816, 0.9: 1.6449}[coverage]
    assert interval_width(y[2000:], low, high) == pytest.approx(2 * z * 2.0, rel=0.1)


def test_other_coverage_at_predict_and_monotone_width():
    X, y = _data(1000, 1)
    model = ConformalRegressor(LinearRegression()).fit(X, y)
    w = [np.diff(model.predict_interval(X[:5], coverage=c), axis=1).mean() for c in (0.5, 0.9)]
    assert w[0] < w[1]
    np.testing.assert_allclose(model.predict_interval(X[:5]).mean(axis=1), model.predict(X[:5]))
    with pytest.raises(ValueError, match="coverage"):
        model.predict_interval(X[:5], coverage=1.5)


def test_weighted_and_update_follow_a_drifting_error_level():
    X, y = _data(800, 2, sigma=1.0)
    split = ConformalRegressor(LinearRegression(), calibration_size=300).fit(X[:600], y[:600])
    weighted = ConformalRegressor(LinearRegression(), calibration_size=300, method="weighted",
                                  half_life=20).fit(X[:600], y[:600])
    # the noise triples after the training period; both learn it from the new errors
    rng = np.random.default_rng(3)
    X_new = rng.normal(size=(200, 3))
    y_new = X_new @ [1.0, -2.0, 0.5] + 10.0 + 3.0 * rng.normal(size=200)
    before = np.diff(weighted.predict_interval(X_new[:1]))[0, 0]
    split.update(X_new[:100], y_new[:100])
    weighted.update(X_new[:100], y_new[:100])
    assert np.diff(weighted.predict_interval(X_new[:1]))[0, 0] > 2 * before
    cov_w = interval_coverage(y_new[100:], *weighted.predict_interval(X_new[100:]).T)
    cov_s = interval_coverage(y_new[100:], *split.predict_interval(X_new[100:]).T)
    assert cov_w > cov_s


def test_relative_errors_scale_with_the_forecast():
    X, y = _data(600, 4, sigma=0.5)
    model = ConformalRegressor(LinearRegression(), error="relative").fit(X, y)
    bounds = model.predict_interval(X[:20])
    width, pred = bounds[:, 1] - bounds[:, 0], model.predict(X[:20])
    np.testing.assert_allclose(width / np.abs(pred), width[0] / abs(pred[0]))


def test_too_few_rows_and_infinite_quantile():
    with pytest.raises(ValueError, match="too few to calibrate"):
        ConformalRegressor(LinearRegression(), calibration_size=5, gap=3).fit(
            np.ones((8, 1)), np.ones(8))
    assert conformal_quantile([1.0, 2.0], 0.9) == np.inf
    # weighted quantile with equal weights equals the unweighted one
    s = np.arange(1.0, 20.0)
    assert conformal_quantile(s, 0.8, np.ones_like(s)) == conformal_quantile(s, 0.8)


def test_interval_metrics_validate():
    assert interval_score([1.0], [0.0], [2.0]) == 2.0
    assert interval_score([3.0], [0.0], [2.0], alpha=0.1) == pytest.approx(2.0 + 20.0)
    with pytest.raises(ValueError, match="lower > upper"):
        interval_coverage([1.0], [2.0], [0.0])
    with pytest.raises(ValueError, match="different lengths"):
        interval_width([1.0, 2.0], [0.0], [1.0])
    with pytest.raises(ValueError, match="NaN"):
        interval_coverage([np.nan], [0.0], [1.0])


def test_adaptive_conformal_inference_restores_coverage_after_drift():
    """The noise triples after calibration: ACI updates bring coverage back near 90 %."""
    X, y = _data(600, 6, sigma=1.0)
    rng = np.random.default_rng(7)
    X_new = rng.normal(size=(600, 3))
    y_new = X_new @ [1.0, -2.0, 0.5] + 10.0 + 3.0 * rng.normal(size=600)
    covered = {}
    for rate in (0.0, 0.05):
        model = ConformalRegressor(LinearRegression(), calibration_size=200,
                                   adapt_rate=rate).fit(X, y)
        hits = []
        for t in range(len(y_new)):
            low, high = model.predict_interval(X_new[t:t + 1])[0]
            hits.append(low <= y_new[t] <= high)
            model.update(X_new[t:t + 1], y_new[t:t + 1])
        covered[rate] = np.mean(hits)
        assert np.isfinite(model.predict_interval(X_new[:1])).all()
    assert abs(covered[0.05] - 0.9) < 0.03
    assert covered[0.0] < covered[0.05] - 0.03


def test_backtest_with_updates_equals_a_manual_online_loop():
    from sklearn_hydro.model_selection import backtest

    X, y = _data(300, 8)
    model = ConformalRegressor(LinearRegression(), calibration_size=50, adapt_rate=0.05)
    result = backtest(model, X, y, initial_train_size=200, step=1, refit=False, interval=0.9,
                      update=True)
    manual = ConformalRegressor(LinearRegression(), calibration_size=50,
                                adapt_rate=0.05).fit(X[:200], y[:200])
    bounds = []
    for t in range(200, 300):
        bounds.append(manual.predict_interval(X[t:t + 1])[0])
        manual.update(X[t:t + 1], y[t:t + 1])
    np.testing.assert_allclose(result.predictions[["lower", "upper"]], np.array(bounds))


def test_several_outputs_are_calibrated_each_on_its_own_errors():
    from sklearn.linear_model import Ridge

    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    Y = np.column_stack([X @ [1.0, 0, 0], X @ [0, 2.0, 0], X @ [0, 0, 3.0]])
    Y += rng.normal(size=Y.shape) * [0.1, 1.0, 3.0]  # errors of three sizes
    params = {"coverage": 0.8, "method": "weighted", "symmetric": False, "adapt_rate": 0.05,
              "gap": 2}
    joint = ConformalRegressor(Ridge(), **params).fit(X[:200], Y[:200])
    bounds = joint.predict_interval(X[200:210])
    assert bounds.shape == (10, 3, 2)
    joint.update(X[200:250], Y[200:250])
    for j in range(3):  # Ridge fits each output on its own: the same as one model each
        alone = ConformalRegressor(Ridge(), **params).fit(X[:200], Y[:200, j])
        np.testing.assert_allclose(bounds[:, j], alone.predict_interval(X[200:210]))
        alone.update(X[200:250], Y[200:250, j])
        np.testing.assert_allclose(joint.predict_interval(X[250:])[:, j],
                                   alone.predict_interval(X[250:]))
    widths = np.diff(bounds, axis=-1)[..., 0].mean(axis=0)
    assert widths[0] < widths[1] < widths[2]
