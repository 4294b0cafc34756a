"""Per-row discrete wavelet denoising: ``WaveletDenoiser`` and its threshold rules."""

from numbers import Integral, Real

import numpy as np
import pywt
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils._sklearn import Interval, StrOptions, _fit_context
from ._validation import FLOAT_DTYPES, check_no_missing, series_as_row

# Phi^-1(3/4): median(|N(0, sigma^2)|) = sigma * 0.6745, the usual MAD noise estimate.
_MAD_NORMAL = 0.6744897501960817


class WaveletDenoiser(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Denoise each row with a discrete wavelet transform, independently of the other rows.

    Each row of ``X`` is one time-ordered sequence (columns oldest to newest), such as the
    lag block of a forecast window. A row is decomposed with PyWavelets (``wavedec``,
    vectorised over rows), its detail coefficients are thresholded, and it is reconstructed
    (``waverec``) and trimmed to its length. The noise level and thresholds are learned in
    ``fit`` from the training rows only; a row's output depends only on that row, so the
    transform cannot see anything after the row's forecast origin.

    Parameters
    ----------
    wavelet : str, default="db4"
        Name of a discrete wavelet known to PyWavelets
        (``pywt.wavelist(kind="discrete")``), e.g. ``"haar"``, ``"db4"``, ``"sym8"``.

    level : int or None, default=None
        Number of decomposition levels. None uses the largest level the row length allows,
        ``pywt.dwt_max_level(n_features, filter_length)``; a larger int is capped at that
        maximum (``level_`` holds the level used). Rows too short for one level raise a
        ValueError.

    threshold : {"universal", "bayes"} or float, default="universal"
        ``"universal"``: VisuShrink, one threshold :math:`\\sigma\\sqrt{2\\ln n}` for every
        level (:math:`n` = ``n_features``). ``"bayes"``: BayesShrink, one threshold per
        level (see Notes). A non-negative float: that fixed threshold for every level, in
        the units of ``X``; 0 reconstructs ``X``.

    threshold_mode : {"soft", "hard"}, default="soft"
        Soft thresholding shrinks coefficients towards zero by the threshold (zeroing those
        with :math:`|d| \\le t`); hard thresholding zeroes coefficients with :math:`|d| < t`
        and keeps the others. Same conventions as ``pywt.threshold``.

    output : {"denoised", "residual", "both"}, default="denoised"
        What ``transform`` returns: the denoised rows, the residual ``X - denoised``, or
        both side by side (denoised block, then residual block; feature names suffixed
        ``_denoised`` and ``_residual``). Single outputs keep the input feature names.

    signal_extension : str, default="symmetric"
        PyWavelets signal extension mode at the row edges (``pywt.Modes.modes``).

    Attributes
    ----------
    level_ : int
        Decomposition level used.

    sigma_ : float
        Noise level learned in ``fit``: ``median(|d_1|) / 0.6745`` over the finest detail
        coefficients of all training rows pooled.

    thresholds_ : ndarray of shape (level_,)
        Threshold applied to each level of detail coefficients, ordered as ``pywt.wavedec``
        returns them: coarsest (level ``level_``) first, finest (level 1) last.

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    denoise : The same operation on one pandas Series.
    SigmaOutlierSmoother : Fills outliers and missing values; put it first, since this
        transformer rejects NaN.

    Notes
    -----
    With :math:`d_j` the detail coefficients of level :math:`j` of all training rows pooled
    (:math:`j = 1` finest), the noise level is
    :math:`\\sigma = \\mathrm{median}(|d_1|) / 0.6745`. BayesShrink uses, per level,

    .. math::

        t_j = \\sigma^2 / \\sigma_{x,j}, \\qquad
        \\sigma_{x,j} = \\sqrt{\\max(\\overline{d_j^2} - \\sigma^2, 0)},

    with :math:`\\overline{d_j^2}` the mean square of the level's coefficients (their
    variance around zero, as in Chang, Yu and Vetterli, 2000). When
    :math:`\\sigma_{x,j} = 0` the level holds noise only and :math:`t_j = \\infty` (all its
    coefficients are zeroed); when :math:`\\sigma = 0` as well, :math:`t_j = 0`.

    A row that is constant stays constant (its detail coefficients are zero) for every
    extension mode that extends a constant by itself (all but ``"zero"`` and
    ``"antisymmetric"``). The result equals a loop over rows calling ``pywt.wavedec``,
    ``pywt.threshold`` and ``pywt.waverec`` on each row, within rounding.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_hydro.preprocessing import WaveletDenoiser
    >>> rng = np.random.default_rng(0)
    >>> signal = np.sin(2 * np.pi * np.arange(32) / 32)
    >>> X = signal + 0.3 * rng.normal(size=(100, 32))
    >>> denoiser = WaveletDenoiser(wavelet="db2", threshold="universal").fit(X)
    >>> denoiser.level_, denoiser.thresholds_.shape
    (3, (3,))
    >>> Xt = denoiser.transform(X)
    >>> bool(np.abs(Xt - signal).mean() < np.abs(X - signal).mean())
    True
    >>> both = WaveletDenoiser(wavelet="db2", output="both").fit(X)
    >>> both.transform(X).shape, both.get_feature_names_out()[[0, -1]].tolist()
    ((100, 64), ['x0_denoised', 'x31_residual'])
    """

    _parameter_constraints: dict = {
        "wavelet": [str],
        "level": [Interval(Integral, 1, None, closed="left"), None],
        "threshold": [
            StrOptions({"universal", "bayes"}),
            Interval(Real, 0, None, closed="left"),
        ],
        "threshold_mode": [StrOptions({"soft", "hard"})],
        "output": [StrOptions({"denoised", "residual", "both"})],
        "signal_extension": [StrOptions(set(pywt.Modes.modes))],
    }

    def __init__(
        self,
        wavelet="db4",
        *,
        level=None,
        threshold="universal",
        threshold_mode="soft",
        output="denoised",
        signal_extension="symmetric",
    ):
        self.wavelet = wavelet
        self.level = level
        self.threshold = threshold
        self.threshold_mode = threshold_mode
        self.output = output
        self.signal_extension = signal_extension

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the decomposition level, noise level and thresholds from training rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training rows, columns oldest to newest; no NaN.

        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        X = validate_data(self, X, dtype=FLOAT_DTYPES, ensure_all_finite=False)
        check_no_missing(X, type(self).__name__)
        wavelet = _check_wavelet(self.wavelet)
        self.level_ = _resolve_level(self.level, X.shape, wavelet)
        details = pywt.wavedec(
            X, wavelet, mode=self.signal_extension, level=self.level_, axis=1
        )[1:]
        self.sigma_ = float(np.median(np.abs(details[-1]))) / _MAD_NORMAL
        self.thresholds_ = _thresholds(self.threshold, details, self.sigma_, X.shape[1])
        return self

    def transform(self, X):
        """Denoise each row (or return its residual, or both; see ``output``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to denoise, columns oldest to newest; no NaN.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features) or (n_samples, 2 * n_features)
            Same dtype as ``X`` (float32 or float64).
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=FLOAT_DTYPES, ensure_all_finite=False)
        check_no_missing(X, type(self).__name__)
        denoised = _denoise_rows(
            X,
            self.wavelet,
            self.level_,
            self.thresholds_,
            self.threshold_mode,
            self.signal_extension,
        )
        if self.output == "denoised":
            return denoised
        residual = X - denoised
        if self.output == "residual":
            return residual
        return np.hstack([denoised, residual])

    def get_feature_names_out(self, input_features=None):
        """Get output feature names for transformation.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input feature names; defaults to ``feature_names_in_`` or ``x0, x1, ...``.

        Returns
        -------
        feature_names_out : ndarray of str objects
            The input names for ``output="denoised"`` or ``"residual"``; for
            ``output="both"``, the names suffixed ``_denoised`` followed by the names
            suffixed ``_residual``.
        """
        names = super().get_feature_names_out(input_features)
        if self.output != "both":
            return names
        return np.asarray(
            [f"{name}_denoised" for name in names] + [f"{name}_residual" for name in names],
            dtype=object,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


def denoise(
    series,
    wavelet="db4",
    *,
    level=None,
    threshold="universal",
    threshold_mode="soft",
    signal_extension="symmetric",
):
    """Wavelet-denoise one series, with the noise level estimated from the series itself.

    The series is treated as one row of :class:`WaveletDenoiser` (same code). Denoising a
    whole series puts later values into every earlier point, so use this for analysis and
    plots only; to build forecasting features, use the estimator on forecast windows.

    Parameters
    ----------
    series : pandas.Series or array-like of shape (n_values,)
        Time-ordered numeric values, oldest first; no NaN (see :func:`smooth_outliers`).

    wavelet, level, threshold, threshold_mode, signal_extension
        As in :class:`WaveletDenoiser`.

    Returns
    -------
    denoised : pandas.Series or ndarray of shape (n_values,)
        A Series with the same index and name when ``series`` is a Series, else an ndarray.
        The residual is ``series - denoised``.

    See Also
    --------
    WaveletDenoiser : The same operation on the rows of a 2-D array, fitted on training
        rows.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn_hydro.preprocessing import denoise
    >>> s = pd.Series(np.full(16, 5.0), name="demand")
    >>> denoise(s, wavelet="haar").round(12).tolist() == s.tolist()  # constant: unchanged
    True
    >>> denoise(s.to_numpy() + np.arange(16) % 2, wavelet="haar", threshold=0.0)[:4]
    array([5., 6., 5., 6.])
    """
    row, rewrap = series_as_row(series, "denoise")
    denoiser = WaveletDenoiser(
        wavelet,
        level=level,
        threshold=threshold,
        threshold_mode=threshold_mode,
        signal_extension=signal_extension,
    )
    return rewrap(denoiser.fit_transform(row)[0])


def _check_wavelet(name):
    if name not in pywt.wavelist(kind="discrete"):
        raise ValueError(
            f"wavelet={name!r} is not a discrete wavelet known to PyWavelets; choose one of "
            "pywt.wavelist(kind='discrete'), e.g. 'haar', 'db4' or 'sym8'."
        )
    return pywt.Wavelet(name)


def _resolve_level(level, shape, wavelet):
    """The requested level capped at the largest one the row length allows."""
    n_features = shape[1]
    max_level = pywt.dwt_max_level(n_features, wavelet.dec_len)
    if max_level < 1:
        raise ValueError(
            f"Found array with {n_features} feature(s) (shape={shape}) while a minimum of "
            f"{2 * (wavelet.dec_len - 1)} is required by WaveletDenoiser with "
            f"wavelet={wavelet.name!r}: a row needs that many values for one decomposition "
            "level. Use more lag columns or a shorter wavelet such as 'haar'."
        )
    return max_level if level is None else min(level, max_level)


def _thresholds(rule, details, sigma, n_features):
    """One threshold per detail level (coarsest first) for ``rule``."""
    n_levels = len(details)
    if rule == "universal":
        return np.full(n_levels, sigma * np.sqrt(2.0 * np.log(n_features)))
    if rule == "bayes":
        thresholds = np.empty(n_levels)
        for k, detail in enumerate(details):
            mean_square = float(np.mean(np.square(detail, dtype=np.float64)))
            signal_var = max(mean_square - sigma**2, 0.0)
            if signal_var > 0:
                thresholds[k] = sigma**2 / np.sqrt(signal_var)
            else:
                thresholds[k] = np.inf if sigma > 0 else 0.0
        return thresholds
    return np.full(n_levels, float(rule))


def _threshold_inplace(detail, value, mode):
    """``pywt.threshold(detail, value, mode)`` written into ``detail``, with fewer passes."""
    if value == 0:
        return
    if mode == "soft":
        # d - clip(d, -t, t) == sign(d) * max(|d| - t, 0)
        detail -= np.clip(detail, -value, value)
    else:
        detail[np.abs(detail) < value] = 0


def _denoise_rows(X, wavelet, level, thresholds, mode, extension):
    """Decompose every row, threshold its details, reconstruct, trim to the row length."""
    coeffs = pywt.wavedec(X, wavelet, mode=extension, level=level, axis=1)
    for detail, value in zip(coeffs[1:], thresholds, strict=True):
        _threshold_inplace(detail, float(value), mode)
    return pywt.waverec(coeffs, wavelet, mode=extension, axis=1)[:, : X.shape[1]]
