"""Two-sample quality metrics: how close are generated rows to real rows?

Three complementary views of the same question, usable on any two numeric tables with the
same columns (flattened images, demand windows, ...):

- :func:`classifier_two_sample_score`: can a classifier tell the rows apart?
- :func:`maximum_mean_discrepancy`: distance between the kernel mean embeddings (RBF kernel).
- :func:`frechet_distance`: distance between Gaussians fitted to features of the rows.
"""

import numbers

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.utils import check_array, check_random_state

from ..utils._sklearn import HasMethods, Interval, StrOptions, validate_params

__all__ = [
    "classifier_two_sample_score",
    "frechet_distance",
    "maximum_mean_discrepancy",
    "median_gamma",
]

# Rows of the pooled sample used to pick the median-heuristic bandwidth, and rows per block
# when summing kernel values (keeps memory at a few MB whatever the sample sizes).
_MEDIAN_ROWS = 1000
_BLOCK_ROWS = 1024


def _check_pair(X, Y, *, min_samples, names=("X", "Y")):
    """Validate two 2-D finite float arrays with the same number of columns."""
    X = check_array(X, dtype=np.float64, ensure_min_samples=min_samples, input_name=names[0])
    Y = check_array(Y, dtype=np.float64, ensure_min_samples=min_samples, input_name=names[1])
    if X.shape[1] != Y.shape[1]:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same number of columns, got "
            f"{X.shape[1]} and {Y.shape[1]}."
        )
    return X, Y


def _seed(random_state):
    """An int seed drawn from ``random_state`` (int, RandomState or None)."""
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


@validate_params(
    {
        "X_real": ["array-like"],
        "X_fake": ["array-like"],
        "classifier": [HasMethods(["fit", "predict"]), None],
        "metric": [StrOptions({"accuracy", "roc_auc"})],
        "cv": [Interval(numbers.Integral, 2, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def classifier_two_sample_score(
    X_real, X_fake, *, classifier=None, metric="accuracy", cv=5, random_state=None
):
    """Classifier two-sample test (C2ST): how well a classifier tells real from generated rows.

    The rows of ``X_real`` are labelled 1 and those of ``X_fake`` 0; the larger sample is first
    subsampled (without replacement) to the size of the smaller one so that chance level is
    exactly 0.5. The classifier is evaluated by stratified, shuffled ``cv``-fold
    cross-validation and the mean held-out score is returned.

    Read more in the Notes.

    Parameters
    ----------
    X_real : array-like of shape (n_real, n_features)
        Real rows.
    X_fake : array-like of shape (n_fake, n_features)
        Generated rows, same columns as ``X_real``.
    classifier : classifier, default=None
        Unfitted scikit-learn classifier (cloned). ``None`` uses
        ``RandomForestClassifier(n_estimators=100, random_state=seed)``. If the classifier has a
        ``random_state`` parameter left at ``None``, it is set from ``random_state``.
    metric : {"accuracy", "roc_auc"}, default="accuracy"
        Held-out accuracy, or area under the ROC curve (needs ``predict_proba`` or
        ``decision_function``).
    cv : int, default=5
        Number of folds; each sample must have at least ``cv`` rows.
    random_state : int, RandomState instance or None, default=None
        Seeds the subsampling, the folds and the classifier. Pass an int for a reproducible
        score.

    Returns
    -------
    score : float
        Mean held-out accuracy (or AUC) in [0, 1]. 0.5 means the classifier cannot tell the
        samples apart (ideal generator); 1.0 means it separates them perfectly.

    See Also
    --------
    maximum_mean_discrepancy : Kernel two-sample distance.
    frechet_distance : Distance between Gaussians fitted to features.

    Notes
    -----
    With labels :math:`t_i \\in \\{0, 1\\}` and held-out predictions :math:`\\hat t_i`, the
    accuracy is :math:`\\frac{1}{2n}\\sum_i 1[\\hat t_i = t_i]`. Under the null hypothesis that
    both samples come from the same distribution it is distributed around 0.5 with a standard
    deviation of about :math:`1/(2\\sqrt{2n})` (Lopez-Paz and Oquab, "Revisiting Classifier
    Two-Sample Tests", ICLR 2017). The score depends on the classifier: a stronger classifier
    finds more differences, so compare generators with the same classifier and seed.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hydro.metrics import classifier_two_sample_score
    >>> rng = np.random.default_rng(0)
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> real = rng.normal(size=(100, 2))
    >>> forest = RandomForestClassifier(n_estimators=20)  # seeded from random_state
    >>> classifier_two_sample_score(real, real + 5.0, classifier=forest, random_state=0)
    1.0
    >>> score = classifier_two_sample_score(real, rng.normal(size=(100, 2)),
    ...                                     classifier=forest, random_state=0)
    >>> bool(abs(score - 0.5) < 0.1)
    True
    """
    X_real, X_fake = _check_pair(X_real, X_fake, min_samples=cv, names=("X_real", "X_fake"))
    rng = check_random_state(random_state)
    n = min(len(X_real), len(X_fake))
    if len(X_real) > n:
        X_real = X_real[np.sort(rng.choice(len(X_real), n, replace=False))]
    if len(X_fake) > n:
        X_fake = X_fake[np.sort(rng.choice(len(X_fake), n, replace=False))]
    seed = _seed(rng)
    if classifier is None:
        classifier = RandomForestClassifier(n_estimators=100, random_state=seed)
    else:
        if not is_classifier(classifier):
            raise TypeError(f"classifier must be a scikit-learn classifier, got {classifier!r}.")
        classifier = clone(classifier)
        params = classifier.get_params(deep=False)
        if "random_state" in params and params["random_state"] is None:
            classifier.set_params(random_state=seed)
    Z = np.vstack([X_real, X_fake])
    labels = np.r_[np.ones(n, dtype=int), np.zeros(n, dtype=int)]
    folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=seed)
    scores = cross_val_score(classifier, Z, labels, cv=folds, scoring=metric)
    return float(np.mean(scores))


def median_gamma(Z):
    """The median heuristic of an RBF kernel's ``gamma`` for the rows of ``Z``.

    ``gamma = 1 / (2 * median squared distance)`` over the pairs of rows (an evenly spaced
    subsample of large ``Z``); the mean when more than half the pairs coincide.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hydro.metrics import median_gamma
    >>> float(median_gamma(np.array([[0.0], [1.0], [3.0]])))
    0.125
    """
    if len(Z) > _MEDIAN_ROWS:  # deterministic, evenly spaced subsample
        Z = Z[np.linspace(0, len(Z) - 1, _MEDIAN_ROWS).astype(int)]
    sq = np.sum(Z**2, axis=1)
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2.0 * Z @ Z.T, 0.0)
    d2 = d2[np.triu_indices(len(Z), k=1)]
    med = np.median(d2)
    if med <= 0:  # more than half the pairs coincide: fall back on the mean
        med = d2.mean()
    return 1.0 / (2.0 * med) if med > 0 else 1.0


def _rbf_sum(A, B, gamma):
    """Sum of ``exp(-gamma * ||a - b||^2)`` over all pairs, computed in row blocks."""
    sq_b = np.sum(B**2, axis=1)
    total = 0.0
    for start in range(0, len(A), _BLOCK_ROWS):
        a = A[start : start + _BLOCK_ROWS]
        d2 = np.sum(a**2, axis=1)[:, None] + sq_b[None, :] - 2.0 * a @ B.T
        total += np.exp(-gamma * np.maximum(d2, 0.0)).sum()
    return total


@validate_params(
    {
        "X": ["array-like"],
        "Y": ["array-like"],
        "gamma": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "unbiased": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def maximum_mean_discrepancy(X, Y, *, gamma=None, unbiased=False):
    """Squared maximum mean discrepancy (MMD²) between two samples, with an RBF kernel.

    Read more in the Notes.

    Parameters
    ----------
    X : array-like of shape (n, n_features)
        First sample (e.g. real rows).
    Y : array-like of shape (m, n_features)
        Second sample (e.g. generated rows), same columns.
    gamma : float > 0, default=None
        Kernel coefficient of :math:`k(x, y) = \\exp(-\\gamma \\|x - y\\|^2)`. ``None`` uses the
        median heuristic on the pooled rows: :math:`\\gamma = 1 / (2 \\,
        \\mathrm{median}_{i<j} \\|z_i - z_j\\|^2)` (on at most 1,000 evenly spaced pooled rows).
        Fix ``gamma`` when comparing several generators against the same real rows.
    unbiased : bool, default=False
        Return the unbiased U-statistic instead of the (non-negative) V-statistic.

    Returns
    -------
    mmd2 : float
        The squared MMD estimate; 0 for identical samples (biased estimate), larger is worse.

    See Also
    --------
    classifier_two_sample_score : Classifier-based two-sample score.
    frechet_distance : Distance between Gaussians fitted to features.

    Notes
    -----
    The biased (V-statistic) estimate is

    .. math::

        \\mathrm{MMD}^2_b = \\frac{1}{n^2}\\sum_{i,j} k(x_i, x_j)
        + \\frac{1}{m^2}\\sum_{i,j} k(y_i, y_j) - \\frac{2}{nm}\\sum_{i,j} k(x_i, y_j),

    which is never negative and exactly 0 when the two samples are the same. The unbiased
    estimate drops the diagonal terms (:math:`i = j`) of the first two sums and divides them by
    :math:`n(n-1)` and :math:`m(m-1)`; it can be slightly negative. Both estimate
    :math:`\\|\\mu_P - \\mu_Q\\|^2_{\\mathcal H}`, which is zero if and only if the two
    distributions are equal (the RBF kernel is characteristic). For two point masses at
    :math:`a` and :math:`b` the value is :math:`2 - 2\\exp(-\\gamma\\|a - b\\|^2)`
    (Gretton et al., "A Kernel Two-Sample Test", JMLR 2012).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hydro.metrics import maximum_mean_discrepancy
    >>> X = np.zeros((4, 2))
    >>> maximum_mean_discrepancy(X, X)
    0.0
    >>> round(maximum_mean_discrepancy(X, X + [1.0, 0.0], gamma=0.5), 4)  # 2 - 2 exp(-0.5)
    0.7869
    """
    X, Y = _check_pair(X, Y, min_samples=2 if unbiased else 1)
    if gamma is None:
        gamma = median_gamma(np.vstack([X, Y]))
    n, m = len(X), len(Y)
    kxx, kyy, kxy = _rbf_sum(X, X, gamma), _rbf_sum(Y, Y, gamma), _rbf_sum(X, Y, gamma)
    if unbiased:  # k(x, x) = 1 on the diagonal
        value = (kxx - n) / (n * (n - 1)) + (kyy - m) / (m * (m - 1)) - 2.0 * kxy / (n * m)
    else:
        value = max(kxx / n**2 + kyy / m**2 - 2.0 * kxy / (n * m), 0.0)
    return float(value)


def _gaussian_frechet(mu1, cov1, mu2, cov2):
    """``||mu1 - mu2||^2 + Tr(C1 + C2 - 2 (C1^1/2 C2 C1^1/2)^1/2)`` with symmetric eigh only."""
    w, v = np.linalg.eigh(cov1)
    root1 = (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T
    middle = root1 @ cov2 @ root1
    cross = np.sqrt(np.clip(np.linalg.eigvalsh((middle + middle.T) / 2.0), 0.0, None)).sum()
    value = np.sum((mu1 - mu2) ** 2) + np.trace(cov1) + np.trace(cov2) - 2.0 * cross
    return max(float(value), 0.0)


@validate_params(
    {
        "X_real": ["array-like"],
        "X_fake": ["array-like"],
        "features": [StrOptions({"pca", "identity"}), HasMethods(["fit", "transform"]), callable],
        "n_components": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def frechet_distance(X_real, X_fake, *, features="pca", n_components=10, random_state=None):
    """Fréchet distance between Gaussians fitted to features of real and generated rows.

    The same quantity as the FID of image generators, with the Inception network replaced by
    a feature map that suits any table: by default a PCA fitted on the real rows only.

    Read more in the Notes.

    Parameters
    ----------
    X_real : array-like of shape (n_real, n_features)
        Real rows (at least 2).
    X_fake : array-like of shape (n_fake, n_features)
        Generated rows (at least 2), same columns.
    features : {"pca", "identity"}, transformer or callable, default="pca"
        Feature map applied to both samples. ``"pca"``: ``PCA(n_components)`` fitted on
        ``X_real``; ``"identity"``: the columns themselves; a scikit-learn transformer: cloned,
        fitted on ``X_real``, then applied to both; a callable: ``features(X)`` returns the
        feature matrix (e.g. a pretrained network).
    n_components : int, default=10
        Number of principal components for ``features="pca"`` (capped by the number of
        columns and by ``n_real - 1``).
    random_state : int, RandomState instance or None, default=None
        Seeds the PCA solver (only used by its randomized solver on large inputs).

    Returns
    -------
    distance : float
        The squared Fréchet (2-Wasserstein) distance between the two fitted Gaussians, in
        squared feature units; 0 for identical samples, larger is worse.

    See Also
    --------
    classifier_two_sample_score : Classifier-based two-sample score.
    maximum_mean_discrepancy : Kernel two-sample distance.

    Notes
    -----
    With feature means :math:`\\mu_r, \\mu_f` and covariances :math:`\\Sigma_r, \\Sigma_f`
    (``ddof=1``),

    .. math::

        d^2 = \\|\\mu_r - \\mu_f\\|^2 + \\mathrm{Tr}\\left(\\Sigma_r + \\Sigma_f
        - 2\\left(\\Sigma_r^{1/2}\\,\\Sigma_f\\,\\Sigma_r^{1/2}\\right)^{1/2}\\right),

    the squared 2-Wasserstein distance between :math:`N(\\mu_r, \\Sigma_r)` and
    :math:`N(\\mu_f, \\Sigma_f)` (Heusel et al., "GANs Trained by a Two Time-Scale Update Rule
    Converge to a Local Nash Equilibrium", NeurIPS 2017). The matrix square roots are taken
    through symmetric eigendecompositions, so the result is real and non-negative. Shifting
    every generated row by a vector :math:`c` adds :math:`\\|c\\|^2` to the identity-feature
    distance (:math:`\\|Pc\\|^2` with PCA projection :math:`P`). It only compares the first
    two moments of the features.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hydro.metrics import frechet_distance
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(100, 3))
    >>> round(frechet_distance(X, X), 6)
    0.0
    >>> round(frechet_distance(X, X + [3.0, 4.0, 0.0], features="identity"), 6)  # |c|^2
    25.0
    """
    X_real, X_fake = _check_pair(X_real, X_fake, min_samples=2, names=("X_real", "X_fake"))
    if isinstance(features, str) and features == "pca":
        k = min(n_components, X_real.shape[1], len(X_real) - 1)
        mapper = PCA(n_components=k, random_state=random_state).fit(X_real)
        F_real, F_fake = mapper.transform(X_real), mapper.transform(X_fake)
    elif isinstance(features, str):  # "identity"
        F_real, F_fake = X_real, X_fake
    elif hasattr(features, "fit") and hasattr(features, "transform"):
        mapper = clone(features).fit(X_real)
        F_real, F_fake = mapper.transform(X_real), mapper.transform(X_fake)
    else:
        F_real, F_fake = features(X_real), features(X_fake)
    F_real, F_fake = _check_pair(
        F_real, F_fake, min_samples=2, names=("features of X_real", "features of X_fake")
    )
    cov_real = np.atleast_2d(np.cov(F_real, rowvar=False))
    cov_fake = np.atleast_2d(np.cov(F_fake, rowvar=False))
    return _gaussian_frechet(F_real.mean(axis=0), cov_real, F_fake.mean(axis=0), cov_fake)
