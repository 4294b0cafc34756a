"""The skorch net of GANSampler: a generator and a discriminator, two optimizers, one step.

:class:`GANNet` is a :class:`skorch.NeuralNet` whose ``module_`` is the generator and whose
``discriminator_`` (and, with a weight average, ``module_ema_``) are further modules that
skorch registers itself, so it moves every one of them to ``device``. ``train_step`` does one
discriminator update and one generator update per batch.
"""

import copy

import numpy as np
import pandas as pd
import torch
from skorch import NeuralNet
from skorch.callbacks import EpochTimer, PassthroughScoring
from skorch.utils import to_tensor
from torch import nn

from ..utils import InterruptibleNet

#: History keys recorded per batch and averaged per epoch.
BATCH_KEYS = ("g_loss", "d_loss", "d_real", "d_fake")


class GANNet(InterruptibleNet, NeuralNet):
    """skorch net for adversarial training: generator ``module_`` against ``discriminator_``.

    ``X`` holds real rows in the generator's range [-1, 1]; ``y`` holds integer class codes
    for conditional generation (or is None). Each batch does the tutorial's two updates, with
    the discriminator returning logits and ``criterion=BCEWithLogitsLoss``:

    1. discriminator: ``BCE(D(x), t_real) + BCE(D(G(z)), 0)`` with one-sided label
       smoothing (``t_real ~ U[1 - label_smoothing, 1]``); with probability
       ``label_swap_prob`` the real and fake targets of the batch are swapped;
    2. generator: ``BCE(D(G(z)), 1)`` (the non-saturating loss), on the same ``G(z)``.

    Per batch it records ``g_loss``, ``d_loss``, ``d_real`` and ``d_fake`` (mean probability
    that real and generated rows are real); the default callbacks average them per epoch.

    Parameters
    ----------
    module : type
        Generator class, built with the ``module__*`` parameters.
    discriminator : type
        Discriminator class.
    discriminator_kwargs : dict
        Arguments of the discriminator.
    discriminator_lr : float
        Learning rate of the discriminator's optimizer (same class and ``optimizer__*``
        arguments as the generator's).
    latent_dim, n_classes, label_smoothing, label_swap_prob, generator_ema
        See :class:`~sklearn_hydro.GANSampler`.
    """

    def __init__(
        self,
        module,
        *args,
        discriminator,
        discriminator_kwargs,
        discriminator_lr,
        latent_dim,
        n_classes=0,
        label_smoothing=0.1,
        label_swap_prob=0.05,
        generator_ema=0.0,
        **kwargs,
    ):
        super().__init__(module, *args, **kwargs)
        self.discriminator = discriminator
        self.discriminator_kwargs = discriminator_kwargs
        self.discriminator_lr = discriminator_lr
        self.latent_dim = latent_dim
        self.n_classes = n_classes
        self.label_smoothing = label_smoothing
        self.label_swap_prob = label_swap_prob
        self.generator_ema = generator_ema

    @property
    def _default_callbacks(self):
        scores = [
            (key, PassthroughScoring(key, lower_is_better=None, on_train=True))
            for key in BATCH_KEYS
        ]
        return [("epoch_timer", EpochTimer()), *scores]

    def initialize_module(self):
        # Attributes ending in "_" set here are registered by skorch as modules, and skorch
        # then moves every registered module to ``device`` (a name listed in ``prefixes_``
        # would not be registered, and would stay on the CPU).
        super().initialize_module()
        self.discriminator_ = self.discriminator(**self.discriminator_kwargs)
        if self.generator_ema:
            self.module_ema_ = copy.deepcopy(self.module_).requires_grad_(False)
        return self

    def initialize_optimizer(self, triggered_directly=None):
        args, kwargs = self.get_params_for_optimizer("optimizer", self.module_.named_parameters())
        self.optimizer_ = self.optimizer(*args, **kwargs)
        args, kwargs = self.get_params_for_optimizer(
            "optimizer", self.discriminator_.named_parameters()
        )
        kwargs["lr"] = self.discriminator_lr
        self.optimizer_discriminator_ = self.optimizer(*args, **kwargs)
        return self

    def onehot(self, codes):
        """One-hot float tensor of integer class ``codes`` on ``device`` (None if unconditional)."""
        if not self.n_classes:
            return None
        codes = to_tensor(codes, device=self.device)
        return nn.functional.one_hot(codes.long(), self.n_classes).float()

    def train_step(self, batch, **fit_params):
        self._set_training(True)
        X_batch, codes = batch
        real = to_tensor(X_batch, device=self.device)
        onehot = self.onehot(codes)
        n = len(real)
        fake = self.module_(torch.randn(n, self.latent_dim, device=self.device), onehot)

        target_real = torch.empty(n, device=self.device).uniform_(1.0 - self.label_smoothing, 1.0)
        target_fake = torch.zeros(n, device=self.device)
        if self.label_swap_prob and float(torch.rand(())) < self.label_swap_prob:
            target_real, target_fake = target_fake, target_real

        self.optimizer_discriminator_.zero_grad()
        logit_real = self.discriminator_(real, onehot)
        logit_fake = self.discriminator_(fake.detach(), onehot)
        d_loss = self.criterion_(logit_real, target_real) + self.criterion_(
            logit_fake, target_fake
        )
        d_loss.backward()
        self.optimizer_discriminator_.step()

        self.optimizer_.zero_grad()
        logit_gen = self.discriminator_(fake, onehot)
        g_loss = self.criterion_(logit_gen, torch.ones_like(logit_gen))
        g_loss.backward()
        self.optimizer_.step()
        if self.generator_ema:
            self._update_ema()

        with torch.no_grad():
            values = torch.stack([g_loss, d_loss, torch.sigmoid(logit_real).mean(),
                                  torch.sigmoid(logit_fake).mean()]).tolist()
        for key, value in zip(BATCH_KEYS, values, strict=True):
            self.history.record_batch(key, value)
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

    def sampling_module(self):
        """The generator that samples: the weight average if ``generator_ema``, else ``module_``."""
        return self.module_ema_ if self.generator_ema else self.module_

    def generate(self, z, codes=None, module=None):
        """Generator output (float64 numpy, scaled space) for noise ``z``, in eval mode, no grad.

        ``z`` may live on any device; it is moved to ``device``.
        """
        module = self.sampling_module() if module is None else module
        training = module.training
        module.eval()
        try:
            with torch.no_grad():
                rows = module(to_tensor(z, device=self.device), self.onehot(codes))
        finally:
            module.train(training)
        return rows.cpu().numpy().astype(np.float64)


#: Columns of ``GANSampler.loss_history_``: the batch losses, diversity, score, duration.
EPOCH_KEYS = [*BATCH_KEYS, "diversity", "valid_score", "dur"]


def loss_history(history):
    """One row per epoch of skorch's history, with the GAN's keys, indexed by epoch."""
    rows = [{key: epoch.get(key, np.nan) for key in ["epoch", *EPOCH_KEYS]} for epoch in history]
    frame = pd.DataFrame(rows, columns=["epoch", *EPOCH_KEYS]).set_index("epoch")
    if frame["valid_score"].isna().all():
        frame = frame.drop(columns="valid_score")
    return frame
