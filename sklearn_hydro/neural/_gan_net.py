"""The skorch side of GANSampler: a two-module, two-optimizer NeuralNet and its callbacks.

:class:`_GANNet` is a :class:`skorch.NeuralNet` whose ``module_`` is the generator and whose
``discriminator_`` is registered as a second module with its own optimizer; ``train_step``
does one discriminator update and one generator update per batch. The callbacks add a time
limit, a diversity (collapse) probe and early stopping on the sampler's quality score.
"""

import copy
import os
import time
from contextlib import contextmanager

import numpy as np
import torch
from skorch import NeuralNet
from skorch.callbacks import Callback, EpochTimer, PassthroughScoring
from skorch.utils import to_tensor
from torch import nn

_PROBE_SIZE = 256

# ----------------------------------------------------------------------------- small helpers


@contextmanager
def _torch_threads(n_jobs):
    """Run a block with ``torch.set_num_threads(n_jobs)`` (None: leave as is), then restore."""
    if n_jobs is None:
        yield
        return
    previous = torch.get_num_threads()
    n = n_jobs if n_jobs > 0 else max(1, (os.cpu_count() or 1) + 1 + n_jobs)
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


class _TimeLimit(Callback):
    """Stop training (skorch's KeyboardInterrupt convention) once ``max_time`` s have passed."""

    def __init__(self, max_time=None):
        self.max_time = max_time

    def on_train_begin(self, net, **kwargs):
        self.start_ = time.perf_counter()

    def on_epoch_end(self, net, **kwargs):
        if self.max_time is not None and time.perf_counter() - self.start_ >= self.max_time:
            raise KeyboardInterrupt


class _Diversity(Callback):
    """Record ``diversity``: spread of generated rows relative to the training rows.

    Every epoch the generator (in eval mode) maps a fixed probe of noise to rows; the value is
    the mean, over the non-constant columns, of ``std(generated) / std(training rows)`` (in
    the scaled space). About 1 for a healthy generator, near 0 for a collapsed one.
    """

    def __init__(self, seed=0, n_probe=_PROBE_SIZE):
        self.seed = seed
        self.n_probe = n_probe

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        std = np.asarray(X).std(axis=0)
        self.columns_ = np.flatnonzero(std > 0)
        self.std_ = std[self.columns_]
        generator = torch.Generator().manual_seed(self.seed)
        self.z_ = torch.randn(self.n_probe, net.latent_dim, generator=generator)
        self.codes_ = torch.arange(self.n_probe) % max(net.n_classes, 1)

    def on_epoch_end(self, net, **kwargs):
        net.history.record("diversity", _diversity(net, self.z_, self.codes_, self))


def _diversity(net, z, codes, probe):
    if len(probe.columns_) == 0:
        return 1.0
    rows = net.generate(z, codes)[:, probe.columns_]
    return float(np.mean(rows.std(axis=0) / probe.std_))


class _QualityStopping(Callback):
    """Early stopping on the sampler's quality score computed on held-out rows.

    Every ``interval`` epochs ``score_fn()`` (higher is better) is recorded as
    ``valid_score``; the weights of all networks at the best check are kept.
    After ``patience`` checks without improvement training stops, and at the end of training
    the best weights are restored.
    """

    def __init__(self, score_fn=None, interval=10, patience=5):
        self.score_fn = score_fn
        self.interval = interval
        self.patience = patience

    def on_train_begin(self, net, **kwargs):
        self.best_score_ = -np.inf
        self.best_epoch_ = None
        self.best_state_ = None
        self.misses_ = 0
        self.epochs_ = 0

    def on_epoch_end(self, net, **kwargs):
        self.epochs_ += 1
        if self.epochs_ % self.interval:
            return
        score = float(self.score_fn())
        net.history.record("valid_score", score)
        if score > self.best_score_:
            self.best_score_, self.best_epoch_, self.misses_ = score, len(net.history), 0
            self.best_state_ = {
                name: copy.deepcopy(getattr(net, name + "_").state_dict())
                for name in net._modules
            }
            return
        self.misses_ += 1
        if self.misses_ >= self.patience:
            raise KeyboardInterrupt

    def on_train_end(self, net, **kwargs):
        if self.best_state_ is not None:
            for name, state in self.best_state_.items():
                getattr(net, name + "_").load_state_dict(state)
        self.best_state_ = None
        self.score_fn = None  # drop the held-out rows it refers to


# ----------------------------------------------------------------------------- the skorch net


class _GANNet(NeuralNet):
    """skorch net for adversarial training: generator ``module_`` against ``discriminator_``.

    ``X`` holds real rows in the generator's range [-1, 1]; ``y`` holds integer class codes
    for conditional generation (or is None). Each batch does the tutorial's two updates:

    1. discriminator: ``BCE(D(x), t_real) + BCE(D(G(z)), 0)`` with one-sided label
       smoothing (``t_real ~ U[1 - label_smoothing, 1]``); with probability
       ``label_swap_prob`` the real and fake targets of the batch are swapped;
    2. generator: ``BCE(D(G(z)), 1)`` (the non-saturating loss), on the same ``G(z)``.

    Per batch it records ``g_loss``, ``d_loss``, ``d_real`` (mean ``D(x)``) and ``d_fake``
    (mean ``D(G(z))``); the default callbacks average them per epoch.
    """

    prefixes_ = NeuralNet.prefixes_ + ["discriminator", "optimizer_discriminator"]

    def __init__(
        self,
        module,
        discriminator,
        *args,
        optimizer_discriminator=torch.optim.AdamW,
        latent_dim=64,
        n_classes=0,
        label_smoothing=0.1,
        label_swap_prob=0.05,
        generator_ema=0.0,
        **kwargs,
    ):
        super().__init__(module, *args, **kwargs)
        self.discriminator = discriminator
        self.optimizer_discriminator = optimizer_discriminator
        self.latent_dim = latent_dim
        self.n_classes = n_classes
        self.label_smoothing = label_smoothing
        self.label_swap_prob = label_swap_prob
        self.generator_ema = generator_ema

    @property
    def _default_callbacks(self):
        scores = [
            (key, PassthroughScoring(key, lower_is_better=None, on_train=True))
            for key in ("g_loss", "d_loss", "d_real", "d_fake")
        ]
        return [("epoch_timer", EpochTimer()), *scores]

    def initialize_module(self):
        super().initialize_module()
        kwargs = self.get_params_for("discriminator")
        self.discriminator_ = self.initialized_instance(self.discriminator, kwargs)
        if self.generator_ema:
            self.module_ema_ = copy.deepcopy(self.module_).requires_grad_(False)
        return self

    def initialize_optimizer(self, triggered_directly=None):
        args, kwargs = self.get_params_for_optimizer("optimizer", self.module_.named_parameters())
        self.optimizer_ = self.optimizer(*args, **kwargs)
        args, kwargs = self.get_params_for_optimizer(
            "optimizer_discriminator", self.discriminator_.named_parameters()
        )
        self.optimizer_discriminator_ = self.optimizer_discriminator(*args, **kwargs)
        return self

    def _onehot(self, codes):
        if not self.n_classes:
            return None
        codes = to_tensor(codes, device=self.device)
        return nn.functional.one_hot(codes, self.n_classes).float()

    def train_step(self, batch, **fit_params):
        self._set_training(True)
        X_batch, codes = batch
        real = to_tensor(X_batch, device=self.device)
        onehot = self._onehot(codes)
        n = len(real)
        fake = self.module_(torch.randn(n, self.latent_dim, device=self.device), onehot)

        target_real = torch.empty(n, device=self.device).uniform_(1.0 - self.label_smoothing, 1.0)
        target_fake = torch.zeros(n, device=self.device)
        if self.label_swap_prob and torch.rand(()) < self.label_swap_prob:
            target_real, target_fake = target_fake, target_real

        self.optimizer_discriminator_.zero_grad()
        p_real = self.discriminator_(real, onehot)
        p_fake = self.discriminator_(fake.detach(), onehot)
        self._check_finite(p_real, p_fake)
        d_loss = self.criterion_(p_real, target_real) + self.criterion_(p_fake, target_fake)
        d_loss.backward()
        self.optimizer_discriminator_.step()

        self.optimizer_.zero_grad()
        p_gen = self.discriminator_(fake, onehot)
        self._check_finite(p_gen)
        g_loss = self.criterion_(p_gen, torch.ones_like(p_gen))
        g_loss.backward()
        self.optimizer_.step()
        if self.generator_ema:
            self._update_ema()

        record = self.history.record_batch
        record("g_loss", g_loss.item())
        record("d_loss", d_loss.item())
        record("d_real", p_real.mean().item())
        record("d_fake", p_fake.mean().item())
        return {"loss": g_loss.detach(), "y_pred": fake.detach()}

    def _update_ema(self):
        """``ema <- decay * ema + (1 - decay) * generator``; BatchNorm statistics are copied."""
        with torch.no_grad():
            weight = 1.0 - self.generator_ema
            for average, current in zip(
                self.module_ema_.parameters(), self.module_.parameters(), strict=True
            ):
                average.lerp_(current, weight)
            for average, current in zip(
                self.module_ema_.buffers(), self.module_.buffers(), strict=True
            ):
                average.copy_(current)

    def _check_finite(self, *outputs):
        """Raise a clear error instead of BCELoss's on NaN discriminator outputs."""
        if not all(bool(torch.isfinite(p).all()) for p in outputs):
            raise RuntimeError(
                f"GANSampler training diverged at epoch {len(self.history)}: the discriminator "
                "returned NaN or inf. Lower lr_generator / lr_discriminator or check the data."
            )

    def sampling_module(self):
        """The generator that samples: the weight average if ``generator_ema``, else ``module_``."""
        return self.module_ema_ if self.generator_ema else self.module_

    def generate(self, z, codes=None):
        """Generator output (numpy, scaled space) for noise ``z``, in eval mode, no grad."""
        module = self.sampling_module()
        training = module.training
        module.eval()
        with torch.no_grad():
            rows = module(to_tensor(z, device=self.device), self._onehot(codes))
        module.train(training)
        return rows.cpu().numpy().astype(np.float64)


