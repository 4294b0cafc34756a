"""A look-ahead audit: change the future, refit as the protocol does, see what moves."""

from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import clone

from ..utils._sklearn import HasMethods, Interval, validate_params

__all__ = ["LookaheadAudit", "audit_lookahead"]


@dataclass
class LookaheadAudit:
    """What :func:`audit_lookahead` returns.

    Attributes
    ----------
    passed : bool
        True when no forecast issued at or before an audited origin moved.
    moved : DataFrame
        Every forecast that moved: ``origin`` (the audited origin), ``target_date``,
        ``before``, ``after`` and ``change``.
    n_checked : int
        Number of (origin, forecast) pairs compared.
    origins : list of Timestamp
        The audited origins.
    """

    passed: bool
    moved: pd.DataFrame
    n_checked: int
    origins: list

    def __str__(self):
        if self.passed:
            return (
                f"look-ahead audit passed: {self.n_checked} forecasts at {len(self.origins)} "
                "origin(s) did not move when the series after their origin changed"
            )
        return (
            f"look-ahead audit FAILED: {len(self.moved)} of {self.n_checked} forecasts moved "
            "when only values after their origin changed (the protocol sees the future); "
            f"first: {self.moved.iloc[0].to_dict()}"
        )


def _default_origins(index, n_origins=3):
    positions = np.linspace(0.5, 0.9, n_origins) * (len(index) - 1)
    return [index[int(p)] for p in positions]


def _estimator_protocol(estimator, windows, target, lookback, horizon, covariates):
    """forecasts(frame, origin): fit on rows known at origin, forecast rows issued by then."""

    def forecasts(frame, origin):
        X, y = windows(frame, target, lookback, horizon, covariates)
        pos = frame.index.get_indexer(X.index)
        origin_pos = frame.index.get_loc(origin)
        issued = pos - horizon <= origin_pos  # forecast made at or before the origin
        known = pos <= origin_pos  # target observed by the origin: training rows
        if known.sum() < 2:
            raise ValueError(f"origin {origin} leaves fewer than two training rows")
        model = clone(estimator).fit(X[known], y[known])
        return pd.Series(np.asarray(model.predict(X[issued]), dtype=np.float64),
                         index=X.index[issued])

    return forecasts


@validate_params(
    {
        "estimator_or_protocol": [HasMethods(["fit", "predict"]), callable],
        "frame": [pd.DataFrame],
        "target": [str],
        "lookback": [Interval(Integral, 1, None, closed="left"), None],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "covariates": [list, None],
        "origins": [list, None],
        "windows": [callable, None],
        "columns": [list, None],
        "known_ahead": [list, None],
        "scale": [Interval(Real, 0, None, closed="neither")],
        "rtol": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def audit_lookahead(
    estimator_or_protocol,
    frame,
    target,
    *,
    lookback=None,
    horizon=1,
    covariates=None,
    origins=None,
    windows=None,
    columns=None,
    known_ahead=None,
    scale=3.0,
    rtol=1e-6,
    random_state=0,
):
    """Check that no forecast depends on values after its origin.

    For each audited origin ``t``, the forecasts issued at or before ``t`` are computed
    twice: on ``frame``, and on a copy in which every value after ``t`` of the perturbed
    ``columns`` has had noise of ``scale`` standard deviations added. Both times the
    protocol runs in full (windows built, model refitted on the rows whose targets are known
    at ``t``), as a user's own pipeline would. Any forecast that moves is reported: it used
    the future.

    Parameters
    ----------
    estimator_or_protocol : regressor or callable
        A regressor of window rows (the audit builds the rows with ``windows`` and refits it
        on the rows known at each origin), or a callable ``protocol(frame, origin)`` that
        returns the forecasts (a Series indexed by target date) that a pipeline built
        outside this library issues at or before ``origin``.
    frame : DataFrame
        Regular DatetimeIndex, the target and covariates.
    target : str
    lookback : int or None
        Lags per window (needed with a regressor).
    horizon : int, default=1
    covariates : list of str or None, default=None
        Covariates of the windows (None: every other column).
    origins : list of dates or None, default=None
        Origins to audit (None: three, at 50 %, 70 % and 90 % of the series).
    windows : callable or None, default=None
        ``windows(frame, target, lookback, horizon, covariates) -> (X, y)`` with X indexed
        by target date; None: :func:`~sklearn_hydro.make_windows`. Pass
        :func:`~sklearn_hydro.study.whole_series_windows` to audit the study's protocol.
    columns : list of str or None, default=None
        Columns perturbed after each origin (None: the target only). Add the past
        covariates here.
    known_ahead : list of str or None, default=None
        Known-ahead covariates (a forecast may use their value on its target day): perturbed
        only after ``origin + horizon``, the last target day of the audited forecasts.
    scale : float > 0, default=3.0
        Size of the perturbation in standard deviations of each column.
    rtol : float >= 0, default=1e-6
        A forecast moved if it changed by more than ``rtol`` times the target's standard
        deviation.
    random_state : int, RandomState or None, default=0

    Returns
    -------
    LookaheadAudit

    Examples
    --------
    >>> from sklearn.impute import SimpleImputer
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn_hydro.datasets import make_synthetic_demand
    >>> from sklearn_hydro.model_selection import audit_lookahead
    >>> model = make_pipeline(SimpleImputer(), Ridge())
    >>> frame = make_synthetic_demand(n_days=150, random_state=0)
    >>> audit = audit_lookahead(model, frame, "demand", lookback=7)
    >>> audit.passed
    True
    >>> from sklearn_hydro import make_windows
    >>> centred = lambda f, t, lb, h, c: make_windows(  # a centred mean peeks 2 days ahead
    ...     f.assign(**{t: f[t].rolling(5, center=True, min_periods=1).mean()}), t, lb, h, c)
    >>> audit_lookahead(model, frame, "demand", lookback=7, windows=centred).passed
    False
    """
    if callable(estimator_or_protocol) and not hasattr(estimator_or_protocol, "fit"):
        forecasts = estimator_or_protocol
    else:
        if lookback is None:
            raise ValueError("lookback is needed to build windows for an estimator")
        if windows is None:
            from ..windows import make_windows as windows
        forecasts = _estimator_protocol(
            estimator_or_protocol, windows, target, lookback, horizon, covariates
        )
    if target not in frame.columns:
        raise ValueError(f"target column {target!r} is not in the frame")
    columns = [target] if columns is None else columns
    known_ahead = [] if known_ahead is None else known_ahead
    missing = [c for c in columns + known_ahead if c not in frame.columns]
    if missing:
        raise ValueError(f"columns to perturb not in the frame: {missing}")
    origins = _default_origins(frame.index) if origins is None else list(origins)
    origins = [frame.index[o] if isinstance(o, Integral) else pd.Timestamp(o) for o in origins]
    rng = np.random.default_rng(
        random_state if not isinstance(random_state, np.random.RandomState)
        else random_state.randint(2**31)
    )
    tol = rtol * float(np.nanstd(frame[target].to_numpy(dtype=np.float64)) or 1.0)
    moved, n_checked = [], 0
    for origin in origins:
        if origin not in frame.index:
            raise ValueError(f"origin {origin} is not a date of the frame")
        changed = frame.copy()
        pos = frame.index.get_loc(origin)
        for col, first in [(c, pos + 1) for c in columns] + [(c, pos + horizon + 1)
                                                             for c in known_ahead]:
            values = changed[col].to_numpy(dtype=np.float64, copy=True)
            sd = float(np.nanstd(values)) or 1.0
            values[first:] += scale * sd * rng.standard_normal(len(values) - first)
            changed[col] = values
        before = forecasts(frame, origin)
        after_pred = forecasts(changed, origin).reindex(before.index)
        diff = np.abs(after_pred.to_numpy() - before.to_numpy())
        diff = np.where(np.isnan(diff), np.inf, diff)
        n_checked += len(before)
        bad = diff > tol
        if bad.any():
            moved.append(
                pd.DataFrame(
                    {
                        "origin": origin,
                        "target_date": before.index[bad],
                        "before": before.to_numpy()[bad],
                        "after": after_pred.to_numpy()[bad],
                        "change": diff[bad],
                    }
                )
            )
    columns_out = ["origin", "target_date", "before", "after", "change"]
    moved = pd.concat(moved, ignore_index=True) if moved else pd.DataFrame(columns=columns_out)
    return LookaheadAudit(moved.empty, moved, n_checked, origins)
