"""Tests of the per-row transformers: SigmaOutlierSmoother, WaveletDenoiser and functions."""

import numpy as np
import pandas as pd
import pytest
import pywt
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.decomposition import PCA
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_hydro.preprocessing import (
    SigmaOutlierSmoother,
    WaveletDenoiser,
    denoise,
    smooth_outliers,
)
from sklearn_hydro.windows import lag_columns, make_window_transformer, make_windows

PROPERTY = settings(max_examples=60, deadline=None)


# --------------------------------------------------------------------------- references
def _reference_smooth(X, lower, upper, center, window, weights, past):
    """The smoother's rule written as a plain loop over rows and flagged positions."""
    X = np.asarray(X, dtype=np.float64)
    out = X.copy()
    n_features = X.shape[1]
    for r, row in enumerate(X):
        flagged = ~((row >= lower) & (row <= upper))

        def average(candidates, i, flagged=flagged, row=row):
            js = [
                j
                for j in candidates
                if 0 <= j < n_features and j != i and not flagged[j] and (not past or j < i)
            ]
            if not js:
                return None
            w = [1.0 / abs(i - j) if weights == "inverse_distance" else 1.0 for j in js]
            return sum(wj * row[j] for wj, j in zip(w, js, strict=True)) / sum(w)

        for i in np.flatnonzero(flagged):
            value = average(range(i - window, i + window + 1), i)
            if value is None:
                value = average(range(n_features), i)
            if value is None:
                value = center
            out[r, i] = min(max(value, lower), upper)
    return out


def _reference_denoise(X, wavelet, level, thresholds, mode, extension):
    """The denoiser's rule as a loop over rows with pywt's own threshold function."""
    out = np.empty_like(X)
    for r, row in enumerate(X):
        with np.errstate(all="ignore"):  # pywt.threshold divides by tiny magnitudes
            coeffs = pywt.wavedec(row, wavelet, mode=extension, level=level)
            details = zip(coeffs[1:], thresholds, strict=True)
            # pywt.threshold(0, 0, "soft") is 0/0 = NaN; a zero threshold keeps the details
            coeffs[1:] = [pywt.threshold(d, t, mode) if t > 0 else d for d, t in details]
        out[r] = pywt.waverec(coeffs, wavelet, mode=extension)[: X.shape[1]]
    return out


def _spiky_rows(n_rows=40, n_features=16, seed=0, nan_fraction=0.05):
    """Random-walk rows with spikes, gaps and a few long runs of missing values."""
    rng = np.random.default_rng(seed)
    X = 100 + rng.normal(size=(n_rows, n_features)).cumsum(axis=1)
    spikes = rng.random(X.shape) < 0.05
    X[spikes] += rng.choice([-1.0, 1.0], size=spikes.sum()) * 30
    X[rng.random(X.shape) < nan_fraction] = np.nan
    X[0, 2:9] = np.nan  # a run longer than 2 * window: whole-row fallback
    X[1, :] = np.nan  # a whole row missing: center fallback
    X[2, :-1] = np.nan  # only the newest value known
    return X


def _windows(n_days=120, seed=0, lookback=16):
    rng = np.random.default_rng(seed)
    days = pd.date_range("2023-01-01", periods=n_days, freq="D", name="date")
    weekly = 5 * np.sin(2 * np.pi * np.arange(n_days) / 7)
    frame = pd.DataFrame(
        {
            "demand": 100 + weekly + rng.normal(size=n_days).cumsum() + rng.normal(size=n_days),
            "temp_max": 20 + 5 * rng.normal(size=n_days),
            "rain": rng.exponential(size=n_days),
            "weekday": days.day_of_week.astype(float),
        },
        index=days,
    )
    frame.iloc[30, 0] = 160.0  # a spike
    frame.iloc[50, 0] = np.nan  # a gap
    X, y = make_windows(frame, "demand", lookback=lookback)
    return frame, X, y


# --------------------------------------------------------------------------- smoother
@pytest.mark.parametrize("weights", ["inverse_distance", "uniform"])
@pytest.mark.parametrize("neighbors", ["both", "past"])
@pytest.mark.parametrize("center", ["mean", "median"])
@pytest.mark.parametrize("window", [1, 3])
def test_smoother_matches_reference_loop(weights, neighbors, center, window):
    X = _spiky_rows()
    smoother = SigmaOutlierSmoother(
        2.0, window=window, weights=weights, neighbors=neighbors, center=center
    ).fit(X)
    expected = _reference_smooth(
        X, smoother.lower_, smoother.upper_, smoother.center_, window, weights,
        neighbors == "past",
    )
    assert_allclose(smoother.transform(X), expected, rtol=1e-12)


def test_smoother_fitted_statistics_pool_all_training_values():
    X = _spiky_rows()
    smoother = SigmaOutlierSmoother(2.5).fit(X)
    assert smoother.center_ == pytest.approx(np.nanmean(X))
    assert smoother.scale_ == pytest.approx(np.nanstd(X))
    assert smoother.lower_ == pytest.approx(np.nanmean(X) - 2.5 * np.nanstd(X))
    assert smoother.upper_ == pytest.approx(np.nanmean(X) + 2.5 * np.nanstd(X))
    assert smoother.n_features_in_ == X.shape[1]

    robust = SigmaOutlierSmoother(center="median").fit(X)
    values = X[~np.isnan(X)]
    mad = np.median(np.abs(values - np.median(values)))
    assert robust.center_ == pytest.approx(np.median(values))
    assert robust.scale_ == pytest.approx(1.4826 * mad, rel=1e-4)


def test_smoother_fallbacks_are_the_documented_ones():
    train = np.array([[2.0, 4.0, 6.0, 4.0, 2.0]])  # center 3.6, std 1.5: band [0.6, 6.6]
    smoother = SigmaOutlierSmoother(2.0, window=1).fit(train)
    nan = np.nan
    X = np.array(
        [
            [2.0, nan, nan, nan, 6.0],  # window, then whole row, then window
            [nan, nan, nan, nan, nan],  # nothing usable: the learned center
            [5.0, 90.0, 3.0, 4.0, 4.0],  # a spike: average of its two neighbours
        ]
    )
    Xt = smoother.transform(X)
    assert_allclose(Xt[0], [2.0, 2.0, 4.0, 6.0, 6.0])
    assert_allclose(Xt[1], smoother.center_)
    assert_allclose(Xt[2], [5.0, 4.0, 3.0, 4.0, 4.0])

    past = SigmaOutlierSmoother(2.0, window=1, neighbors="past").fit(train)
    Xp = past.transform(np.array([[2.0, nan, nan, nan, 6.0], [nan, 3.0, nan, 4.0, nan]]))
    assert_allclose(Xp[0], [2.0, 2.0, 2.0, 2.0, 6.0])  # widened to the whole past
    assert_allclose(Xp[1], [past.center_, 3.0, 3.0, 4.0, 4.0])  # no past: the center


def test_inverse_distance_weights_in_the_window():
    smoother = SigmaOutlierSmoother(window=2).fit(np.array([[0.0, 10.0, 5.0, 5.0, 0.0, 10.0]]))
    Xt = smoother.transform(np.array([[0.0, 8.0, np.nan, 2.0, 4.0, 4.0]]))
    # neighbours at distance 1 (8, 2) weigh 1, at distance 2 (0, 4) weigh 1/2
    assert Xt[0, 2] == pytest.approx((8 + 2 + 0.5 * 0 + 0.5 * 4) / 3)


def test_smoother_uses_training_statistics_only():
    train = np.random.default_rng(0).normal(size=(50, 8))
    smoother = SigmaOutlierSmoother().fit(train)
    shifted = train + 100  # every value outside the learned band
    assert smoother.get_outlier_mask(shifted).all()
    assert_allclose(smoother.transform(shifted), smoother.center_)


def test_smoother_keeps_in_band_values_and_is_idempotent():
    X = _spiky_rows(seed=3)
    smoother = SigmaOutlierSmoother(2.0).fit(X)
    mask = smoother.get_outlier_mask(X)
    assert mask.any() and not mask.all()
    Xt = smoother.transform(X)
    assert_array_equal(Xt[~mask], X[~mask])
    assert not np.isnan(Xt).any()
    assert (Xt >= smoother.lower_).all() and (Xt <= smoother.upper_).all()
    assert_array_equal(smoother.transform(Xt), Xt)
    assert not smoother.get_outlier_mask(Xt).any()


def test_smoother_float32_is_preserved_and_stays_in_band():
    X = _spiky_rows(seed=1).astype(np.float32)
    smoother = SigmaOutlierSmoother(1.5).fit(X)
    Xt = smoother.transform(X)
    assert Xt.dtype == np.float32
    assert (Xt.astype(np.float64) >= smoother.lower_).all()
    assert (Xt.astype(np.float64) <= smoother.upper_).all()
    assert_array_equal(smoother.transform(Xt), Xt)
    X64 = SigmaOutlierSmoother(1.5).fit_transform(X.astype(np.float64))
    assert_allclose(Xt, X64, rtol=1e-5)


def test_smoother_read_only_input():
    X = _spiky_rows(seed=2)
    X.setflags(write=False)
    smoother = SigmaOutlierSmoother().fit(X)
    Xt = smoother.transform(X)
    assert Xt.flags.writeable and not np.isnan(Xt).any()
    assert np.isnan(X).any()  # the input is untouched


def test_smoother_pandas_output_keeps_index_and_names():
    _, X, _ = _windows()
    lags = X[lag_columns(X)]
    smoother = SigmaOutlierSmoother().set_output(transform="pandas")
    out = smoother.fit_transform(lags)
    assert isinstance(out, pd.DataFrame)
    assert out.index.equals(lags.index)
    assert list(out.columns) == list(lags.columns)
    assert_array_equal(smoother.feature_names_in_, lags.columns)
    assert not out.isna().any().any()


@pytest.mark.parametrize(
    "X, error, match",
    [
        (np.full((3, 4), np.nan), ValueError, "All values of X are missing"),
        (np.array([[1.0, np.inf], [2.0, 3.0]]), ValueError, "infinity"),
        (np.ones((5, 1)), ValueError, r"1 feature\(s\).*minimum of 2"),
        (np.array([["a", "b"], ["c", "d"]], dtype=object), ValueError, "convert"),
        (np.ones(5), ValueError, "2D array"),
    ],
)
def test_smoother_fit_errors(X, error, match):
    with pytest.raises(error, match=match):
        SigmaOutlierSmoother().fit(X)


def test_smoother_transform_errors():
    smoother = SigmaOutlierSmoother().fit(np.arange(12.0).reshape(4, 3))
    with pytest.raises(ValueError, match="X has 4 features"):
        smoother.transform(np.ones((2, 4)))
    with pytest.raises(ValueError, match="infinity"):
        smoother.transform(np.array([[1.0, np.inf, 2.0]]))


@pytest.mark.parametrize(
    "params",
    [{"n_sigma": 0}, {"n_sigma": -1.0}, {"window": 0}, {"weights": "gauss"},
     {"neighbors": "future"}, {"center": "mode"}],
)
def test_smoother_invalid_parameters(params):
    with pytest.raises(InvalidParameterError):
        SigmaOutlierSmoother(**params).fit(np.ones((3, 3)))


def test_smooth_outliers_on_a_series():
    days = pd.date_range("2024-01-01", periods=30, freq="D", name="date")
    values = 50 + np.sin(np.arange(30))
    values[[5, 20]] = [120.0, np.nan]
    series = pd.Series(values, index=days, name="demand")
    out = smooth_outliers(series, window=2)
    assert isinstance(out, pd.Series)
    assert out.index.equals(series.index) and out.name == "demand"
    expected = SigmaOutlierSmoother(window=2).fit_transform(values[None, :])[0]
    assert_allclose(out.to_numpy(), expected)
    assert not out.isna().any() and out.iloc[5] < 60
    assert_allclose(smooth_outliers(values, window=2), expected)  # arrays give arrays


def test_smooth_outliers_errors():
    with pytest.raises(TypeError, match="numeric"):
        smooth_outliers(pd.Series(list("abcdef")))
    with pytest.raises(TypeError, match="DataFrame"):
        smooth_outliers(pd.DataFrame({"a": [1.0, 2.0]}))
    with pytest.raises(ValueError, match="1-D"):
        smooth_outliers(np.ones((3, 3)))


# --------------------------------------------------------------------------- denoiser
@pytest.mark.parametrize("wavelet", ["haar", "db4", "sym5", "bior2.2"])
@pytest.mark.parametrize("threshold", ["universal", "bayes", 0.7])
@pytest.mark.parametrize("threshold_mode", ["soft", "hard"])
@pytest.mark.parametrize("extension", ["symmetric", "periodization", "zero"])
def test_denoiser_matches_loop_over_rows(wavelet, threshold, threshold_mode, extension):
    rng = np.random.default_rng(0)
    X = 10 + rng.normal(size=(30, 37)).cumsum(axis=1)
    denoiser = WaveletDenoiser(
        wavelet,
        threshold=threshold,
        threshold_mode=threshold_mode,
        signal_extension=extension,
    ).fit(X)
    expected = _reference_denoise(
        X, wavelet, denoiser.level_, denoiser.thresholds_, threshold_mode, extension
    )
    assert_allclose(denoiser.transform(X), expected, rtol=1e-10, atol=1e-10)


def test_denoiser_thresholds_follow_their_rules():
    rng = np.random.default_rng(1)
    X = np.sin(np.arange(64) / 5) + 0.2 * rng.normal(size=(200, 64))
    universal = WaveletDenoiser("db4").fit(X)
    details = pywt.wavedec(X, "db4", level=universal.level_, axis=1)[1:]
    sigma = np.median(np.abs(details[-1])) / 0.6745
    assert universal.sigma_ == pytest.approx(sigma, rel=1e-4)
    assert_allclose(universal.thresholds_, universal.sigma_ * np.sqrt(2 * np.log(64)))
    assert universal.sigma_ == pytest.approx(0.2, rel=0.1)  # the noise level we added

    bayes = WaveletDenoiser("db4", threshold="bayes").fit(X)
    for detail, t in zip(details, bayes.thresholds_, strict=True):
        signal_var = np.mean(detail**2) - bayes.sigma_**2
        assert t == (pytest.approx(bayes.sigma_**2 / np.sqrt(signal_var))
                     if signal_var > 0 else np.inf)
    # the slow sine lives in the coarsest details: it gets the smallest threshold
    assert bayes.thresholds_[0] < bayes.thresholds_[-1]

    fixed = WaveletDenoiser("db4", threshold=0.3).fit(X)
    assert_allclose(fixed.thresholds_, 0.3)
    assert len(fixed.thresholds_) == fixed.level_


def test_denoiser_reduces_noise_on_a_smooth_signal():
    rng = np.random.default_rng(2)
    signal = np.sin(2 * np.pi * np.arange(64) / 64)
    X = signal + 0.3 * rng.normal(size=(300, 64))
    for threshold in ["universal", "bayes"]:
        Xt = WaveletDenoiser("db4", threshold=threshold).fit(X[:200]).transform(X[200:])
        assert np.mean((Xt - signal) ** 2) < 0.5 * np.mean((X[200:] - signal) ** 2)


def test_denoiser_level_is_capped_at_the_row_maximum():
    X = np.random.default_rng(0).normal(size=(5, 64))
    assert WaveletDenoiser("db4").fit(X).level_ == pywt.dwt_max_level(64, 8) == 3
    assert WaveletDenoiser("db4", level=2).fit(X).level_ == 2
    assert WaveletDenoiser("db4", level=10).fit(X).level_ == 3
    assert WaveletDenoiser("haar", level=10).fit(X).level_ == 6
    assert WaveletDenoiser("db4").fit(X[:, :14]).level_ == 1  # the shortest db4 row


@pytest.mark.parametrize(
    "X, match",
    [
        (np.ones((4, 13)), r"13 feature\(s\).*minimum of 14.*'db4'"),
        (np.ones((4, 1)), r"1 feature\(s\)"),
        (np.array([[1.0] * 15 + [np.nan]]), "NaN.*put SigmaOutlierSmoother before it"),
        (np.array([[1.0] * 15 + [np.inf]]), "infinity"),
        (np.array([["a"] * 16], dtype=object), "convert"),
    ],
)
def test_denoiser_fit_errors(X, match):
    with pytest.raises(ValueError, match=match):
        WaveletDenoiser().fit(X)


def test_denoiser_transform_errors():
    denoiser = WaveletDenoiser("haar").fit(np.ones((3, 8)))
    with pytest.raises(ValueError, match="SigmaOutlierSmoother"):
        denoiser.transform(np.array([[1.0] * 7 + [np.nan]]))
    with pytest.raises(ValueError, match="X has 9 features"):
        denoiser.transform(np.ones((3, 9)))


@pytest.mark.parametrize(
    "params, error",
    [
        ({"wavelet": "morl"}, ValueError),  # a continuous wavelet
        ({"wavelet": "db99"}, ValueError),
        ({"level": 0}, InvalidParameterError),
        ({"threshold": -0.1}, InvalidParameterError),
        ({"threshold": "sure"}, InvalidParameterError),
        ({"threshold_mode": "garrote"}, InvalidParameterError),
        ({"output": "approximation"}, InvalidParameterError),
        ({"signal_extension": "mirror"}, InvalidParameterError),
    ],
)
def test_denoiser_invalid_parameters(params, error):
    with pytest.raises(error, match="wavelet|must be"):
        WaveletDenoiser(**params).fit(np.ones((3, 32)))


@pytest.mark.parametrize("output", ["denoised", "residual", "both"])
def test_denoiser_float32_and_read_only(output):
    X = np.random.default_rng(0).normal(size=(20, 16))
    X32 = X.astype(np.float32)
    X32.setflags(write=False)
    denoiser = WaveletDenoiser("db2", output=output).fit(X32)
    Xt = denoiser.transform(X32)
    assert Xt.dtype == np.float32
    assert Xt.shape == (20, 32 if output == "both" else 16)
    X64 = WaveletDenoiser("db2", output=output).fit(X).transform(X)
    assert_allclose(Xt, X64, atol=1e-4)


def test_denoiser_output_both_names_and_pandas():
    _, X, _ = _windows()
    lags = X[lag_columns(X)].ffill().bfill()
    denoiser = WaveletDenoiser("db2", output="both").set_output(transform="pandas")
    out = denoiser.fit_transform(lags)
    names = list(lags.columns)
    assert list(out.columns) == [f"{n}_denoised" for n in names] + [f"{n}_residual" for n in names]
    assert out.index.equals(lags.index)
    assert_allclose(out.iloc[:, :16].to_numpy() + out.iloc[:, 16:].to_numpy(), lags.to_numpy())

    plain = WaveletDenoiser("db2", output="both").fit(lags.to_numpy())
    assert plain.get_feature_names_out().tolist() == (
        [f"x{i}_denoised" for i in range(16)] + [f"x{i}_residual" for i in range(16)]
    )
    single = WaveletDenoiser("db2", output="residual").fit(lags)
    assert_array_equal(single.get_feature_names_out(), names)


def test_denoise_on_a_series():
    days = pd.date_range("2024-01-01", periods=40, freq="D", name="date")
    rng = np.random.default_rng(0)
    series = pd.Series(np.sin(np.arange(40) / 6) + 0.1 * rng.normal(size=40), index=days,
                       name="demand")
    out = denoise(series, wavelet="sym4", threshold="bayes")
    assert isinstance(out, pd.Series)
    assert out.index.equals(series.index) and out.name == "demand"
    expected = WaveletDenoiser("sym4", threshold="bayes").fit_transform(series.to_numpy()[None])
    assert_allclose(out.to_numpy(), expected[0])
    assert_allclose(denoise(series, threshold=0.0), series, atol=1e-10)
    with pytest.raises(ValueError, match="SigmaOutlierSmoother"):
        denoise(series.where(series > 0))


# --------------------------------------------------------------------------- pipelines
def test_study_pipeline_shape_lags_smoother_denoiser_covariates_pca():
    _, X, y = _windows(n_days=150, lookback=14)
    lag_pipe = make_pipeline(SigmaOutlierSmoother(), WaveletDenoiser("db4", output="both"))
    features = make_window_transformer(
        lags=lag_pipe, covariates=make_pipeline(StandardScaler(), PCA(n_components=2))
    ).set_output(transform="pandas")
    Z = features.fit_transform(X)
    lag_names = lag_columns(X)
    assert Z.shape == (len(X), 2 * 14 + 2)
    assert list(Z.columns[:28]) == (
        [f"{n}_denoised" for n in lag_names] + [f"{n}_residual" for n in lag_names]
    )
    assert list(Z.columns[28:]) == ["pca0", "pca1"]
    assert Z.index.equals(X.index) and not Z.isna().any().any()
    fitted_lags = features.named_transformers_["lags"]
    assert fitted_lags.named_steps["waveletdenoiser"].level_ == 1  # 14 lags: one db4 level

    model = make_pipeline(make_window_transformer(lags=lag_pipe, covariates=StandardScaler()),
                          Ridge())
    scores = cross_val_score(model, X, y, cv=TimeSeriesSplit(n_splits=3),
                             scoring="neg_mean_absolute_error")
    assert np.isfinite(scores).all()


# --------------------------------------------------------------------------- properties
def _rows(min_features=2, max_features=24, max_rows=8):
    shape = st.tuples(st.integers(1, max_rows), st.integers(min_features, max_features))
    return shape.flatmap(
        lambda s: arrays(
            np.float64,
            s,
            elements=st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, width=64),
        )
    )


@st.composite
def _rows_with_gaps(draw):
    X = draw(_rows())
    gaps = draw(arrays(np.bool_, X.shape))
    X = np.where(gaps, np.nan, X)
    assume(not np.isnan(X).all())
    return X


@PROPERTY
@given(
    X=_rows_with_gaps(),
    n_sigma=st.floats(0.5, 4.0),
    window=st.integers(1, 4),
    neighbors=st.sampled_from(["both", "past"]),
    dtype=st.sampled_from([np.float64, np.float32]),
)
def test_property_smoother_band_in_band_values_idempotence(X, n_sigma, window, neighbors,
                                                           dtype):
    X = X.astype(dtype)
    smoother = SigmaOutlierSmoother(n_sigma, window=window, neighbors=neighbors).fit(X)
    Xt = smoother.transform(pd.DataFrame(X))
    assert Xt.shape == X.shape and Xt.dtype == dtype
    X, Xt = X.astype(np.float64), Xt.astype(np.float64)  # compare with the float64 band
    inside = (X >= smoother.lower_) & (X <= smoother.upper_)
    assert_array_equal(Xt[inside], X[inside])  # in-band values unchanged
    assert (Xt >= smoother.lower_).all() and (Xt <= smoother.upper_).all()  # also no NaN
    assert_array_equal(smoother.transform(Xt), Xt)  # idempotent


@PROPERTY
@given(X=_rows_with_gaps())
def test_property_smoother_pandas_output_keeps_index_and_names(X):
    index = pd.date_range("2020-01-01", periods=X.shape[0], freq="D", name="date")
    columns = [f"demand_lag{k}" for k in range(X.shape[1], 0, -1)]
    frame = pd.DataFrame(X, index=index, columns=columns)
    out = SigmaOutlierSmoother().set_output(transform="pandas").fit_transform(frame)
    assert out.index.equals(index) and list(out.columns) == columns


@PROPERTY
@given(
    X=_rows_with_gaps(),
    a=st.floats(0.01, 100.0),
    b=st.floats(-1e3, 1e3),
    weights=st.sampled_from(["inverse_distance", "uniform"]),
)
def test_property_smoother_affine_equivariance(X, a, b, weights):
    smoother = SigmaOutlierSmoother(2.0, weights=weights).fit(X)
    # values on (or a rounding error away from) the band edge may flip: leave them out
    margin = 1e-7 * (abs(smoother.center_) + smoother.scale_ + 1.0)
    values = X[~np.isnan(X)]
    assume(np.all(np.abs(values - smoother.lower_) > margin))
    assume(np.all(np.abs(values - smoother.upper_) > margin))
    expected = a * smoother.transform(X) + b
    Y = a * X + b
    result = SigmaOutlierSmoother(2.0, weights=weights).fit_transform(Y)
    assert_allclose(result, expected, rtol=1e-9, atol=1e-9 * (a * 1e3 + abs(b)))


@PROPERTY
@given(
    X=_rows_with_gaps(),
    constant=st.floats(-1e3, 1e3),
    n_train=st.integers(1, 5),
    center=st.sampled_from(["mean", "median"]),
    neighbors=st.sampled_from(["both", "past"]),
    dtype=st.sampled_from([np.float64, np.float32]),
)
def test_property_smoother_fitted_on_constant_rows_flags_no_value(X, constant, n_train, center,
                                                                  neighbors, dtype):
    """Constant training rows have scale 0: no value is an outlier, only gaps are filled."""
    train = np.full((n_train, X.shape[1]), constant, dtype=dtype)
    train[0, 0] = np.nan  # missing training values do not count
    smoother = SigmaOutlierSmoother(center=center, neighbors=neighbors).fit(train)
    assert smoother.scale_ == 0.0 and smoother.center_ == dtype(constant)
    assert smoother.lower_ == -np.inf and smoother.upper_ == np.inf
    X = X.astype(dtype)
    gaps = np.isnan(X)
    assert_array_equal(smoother.get_outlier_mask(X), gaps)
    Xt = smoother.transform(X)
    assert_array_equal(Xt[~gaps], X[~gaps])
    assert not np.isnan(Xt).any()
    assert_array_equal(smoother.transform(Xt), Xt)


def test_smoother_constant_rows_keep_other_values():
    # before: scale 0 made a zero-width band and every value but 5 became 5
    smoother = SigmaOutlierSmoother().fit(np.full((10, 4), 5.0))
    X = np.array([[5.0, 7.0, np.nan, 3.0]])
    assert_allclose(smoother.transform(X), [[5.0, 7.0, 5.0, 3.0]])  # the gap: (7 + 3) / 2


def test_smoother_median_scale_falls_back_to_mean_deviation_when_the_mad_is_zero():
    # more than half the values equal the median: the MAD is 0, the mean deviation is not
    train = np.array([[10.0, 10, 10, 10, 10], [10, 10, 10, 11, 9]])
    smoother = SigmaOutlierSmoother(3.0, center="median").fit(train)
    assert smoother.center_ == 10.0
    assert smoother.scale_ == pytest.approx(np.sqrt(np.pi / 2) * 0.2)
    mask = smoother.get_outlier_mask([[10.0, 10.5, 9.4, 50.0, 10.0]])
    assert_array_equal(mask, [[False, False, False, True, False]])


@st.composite
def _wavelet_rows(draw, max_rows=6):
    wavelet = draw(st.sampled_from(["haar", "db2", "sym3", "coif1"]))
    min_features = 2 * (pywt.Wavelet(wavelet).dec_len - 1)
    X = draw(_rows(min_features=min_features, max_features=40, max_rows=max_rows))
    return wavelet, X


_EXTENSIONS = ["symmetric", "reflect", "periodic", "smooth", "constant", "periodization"]


@PROPERTY
@given(
    data=_wavelet_rows(),
    level=st.one_of(st.none(), st.integers(1, 6)),
    extension=st.sampled_from([*_EXTENSIONS, "zero", "antisymmetric"]),
)
def test_property_denoiser_zero_threshold_reconstructs_and_parts_add_up(data, level, extension):
    wavelet, X = data
    exact = WaveletDenoiser(wavelet, level=level, threshold=0.0, signal_extension=extension)
    scale = 1e-9 * (np.abs(X).max() + 1.0)
    assert_allclose(exact.fit_transform(X), X, atol=scale)
    both = WaveletDenoiser(wavelet, level=level, output="both", signal_extension=extension)
    out = both.fit_transform(X)
    n = X.shape[1]
    assert out.shape == (X.shape[0], 2 * n)
    assert_allclose(out[:, :n] + out[:, n:], X, atol=scale)


@PROPERTY
@given(
    data=_wavelet_rows(),
    constants=arrays(np.float64, 3, elements=st.floats(-1e3, 1e3)),
    threshold=st.sampled_from(["universal", "bayes", 0.5]),
    mode=st.sampled_from(["soft", "hard"]),
    extension=st.sampled_from(_EXTENSIONS),
)
def test_property_denoiser_leaves_constant_rows_unchanged(data, constants, threshold, mode,
                                                         extension):
    wavelet, X = data
    denoiser = WaveletDenoiser(wavelet, threshold=threshold, threshold_mode=mode,
                               signal_extension=extension).fit(X)
    flat = np.repeat(constants[:, None], X.shape[1], axis=1)
    assert_allclose(denoiser.transform(flat), flat, atol=1e-9 * (np.abs(constants).max() + 1))


@PROPERTY
@given(
    data=_wavelet_rows(),
    a=st.floats(0.01, 100.0),
    b=st.floats(-1e3, 1e3),
    threshold=st.sampled_from(["universal", "bayes"]),
)
def test_property_denoiser_affine_equivariance(data, a, b, threshold):
    wavelet, X = data
    denoiser = WaveletDenoiser(wavelet, threshold=threshold)
    expected = a * denoiser.fit_transform(X) + b
    result = WaveletDenoiser(wavelet, threshold=threshold).fit_transform(a * X + b)
    assert_allclose(result, expected, atol=1e-8 * (a * (np.abs(X).max() + 1.0) + abs(b)))


@PROPERTY
@given(data=_wavelet_rows(max_rows=4), threshold=st.sampled_from(["universal", "bayes", 1.0]))
def test_property_denoiser_equals_loop_over_rows(data, threshold):
    wavelet, X = data
    denoiser = WaveletDenoiser(wavelet, threshold=threshold).fit(X)
    expected = _reference_denoise(X, wavelet, denoiser.level_, denoiser.thresholds_, "soft",
                                  "symmetric")
    assert_allclose(denoiser.transform(X), expected, rtol=1e-10,
                    atol=1e-10 * (np.abs(X).max() + 1.0))


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    position=st.integers(20, 119),
    shift=st.floats(-3.0, 3.0).filter(lambda v: abs(v) > 0.1),
)
def test_property_no_leakage_after_the_origin(seed, position, shift):
    frame, X, _ = _windows(seed=seed)
    lags = lag_columns(X)
    n_train = 60
    pipe = make_pipeline(SigmaOutlierSmoother(), WaveletDenoiser("db2", output="both"))
    pipe.fit(X[lags].iloc[:n_train])  # statistics from the unperturbed training rows

    perturbed = frame.copy()
    date = frame.index[position]
    if np.isnan(perturbed.iloc[position, 0]):
        perturbed.iloc[position, 0] = 100.0
    else:
        perturbed.iloc[position, 0] += shift
    X2, _ = make_windows(perturbed, "demand", lookback=16)
    # filling a missing target adds its row; no row disappears
    assert X.index.isin(X2.index).all()
    X2 = X2.loc[X.index]
    before = pipe.transform(X[lags])
    after = pipe.transform(X2[lags])

    origins = X.index - pd.Timedelta(days=1)
    past = np.asarray(origins < date)
    assert past.any()
    assert_array_equal(after[past], before[past])  # rows whose origin precedes the change
    # ...while rows that hold the changed value in their lags do see it (the test can fail)
    holds = np.asarray((origins >= date) & (origins < date + pd.Timedelta(days=16)))
    smoother = pipe.named_steps["sigmaoutliersmoother"]
    old, new = frame.iloc[position, 0], perturbed.iloc[position, 0]
    if holds.any() and all(smoother.lower_ <= v <= smoother.upper_ for v in (old, new)):
        assert not np.allclose(after[holds], before[holds])
