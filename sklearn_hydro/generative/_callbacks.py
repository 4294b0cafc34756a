"""skorch callbacks of GANSampler: time limit, collapse check, early stopping on quality."""

import copy
import time

import numpy as np
import torch
from skorch.callbacks import Callback
from torch.func import functional_call

_PROBE_SIZE = 256


class TimeLimit(Callback):
    """Stop training (skorch's KeyboardInterrupt convention) once ``max_time`` s have passed.

    The epoch that crosses the limit is completed, so at least one epoch is trained.
    """

    def __init__(self, max_time=None):
        self.max_time = max_time

    def on_train_begin(self, net, **kwargs):
        self.start_ = time.perf_counter()

    def on_epoch_end(self, net, **kwargs):
        if self.max_time is not None and time.perf_counter() - self.start_ >= self.max_time:
            raise KeyboardInterrupt


def batch_statistics_output(module, z, onehot):
    """``module(z, onehot)`` with BatchNorm on the batch's own statistics, changing nothing.

    The module runs in training mode on copies of its buffers, so its BatchNorm running
    statistics are not updated (and dropout, if any, is active); no gradient is recorded.
    """
    training = module.training
    params = dict(module.named_parameters())
    buffers = {name: value.clone() for name, value in module.named_buffers()}
    module.train(True)
    try:
        with torch.no_grad():
            return functional_call(module, (params, buffers), (z, onehot))
    finally:
        module.train(training)


class CollapseCheck(Callback):
    """Record ``diversity`` every epoch and raise when the generator has collapsed.

    A fixed probe of noise goes through the trained generator (``module_``) with BatchNorm on
    batch statistics, so an untrained generator is not mistaken for a collapsed one (its
    running statistics would shrink its outputs). ``diversity`` is the mean, over the columns
    that vary in the training rows, of ``std(generated) / std(training)``: about 1 for a
    healthy generator, near 0 for one that returns (almost) the same row whatever the noise.

    Parameters
    ----------
    tol : float
        Raise ``RuntimeError`` at the end of the first epoch whose diversity is below
        ``tol``; 0 only records.
    seed : int
        Seed of the probe noise.
    """

    def __init__(self, tol=0.05, seed=0):
        self.tol = tol
        self.seed = seed

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        std = np.asarray(X).std(axis=0)
        self.columns_ = np.flatnonzero(std > 0)
        self.std_ = std[self.columns_]
        # the training rows' own saturation and variety, the reference of a partial collapse
        sample = np.asarray(X)[:_PROBE_SIZE][:, self.columns_]
        self.pinned_ = float(np.mean(np.abs(sample) > 0.999)) if sample.size else 0.0
        self.distinct_ = (float(np.median([len(np.unique(np.round(c, 6))) for c in sample.T]))
                          if sample.size else 0.0)
        generator = torch.Generator().manual_seed(self.seed)
        self.z_ = torch.randn(_PROBE_SIZE, net.latent_dim, generator=generator).to(net.device)
        self.onehot_ = net.onehot(np.arange(_PROBE_SIZE) % max(net.n_classes, 1))

    def on_epoch_end(self, net, **kwargs):
        if len(self.columns_) == 0:
            diversity = 1.0
        else:
            rows = batch_statistics_output(net.module_, self.z_, self.onehot_)
            spread = rows[:, torch.as_tensor(self.columns_, device=rows.device)].std(dim=0)
            diversity = float(np.mean(spread.cpu().numpy() / self.std_))
        net.history.record("diversity", diversity)
        self._check_losses(net)
        if self.tol and len(self.columns_):
            self._check_saturation(net, rows)
        if not np.isfinite(diversity) or diversity < self.tol:
            raise RuntimeError(
                f"GANSampler training collapsed at epoch {len(net.history)}: the generated "
                f"rows vary {diversity:.3g} times as much as the training rows "
                f"(collapse_tol={self.tol}). Lower learning_rate, or try another "
                "random_state."
            )


    @staticmethod
    def _check_losses(net):
        """A GAN's BCE losses are of order 1; far above means the networks have diverged."""
        batches = net.history[-1, "batches"]
        losses = [b[key] for b in batches for key in ("g_loss", "d_loss") if key in b]
        worst = max((abs(v) for v in losses), default=0.0)
        if not np.isfinite(worst) or worst > MAX_LOSS:
            raise FloatingPointError(
                f"GANSampler training diverged at epoch {len(net.history)}: a loss reached "
                f"{worst:.3g} (healthy adversarial losses stay near 1). Lower learning_rate."
            )

    def _check_saturation(self, net, rows):
        """Outputs pinned at the ends of the generator's range: a partial collapse."""
        values = rows[:, torch.as_tensor(self.columns_, device=rows.device)].cpu().numpy()
        distinct = np.median([len(np.unique(np.round(v, 6))) for v in values.T])
        pinned = float(np.mean(np.abs(values) > 0.999))
        # compared with the training rows: binary columns or a black background are pinned
        # in the data too
        few = distinct <= 3 < self.distinct_
        if few or pinned > max(0.5, 2 * self.pinned_ + 0.1):
            raise RuntimeError(
                f"GANSampler training collapsed at epoch {len(net.history)}: the generated "
                f"columns take {distinct:.0f} distinct value(s) (median) and {pinned:.0%} of "
                "the values sit at the ends of the range, whatever the noise. Lower "
                "learning_rate, or try another random_state."
            )


#: Largest absolute batch loss of a healthy GAN (BCE with logits of order 1).
MAX_LOSS = 1e3


class QualityStopping(Callback):
    """Early stopping on the sampler's quality score on held-out rows, every epoch.

    ``score_fn()`` (higher is better) is recorded as ``valid_score``. After
    ``n_iter_no_change`` epochs without improvement training stops; at the end of training
    the weights of every network at the best epoch are restored.
    """

    def __init__(self, score_fn=None, n_iter_no_change=5):
        self.score_fn = score_fn
        self.n_iter_no_change = n_iter_no_change

    def on_train_begin(self, net, **kwargs):
        self.best_score_ = -np.inf
        self.best_state_ = None
        self.misses_ = 0

    def on_epoch_end(self, net, **kwargs):
        score = float(self.score_fn())
        net.history.record("valid_score", score)
        if score > self.best_score_:
            self.best_score_, self.misses_ = score, 0
            self.best_state_ = {
                name: copy.deepcopy(getattr(net, name + "_").state_dict())
                for name in net._modules
            }
            return
        self.misses_ += 1
        if self.misses_ >= self.n_iter_no_change:
            raise KeyboardInterrupt

    def on_train_end(self, net, **kwargs):
        if self.best_state_ is not None:
            for name, state in self.best_state_.items():
                getattr(net, name + "_").load_state_dict(state)
        self.best_state_ = None
        self.score_fn = None  # drop the held-out rows it refers to
