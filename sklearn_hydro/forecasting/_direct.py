"""Horizons 1..H with models of one output: the direct strategy, and tidy forecast tables.

A multi-horizon row (:func:`~sklearn_hydro.make_multi_horizon_windows`) holds everything
known at its forecast origin ``t``: the target's lags ``<target>_lag<k>`` and, for each
horizon ``h``, the known-ahead covariates of the time ``t + h``, named ``<covariate>_h<h>``;
the targets are the columns ``<target>_h<h>``, the index is the origin.
:class:`DirectHorizonRegressor` fits one model per horizon, each on the rows
``make_windows(horizon=h)`` would give, so any window regressor serves every horizon.
"""


import time
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.utils.validation import check_is_fitted

from ..utils import (
    inherit_tags,
    is_panel,
    parse_horizon_name,
    time_step,
    validate_passthrough,
)
from ..utils._sklearn import HasMethods, Interval, _fit_context, available_if

__all__ = ["DirectHorizonRegressor", "forecast_table"]


def _estimators_have(method):
    def check(self):
        est = self.estimators_[0] if hasattr(self, "estimators_") else self.estimator
        return hasattr(est, method)

    return check


class DirectHorizonRegressor(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """Direct multi-horizon strategy: one clone of a window regressor per horizon.

    Fitted on ``(X, Y)`` from :func:`make_multi_horizon_windows`, the model of horizon
    ``h`` sees the lag columns and the covariates of its own target day (``<c>_h<h>``,
    renamed ``<c>``), i.e. exactly the rows of ``make_windows(..., horizon=h)``, so a study
    pipeline or the default forecaster works unchanged. Without column names (numpy X)
    every model sees every column. Rows with a missing target are left out of that
    horizon's fit (of a joint group's: rows with none of its targets observed; the others
    go to its model, which takes missing targets or says not).

    Parameters
    ----------
    estimator : regressor
        Cloned once per horizon.
    horizon_param : str or None, default=None
        Name of a parameter of ``estimator`` set to each model's horizon (e.g.
        ``"regressor__lag"`` is not one; a factory's ``horizon`` usually is).
    verbose : int, default=0
        1: print a line after each horizon's fit, with the time it took and an estimate of
        the time left.
    warm_start : bool, default=False
        A refit of a fitted model with the same horizons refits each horizon's fitted model
        (which continues from its own state when it warm-starts too) instead of a clone.
    joint_from : int >= 1 or None, default=None
        The horizons from the ``joint_from``-th on (counted in Y's columns) share one clone
        with an output each, fitted on their rows (lags, other columns and those horizons'
        own ``<c>_h<h>`` covariates, names kept: e.g. the default forecaster a week ahead,
        ``joint_from=2``: day 1 by its own model, days 2..7 by one). None: one clone per
        horizon.

    Attributes
    ----------
    horizons_ : list of int
        From the ``_h<k>`` names of Y's columns (``1..H`` otherwise).
    groups_ : list of list of int
        The horizons of each fitted model, in order.
    estimators_ : list of regressors
        One fitted clone per horizon (per group of ``groups_``).
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> from sklearn.impute import SimpleImputer
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn_hydro.datasets import make_synthetic_demand
    >>> from sklearn_hydro.forecasting import DirectHorizonRegressor
    >>> from sklearn_hydro.windows import make_multi_horizon_windows
    >>> frame = make_synthetic_demand(n_days=200, random_state=0)
    >>> X, Y = make_multi_horizon_windows(frame, "demand", 14, horizons=3,
    ...                                   covariates=["rain", "temp_max"])
    >>> model = DirectHorizonRegressor(make_pipeline(SimpleImputer(), Ridge())).fit(X, Y)
    >>> model.predict(X.iloc[-2:]).shape
    (2, 3)
    >>> list(model.estimators_[0].feature_names_in_[-2:])
    ['rain', 'temp_max']
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"])],
        "horizon_param": [str, None],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "joint_from": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(self, estimator, horizon_param=None, verbose=0, warm_start=False,
                 joint_from=None):
        self.estimator = estimator
        self.horizon_param = horizon_param
        self.verbose = verbose
        self.warm_start = warm_start
        self.joint_from = joint_from

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return inherit_tags(tags, [self.estimator])

    def _columns_for(self, X, group):
        """The columns of a group's model: one horizon's renamed ``<c>``, several kept."""
        group = [group] if isinstance(group, Integral) else list(group)
        if not hasattr(X, "columns"):
            return X
        keep, rename = [], {}
        for c in X.columns:
            parsed = parse_horizon_name(c)
            if parsed is None:
                keep.append(c)
            elif parsed[1] in group:
                keep.append(c)
                if len(group) == 1:
                    rename[c] = parsed[0]
        return X[keep].rename(columns=rename)

    def _groups(self, horizons):
        if self.joint_from is None or self.joint_from > len(horizons) - 1:
            return [[h] for h in horizons]
        k = self.joint_from - 1
        return [[h] for h in horizons[:k]] + [horizons[k:]]

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit one model per horizon.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
        y : DataFrame or array-like of shape (n_samples, n_horizons) or (n_samples,)

        Returns
        -------
        self : DirectHorizonRegressor
        """
        X, Y = validate_passthrough(self, X, y, reset=True, multi_output=True, y_numeric=True)
        Y = np.asarray(Y, dtype=np.float64)
        self._single = Y.ndim == 1
        Y = Y.reshape(len(Y), -1)
        if np.isinf(Y).any():
            raise ValueError("y contains infinite values")
        names = list(getattr(y, "columns", [])) if not self._single else []
        found = [parse_horizon_name(c) for c in names]
        if names and all(found):
            horizons = [p[1] for p in found]
        else:
            horizons = list(range(1, Y.shape[1] + 1))
        in_x = {p[1] for p in map(parse_horizon_name, getattr(X, "columns", [])) if p}
        lacking = [h for h in horizons if in_x and h not in in_x]
        if lacking:
            raise ValueError(
                f"y has horizon(s) {lacking} but X holds the covariates of horizons "
                f"{sorted(in_x)} only: make X and y with the same horizons "
                "(make_multi_horizon_windows)"
            )
        groups = self._groups(horizons)
        estimators = []
        start = time.perf_counter()
        warm = self.warm_start and getattr(self, "groups_", None) == groups
        for j, group in enumerate(groups):
            rows, Yg = _observed(Y, horizons, group)
            if len(rows) == 0:
                raise ValueError(f"no observed target for horizon(s) {group}")
            est = self.estimators_[j] if warm else clone(self.estimator)
            if self.horizon_param is not None and len(group) == 1:
                est.set_params(**{self.horizon_param: group[0]})
            Xh = self._columns_for(X, group)
            Xh = Xh.iloc[rows] if hasattr(Xh, "iloc") else Xh[rows]
            estimators.append(est.fit(Xh, Yg))
            if self.verbose:
                spent = time.perf_counter() - start
                left = spent / (j + 1) * (len(groups) - j - 1)
                what = f"horizon {group[0]}" if len(group) == 1 else (
                    f"horizons {group[0]}..{group[-1]}")
                print(f"{what} fitted ({j + 1}/{len(groups)}), {spent:.0f} s so far, "
                      f"about {left:.0f} s left", flush=True)
        self.horizons_ = horizons
        self.groups_ = groups
        self.estimators_ = estimators
        return self

    def _check(self, X):
        check_is_fitted(self)
        return validate_passthrough(self, X, reset=False)

    def _stack(self, parts):
        """One block of outputs per group, side by side (horizons on axis 1)."""
        n = len(parts[0])
        blocks = [np.asarray(p, dtype=np.float64).reshape(n, len(g), -1)
                  for p, g in zip(parts, self._fitted_groups(), strict=True)]
        out = np.concatenate(blocks, axis=1)
        out = out[..., 0] if out.shape[-1] == 1 else out
        return out[:, 0] if self._single else out

    def _fitted_groups(self):
        return getattr(self, "groups_", None) or [[h] for h in self.horizons_]

    def predict(self, X):
        """Forecasts for every horizon.

        Returns
        -------
        ndarray of shape (n_samples, n_horizons), or (n_samples,) if fitted on 1-D y.
        """
        X = self._check(X)
        return self._stack([est.predict(self._columns_for(X, g))
                            for g, est in zip(self._fitted_groups(), self.estimators_,
                                              strict=True)])

    @available_if(_estimators_have("update"))
    def update(self, X, y):
        """Pass newly observed rows to every horizon's ``update`` (e.g. conformal errors).

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples, n_horizons); NaN targets are skipped.

        Returns
        -------
        self : DirectHorizonRegressor
        """
        X = self._check(X)
        Y = np.asarray(y, dtype=np.float64).reshape(len(X), -1)
        for group, est in zip(self._fitted_groups(), self.estimators_, strict=True):
            rows, Yg = _observed(Y, self.horizons_, group)
            if len(rows):
                Xh = self._columns_for(X, group)
                est.update(Xh.iloc[rows] if hasattr(Xh, "iloc") else Xh[rows], Yg)
        return self

    @available_if(_estimators_have("predict_interval"))
    def predict_interval(self, X, coverage=None):
        """Intervals of every horizon's model.

        Returns
        -------
        ndarray of shape (n_samples, n_horizons, 2) (``(n_samples, 2)`` if fitted on 1-D y)
        """
        X = self._check(X)
        return self._stack([est.predict_interval(self._columns_for(X, g), coverage=coverage)
                            for g, est in zip(self._fitted_groups(), self.estimators_,
                                              strict=True)])


def _observed(Y, horizons, group):
    """The rows with an observed target in ``group``'s horizons, and their targets (1-D for
    one horizon, a column per horizon for several)."""
    cols = [horizons.index(h) for h in group]
    rows = np.nonzero((~np.isnan(Y[:, cols])).any(axis=1))[0]
    return rows, (Y[rows][:, cols] if len(cols) > 1 else Y[rows, cols[0]])


def forecast_table(model, rows, horizons=None, *, step=None):
    """Forecasts of a fitted model as a tidy table: one row per series, origin and horizon.

    Parameters
    ----------
    model : fitted regressor
        Of the rows (e.g. a :class:`DirectHorizonRegressor`, or a
        :class:`~sklearn_hydro.forecasting.PerSeriesRegressor` of them for a panel); intervals are
        added when it has ``predict_interval``.
    rows : DataFrame
        Forecast rows indexed by origin (:func:`make_forecast_rows`), or by
        ``(series, origin)`` for a panel.
    horizons : list of int or None, default=None
        The horizons of the model's outputs; None: ``model.horizons_`` if it has them, else
        ``1..H`` for H outputs.
    step : pandas.Timedelta, DateOffset or None, default=None
        The time step of the frame the rows come from; None: the step that
        :func:`~sklearn_hydro.make_forecast_rows` records in ``rows.attrs["step"]``, else
        the frequency of the rows' index, else the step between their origins.

    Returns
    -------
    DataFrame
        Columns ``series`` (panels only), ``origin``, ``target_date``, ``horizon``,
        ``forecast`` and, with intervals, ``lower`` and ``upper``.

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn_hydro.datasets import make_synthetic_demand
    >>> from sklearn_hydro.forecasting import DirectHorizonRegressor, forecast_table
    >>> from sklearn_hydro.windows import make_forecast_rows, make_multi_horizon_windows
    >>> frame = make_synthetic_demand(120, missing_fraction=0)[["demand"]]
    >>> X, Y = make_multi_horizon_windows(frame, "demand", 7, horizons=2)
    >>> model = DirectHorizonRegressor(Ridge()).fit(X, Y)
    >>> table = forecast_table(model, make_forecast_rows(frame, "demand", 7, horizons=2))
    >>> table[["origin", "target_date", "horizon"]]
          origin target_date  horizon
    0 2021-04-30  2021-05-01        1
    1 2021-04-30  2021-05-02        2
    """
    pred = np.asarray(model.predict(rows), dtype=np.float64).reshape(len(rows), -1)
    if horizons is None:
        horizons = getattr(model, "horizons_", None)
    horizons = list(range(1, pred.shape[1] + 1)) if horizons is None else list(horizons)
    if len(horizons) != pred.shape[1]:
        raise ValueError(f"{len(horizons)} horizons for {pred.shape[1]} outputs of the model")
    panel = is_panel(rows)
    origins = rows.index.get_level_values(1) if panel else rows.index
    if step is None:
        step = rows.attrs.get("step", getattr(origins, "freq", None))
    if step is None:
        try:
            step = time_step(pd.DatetimeIndex(origins.unique()).sort_values())
        except (TypeError, ValueError):
            raise ValueError(
                "cannot tell the time step from the rows' origins: pass step= (the frame's "
                "step, sklearn_hydro.utils.time_step(frame.index))"
            ) from None
    bounds = None
    if hasattr(model, "predict_interval"):
        bounds = np.asarray(model.predict_interval(rows), dtype=np.float64)
        bounds = bounds.reshape(len(rows), len(horizons), 2)
    parts = []
    for j, h in enumerate(horizons):
        part = pd.DataFrame({
            "origin": np.asarray(origins),
            "target_date": np.asarray(origins + h * step),
            "horizon": h,
            "forecast": pred[:, j],
        })
        if panel:
            part.insert(0, "series", np.asarray(rows.index.get_level_values(0)))
        if bounds is not None:
            part["lower"], part["upper"] = bounds[:, j, 0], bounds[:, j, 1]
        parts.append(part)
    table = pd.concat(parts, ignore_index=True)
    keys = ["series", "origin", "horizon"] if panel else ["origin", "horizon"]
    return table.sort_values(keys, kind="stable").reset_index(drop=True)
