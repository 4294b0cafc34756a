"""Every neural estimator on CUDA, compared with the CPU (skipped without a CUDA device)."""

import warnings

import numpy as np
import pytest
import torch
from sklearn.base import clone

from sklearn_hydro import DualLSTMRegressor, GANSampler

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")

GAN = dict(latent_dim=4, generator_hidden=(16,), discriminator_hidden=(16,), batch_size=32,
           max_epochs=3, scoring="mmd", random_state=0)


def sine_windows(n_rows=160, length=6):
    rng = np.random.default_rng(0)
    signal = 10 + 3 * np.sin(np.arange(n_rows + length) * 2 * np.pi / 12)
    lags = np.lib.stride_tricks.sliding_window_view(signal, length)[:n_rows]
    static = rng.standard_normal((n_rows, 2))
    X = np.hstack([lags, lags - lags.mean(axis=1, keepdims=True), static])
    return X, signal[length:] + 0.5 * static[:, 0]


@pytest.mark.parametrize("params", [
    {},
    {"conditional": True},
    {"architecture": "conv", "image_shape": (4, 4), "conv_channels": (4, 8),
     "discriminator_hidden": ()},
], ids=["mlp", "conditional", "conv"])
def test_gan_sampler_on_cuda_matches_its_cpu_copy(tmp_path, params):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 16))
    y = np.arange(200) % 3
    sampler = GANSampler(**{**GAN, **params, "device": "cuda"}).fit(X, y)
    networks = [sampler.generator_, sampler.discriminator_, sampler.net_.module_]
    assert all(p.is_cuda for module in networks for p in module.parameters())
    rows = sampler.sample(64)
    assert np.isfinite(rows).all() and rows.shape == (64, 16)
    assert sampler.score(X, y) <= 0.0
    # the noise is drawn on the CPU: the same weights on the CPU give the same rows
    sampler.save(tmp_path / "gan.pt")
    on_cpu = GANSampler.load(tmp_path / "gan.pt", device="cpu")
    np.testing.assert_allclose(on_cpu.sample(64), rows, rtol=1e-4, atol=1e-4)
    # and training continues on CUDA after a load
    GANSampler.load(tmp_path / "gan.pt").set_params(warm_start=True, max_epochs=1).fit(X, y)


def test_dual_lstm_regressor_on_cuda_matches_the_cpu():
    X, y = sine_windows()
    cpu = DualLSTMRegressor(sequence_length=6, hidden_size=8, max_epochs=5, batch_size=16,
                            early_stopping=False, random_state=0).fit(X, y)
    with warnings.catch_warnings():
        # "RNN module weights are not part of single contiguous chunk of memory"
        warnings.filterwarnings("error", message=".*contiguous.*")
        gpu = clone(cpu).set_params(device="cuda").fit(X, y)
        predictions = gpu.predict(X)
    np.testing.assert_allclose(predictions, cpu.predict(X), rtol=1e-3)
