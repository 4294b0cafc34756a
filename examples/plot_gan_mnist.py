"""
GAN samples of MNIST digits
===========================

28x28 MNIST digits with the convolutional networks of
:class:`~sklearn_hydro.GANSampler` (``architecture="conv"``: a DCGAN generator and a
spectrally normalised convolutional discriminator). The images are read from IDX files
with :func:`~sklearn_hydro.datasets.load_mnist` (the 10,000 test digits, shuffled: 8,000
to train, 2,000 held out). Set ``SKLEARN_HYDRO_MNIST`` to the folder of the IDX files;
by default the example looks in ``../shared/data/mnist`` next to the repository
and does nothing if the files are not there.

Training is capped by ``max_time`` (``SKLEARN_HYDRO_GAN_SECONDS``; default 120 s on a GPU,
which the example uses when one is present, and 300 s on a CPU, where each epoch is much
slower). ``benchmarks/gpu_check.py`` runs the same setting and reports its C2ST.
"""

import os
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import torch

from sklearn_hydro import GANSampler
from sklearn_hydro.datasets import load_mnist
from sklearn_hydro.metrics import classifier_two_sample_score, frechet_distance

OUTPUT = Path.cwd()
default = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"
directory = Path(os.environ.get("SKLEARN_HYDRO_MNIST", default))
device = "cuda" if torch.cuda.is_available() else "cpu"
seconds = float(os.environ.get("SKLEARN_HYDRO_GAN_SECONDS", 120 if device == "cuda" else 300))

try:
    images, labels = load_mnist(directory, subset="test")
except FileNotFoundError as error:
    print(f"MNIST not available, skipping the example: {error}")
    raise SystemExit(0) from None

X = images.reshape(len(images), -1).astype(np.float64)  # 0..255, rounded back by the sampler
# a random split: the MNIST test set is ordered by writer group (the first half is easier)
order = np.random.default_rng(0).permutation(len(X))
X_train, X_test = X[order[:8000]], X[order[8000:]]

# %%
# Fit convolutional networks
# --------------------------
# Two convolution blocks (28 -> 14 -> 7 pixels) of 64 and 128 channels; the generator goes
# back up through them. No dense layers after the convolutions of the discriminator.
start = time.perf_counter()
sampler = GANSampler(
    architecture="conv",
    image_shape=(28, 28),
    conv_channels=(64, 128),
    discriminator_hidden=(),
    latent_dim=100,
    learning_rate=2e-4,
    discriminator_learning_rate=4e-4,  # two time-scale rule
    betas=(0.0, 0.9),
    batch_size=128,
    max_epochs=100_000,
    max_time=seconds,
    device=device,
    verbose=1,
    random_state=0,
).fit(X_train)
print(f"fitted {sampler.n_iter_} epochs in {time.perf_counter() - start:.0f} s")

# %%
# A grid of samples and their quality
# -----------------------------------
fake = sampler.sample(len(X_test), random_state=1)
fig, axes = plt.subplots(8, 8, figsize=(8, 8))
for ax, image in zip(axes.ravel(), fake[:64], strict=True):
    ax.imshow(image.reshape(28, 28), cmap="gray_r", vmin=0, vmax=255)
    ax.axis("off")
fig.tight_layout()
fig.savefig(OUTPUT / "gan_mnist_samples.png", dpi=60)
print(f"saved {OUTPUT / 'gan_mnist_samples.png'}")

print(f"C2ST accuracy vs held-out (0.5 ideal): "
      f"{classifier_two_sample_score(X_test, fake, random_state=0):.3f}")
print(f"Frechet distance on 10 PCA features: {frechet_distance(X_test, fake):.0f} "
      f"(real training digits: {frechet_distance(X_test, X_train[:2000]):.0f})")
