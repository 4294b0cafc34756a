"""
GAN samples of handwritten digits
=================================

Train :class:`~sklearn_hydro.GANSampler` on 1,200 of scikit-learn's 8x8 digits, save
a grid of generated digits as a PNG, and measure how close the samples are to the 597 digits
held out, with the three sample-quality metrics of :mod:`sklearn_hydro.metrics`.

Two references put the numbers in context: real training digits (what a perfect sampler
would reach) and a multivariate Gaussian fitted to the training digits (a simple baseline).
A conditional sampler then draws each digit class on request.

The unconditional sampler uses the convolutional networks (``architecture="conv"``) and
trains for 60 seconds; the conditional one uses the default dense networks.
``SKLEARN_HYDRO_DOCS_FAST=1`` trains for 10 seconds and 20 epochs (a fast documentation build).
"""

import os
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from sklearn_hydro import GANSampler
from sklearn_hydro.metrics import (
    classifier_two_sample_score,
    frechet_distance,
    maximum_mean_discrepancy,
)

OUTPUT = Path.cwd()
FAST = os.environ.get("SKLEARN_HYDRO_DOCS_FAST", "") not in ("", "0")

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, train_size=1200, stratify=y, random_state=0
)

# %%
# Fit the sampler
# ---------------
# Pixel intensities are integers 0..16: the sampler learns a per-pixel scaling to the
# generator's [-1, 1] range and maps samples back, rounded to integers. The rows are 8x8
# images: a DCGAN-style generator against a spectrally normalised convolutional
# discriminator, trained with the two time-scale rule (see the GANSampler Notes), without
# label smoothing or label swaps (the spectral normalisation keeps the discriminator in
# check), and a slower average of the generator's weights (``generator_ema=0.995``).
start = time.perf_counter()
sampler = GANSampler(
    architecture="conv",
    image_shape=(8, 8),
    conv_channels=(32, 64),
    discriminator_hidden=(),
    learning_rate=5e-4,
    discriminator_learning_rate=1e-3,
    betas=(0.0, 0.9),
    label_smoothing=0.0,
    label_swap_prob=0.0,
    generator_ema=0.995,
    max_epochs=100_000,
    max_time=10 if FAST else 60,
    random_state=0,
).fit(X_train)
print(f"fitted {sampler.n_iter_} epochs in {time.perf_counter() - start:.0f} s")
history = sampler.loss_history_
print(history.iloc[:: max(1, len(history) // 5)].round(3))


# %%
# A grid of samples
# -----------------
def save_grid(images, path, rows=8):
    fig, axes = plt.subplots(rows, len(images) // rows, figsize=(len(images) // rows, rows))
    for ax, image in zip(axes.ravel(), images, strict=True):
        ax.imshow(image.reshape(8, 8), cmap="gray_r", vmin=0, vmax=16)
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=60)
    print(f"saved {path}")


save_grid(sampler.sample(64, random_state=1), OUTPUT / "gan_digits_samples.png")


# %%
# Quality against held-out digits
# -------------------------------
# C2ST: accuracy of a random forest telling real from generated rows (0.5 is ideal).
# MMD^2 (RBF kernel, median-heuristic bandwidth of the held-out digits) and the Frechet
# distance on 10 PCA features of the held-out digits: 0 is ideal.
def quality(fake):
    gamma = 1.0 / (2.0 * np.median(np.sum((X_test[:, None] - X_test[None]) ** 2, -1)))
    return (
        classifier_two_sample_score(X_test, fake, random_state=0),
        maximum_mean_discrepancy(X_test, fake, gamma=gamma),
        frechet_distance(X_test, fake, random_state=0),
    )


rng = np.random.default_rng(0)
gaussian = rng.multivariate_normal(X_train.mean(0), np.cov(X_train, rowvar=False), len(X_test))
gaussian = np.clip(np.round(gaussian), 0, 16)
candidates = {
    "real training digits": X_train[: len(X_test)],
    "GANSampler": sampler.sample(len(X_test), random_state=2),
    "Gaussian baseline": gaussian,
}
print(f"\n{'sample':<22}{'C2ST acc':>10}{'MMD^2':>10}{'Frechet':>10}")
for name, fake in candidates.items():
    c2st, mmd, fid = quality(fake)
    print(f"{name:<22}{c2st:>10.3f}{mmd:>10.4f}{fid:>10.1f}")
print(f"\nGANSampler.score(held-out digits) = {sampler.score(X_test):.3f} (1 is ideal)")

# %%
# Conditional generation
# ----------------------
# With ``conditional=True`` both networks see the class; row k of the grid asks for digit k.
conditional = GANSampler(conditional=True, random_state=0, **({"max_epochs": 20} if FAST else {}))
conditional.fit(X_train, y_train)
classes = np.repeat(np.arange(10), 8)
save_grid(conditional.sample(80, y=classes, random_state=1), OUTPUT / "gan_digits_by_class.png",
          rows=10)
print(f"conditional score (rows and classes) = {conditional.score(X_test, y_test):.3f}")
