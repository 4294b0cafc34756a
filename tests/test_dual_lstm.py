"""Tests of DualLSTMRegressor and its skorch glue (tiny, seeded networks)."""

import pickle

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import NotFittedError
from sklearn.metrics import r2_score
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from skorch.dataset import Dataset

try:
    from sklearn_hydro.neural import DualLSTMRegressor
except ImportError:  # the package __init__ is written by the lead
    from sklearn_hydro.neural._regressor import DualLSTMRegressor
from sklearn_hydro.neural._modules import DualRecurrentNet
from sklearn_hydro.neural._net import RegressorNet
from sklearn_hydro.utils import (
    FiniteLossCheck,
    TailSplit,
    TensorBatchIterator,
    limit_threads,
    tail_split_indices,
    torch_seed,
)

LENGTH = 6  # lags per branch
TINY = dict(hidden_size=4, max_epochs=3, batch_size=16, early_stopping=False, random_state=0)


def sine_windows(n_rows=160, length=LENGTH, n_static=2, noise=0.1, seed=0):
    """Rows [signal lags][residual lags][static]; y = next signal value + static effect."""
    rng = np.random.default_rng(seed)
    total = n_rows + length
    signal = 10 + 3 * np.sin(np.arange(total) * 2 * np.pi / 12)
    residual = noise * rng.standard_normal(total)
    static = rng.standard_normal((n_rows, n_static))
    lags = np.lib.stride_tricks.sliding_window_view(signal, length)[:n_rows]
    res_lags = np.lib.stride_tricks.sliding_window_view(residual, length)[:n_rows]
    X = np.hstack([lags, res_lags, static])
    y = signal[length:] + residual[length:] + 0.5 * static[:, 0]
    return X, y


@pytest.fixture(scope="module")
def data():
    return sine_windows()


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    return DualLSTMRegressor(sequence_length=LENGTH, **TINY).fit(X, y)


# ---------------------------------------------------------------- layout and input checks


def test_odd_width_with_default_layout_is_an_error(data):
    X, y = data
    with pytest.raises(ValueError, match=r"X has 5 feature\(s\).*sequence_length"):
        DualLSTMRegressor(**TINY).fit(X[:, :5], y)


def test_too_few_columns_for_the_layout_is_an_error(data):
    X, y = data
    with pytest.raises(ValueError, match=r"X has 7 feature\(s\).*need at least 12"):
        DualLSTMRegressor(sequence_length=LENGTH, **TINY).fit(X[:, :7], y)
    with pytest.raises(ValueError, match=r"need at least 7"):
        DualLSTMRegressor(n_branches=1, sequence_length=7, **TINY).fit(X[:, :6], y)


def test_layout_is_recorded(data, fitted):
    X, y = data
    assert (fitted.sequence_length_, fitted.n_static_) == (LENGTH, 2)
    halves = DualLSTMRegressor(**TINY).fit(X[:, :12], y)
    assert (halves.sequence_length_, halves.n_static_) == (6, 0)
    single = DualLSTMRegressor(n_branches=1, **TINY).fit(X[:, :5], y)
    assert (single.sequence_length_, single.n_static_) == (5, 0)


def test_predict_checks_the_number_of_features(data, fitted):
    X, _ = data
    with pytest.raises(ValueError, match="14 features"):
        fitted.predict(X[:, :-1])


def test_bad_parameters_are_rejected(data):
    X, y = data
    with pytest.raises(ValueError, match="n_branches"):
        DualLSTMRegressor(n_branches=3).fit(X, y)
    with pytest.raises(ValueError, match="cell"):
        DualLSTMRegressor(cell="transformer").fit(X, y)
    with pytest.raises(ValueError, match="validation_fraction"):
        DualLSTMRegressor(validation_fraction=1.0).fit(X, y)


def test_bad_device_is_a_clear_error(data):
    X, y = data
    with pytest.raises(ValueError, match="not a torch device"):
        DualLSTMRegressor(device="abacus", **TINY).fit(X, y)
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA is not available"):
            DualLSTMRegressor(device="cuda", **TINY).fit(X, y)


def test_infinite_target_is_a_validation_error(data):
    X, y = data
    y = y.copy()
    y[3] = np.inf
    with pytest.raises(ValueError, match="[Ii]nf"):
        DualLSTMRegressor(**TINY).fit(X, y)


def test_validation_fraction_must_leave_training_rows(data):
    X, y = data
    with pytest.raises(ValueError, match="n_samples=1"):
        DualLSTMRegressor(**{**TINY, "early_stopping": True, "validation_fraction": 0.5}).fit(
            X[:1], y[:1]
        )


# ---------------------------------------------------------------- shapes and dtypes


def test_one_dimensional_target_and_predictions(data, fitted):
    X, y = data
    prediction = fitted.predict(X)
    assert prediction.shape == (len(X),)
    assert prediction.dtype == np.float64
    assert np.all(np.isfinite(prediction))
    # a column target is a one-output multi-output target: predictions keep its shape
    column = DualLSTMRegressor(sequence_length=LENGTH, **TINY).fit(X, y.reshape(-1, 1))
    np.testing.assert_allclose(column.predict(X)[:, 0], prediction, rtol=1e-5, atol=1e-6)


def test_several_horizons_give_one_output_each(data):
    X, y = data
    Y = np.column_stack([y, 2 * y + 1])
    model = DualLSTMRegressor(sequence_length=LENGTH, **TINY).fit(X, Y)
    assert model.n_outputs_ == 2
    prediction = model.predict(X)
    assert prediction.shape == (len(X), 2)
    assert np.all(np.isfinite(prediction))


def test_float32_input_matches_float64(data, fitted):
    X, y = data
    model = DualLSTMRegressor(sequence_length=LENGTH, **TINY)
    model.fit(X.astype(np.float32), y.astype(np.float32))
    prediction = model.predict(X.astype(np.float32))
    assert prediction.dtype == np.float64
    np.testing.assert_allclose(prediction, fitted.predict(X), rtol=1e-4)


def test_loss_shape_mismatch_is_refused():
    net = RegressorNet(
        DualRecurrentNet,
        module__sequence_length=2,
        max_epochs=1,
        train_split=None,
        callbacks__print_log=None,
    )
    X = np.zeros((8, 4), dtype=np.float32)
    with pytest.raises(ValueError, match="must match"):
        net.fit(X, np.zeros(8, dtype=np.float32))


@pytest.mark.parametrize("n_branches", [1, 2])
@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_branches_and_cells_give_finite_predictions(data, n_branches, cell):
    X, y = data
    if n_branches == 1:
        X = np.hstack([X[:, :LENGTH], X[:, 2 * LENGTH :]])
    model = DualLSTMRegressor(n_branches=n_branches, cell=cell, sequence_length=LENGTH, **TINY)
    prediction = model.fit(X, y).predict(X)
    assert prediction.shape == y.shape
    assert np.all(np.isfinite(prediction))
    assert len(model.net_.module_.branches) == n_branches


def test_every_block_of_columns_is_read(data, fitted):
    X, _ = data
    base = fitted.predict(X[:5])
    for block in (slice(0, LENGTH), slice(LENGTH, 2 * LENGTH), slice(2 * LENGTH, None)):
        moved = X[:5].copy()
        moved[:, block] += 1.0
        assert not np.allclose(fitted.predict(moved), base), block


def test_a_row_prediction_depends_on_that_row_only(data, fitted):
    X, _ = data
    first = fitted.predict(X[:5])
    others = X.copy()
    others[5:] = others[5:] * -3 + 7
    # Not bit-exact: a batch of 5 and a batch of 160 may take different float32 kernels
    # (8.6e-08 apart on an AVX2 machine); a leak would move the predictions by far more.
    np.testing.assert_allclose(fitted.predict(others)[:5], first, rtol=1e-5)


# ---------------------------------------------------------------- randomness and persistence


def test_same_random_state_gives_identical_fits(data, fitted):
    X, y = data
    state = torch.get_rng_state()
    again = clone(fitted).fit(X, y)
    assert torch.equal(torch.get_rng_state(), state), "the global torch RNG was changed"
    np.testing.assert_array_equal(again.predict(X), fitted.predict(X))
    np.testing.assert_array_equal(again.loss_curve_, fitted.loss_curve_)


def test_different_random_states_differ(data, fitted):
    X, y = data
    other = clone(fitted).set_params(random_state=1).fit(X, y)
    assert not np.allclose(other.predict(X), fitted.predict(X))


def test_pickle_round_trip_predicts_identically(data, fitted):
    X, _ = data
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.predict(X), fitted.predict(X))


def test_torch_seed_restores_global_state():
    state = torch.get_rng_state()
    with torch_seed(123):
        first = torch.rand(3)
    with torch_seed(123):
        second = torch.rand(3)
    assert torch.equal(first, second)
    assert torch.equal(torch.get_rng_state(), state)


def test_batch_iterator_shuffles_reproducibly_and_covers_all_rows():
    dataset = Dataset(np.arange(10, dtype=np.float32)[:, None], np.arange(10.0)[:, None])
    epochs = [
        [b[0][:, 0].tolist() for b in TensorBatchIterator(dataset, 4, shuffle=True, seed=3)]
        for _ in range(2)
    ]
    assert epochs[0] == epochs[1]
    assert [len(b) for b in epochs[0]] == [4, 4, 2]
    assert sorted(sum(epochs[0], [])) == list(range(10))
    assert sum(epochs[0], []) != list(range(10))
    ordered = [b[1][:, 0].tolist() for b in TensorBatchIterator(dataset, 4)]
    assert sum(ordered, []) == list(range(10))


@pytest.mark.parametrize("shuffle", [False, True])
def test_batch_iterator_can_skip_a_last_single_row_batch(shuffle):
    dataset = Dataset(np.arange(9, dtype=np.float32)[:, None], None)
    kept = TensorBatchIterator(dataset, 4, shuffle=shuffle, seed=0)
    skipped = TensorBatchIterator(dataset, 4, shuffle=shuffle, seed=0, skip_single=True)
    assert [len(b[0]) for b in kept] == [4, 4, 1] and len(kept) == 3
    assert [len(b[0]) for b in skipped] == [4, 4] and len(skipped) == 2


# ---------------------------------------------------------------- training behaviour


def test_diverging_fit_raises(data):
    X, y = data
    for learning_rate in (1e6, 1e20):  # a huge but finite loss, then an infinite one
        model = DualLSTMRegressor(learning_rate=learning_rate, **TINY)
        with pytest.raises(FloatingPointError, match="diverged.*lower learning_rate"):
            model.fit(X, y)
        with pytest.raises(NotFittedError):
            model.predict(X)


def test_finite_loss_check_accepts_normal_losses():
    class Net:
        history = [{"epoch": 1, "train_loss": 0.5, "valid_loss": 0.7, "dur": 0.1}]

    FiniteLossCheck(max_loss=1.0).on_epoch_end(Net())
    with pytest.raises(FloatingPointError, match="valid_loss is nan"):
        Net.history[-1]["valid_loss"] = float("nan")
        FiniteLossCheck().on_epoch_end(Net())


def test_tail_split_indices():
    assert tail_split_indices(10, 0.2) == (slice(0, 8), slice(8, 10))
    assert tail_split_indices(5, 0.5) == (slice(0, 2), slice(2, 5))
    assert tail_split_indices(7, 0) == (slice(0, 7), slice(7, 7))
    assert tail_split_indices(10, 3) == (slice(0, 7), slice(7, 10))  # a count of rows
    assert tail_split_indices(10, 0.2, gap=2) == (slice(0, 6), slice(8, 10))
    with pytest.raises(ValueError, match="no training rows"):
        tail_split_indices(1, 0.2)
    with pytest.raises(ValueError, match="no training rows"):
        tail_split_indices(5, 3, gap=2)


def test_tail_split_holds_out_the_last_rows():
    X = np.arange(20, dtype=np.float32).reshape(10, 2)
    y = np.arange(10, dtype=np.float32)
    train, valid = TailSplit(0.3)(Dataset(X, y))
    np.testing.assert_array_equal(train.y, y[:7])
    np.testing.assert_array_equal(valid.X, X[7:])


def test_early_stopping_on_the_tail_restores_the_best_epoch():
    X, y = sine_windows(n_rows=200, noise=0.3)
    model = DualLSTMRegressor(
        sequence_length=LENGTH,
        hidden_size=8,
        learning_rate=2e-2,
        max_epochs=200,
        n_iter_no_change=3,
        validation_fraction=0.25,
        random_state=0,
    ).fit(X, y)
    valid = np.asarray(model.history_[:, "valid_loss"])
    assert model.n_iter_ < 200
    assert model.n_iter_ == len(model.loss_curve_) == len(valid)
    assert model.best_epoch_ == np.argmin(valid) + 1 < model.n_iter_
    # The weights kept give, on the last quarter of the rows, the best validation loss.
    tail = slice(150, 200)
    scaled_error = (model.predict(X[tail]) - y[tail]) / model.y_scale_
    np.testing.assert_allclose(np.mean(scaled_error**2), valid.min(), rtol=1e-4)
    assert not np.isclose(valid[-1], valid.min(), rtol=1e-4)


def test_learns_a_noisy_sine():
    X, y = sine_windows(n_rows=300, noise=0.2)
    model = DualLSTMRegressor(
        sequence_length=LENGTH,
        hidden_size=8,
        learning_rate=1e-2,
        max_epochs=15,
        early_stopping=False,
        random_state=0,
    ).fit(X[:200], y[:200])
    assert model.loss_curve_[-1] < 0.5 * model.loss_curve_[0]
    assert r2_score(y[200:], model.predict(X[200:])) > 0.8


def test_verbose_prints_the_epoch_table(data, capsys):
    X, y = data
    DualLSTMRegressor(sequence_length=LENGTH, **TINY).fit(X, y)
    assert capsys.readouterr().out == ""
    DualLSTMRegressor(sequence_length=LENGTH, **{**TINY, "verbose": 1}).fit(X, y)
    assert "train_loss" in capsys.readouterr().out


# ---------------------------------------------------------------- scikit-learn integration


def test_grid_search_over_a_pipeline_with_time_series_split(data):
    X, y = data
    pipe = Pipeline(
        [("scale", StandardScaler()), ("dual", DualLSTMRegressor(sequence_length=LENGTH, **TINY))]
    )
    search = GridSearchCV(
        pipe,
        {"dual__hidden_size": [2, 4], "dual__cell": ["gru"]},
        cv=TimeSeriesSplit(n_splits=2),
        error_score="raise",
    ).fit(X, y)
    assert search.best_params_["dual__hidden_size"] in (2, 4)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert search.best_estimator_.named_steps["dual"].cell == "gru"


def test_pandas_output_of_a_column_transformer(data):
    X, y = data
    names = (
        [f"demand_lag{k}_denoised" for k in range(LENGTH, 0, -1)]
        + [f"demand_lag{k}_residual" for k in range(LENGTH, 0, -1)]
        + ["temp", "rain"]
    )
    frame = pd.DataFrame(X, columns=names)
    lags = names[: 2 * LENGTH]
    columns = ColumnTransformer(
        [("lags", "passthrough", lags), ("static", StandardScaler(), ["temp", "rain"])],
        verbose_feature_names_out=False,
    )
    pipe = Pipeline(
        [("columns", columns), ("dual", DualLSTMRegressor(sequence_length=LENGTH, **TINY))]
    ).set_output(transform="pandas")
    prediction = pipe.fit(frame, y).predict(frame)
    model = pipe.named_steps["dual"]
    assert list(model.feature_names_in_) == names
    assert model.n_static_ == 2
    # named statics are read in name order (rain, temp), whatever their order in X
    static = StandardScaler().fit_transform(X[:, 2 * LENGTH :])[:, ::-1]
    plain = np.hstack([X[:, : 2 * LENGTH], static])
    reference = DualLSTMRegressor(sequence_length=LENGTH, **TINY).fit(plain, y)
    np.testing.assert_allclose(prediction, reference.predict(plain), rtol=1e-5, atol=1e-6)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_fit_and_predict(data):
    X, y = data
    model = DualLSTMRegressor(sequence_length=LENGTH, device="cuda", **TINY).fit(X, y)
    prediction = model.predict(X)
    assert prediction.shape == y.shape and np.all(np.isfinite(prediction))
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_allclose(restored.predict(X), prediction, rtol=1e-5)


def test_row_level_follows_a_level_shift_unseen_in_training():
    """level="row" forecasts deviations from each row's own recent level, so a level shift
    after training does not bias its forecasts; level="global" cannot follow it."""
    rng = np.random.default_rng(0)
    n, length = 200, 8  # errors below: row 0.45, global 59 (as with 400 rows, 30 epochs)
    t = np.arange(n + length)
    series = 100 + 5 * np.sin(2 * np.pi * t / 7) + rng.normal(scale=0.5, size=t.size)
    X = np.lib.stride_tricks.sliding_window_view(series, length)[:n]
    y = series[length:]
    shifted_X, shifted_y = X + 60.0, y + 60.0  # the same dynamics at a level never seen
    errors = {}
    for level in ("row", "global"):
        model = DualLSTMRegressor(n_branches=1, hidden_size=8, max_epochs=20, level=level,
                                  early_stopping=False, random_state=0).fit(X, y)
        errors[level] = np.mean(np.abs(model.predict(shifted_X) - shifted_y))
    assert errors["row"] < 2.0
    assert errors["global"] > 3 * errors["row"]


def test_thread_setting_applies_inside_fit_and_restores_the_callers(data, monkeypatch):
    X, y = data
    seen = []
    original = torch.set_num_threads
    monkeypatch.setattr(torch, "set_num_threads", lambda n: (seen.append(n), original(n)))
    before = torch.get_num_threads()
    original(2)
    try:
        model = DualLSTMRegressor(**{**TINY, "n_threads": 1}).fit(X, y)
        assert torch.get_num_threads() == 2
        model.predict(X)
        assert torch.get_num_threads() == 2
        assert seen.count(1) == 2  # once in fit, once in predict
    finally:
        original(before)


def test_openmp_and_blas_pools_are_limited_inside_and_looked_up_again_after_imports(
        monkeypatch):
    import sys
    import types

    import threadpoolctl

    from sklearn_hydro.utils import _torch as _training

    def pools():
        return {p["filepath"]: p["num_threads"] for p in threadpoolctl.threadpool_info()}

    looked_up = []
    real = threadpoolctl.ThreadpoolController
    with threadpoolctl.threadpool_limits(limits=2):
        with limit_threads(1):
            inside = pools()
        outside = pools()
        monkeypatch.setattr(threadpoolctl, "ThreadpoolController",
                            lambda: looked_up.append(1) or real())
        with limit_threads(1):
            pass
        reused = not looked_up
        monkeypatch.setitem(sys.modules, "_a_new_module", types.ModuleType("_a_new_module"))
        with limit_threads(1):
            pass
    assert inside and set(inside.values()) == {1}
    assert set(outside.values()) == {2}
    # the second block reused the libraries found by the first; an import makes a new look-up
    assert reused and len(looked_up) == 1
    assert _training._threadpools() is _training._threadpools()


def test_each_horizon_reads_its_own_known_ahead_columns():
    from sklearn_hydro.neural._layout import layout_from_names

    names = ["demand_lag2", "demand_lag1", "temp_h2", "temp_h1", "holiday_h1", "holiday_h2",
             "fixed", "rain_h1"]  # rain only for horizon 1: a shared static
    layout = layout_from_names(names, 1, n_outputs=2)
    assert (layout.n_static, layout.n_horizon_static) == (2, 2)
    ordered = [names[i] for i in layout.order]
    assert ordered == ["demand_lag2", "demand_lag1", "fixed", "rain_h1",
                       "holiday_h1", "temp_h1", "holiday_h2", "temp_h2"]
    # one output, or horizon_features="all": every column is a static of every output
    assert layout_from_names(names, 1).n_horizon_static == 0
    assert layout_from_names(names, 1, n_outputs=1).n_static == 6


def test_one_head_per_horizon_gives_every_horizon_its_output():
    import torch

    from sklearn_hydro.neural import DualRecurrentNet

    net = DualRecurrentNet(3, n_static=1, n_branches=1, hidden_size=4, n_outputs=5,
                           n_horizon_static=2, head_size=8)
    X = torch.randn(6, 3 + 1 + 5 * 2)
    out = net(X)
    assert out.shape == (6, 5)
    X2 = X.clone()
    X2[:, 4 + 2 * 3:4 + 2 * 4] += 1.0  # horizon 4's own features move only its output
    moved = (net(X2) - out).abs().max(dim=0).values > 0
    assert moved.tolist() == [False, False, False, True, False]


def test_ctrl_c_stops_fit_instead_of_returning_a_cut_short_model(monkeypatch):
    import os
    import signal

    from sklearn_hydro import make_windows
    from sklearn_hydro.datasets import make_synthetic_demand
    from sklearn_hydro.utils import TensorBatchIterator

    X, y = make_windows(make_synthetic_demand(n_days=120, random_state=0,
                                              missing_fraction=0)[["demand"]], "demand", 7)
    calls = {"n": 0}
    original = TensorBatchIterator.__iter__

    def interrupted(self):
        calls["n"] += 1
        if calls["n"] == 3:  # the user presses Ctrl-C during the second epoch
            os.kill(os.getpid(), signal.SIGINT)
        return original(self)

    monkeypatch.setattr(TensorBatchIterator, "__iter__", interrupted)
    model = DualLSTMRegressor(n_branches=1, hidden_size=4, max_epochs=50, random_state=0)
    before = signal.getsignal(signal.SIGINT)  # SIG_IGN under nohup or a background job
    with pytest.raises(KeyboardInterrupt):
        model.fit(X, y)
    assert not hasattr(model, "net_")  # nothing fitted is left behind
    assert signal.getsignal(signal.SIGINT) is before  # the caller's handler restored


def test_a_warm_refit_continues_from_the_previous_weights():
    from sklearn_hydro import make_windows
    from sklearn_hydro.datasets import make_synthetic_demand

    frame = make_synthetic_demand(n_days=260, random_state=0, missing_fraction=0)[["demand"]]
    X, y = make_windows(frame, "demand", 7)
    old, new = slice(0, 200), slice(0, 240)

    def weights(model):
        return torch.cat([p.detach().flatten() for p in model.net_.module_.parameters()])

    params = dict(n_branches=1, hidden_size=8, max_epochs=40, n_iter_no_change=5,
                  random_state=0)
    first = DualLSTMRegressor(**params).fit(X[old], y[old])
    before = weights(first).clone()
    warm = DualLSTMRegressor(**params, warm_start=True).fit(X[old], y[old])
    warm.fit(X[new], y[new])  # a refit on a longer history
    cold = DualLSTMRegressor(**params).fit(X[new], y[new])
    # the warm refit moved the weights less than a fresh training on the same rows does
    assert (weights(warm) - before).norm() < (weights(cold) - before).norm()
    assert warm.n_iter_ <= cold.n_iter_
