"""The study's 3-sigma outlier rule on time-ordered rows: ``SigmaOutlierSmoother``."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils._sklearn import Interval, StrOptions, _fit_context
from ._validation import FLOAT_DTYPES, series_as_row

# Scale factor that makes the median absolute deviation estimate the standard deviation
# of a normal distribution (1 / Phi^-1(3/4)).
_MAD_TO_STD = 1.482602218505602

# Scale factor that makes the mean absolute deviation estimate the standard deviation of a
# normal distribution (sqrt(pi / 2)); used when the MAD is zero.
_MEAN_AD_TO_STD = 1.2533141373155003

# The whole-row fallback builds (positions x n_features) temporaries; this caps their size.
_FALLBACK_CHUNK_ELEMENTS = 1 << 21


class SigmaOutlierSmoother(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Replace outliers and missing values of each row by a weighted average of neighbours.

    Each row of ``X`` is one time-ordered sequence (columns oldest to newest), such as the
    lag block of a forecast window built by :func:`~sklearn_hydro.make_windows`. ``fit``
    learns a center and a scale from all values of all training rows pooled together (the
    columns are the same series at different lags). ``transform`` flags every value outside
    ``[center_ - n_sigma * scale_, center_ + n_sigma * scale_]`` and every missing value,
    and replaces each flagged value by a weighted average of the non-flagged values of its
    own row within ``window`` positions. Rows are processed independently, so a row's output
    depends only on that row and on the fitted statistics: nothing leaks across rows.

    Parameters
    ----------
    n_sigma : float, default=3.0
        Half-width of the accepted band, in units of ``scale_`` (the study's 3-sigma rule).

    window : int, default=3
        How many positions on each side (or before, see ``neighbors``) of a flagged value
        are averaged. When none of them is usable, the whole row is used (see Notes).

    weights : {"inverse_distance", "uniform"}, default="inverse_distance"
        Weight of a neighbour at distance ``d`` positions: ``1 / d`` or ``1``.

    neighbors : {"both", "past"}, default="both"
        Average the neighbours on both sides of a flagged value, or only the earlier ones
        (columns to its left). Both are leakage-free because the whole row is known at the
        forecast origin; ``"past"`` follows the study's "historical values" literally.

    center : {"mean", "median"}, default="mean"
        Statistics learned in ``fit``. ``"mean"``: ``center_`` is the mean and ``scale_``
        the standard deviation (the study's rule). ``"median"``: ``center_`` is the median
        and ``scale_`` the median absolute deviation times 1.4826, which large outliers do
        not inflate. When more than half the values equal the median (the MAD is 0), the
        mean absolute deviation from the median times 1.2533 is used instead.

    Attributes
    ----------
    center_ : float
        Center of the training values (NaN ignored).

    scale_ : float
        Scale of the training values (population standard deviation, ``ddof=0``, or the
        scaled MAD). 0 when every training value is the same (see Notes).

    lower_ : float
        ``center_ - n_sigma * scale_``, the lowest value left unchanged (``-inf`` when
        ``scale_`` is 0).

    upper_ : float
        ``center_ + n_sigma * scale_``, the highest value left unchanged (``inf`` when
        ``scale_`` is 0).

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    smooth_outliers : The same operation on one pandas Series.
    WaveletDenoiser : Per-row wavelet denoising, usually placed after this transformer.

    Notes
    -----
    A value :math:`x_i` of a row is flagged when it is missing or when
    :math:`x_i < \\mathrm{lower\\_}` or :math:`x_i > \\mathrm{upper\\_}`. Values in the band
    (bounds included) are returned unchanged. A flagged value is replaced by

    .. math::

        \\hat{x}_i = \\frac{\\sum_{j \\in N(i)} w_{|i-j|} \\, x_j}{\\sum_{j \\in N(i)} w_{|i-j|}},
        \\qquad w_d = 1/d \\;\\text{(inverse_distance)} \\;\\text{or}\\; 1 \\;\\text{(uniform)},

    where :math:`N(i)` holds the positions :math:`j` of non-flagged values of the same row
    with :math:`1 \\le |i - j| \\le` ``window`` (and :math:`j < i` when
    ``neighbors="past"``). If :math:`N(i)` is empty, it is widened to every non-flagged
    position of the row (every earlier one for ``"past"``), with the same weights. If that is
    empty too (the whole row, or its whole past, is flagged), the value becomes ``center_``.

    Training values that are all equal have no spread to judge outliers by: a band of zero
    width would replace every other value by that constant. The band is then the whole real
    line (``scale_ = 0``, ``lower_ = -inf``, ``upper_ = inf``): no value is an outlier and only
    missing values are filled.

    Every replacement is a convex combination of in-band values, so the output always lies
    in ``[lower_, upper_]`` and holds no NaN; transforming it again changes nothing
    (idempotent). The band is compared in the precision of ``X``: for float32 input the
    bounds are rounded inwards to float32, which selects exactly the float32 values in
    ``[lower_, upper_]``. Only rows that contain a flagged value are touched, and the work is
    vectorised over the flagged positions.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hydro.preprocessing import SigmaOutlierSmoother
    >>> rng = np.random.default_rng(0)
    >>> X = 100 + rng.normal(size=(200, 7))
    >>> X[0, 3] = 150.0  # a spike
    >>> X[1, 5] = np.nan  # a gap
    >>> smoother = SigmaOutlierSmoother(n_sigma=3.0, window=2).fit(X)
    >>> smoother.get_outlier_mask(X[:2]).sum()
    np.int64(2)
    >>> Xt = smoother.transform(X)
    >>> bool(smoother.lower_ <= Xt[0, 3] <= smoother.upper_), bool(np.isnan(Xt).any())
    (True, False)
    >>> bool(np.array_equal(Xt[2:], X[2:]))  # rows without flagged values are unchanged
    True
    """

    _parameter_constraints: dict = {
        "n_sigma": [Interval(Real, 0, None, closed="neither")],
        "window": [Interval(Integral, 1, None, closed="left")],
        "weights": [StrOptions({"inverse_distance", "uniform"})],
        "neighbors": [StrOptions({"both", "past"})],
        "center": [StrOptions({"mean", "median"})],
    }

    def __init__(
        self,
        n_sigma=3.0,
        *,
        window=3,
        weights="inverse_distance",
        neighbors="both",
        center="mean",
    ):
        self.n_sigma = n_sigma
        self.window = window
        self.weights = weights
        self.neighbors = neighbors
        self.center = center

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the center, scale and band from the values of the training rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training rows, columns oldest to newest. NaN is allowed and ignored.
            At least 2 columns.

        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        X = validate_data(
            self,
            X,
            dtype=FLOAT_DTYPES,
            ensure_all_finite="allow-nan",
            ensure_min_features=2,
        )
        values = X[~np.isnan(X)].astype(np.float64, copy=False)
        if values.size == 0:
            raise ValueError(
                "All values of X are missing (NaN): SigmaOutlierSmoother needs observed "
                "values to learn center_ and scale_."
            )
        if values.min() == values.max():
            # Constant training values: no spread to measure deviations against, so no value
            # can be called an outlier (a zero-width band would replace every other value by
            # the constant); only missing values are filled.
            self.center_ = float(values[0])
            self.scale_ = 0.0
            self.lower_, self.upper_ = -np.inf, np.inf
            return self
        if self.center == "mean":
            center = float(values.mean())
            scale = float(values.std())
        else:
            center = float(np.median(values))
            deviations = np.abs(values - center)
            scale = _MAD_TO_STD * float(np.median(deviations))
            if scale == 0:  # more than half the values equal the median
                scale = _MEAN_AD_TO_STD * float(deviations.mean())
        if not (np.isfinite(center) and np.isfinite(scale)):
            raise ValueError(
                "The center or scale of X overflows float64; rescale X before "
                "SigmaOutlierSmoother."
            )
        self.center_ = center
        self.scale_ = scale
        self.lower_ = center - self.n_sigma * scale
        self.upper_ = center + self.n_sigma * scale
        return self

    def transform(self, X):
        """Replace flagged values (outside the band, or missing) from their neighbours.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to smooth, columns oldest to newest. NaN is allowed.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features)
            Same dtype as ``X`` (float32 or float64), no NaN, every value in
            ``[lower_, upper_]``.
        """
        X, lower, upper = self._validate_for_transform(X)
        flagged = _outlier_mask(X, lower, upper)
        return _fill_flagged(
            X,
            flagged,
            lower,
            upper,
            fallback=self.center_,
            window=self.window,
            weights=self.weights,
            past_only=self.neighbors == "past",
        )

    def get_outlier_mask(self, X):
        """Return which values ``transform`` would replace.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to check.

        Returns
        -------
        mask : ndarray of bool, shape (n_samples, n_features)
            True where a value is missing or outside ``[lower_, upper_]``.
        """
        X, lower, upper = self._validate_for_transform(X)
        return _outlier_mask(X, lower, upper)

    def _validate_for_transform(self, X):
        check_is_fitted(self)
        X = validate_data(
            self, X, reset=False, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan"
        )
        lower, upper = _band_in_dtype(self.lower_, self.upper_, self.center_, X.dtype)
        return X, lower, upper

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


def smooth_outliers(
    series,
    n_sigma=3.0,
    *,
    window=3,
    weights="inverse_distance",
    neighbors="both",
    center="mean",
):
    """Apply the 3-sigma outlier rule to one series, with statistics from the series itself.

    The series is treated as one row of :class:`SigmaOutlierSmoother` (same code, same
    replacement rule). Because the center and scale come from the whole series, use this
    for analysis and plots, not to build forecasting features (that would leak the future
    into the past); use the estimator on forecast windows for that.

    Parameters
    ----------
    series : pandas.Series or array-like of shape (n_values,)
        Time-ordered numeric values, oldest first. NaN is allowed (and filled).

    n_sigma, window, weights, neighbors, center
        As in :class:`SigmaOutlierSmoother`.

    Returns
    -------
    smoothed : pandas.Series or ndarray of shape (n_values,)
        A Series with the same index and name when ``series`` is a Series, else an ndarray.

    See Also
    --------
    SigmaOutlierSmoother : The same operation on the rows of a 2-D array, fitted on
        training rows.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.preprocessing import smooth_outliers
    >>> s = pd.Series([10.0, 11, 10, 12, 11, 10, 11, 95, 10, 11, 12, 10], name="demand")
    >>> smooth_outliers(s, n_sigma=2.0, window=1).tolist()
    [10.0, 11.0, 10.0, 12.0, 11.0, 10.0, 11.0, 10.5, 10.0, 11.0, 12.0, 10.0]
    """
    row, rewrap = series_as_row(series, "smooth_outliers")
    smoother = SigmaOutlierSmoother(
        n_sigma, window=window, weights=weights, neighbors=neighbors, center=center
    )
    return rewrap(smoother.fit_transform(row)[0])


def _band_in_dtype(lower, upper, center, dtype):
    """Bounds in ``dtype`` that select exactly the ``dtype`` values inside [lower, upper].

    Rounding a float64 bound to float32 may move it outwards; it is then stepped back
    inwards, so comparisons, clipping and the learned band agree exactly.
    """
    kind = dtype.type
    lo, hi = kind(lower), kind(upper)
    if float(lo) < lower:
        lo = np.nextafter(lo, kind(np.inf))
    if float(hi) > upper:
        hi = np.nextafter(hi, kind(-np.inf))
    if lo > hi:  # a band narrower than one float32 step: keep the center
        lo = hi = kind(center)
    return lo, hi


def _outlier_mask(X, lower, upper):
    """True where a value is NaN or outside [lower, upper] (bounds in X's dtype)."""
    inside = np.greater_equal(X, lower)  # False for NaN
    inside &= np.less_equal(X, upper)
    return np.logical_not(inside, out=inside)


def _neighbor_weight(distance, weights):
    """Weight of a neighbour ``distance`` positions away (an int or an int array >= 1)."""
    if weights == "uniform":
        return np.ones_like(distance, dtype=np.float64)
    return 1.0 / np.asarray(distance, dtype=np.float64)


def _fill_flagged(X, flagged, lower, upper, *, fallback, window, weights, past_only):
    """Copy of ``X`` with every flagged value replaced as described in the Notes above.

    Vectorised over the flagged positions: the loop runs over the ``window`` offsets
    (and over memory-bounded chunks in the rare whole-row fallback), never over rows.
    """
    out = np.array(X, copy=True)
    rows_with_flags = np.flatnonzero(flagged.any(axis=1))
    if rows_with_flags.size == 0:
        return out
    sub_rows, cols = np.nonzero(flagged[rows_with_flags])
    rows = rows_with_flags[sub_rows]
    n_features = X.shape[1]

    offsets = range(-window, 0) if past_only else [*range(-window, 0), *range(1, window + 1)]
    numerator = np.zeros(rows.size)
    denominator = np.zeros(rows.size)
    for offset in offsets:
        neighbor = cols + offset
        outside = (neighbor < 0) | (neighbor >= n_features)
        # Pointing an out-of-row neighbour at the flagged value itself excludes it.
        neighbor[outside] = cols[outside]
        usable = ~flagged[rows, neighbor]
        weight = _neighbor_weight(abs(offset), weights)
        numerator += weight * np.where(usable, X[rows, neighbor], 0.0)
        denominator += weight * usable

    widen = np.flatnonzero(denominator == 0)
    if widen.size:
        _whole_row_average(
            X, flagged, rows, cols, widen, numerator, denominator, weights, past_only
        )

    with np.errstate(invalid="ignore", divide="ignore"):
        values = numerator / denominator
    values[denominator == 0] = fallback
    values = values.astype(X.dtype, copy=False)
    # A weighted average of in-band values is in the band; clipping only removes rounding.
    np.clip(values, lower, upper, out=values)
    out[rows, cols] = values
    return out


def _whole_row_average(X, flagged, rows, cols, widen, numerator, denominator, weights,
                       past_only):
    """Fill ``numerator``/``denominator`` at positions ``widen`` from their whole row."""
    n_features = X.shape[1]
    positions = np.arange(n_features)
    chunk = max(1, _FALLBACK_CHUNK_ELEMENTS // n_features)
    for start in range(0, widen.size, chunk):
        idx = widen[start : start + chunk]
        r, c = rows[idx], cols[idx]
        offset = positions[None, :] - c[:, None]
        usable = ~flagged[r]  # the flagged value itself is never usable
        if past_only:
            usable &= offset < 0
        distance = np.where(usable, np.abs(offset), 1)
        weight = np.where(usable, _neighbor_weight(distance, weights), 0.0)
        numerator[idx] = np.sum(weight * np.where(usable, X[r], 0.0), axis=1)
        denominator[idx] = weight.sum(axis=1)
