"""Known-answer tests of the two-sample quality metrics."""

import math

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.preprocessing import StandardScaler

from sklearn_hydro.metrics import (
    classifier_two_sample_score,
    frechet_distance,
    maximum_mean_discrepancy,
)

# A smaller forest than the default (100 trees) where the default is not what is tested:
# the statistical assertions hold for it too, five times faster.
FOREST = RandomForestClassifier(n_estimators=20)


@pytest.fixture(scope="module")
def gaussians():
    rng = np.random.default_rng(0)
    return rng.normal(size=(200, 3)), rng.normal(size=(200, 3))


# --------------------------------------------------------------------------- C2ST


def test_c2st_same_distribution_is_near_chance(gaussians):
    real, other = gaussians
    score = classifier_two_sample_score(real, other, classifier=FOREST, random_state=0)
    # null standard deviation ~ 1 / (2 sqrt(400)) = 0.025
    assert abs(score - 0.5) < 0.08


def test_c2st_identical_samples_are_at_chance(gaussians):
    real, _ = gaussians
    # every row appears once with each label: no classifier can beat chance on average
    # (the default classifier, on fewer rows)
    assert classifier_two_sample_score(real[:150], real[:150], random_state=0) <= 0.55


@pytest.mark.parametrize("metric", ["accuracy", "roc_auc"])
def test_c2st_shifted_samples_are_separated(gaussians, metric):
    real, other = gaussians
    score = classifier_two_sample_score(
        real, other + 4.0, classifier=FOREST, metric=metric, random_state=0
    )
    assert score > 0.97


def test_c2st_grows_with_the_shift(gaussians):
    real, other = gaussians
    scores = [
        classifier_two_sample_score(real, other + [shift, 0, 0], classifier=FOREST,
                                    random_state=0)
        for shift in (0.0, 1.0, 3.0)
    ]
    assert scores[0] < scores[1] < scores[2]


def test_c2st_is_seeded(gaussians):
    real, other = gaussians
    # the forest's random_state is left at None: the function seeds it
    a = classifier_two_sample_score(real, other + 0.3, classifier=FOREST, random_state=1)
    b = classifier_two_sample_score(real, other + 0.3, classifier=FOREST, random_state=1)
    assert a == b
    assert FOREST.random_state is None  # cloned, not modified


def test_c2st_balances_unequal_sizes(gaussians):
    real, other = gaussians
    # 200 real rows against 60 from the same distribution: without subsampling a classifier
    # predicting "real" always would score 200 / 260 = 0.77
    score = classifier_two_sample_score(real, other[:60], classifier=FOREST, random_state=0)
    assert abs(score - 0.5) < 0.15


def test_c2st_custom_classifier(gaussians):
    real, other = gaussians
    score = classifier_two_sample_score(
        real, other + [2.0, 0, 0], classifier=LogisticRegression(), random_state=0
    )
    # Bayes accuracy for a mean shift of 2 standard deviations: Phi(1) = 0.84
    assert 0.78 < score < 0.90


def test_c2st_errors(gaussians):
    real, other = gaussians
    with pytest.raises(ValueError, match="same number of columns"):
        classifier_two_sample_score(real, other[:, :2])
    with pytest.raises(ValueError, match="NaN"):
        classifier_two_sample_score(np.where(real > 2, np.nan, real), other)
    with pytest.raises(ValueError, match="minimum of 5"):
        classifier_two_sample_score(real[:3], other[:3])
    with pytest.raises(TypeError, match="classifier"):
        classifier_two_sample_score(real, other, classifier=LinearRegression())
    with pytest.raises(ValueError, match="metric"):
        classifier_two_sample_score(real, other, metric="f1")


# --------------------------------------------------------------------------- MMD


def test_mmd_identical_samples_is_zero(gaussians):
    real, _ = gaussians
    assert maximum_mean_discrepancy(real, real) == 0.0


def test_mmd_point_masses_closed_form():
    a, b = np.zeros((5, 2)), np.tile([3.0, 4.0], (7, 1))  # |a - b|^2 = 25
    value = maximum_mean_discrepancy(a, b, gamma=0.01)
    assert value == pytest.approx(2 - 2 * math.exp(-0.25), abs=1e-12)


def test_mmd_unbiased_matches_gaussian_closed_form():
    # X ~ N(0, I_2), Y ~ N(mu, I_2), k = exp(-gamma |x - y|^2) with gamma = 1/4 (sigma^2 = 2):
    # MMD^2 = 2 (s2 / (s2 + 2))^(d/2) (1 - exp(-|mu|^2 / (2 (s2 + 2)))) = 1 - exp(-1/8)
    rng = np.random.default_rng(1)
    X = rng.normal(size=(1500, 2))
    Y = rng.normal(size=(1500, 2)) + [1.0, 0.0]
    expected = 1 - math.exp(-1 / 8)
    assert maximum_mean_discrepancy(X, Y, gamma=0.25, unbiased=True) == pytest.approx(
        expected, abs=0.015
    )
    same = maximum_mean_discrepancy(X, rng.normal(size=(1500, 2)), gamma=0.25, unbiased=True)
    assert abs(same) < 0.01


def test_mmd_properties(gaussians):
    real, other = gaussians
    assert maximum_mean_discrepancy(real, other) == pytest.approx(
        maximum_mean_discrepancy(other, real)
    )
    values = [maximum_mean_discrepancy(real, other + shift) for shift in (0.0, 0.5, 2.0)]
    assert values[0] < values[1] < values[2]
    # the median-heuristic bandwidth makes it invariant to a common change of units
    assert maximum_mean_discrepancy(10 * real, 10 * other + 5) == pytest.approx(
        maximum_mean_discrepancy(real, other + 0.5)
    )


def test_mmd_blocks_match_direct_computation():
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(1100, 2)), rng.normal(size=(40, 2)) + 0.5  # two row blocks
    d2 = ((X[:, None, :] - Y[None, :, :]) ** 2).sum(-1)
    kxx = np.exp(-0.5 * ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)).mean()
    kyy = np.exp(-0.5 * ((Y[:, None, :] - Y[None, :, :]) ** 2).sum(-1)).mean()
    expected = kxx + kyy - 2 * np.exp(-0.5 * d2).mean()
    assert maximum_mean_discrepancy(X, Y, gamma=0.5) == pytest.approx(expected, rel=1e-9)


def test_mmd_errors(gaussians):
    real, other = gaussians
    with pytest.raises(ValueError, match="same number of columns"):
        maximum_mean_discrepancy(real, other[:, :1])
    with pytest.raises(ValueError, match="gamma"):
        maximum_mean_discrepancy(real, other, gamma=0.0)
    with pytest.raises(ValueError, match="infinity"):
        maximum_mean_discrepancy(np.where(real > 2, np.inf, real), other)


# --------------------------------------------------------------------------- Frechet


@pytest.mark.parametrize("features", ["pca", "identity"])
def test_frechet_identical_samples_is_zero(gaussians, features):
    real, _ = gaussians
    assert frechet_distance(real, real, features=features) == pytest.approx(0.0, abs=1e-9)


def test_frechet_shift_adds_its_squared_norm(gaussians):
    real, other = gaussians
    base = frechet_distance(real, other, features="identity")
    shifted = frechet_distance(real, other + [3.0, 4.0, 0.0], features="identity")
    # the means' difference grows from m to m + c: |m + c|^2 - |m|^2 = |c|^2 + 2 m.c
    m = other.mean(axis=0) - real.mean(axis=0)
    assert shifted - base == pytest.approx(25.0 + 2 * m @ [3.0, 4.0, 0.0], rel=1e-9)
    # with all principal components the PCA features are a rotation: same distance
    assert frechet_distance(real, real + [3.0, 4.0, 0.0], n_components=3) == pytest.approx(25.0)


def test_frechet_scaled_sample_closed_form(gaussians):
    # fake = 2 * real: mu_f = 2 mu_r, S_f = 4 S_r, so
    # d^2 = |mu_r|^2 + tr(S_r + 4 S_r - 2 * 2 S_r) = |mu_r|^2 + tr(S_r)
    real, _ = gaussians
    expected = real.mean(axis=0) @ real.mean(axis=0) + np.trace(np.cov(real, rowvar=False))
    assert frechet_distance(real, 2 * real, features="identity") == pytest.approx(expected)


def test_frechet_pca_fitted_on_real_rows(gaussians):
    # the real rows do not vary along the third column, so 2 PCA components fitted on them
    # span the first two columns only and cannot see a shift along the third
    real = gaussians[0] * [1.0, 1.0, 0.0]
    fake = real + [0.0, 0.0, 3.0]
    assert frechet_distance(real, fake, n_components=2) == pytest.approx(0.0, abs=1e-9)
    assert frechet_distance(real, fake, features="identity") == pytest.approx(9.0)


def test_frechet_custom_features(gaussians):
    real, other = gaussians
    a = frechet_distance(real, other + 1.0, features=StandardScaler())
    b = frechet_distance(real, other + 1.0, features=lambda Z: (Z - real.mean(0)) / real.std(0))
    assert a == pytest.approx(b)
    assert a > 2.0  # a shift of about 1 standard deviation in each of 3 columns


def test_frechet_errors(gaussians):
    real, other = gaussians
    with pytest.raises(ValueError, match="same number of columns"):
        frechet_distance(real, other[:, :2])
    with pytest.raises(ValueError, match="minimum of 2"):
        frechet_distance(real[:1], other)
    with pytest.raises(ValueError, match="features"):
        frechet_distance(real, other, features="inception")
