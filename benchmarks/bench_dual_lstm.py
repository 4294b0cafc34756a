"""Time per epoch of DualLSTMRegressor (skorch) against a plain PyTorch loop, and predict speed.

Both sides train the same module class (``DualRecurrentNet``) on the same scaled data with
the same batch size, optimizer and shuffling scheme (a seeded ``torch.randperm`` per epoch,
batches sliced from whole tensors), so the ratio is skorch's overhead plus ours (validation,
callbacks, history). Two settings are compared like with like:

* ``no validation``: ``early_stopping=False`` against a loop with training steps only;
* ``tail validation``: ``validation_fraction=0.2`` with early stopping that never triggers
  (``n_iter_no_change=max_epochs``) against a loop that also scores the last 20 % each epoch and
  copies the best weights.

Run: ``python benchmarks/bench_dual_lstm.py [--threads 1] [--epochs 10] [--repeats 5]``.
Times are the best of the interleaved repeats, the least disturbed by other load.
"""

import argparse
import copy
import time

import numpy as np
import torch

from sklearn_hydro.neural._modules import DualRecurrentNet
from sklearn_hydro.neural._regressor import DualLSTMRegressor

N_ROWS, LOOKBACK, N_STATIC = 1000, 28, 3
HIDDEN, BATCH, LR = 32, 32, 5e-3


def make_data(seed=0):
    rng = np.random.default_rng(seed)
    total = N_ROWS + LOOKBACK
    series = 100 + 10 * np.sin(np.arange(total) * 2 * np.pi / 7) + rng.standard_normal(total)
    lags = np.lib.stride_tricks.sliding_window_view(series, LOOKBACK)[:N_ROWS]
    smooth = np.apply_along_axis(lambda r: np.convolve(r, np.ones(3) / 3, mode="same"), 1, lags)
    static = rng.standard_normal((N_ROWS, N_STATIC))
    X = np.hstack([smooth, lags - smooth, static])
    y = series[LOOKBACK:] + static[:, 0]
    return X, y


def skorch_epoch_time(X, y, epochs, validation_fraction):
    model = DualLSTMRegressor(
        sequence_length=LOOKBACK,
        hidden_size=HIDDEN,
        batch_size=BATCH,
        learning_rate=LR,
        max_epochs=epochs,
        early_stopping=validation_fraction > 0,
        validation_fraction=validation_fraction or 0.2,
        n_iter_no_change=epochs,
        random_state=0,
    )
    start = time.perf_counter()
    model.fit(X, y)
    elapsed = time.perf_counter() - start
    assert model.n_iter_ == epochs
    return elapsed / epochs, model


def plain_epoch_time(X_scaled, y_scaled, epochs, validation_fraction):
    n_valid = int(np.ceil(validation_fraction * len(X_scaled)))
    n_train = len(X_scaled) - n_valid
    X_all, y_all = torch.as_tensor(X_scaled), torch.as_tensor(y_scaled)
    X_train, y_train = X_all[:n_train], y_all[:n_train]
    X_valid, y_valid = X_all[n_train:], y_all[n_train:]
    start = time.perf_counter()
    torch.manual_seed(0)
    module = DualRecurrentNet(LOOKBACK, N_STATIC, 2, "lstm", HIDDEN)
    optimizer = torch.optim.Adam(module.parameters(), lr=LR)
    criterion = torch.nn.MSELoss()
    generator = torch.Generator().manual_seed(0)
    best, best_state = np.inf, None
    for _ in range(epochs):
        module.train()
        for index in torch.randperm(n_train, generator=generator).split(BATCH):
            optimizer.zero_grad()
            loss = criterion(module(X_train[index]), y_train[index])
            loss.backward()
            optimizer.step()
        if n_valid:
            module.eval()
            with torch.no_grad():
                valid_loss = criterion(module(X_valid), y_valid).item()
            if valid_loss < best:
                best, best_state = valid_loss, copy.deepcopy(module.state_dict())
    if best_state is not None:
        module.load_state_dict(best_state)
    return (time.perf_counter() - start) / epochs, module


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    X, y = make_data()
    _, warm = skorch_epoch_time(X, y, 1, 0.0)  # first-call costs (lazy imports, allocators)
    X_scaled, level = warm._scale_X(X)
    y_scaled = ((y - level - warm.y_mean_) / warm.y_scale_).astype(np.float32).reshape(-1, 1)
    plain_epoch_time(X_scaled, y_scaled, 1, 0.0)

    print(
        f"DualLSTMRegressor vs plain PyTorch loop: {N_ROWS} rows, lookback {LOOKBACK}, "
        f"{N_STATIC} static, 2 LSTM branches, hidden {HIDDEN}, batch {BATCH}, Adam, "
        f"{args.epochs} epochs; best of {args.repeats} interleaved repeats; torch threads "
        f"{args.threads}"
    )
    print(f"{'setting':<18}{'skorch s/epoch':>16}{'plain s/epoch':>15}{'ratio':>8}")
    for label, fraction in (("no validation", 0.0), ("tail validation", 0.2)):
        ours, plain = [], []
        for _ in range(args.repeats):  # interleaved, so load changes hit both sides
            ours.append(skorch_epoch_time(X, y, args.epochs, fraction)[0])
            plain.append(plain_epoch_time(X_scaled, y_scaled, args.epochs, fraction)[0])
        a, b = min(ours), min(plain)  # least disturbed by other load
        print(f"{label:<18}{a:>16.4f}{b:>15.4f}{a / b:>8.2f}")

    model = skorch_epoch_time(X, y, 2, 0.0)[1]
    module = model.net_.module_.eval()
    big = np.tile(X, (20, 1))  # 20,000 rows
    times_ours, times_plain = [], []
    for _ in range(args.repeats):
        start = time.perf_counter()
        model.predict(big)
        times_ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        with torch.no_grad():
            tensor = torch.as_tensor(model._scale_X(big)[0])
            torch.cat([module(chunk) for chunk in tensor.split(4096)])
        times_plain.append(time.perf_counter() - start)
    ours, plain = len(big) / min(times_ours), len(big) / min(times_plain)
    print(f"\npredict on {len(big)} rows{'':<4}{'rows/s':>12}")
    print(f"{'DualLSTMRegressor':<26}{ours:>12,.0f}")
    print(f"{'plain module, no_grad':<26}{plain:>12,.0f}   ratio {plain / ours:.2f}")


if __name__ == "__main__":
    main()
