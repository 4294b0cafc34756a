"""CPU-vs-CUDA check of every neural estimator, and MNIST quality at a time budget.

One script, under 3 minutes on a GPU machine. It prints:

1. ``DualLSTMRegressor``: the same seeded fit on the CPU and on ``--device``; the largest
   relative difference of their predictions and the time per epoch of each;
2. ``GANSampler`` (dense and convolutional): time per epoch on the CPU and on ``--device``,
   and sample parity: the sampler trained on ``--device`` is saved, loaded on the CPU and
   must return the same rows from the same seed (the noise is drawn on the CPU);
3. the MNIST example's setting: a convolutional ``GANSampler`` trained on 8,000 of the
   10,000 MNIST test digits for ``--budget`` seconds (default 120) on ``--device``, and the
   random-forest C2ST accuracy of 2,000 samples against the 2,000 held-out digits
   (target: at most 0.90); a grid of samples is saved next to the output when ``--grid``.

The MNIST IDX files are read from ``--mnist`` (default: ``$SKLEARN_HYDRO_MNIST``, else
``../shared/data/mnist`` from the repository root). Without a GPU, run it on the CPU with
``python benchmarks/gpu_check.py --device cpu --quick`` (small sizes, 10 s budget): the
parity lines then compare the CPU with itself, which checks the code paths only.
"""

import argparse
import os
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier

from sklearn_hydro import DualLSTMRegressor, GANSampler
from sklearn_hydro.datasets import load_mnist
from sklearn_hydro.metrics import classifier_two_sample_score

ROOT = Path(__file__).resolve().parents[1]

#: The 8x8 digits settings of benchmarks/bench_gan.py.
DIGITS_CONV = dict(architecture="conv", image_shape=(8, 8), conv_channels=(32, 64),
                   discriminator_hidden=(), learning_rate=5e-4, discriminator_learning_rate=1e-3,
                   betas=(0.0, 0.9))

#: The MNIST settings of examples/plot_gan_mnist.py.
MNIST_CONV = dict(architecture="conv", image_shape=(28, 28), conv_channels=(64, 128),
                  discriminator_hidden=(), latent_dim=100, learning_rate=2e-4,
                  discriminator_learning_rate=4e-4, betas=(0.0, 0.9), batch_size=128)


def per_epoch(history):
    return float(np.median(history["dur"]))


def regressor_rows(device, quick):
    rng = np.random.default_rng(0)
    n, length = (300, 8) if quick else (2000, 14)
    signal = 10 + 3 * np.sin(np.arange(n + length) * 2 * np.pi / 7) + rng.normal(0, 0.3, n + length)
    lags = np.lib.stride_tricks.sliding_window_view(signal, length)[:n]
    X = np.hstack([lags, lags - lags.mean(axis=1, keepdims=True), rng.normal(size=(n, 2))])
    y = signal[length:] + 0.5 * X[:, -2]
    cpu = DualLSTMRegressor(sequence_length=length, hidden_size=32, max_epochs=5 if quick else 20,
                            batch_size=64, early_stopping=False, random_state=0).fit(X, y)
    other = clone(cpu).set_params(device=device).fit(X, y)
    p_cpu, p_dev = cpu.predict(X), other.predict(X)
    rel = float(np.max(np.abs(p_dev - p_cpu) / np.maximum(np.abs(p_cpu), 1e-12)))
    cpu_epoch = float(np.median(cpu.history_[:, "dur"]))
    dev_epoch = float(np.median(other.history_[:, "dur"]))
    return [("DualLSTMRegressor", f"max rel. prediction diff {rel:.2e}", cpu_epoch, dev_epoch)]


def sampler_rows(device, quick, tmp):
    X = load_digits().data
    rows = []
    for name, params in [("GANSampler mlp", {}),
                         ("GANSampler conv", DIGITS_CONV)]:
        epochs = 2 if quick else 10
        cpu = GANSampler(max_epochs=epochs, random_state=0, **params).fit(X)
        other = clone(cpu).set_params(device=device).fit(X)
        path = tmp / "gpu_check_sampler.pt"
        other.save(path)
        on_cpu = GANSampler.load(path, device="cpu")
        a = other.scaler_.transform(other.sample(2000, random_state=1))
        b = on_cpu.scaler_.transform(on_cpu.sample(2000, random_state=1))
        rows.append((name, f"max sample diff {np.max(np.abs(a - b)):.2e} (scaled units)",
                     per_epoch(cpu.loss_history_), per_epoch(other.loss_history_)))
    return rows


def mnist_quality(device, directory, budget, quick, grid):
    images, _ = load_mnist(directory, subset="test")
    X = images.reshape(len(images), -1).astype(np.float64)
    order = np.random.default_rng(0).permutation(len(X))
    n_train, n_test = (1000, 500) if quick else (8000, 2000)
    X_train, X_test = X[order[:n_train]], X[order[n_train:n_train + n_test]]
    start = time.perf_counter()
    sampler = GANSampler(max_epochs=100_000, max_time=budget, device=device, random_state=0,
                         **MNIST_CONV).fit(X_train)
    trained = time.perf_counter() - start
    fake = sampler.sample(len(X_test), random_state=1)
    # the default judge (100 trees), on every core
    judge = RandomForestClassifier(n_estimators=100, n_jobs=-1)
    c2st = classifier_two_sample_score(X_test, fake, classifier=judge, random_state=0)
    if grid:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(8, 8, figsize=(8, 8))
        for ax, image in zip(axes.ravel(), fake[:64], strict=True):
            ax.imshow(image.reshape(28, 28), cmap="gray_r", vmin=0, vmax=255)
            ax.axis("off")
        fig.savefig(grid, dpi=60)
    return trained, sampler.n_iter_, c2st


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--quick", action="store_true", help="small sizes, 10 s MNIST budget")
    parser.add_argument("--budget", type=float, default=None,
                        help="MNIST training seconds (default 120, 10 with --quick)")
    default_mnist = os.environ.get("SKLEARN_HYDRO_MNIST", ROOT.parent / "shared" / "data" / "mnist")
    parser.add_argument("--mnist", default=default_mnist, help="folder of the MNIST IDX files")
    parser.add_argument("--grid", default=None, help="save a PNG grid of MNIST samples here")
    parser.add_argument("--tmp", default=".", help="folder for a temporary saved sampler")
    args = parser.parse_args()
    budget = args.budget if args.budget is not None else (10.0 if args.quick else 120.0)
    start = time.perf_counter()
    print(f"device: {args.device}"
          + (f" ({torch.cuda.get_device_name(args.device)})"
             if args.device.startswith("cuda") and torch.cuda.is_available() else "")
          + f", torch {torch.__version__}, quick={args.quick}\n")

    rows = regressor_rows(args.device, args.quick)
    rows += sampler_rows(args.device, args.quick, Path(args.tmp))
    print(f"{'estimator':<20}{'parity':<48}{'cpu s/epoch':>12}{'device s/epoch':>15}")
    for name, parity, cpu_epoch, dev_epoch in rows:
        print(f"{name:<20}{parity:<48}{cpu_epoch:>12.4f}{dev_epoch:>15.4f}")

    try:
        trained, epochs, c2st = mnist_quality(args.device, args.mnist, budget, args.quick,
                                              args.grid)
    except FileNotFoundError as error:
        print(f"\nMNIST: skipped, files not found ({error})")
    else:
        print(f"\nMNIST conv GANSampler, budget {budget:.0f} s: trained {trained:.1f} s, "
              f"{epochs} epochs, C2ST RF accuracy {c2st:.3f} (target <= 0.90)")
    print(f"\ntotal {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
