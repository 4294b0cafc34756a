import numpy as np
import pytest
from sklearn.svm import SVR

from sklearn_hydro import RowLevelRegressor


def _windows(level_shift=0.0, n=300, length=7, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n + length)
    series = 100 + 8 * np.sin(2 * np.pi * t / 7) + rng.normal(scale=0.3, size=t.size)
    series = series + level_shift
    X = np.lib.stride_tricks.sliding_window_view(series, length)[:n]
    return X, series[length:]


def test_follows_a_level_shift_that_a_kernel_model_cannot():
    X, y = _windows()
    Xs, ys = _windows(level_shift=50.0, seed=1)
    plain = SVR(C=100.0, gamma="scale").fit(X, y)
    anchored = RowLevelRegressor(SVR(C=100.0, gamma="scale"), n_lags=7).fit(X, y)
    err_plain = np.mean(np.abs(plain.predict(Xs) - ys))
    err_anchored = np.mean(np.abs(anchored.predict(Xs) - ys))
    assert err_anchored < 1.5
    assert err_plain > 10 * err_anchored


def test_prediction_is_level_plus_wrapped_forecast():
    X, y = _windows()
    model = RowLevelRegressor(n_lags=3).fit(X, y)
    level = X[:, :3].mean(axis=1)
    Xc = X.copy()
    Xc[:, :3] -= level[:, None]
    np.testing.assert_allclose(model.predict(X), model.regressor_.predict(Xc) + level)
    assert not np.shares_memory(Xc, X)


def test_rows_are_independent():
    X, y = _windows()
    model = RowLevelRegressor(n_lags=7).fit(X, y)
    full = model.predict(X)
    np.testing.assert_allclose(model.predict(X[50:60]), full[50:60])


def test_too_many_lags():
    X, y = _windows()
    with pytest.raises(ValueError, match="n_lags=9 but X has only 7"):
        RowLevelRegressor(n_lags=9).fit(X, y)


def test_several_outputs_share_the_row_level():
    from sklearn.linear_model import Ridge

    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 4)) + 50.0
    level = X[:, :2].mean(axis=1)
    Y = np.column_stack([level + X[:, 2], level - X[:, 3]])
    model = RowLevelRegressor(Ridge(alpha=1e-6), n_lags=2).fit(X, Y)
    assert model.predict(X).shape == (120, 2)
    np.testing.assert_allclose(model.predict(X), Y, atol=1e-3)
    one = RowLevelRegressor(Ridge(alpha=1e-6), n_lags=2).fit(X, Y[:, 0])
    np.testing.assert_allclose(model.predict(X)[:, 0], one.predict(X))
    assert model.__sklearn_tags__().target_tags.multi_output
