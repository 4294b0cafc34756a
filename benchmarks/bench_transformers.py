"""Speed of the per-row transformers against baselines measured in the same run.

Block: 100,000 forecast windows x 64 lags (float64), each row a random walk around 100 with
0.2 % spikes of +-40, so the smoother has isolated outliers and runs of out-of-band values.

* WaveletDenoiser.transform vs plain PyWavelets on the same array (``wavedec(axis=1)``,
  ``pywt.threshold`` on each detail array, ``waverec(axis=1)``): target ratio <= 1.25.
* WaveletDenoiser.transform vs a per-row Python loop of the same pywt calls, timed on a
  subset of rows and scaled linearly to the whole block: target speed-up >= 20.
* SigmaOutlierSmoother.transform vs one vectorised band check ``np.abs(X - m) > k * s``:
  target ratio <= 10.

Times are the best of ``--repeat`` runs (time.perf_counter), interleaved with their baseline. Run:
``python benchmarks/bench_transformers.py [--rows 100000] [--lags 64] [--repeat 5]``.
"""

import argparse
import time

import numpy as np
import pywt

from sklearn_hydro.preprocessing import SigmaOutlierSmoother, WaveletDenoiser


def best_of(funcs, repeat):
    """Best time of each function; runs are interleaved so that load changes hit all alike."""
    times = [[] for _ in funcs]
    for _ in range(repeat):
        for func, func_times in zip(funcs, times, strict=True):
            start = time.perf_counter()
            func()
            func_times.append(time.perf_counter() - start)
    return [min(func_times) for func_times in times]


def make_block(n_rows, n_lags, seed=0):
    rng = np.random.default_rng(seed)
    X = 100 + rng.standard_normal((n_rows, n_lags)).cumsum(axis=1)
    spikes = rng.random(X.shape) < 0.002
    X[spikes] += rng.choice([-40.0, 40.0], size=spikes.sum())
    return X


def plain_pywt(X, wavelet, level, thresholds, mode, extension):
    coeffs = pywt.wavedec(X, wavelet, mode=extension, level=level, axis=1)
    coeffs[1:] = [pywt.threshold(d, t, mode) for d, t in zip(coeffs[1:], thresholds, strict=True)]
    return pywt.waverec(coeffs, wavelet, mode=extension, axis=1)[:, : X.shape[1]]


def loop_pywt(X, wavelet, level, thresholds, mode, extension):
    out = np.empty_like(X)
    for i, row in enumerate(X):
        coeffs = pywt.wavedec(row, wavelet, mode=extension, level=level)
        details = zip(coeffs[1:], thresholds, strict=True)
        coeffs[1:] = [pywt.threshold(d, t, mode) for d, t in details]
        out[i] = pywt.waverec(coeffs, wavelet, mode=extension)[: X.shape[1]]
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--lags", type=int, default=64)
    parser.add_argument("--loop-rows", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    X = make_block(args.rows, args.lags)
    rows = []

    denoiser = WaveletDenoiser("db4").fit(X)
    spec = ("db4", denoiser.level_, denoiser.thresholds_, "soft", "symmetric")
    np.testing.assert_allclose(denoiser.transform(X[:2000]), plain_pywt(X[:2000], *spec),
                               rtol=1e-10, atol=1e-9)
    t_denoiser, t_plain = best_of(
        [lambda: denoiser.transform(X), lambda: plain_pywt(X, *spec)], args.repeat
    )
    subset = X[: args.loop_rows]
    (t_loop_subset,) = best_of([lambda: loop_pywt(subset, *spec)], max(1, args.repeat // 2))
    t_loop = t_loop_subset * args.rows / len(subset)
    rows.append(("WaveletDenoiser.transform", t_denoiser, "", "", ""))
    rows.append(("plain pywt wavedec/threshold/waverec", t_plain,
                 f"{t_denoiser / t_plain:.2f}x", "<= 1.25x",
                 "ok" if t_denoiser / t_plain <= 1.25 else "MISSED"))
    rows.append((f"per-row loop (scaled from {len(subset)} rows)", t_loop,
                 f"{t_loop / t_denoiser:.0f}x faster", ">= 20x faster",
                 "ok" if t_loop / t_denoiser >= 20 else "MISSED"))

    smoother = SigmaOutlierSmoother().fit(X)
    center, scale, k = smoother.center_, smoother.scale_, smoother.n_sigma
    mask = smoother.get_outlier_mask(X)
    t_smoother, t_band = best_of(
        [lambda: smoother.transform(X), lambda: np.abs(X - center) > k * scale], args.repeat
    )
    rows.append(("SigmaOutlierSmoother.transform", t_smoother, "", "", ""))
    rows.append(("numpy band check |X - m| > k*s", t_band, f"{t_smoother / t_band:.2f}x",
                 "<= 10x", "ok" if t_smoother / t_band <= 10 else "MISSED"))

    print(f"block: {args.rows:,} rows x {args.lags} lags, float64 random walks with spikes; "
          f"db4 level {denoiser.level_}; best of {args.repeat}")
    print(f"smoother flags {mask.mean():.2%} of the values, in {mask.any(axis=1).mean():.1%} "
          "of the rows")
    header = f"{'operation':<42} {'seconds':>9}  {'ratio':>14}  {'target':>14}  status"
    print(header)
    print("-" * len(header))
    for name, seconds, ratio, target, status in rows:
        print(f"{name:<42} {seconds:9.4f}  {ratio:>14}  {target:>14}  {status}")


if __name__ == "__main__":
    main()
