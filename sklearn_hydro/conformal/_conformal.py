"""Conformal prediction intervals around any regressor of forecast windows.

Split conformal on the tail of the training rows: the wrapped regressor is fitted on the
older rows, its errors on the newest rows (the calibration set, which it has not seen) give
the interval half-widths, then it is refitted on every row. A weighted variant gives recent
calibration errors more weight (for drifting series), and :meth:`ConformalRegressor.update`
adds newly observed errors without refitting.
"""

import math
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.utils.validation import check_is_fitted

from ..utils import inherit_tags, tail_split_indices, validate_passthrough
from ..utils._sklearn import (
    HasMethods,
    Interval,
    RealNotInt,
    StrOptions,
    _fit_context,
    _safe_indexing,
)

__all__ = ["ConformalRegressor", "conformal_quantile"]


def conformal_quantile(scores, level, weights=None):
    """The conformal quantile of calibration scores at ``level``.

    Without weights this is the ``ceil((n + 1) * level) / n`` empirical quantile, which gives
    the split-conformal guarantee ``P(score_new <= q) >= level`` for exchangeable scores; it
    is ``inf`` when ``n`` is too small for the level. With weights (the newest score weighing
    most), the test point gets weight 1 and the weighted quantile of Barber et al. (2023,
    "Conformal prediction beyond exchangeability") is returned.

    Examples
    --------
    >>> from sklearn_hydro.conformal import conformal_quantile
    >>> conformal_quantile([1.0, 2.0, 3.0, 4.0], 0.5)
    3.0
    >>> conformal_quantile([1.0, 2.0, 3.0, 4.0], 0.9)
    inf
    """
    scores = np.asarray(scores, dtype=np.float64)
    n = len(scores)
    if n == 0:
        return math.inf
    if weights is None:
        k = math.ceil((n + 1) * level)
        return math.inf if k > n else float(np.sort(scores)[k - 1])
    weights = np.asarray(weights, dtype=np.float64)
    order = np.argsort(scores)
    cum = np.cumsum(weights[order]) / (weights.sum() + 1.0)  # the test point weighs 1
    hit = np.nonzero(cum >= level - 1e-12)[0]
    return math.inf if len(hit) == 0 else float(scores[order][hit[0]])


class ConformalRegressor(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """Wrap a regressor of forecast windows to give conformal prediction intervals.

    ``fit`` holds out the newest ``calibration_size`` rows (after a ``gap`` of rows, so that
    no calibration target is known when the older rows are), fits a clone of ``estimator`` on
    the older rows, and keeps its errors on the held-out rows as calibration scores. It then
    refits ``estimator`` on all rows (``refit=True``). :meth:`predict_interval` returns
    ``prediction -/+`` the conformal quantile of the scores.

    Rows must be in time order, as :func:`~sklearn_hydro.make_windows` makes them.

    Parameters
    ----------
    estimator : regressor
        Any regressor of window rows (a study Pipeline, the default forecaster); cloned.
    coverage : float in (0, 1), default=0.9
        Nominal coverage of the central intervals.
    calibration_size : float in (0, 1) or int >= 1, default=0.2
        Share (or number) of the newest rows used to calibrate, held out as every hold-out of
        the package (:func:`~sklearn_hydro.utils.tail_split_indices`). Not named
        ``validation_fraction``: these rows calibrate the intervals, they validate nothing.
    gap : int >= 0, default=0
        Rows skipped between the fitting rows and the calibration rows; use ``horizon - 1``.
    method : {"split", "weighted"}, default="split"
        ``"split"``: every calibration score weighs the same (split conformal).
        ``"weighted"``: score ``i`` rows before the newest weighs ``0.5 ** (i / half_life)``,
        so the intervals follow a drifting error level (no exchangeability guarantee).
    half_life : int >= 1, default=60
        Half-life, in rows, of the weights of ``method="weighted"``.
    error : {"absolute", "relative"}, default="absolute"
        ``"absolute"``: scores ``|y - y_hat|``, intervals of constant width.
        ``"relative"``: scores ``|y - y_hat| / |y_hat|``, intervals proportional to the
        forecast (for series whose level, and error, move together).
    symmetric : bool, default=True
        ``True``: one quantile of the absolute scores (the split-conformal guarantee).
        ``False``: separate quantiles of the signed errors for each bound, at levels
        ``(1 - coverage) / 2`` and ``(1 + coverage) / 2`` (narrower when errors are skewed).
    refit : bool, default=True
        Refit the estimator on all rows after calibrating; ``False`` keeps the one fitted on
        the older rows.
    adapt_rate : float in [0, 1), default=0.0
        Step ``gamma`` of adaptive conformal inference (Gibbs and Candes, 2021) in
        :meth:`update`: after each newly observed row the level used for the intervals moves
        by ``gamma * (miss - (1 - coverage))``, up after a miss and down after a hit, so the
        long-run coverage of the updated intervals tends to ``coverage`` even on a drifting
        series. 0 turns it off (0.01-0.05 for daily data).
    warm_start : bool, default=False
        A refit of a fitted model refits its fitted estimator on the new rows (which
        continues from its own state when it warm-starts too) and keeps the calibration
        scores, which :meth:`update` extends; a cold fit calibrates again.

    Attributes
    ----------
    estimator_ : regressor
        The fitted regressor that :meth:`predict` uses.
    calibration_scores_ : ndarray of shape (n_calibration,) or (n_calibration, n_outputs)
        Signed errors ``y - y_hat`` (divided by ``|y_hat|`` for ``error="relative"``) of the
        calibration rows, oldest first; :meth:`update` appends to them.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    See Also
    --------
    sklearn_hydro.metrics.interval_coverage, sklearn_hydro.metrics.interval_score

    Notes
    -----
    With ``method="split"`` and ``symmetric=True`` the interval for a new row is
    ``y_hat -/+ q`` with ``q`` the ``ceil((n + 1) * coverage)``-th smallest of the ``n``
    absolute calibration errors; if the new row's error is exchangeable with them its
    coverage is at least ``coverage`` (Vovk et al., 2005; Lei et al., 2018). Time series are
    not exchangeable, so check the coverage on a backtest
    (:func:`~sklearn_hydro.model_selection.backtest` with ``interval=``).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> from sklearn_hydro.conformal import ConformalRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(400, 2))
    >>> y = X @ [1.0, 2.0] + rng.normal(size=400)
    >>> model = ConformalRegressor(LinearRegression(), coverage=0.9).fit(X[:300], y[:300])
    >>> bounds = model.predict_interval(X[300:])
    >>> bounds.shape
    (100, 2)
    >>> inside = (y[300:] >= bounds[:, 0]) & (y[300:] <= bounds[:, 1])
    >>> bool(0.8 < inside.mean() <= 1.0)
    True
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"])],
        "coverage": [Interval(Real, 0, 1, closed="neither")],
        "calibration_size": [
            Interval(RealNotInt, 0, 1, closed="neither"),
            Interval(Integral, 1, None, closed="left"),
        ],
        "gap": [Interval(Integral, 0, None, closed="left")],
        "method": [StrOptions({"split", "weighted"})],
        "half_life": [Interval(Integral, 1, None, closed="left")],
        "error": [StrOptions({"absolute", "relative"})],
        "symmetric": ["boolean"],
        "refit": ["boolean"],
        "adapt_rate": [Interval(Real, 0, 1, closed="left")],
        "warm_start": ["boolean"],
    }

    def __init__(
        self,
        estimator,
        *,
        coverage=0.9,
        calibration_size=0.2,
        gap=0,
        method="split",
        half_life=60,
        error="absolute",
        symmetric=True,
        refit=True,
        adapt_rate=0.0,
        warm_start=False,
    ):
        self.estimator = estimator
        self.coverage = coverage
        self.calibration_size = calibration_size
        self.gap = gap
        self.method = method
        self.half_life = half_life
        self.error = error
        self.symmetric = symmetric
        self.refit = refit
        self.adapt_rate = adapt_rate
        self.warm_start = warm_start

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return inherit_tags(tags, [self.estimator], fields=("allow_nan", "multi_output"))

    def _validate(self, X, y=None, reset=False):
        if reset:
            multi = self.__sklearn_tags__().target_tags.multi_output
            # partial windows (some horizons unmeasured): the estimator takes the missing
            # targets or says it cannot; the calibration skips them
            X, y = validate_passthrough(self, X, y, reset=True, y_numeric=True,
                                        multi_output=multi, missing_y=multi)
            y = np.asarray(y, dtype=np.float64)
            return X, (y.reshape(-1) if y.ndim == 2 and y.shape[1] == 1 else y)
        return validate_passthrough(self, X, reset=False)

    def _split(self, n_samples):
        """Rows to fit on and the newest rows to calibrate on (the package's hold-out)."""
        try:
            fit, cal = tail_split_indices(n_samples, self.calibration_size, gap=self.gap)
        except ValueError:
            raise ValueError(
                f"{n_samples} sample(s) are too few to calibrate: calibration_size="
                f"{self.calibration_size!r} and gap={self.gap} leave no row to fit on; each "
                "side needs at least one"
            ) from None
        return np.arange(n_samples)[fit], np.arange(n_samples)[cal]

    def _scores(self, y, pred):
        errors = np.asarray(y, dtype=np.float64) - pred
        if self.error == "relative":
            errors = errors / np.maximum(np.abs(pred), np.finfo(np.float64).tiny)
        return errors

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Calibrate on the newest rows, then fit the estimator on all rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Window rows in time order (a DataFrame keeps its column names for the estimator).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            With several outputs (the horizons of one multi-output model), each output is
            calibrated on its own errors.

        Returns
        -------
        self : ConformalRegressor
        """
        if self.warm_start and hasattr(self, "estimator_"):
            # a warm refit: the fitted estimator continues on the new rows; the calibration
            # scores stay (update() adds the errors of newly observed rows)
            X, y = self._validate(X, y, reset=True)
            self.estimator_.fit(X, y)
            return self
        X, y = self._validate(X, y, reset=True)
        fit_rows, cal_rows = self._split(len(y))
        first = clone(self.estimator).fit(_safe_indexing(X, fit_rows), y[fit_rows])
        pred = np.asarray(first.predict(_safe_indexing(X, cal_rows)), dtype=np.float64)
        scores = self._scores(y[cal_rows], pred.reshape(y[cal_rows].shape))
        if not np.all(np.isfinite(scores) | np.isnan(y[cal_rows])):
            raise ValueError("calibration errors are not finite (inf in y, or NaN or inf in "
                             "the forecasts)")
        self.calibration_scores_ = scores
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        self.level_shift_ = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
        self.estimator_ = clone(self.estimator).fit(X, y) if self.refit else first
        return self

    def predict(self, X):
        """The wrapped estimator's forecast.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        check_is_fitted(self)
        X = self._validate(X)
        pred = np.asarray(self.estimator_.predict(X), dtype=np.float64)
        return pred.reshape(-1) if self._n_outputs() == 1 else pred.reshape(len(pred), -1)

    def _n_outputs(self):
        return getattr(self, "n_outputs_", 1)

    def _weights(self):
        if self.method == "split":
            return None
        age = np.arange(len(self.calibration_scores_))[::-1]
        return 0.5 ** (age / self.half_life)

    def interval_offsets(self, coverage=None):
        """The (lower, upper) offsets added to a forecast (scaled by it for "relative").

        Parameters
        ----------
        coverage : float in (0, 1) or None
            Nominal coverage (None: the ``coverage`` parameter).

        Returns
        -------
        (float, float), or two ndarrays of shape (n_outputs,) with several outputs
        """
        check_is_fitted(self)
        coverage = self.coverage if coverage is None else coverage
        if not 0.0 < coverage < 1.0:
            raise ValueError(f"coverage must be in (0, 1), got {coverage!r}")
        if self._n_outputs() == 1:
            return self._offsets(self.calibration_scores_, self.level_shift_, coverage)
        pairs = [self._offsets(self.calibration_scores_[:, j], self.level_shift_[j], coverage)
                 for j in range(self.n_outputs_)]
        return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])

    def _offsets(self, scores, level_shift, coverage):
        """The offsets of one output from its calibration scores (missing targets
        skipped)."""
        weights = self._weights()
        observed = ~np.isnan(scores)
        if not observed.all():
            scores = scores[observed]
            weights = None if weights is None else weights[observed]
        total = len(scores) if weights is None else float(weights.sum())
        if level_shift:
            coverage = coverage + level_shift
            if coverage <= 0.0:
                return 0.0, 0.0

        def level(value):
            # an adapted level is kept where the quantile is finite (at most the largest error)
            return min(value, total / (total + 1) - 1e-9) if level_shift else value

        if self.symmetric:
            q = conformal_quantile(np.abs(scores), level(coverage), weights)
            return -q, q
        tail = level(1.0 - (1.0 - coverage) / 2)
        upper = conformal_quantile(scores, tail, weights)
        lower = -conformal_quantile(-scores, tail, weights)
        return lower, upper

    def predict_interval(self, X, coverage=None):
        """Central prediction intervals.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        coverage : float in (0, 1) or None, default=None
            Nominal coverage (None: the ``coverage`` parameter). Too few calibration rows
            for a high coverage give infinite bounds.

        Returns
        -------
        ndarray of shape (n_samples, 2), or (n_samples, n_outputs, 2) with several outputs
            Lower and upper bounds.
        """
        pred = self.predict(X)
        low, high = self.interval_offsets(coverage)
        scale = np.abs(pred) if self.error == "relative" else 1.0
        return np.stack([pred + low * scale, pred + high * scale], axis=-1)

    def update(self, X, y, y_pred=None):
        """Add newly observed rows to the calibration scores, without refitting.

        Between refits, the errors of the fitted estimator on rows whose target has since
        been observed are appended (newest last); with ``method="weighted"`` they weigh
        most, and with ``adapt_rate > 0`` each row also moves the level (adaptive conformal
        inference), so the intervals follow a drifting error level. Pass rows in time
        order.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        y_pred : array-like of y's shape or None, default=None
            The forecasts of ``X`` if already computed (saves a call to :meth:`predict`).

        Returns
        -------
        self : ConformalRegressor
        """
        pred = self.predict(X) if y_pred is None else np.asarray(y_pred, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        if self._n_outputs() == 1:
            y, pred = y.reshape(-1), pred.reshape(-1)
        if len(y) != len(pred):
            raise ValueError("X and y have different numbers of rows")
        if y.shape != pred.shape:
            raise ValueError(f"y has shape {y.shape}; {pred.shape} expected")
        scores = self._scores(y, pred)
        if not np.all(np.isfinite(scores) | (np.isnan(y) & (y.ndim == 2))):
            raise ValueError("y or the forecasts contain NaN or inf (with several outputs, "
                             "a missing target is skipped)")
        if self.adapt_rate == 0:
            self.calibration_scores_ = np.concatenate([self.calibration_scores_, scores])
            return self
        for score in scores:  # in time order: each row is judged before it joins
            low, high = self.interval_offsets()
            miss = np.asarray(~((low <= score) & (score <= high)), dtype=np.float64)
            shift = self.adapt_rate * (miss - (1.0 - self.coverage))
            self.level_shift_ = self.level_shift_ + (float(shift) if np.ndim(shift) == 0
                                                     else shift)
            self.calibration_scores_ = np.concatenate([self.calibration_scores_, [score]])
        return self
