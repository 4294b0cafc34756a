"""Days 1..H ahead: multi-horizon windows, forecast rows, and the direct strategy.

A multi-horizon row holds everything known at its forecast origin ``t``: the last
``lookback`` target values (``<target>_lag<k>``, as in :func:`~sklearn_hydro.make_windows`)
and, for each horizon ``h``, the known-ahead covariates of the day ``t + h``, named
``<covariate>_h<h>``. The targets are the columns ``<target>_h<h>``. The index is the origin.
:class:`DirectHorizonRegressor` fits one model per horizon, each on the rows
``make_windows(horizon=h)`` would give, so any window regressor serves every horizon.
"""

import re
from numbers import Integral

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, _fit_context, clone
from sklearn.utils._available_if import available_if
from sklearn.utils._param_validation import HasMethods, validate_params
from sklearn.utils.validation import check_is_fitted

from ._passthrough import validate_passthrough
from .windows import _check_positive_int, _check_regular_index

__all__ = [
    "DirectHorizonRegressor",
    "forecast_table",
    "make_forecast_rows",
    "make_multi_horizon_windows",
]

_H_SUFFIX = re.compile(r"^(.*)_h(\d+)$")


def _horizon_list(horizons):
    if isinstance(horizons, Integral) and not isinstance(horizons, bool):
        return list(range(1, _check_positive_int(horizons, "horizons") + 1))
    hs = [_check_positive_int(h, "each horizon") for h in horizons]
    if not hs or sorted(set(hs)) != hs:
        raise ValueError(f"horizons must be increasing and not empty, got {horizons!r}")
    return hs


def _check_frame(frame, target, covariates, past_covariates):
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    if target not in frame.columns:
        raise ValueError(f"target column {target!r} is not in the frame's columns")
    past = [] if past_covariates is None else list(past_covariates)
    if covariates is None:
        covariates = [c for c in frame.columns if c != target and c not in past]
    covariates = list(covariates)
    missing = [c for c in covariates + past if c not in frame.columns]
    if missing:
        raise ValueError(f"covariate column(s) not in the frame: {missing}")
    if target in covariates or target in past:
        raise ValueError(f"the target {target!r} cannot be a covariate")
    bad = [c for c in [target, *past, *covariates]
           if not is_numeric_dtype(frame[c]) and not is_bool_dtype(frame[c])]
    if bad:
        raise TypeError(f"column(s) must be numeric, got non-numeric: {bad}")
    _check_regular_index(frame.index)
    return covariates, past


def _rows(frame, origins, lookback, horizons, target, covariates, past, index, cov_values):
    """Lag blocks of the target and past covariates at ``origins``, then known-ahead ones."""
    origins = np.asarray(origins, dtype=int)
    offsets = np.arange(-lookback + 1, 1)
    blocks = []
    for name in [target, *past]:
        values = frame[name].to_numpy(dtype=np.float64)
        lags = values[origins[:, None] + offsets[None, :]]
        blocks.append(pd.DataFrame(lags, index=index,
                                   columns=[f"{name}_lag{k}" for k in range(lookback, 0, -1)]))
    for h in horizons:
        blocks.append(pd.DataFrame(cov_values(h), index=index,
                                   columns=[f"{c}_h{h}" for c in covariates]))
    return pd.concat(blocks, axis=1)


@validate_params(
    {
        "frame": [pd.DataFrame],
        "target": [str],
        "lookback": [Integral],
        "horizons": [Integral, list, tuple],
        "covariates": [list, None],
        "past_covariates": [list, None],
    },
    prefer_skip_nested_validation=True,
)
def make_multi_horizon_windows(frame, target, lookback, horizons=7, covariates=None,
                               past_covariates=None):
    """Forecast windows for several horizons at once: ``(X, Y)`` indexed by origin.

    Parameters
    ----------
    frame : DataFrame
        Regularly spaced, increasing DatetimeIndex; numeric columns. A ``(series, date)``
        panel gives every series' windows, indexed ``(series, origin)`` in time order.
    target : str
    lookback : int >= 1
    horizons : int or list of int, default=7
        ``H`` for days ``1..H``, or an increasing list of horizons.
    covariates : list of str or None, default=None
        Known-ahead columns (None: every column but the target and the past covariates).
    past_covariates : list of str or None, default=None
        Columns known only up to the origin, windowed like the target (``<c>_lag<k>``), as
        in :func:`~sklearn_hydro.make_windows`.

    Returns
    -------
    X : DataFrame
        Lags ``<target>_lag<k>`` (oldest to newest), the past covariates' lags, then
        ``<covariate>_h<h>`` for each horizon; index: the origin (named ``origin``).
    Y : DataFrame
        Columns ``<target>_h<h>``. Rows with a missing target at any horizon are dropped.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.multi_horizon import make_multi_horizon_windows
    >>> days = pd.date_range("2024-01-01", periods=5, freq="D")
    >>> frame = pd.DataFrame({"demand": [10.0, 11, 12, 13, 14],
    ...                       "temp": [1.0, 2, 3, 4, 5]}, index=days)
    >>> X, Y = make_multi_horizon_windows(frame, "demand", lookback=2, horizons=2)
    >>> X
                demand_lag2  demand_lag1  temp_h1  temp_h2
    origin
    2024-01-02         10.0         11.0      3.0      4.0
    2024-01-03         11.0         12.0      4.0      5.0
    >>> Y
                demand_h1  demand_h2
    origin
    2024-01-02       12.0       13.0
    2024-01-03       13.0       14.0
    """
    from .panel import apply_per_series, is_panel

    if is_panel(frame):
        return apply_per_series(make_multi_horizon_windows, frame, target, lookback, horizons,
                                covariates, past_covariates)
    lookback = _check_positive_int(lookback, "lookback")
    horizons = _horizon_list(horizons)
    covariates, past = _check_frame(frame, target, covariates, past_covariates)
    n, H = len(frame), horizons[-1]
    if n < lookback + H:
        raise ValueError(
            f"series too short: {n} rows, but lookback={lookback} and horizon {H} need at "
            f"least {lookback + H}"
        )
    values = frame[target].to_numpy(dtype=np.float64)
    cov = frame[covariates].to_numpy(dtype=np.float64)
    origins = np.arange(lookback - 1, n - H)
    index = frame.index[origins].rename("origin")
    X = _rows(frame, origins, lookback, horizons, target, covariates, past, index,
              lambda h: cov[origins + h])
    Y = pd.DataFrame({f"{target}_h{h}": values[origins + h] for h in horizons}, index=index)
    keep = Y.notna().all(axis=1).to_numpy()
    if not keep.any():
        raise ValueError(f"no window has an observed target at every horizon {horizons}")
    return X.loc[keep], Y.loc[keep]


@validate_params(
    {
        "frame": [pd.DataFrame],
        "target": [str],
        "lookback": [Integral],
        "horizons": [Integral, list, tuple],
        "covariates": [list, None],
        "future": [pd.DataFrame, None],
        "past_covariates": [list, None],
    },
    prefer_skip_nested_validation=True,
)
def make_forecast_rows(frame, target, lookback, horizons=7, covariates=None, future=None,
                       past_covariates=None):
    """The row to forecast from: the newest origin, whose targets are not observed yet.

    The origin is the last date with an observed target. The lags are the ``lookback``
    values up to it; the covariates of each target day come from ``frame`` (rows after the
    origin with an empty target) or from ``future`` (e.g. a weather forecast file indexed
    by date).

    Parameters
    ----------
    frame : DataFrame
        History, as for :func:`make_multi_horizon_windows`; a ``(series, date)`` panel gives
        one row per series, indexed ``(series, origin)`` (each series from its own last
        observed day).
    target : str
    lookback : int >= 1
    horizons : int or list of int, default=7
    covariates : list of str or None, default=None
        None: every column of ``frame`` but the target.
    future : DataFrame or None, default=None
        Known-ahead covariates for dates after the origin (same columns); its values win
        over those of ``frame`` on the same date. With a panel: shared by every series, or
        a ``(series, date)`` panel of each series' own.
    past_covariates : list of str or None, default=None
        Columns known up to the origin, windowed like the target.

    Returns
    -------
    X : DataFrame of one row
        Same columns as :func:`make_multi_horizon_windows`; index: the origin.

    Raises
    ------
    ValueError
        If a covariate is missing for a target day (the message names the dates).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sklearn_hydro.multi_horizon import make_forecast_rows
    >>> days = pd.date_range("2024-01-01", periods=4, freq="D")
    >>> frame = pd.DataFrame({"demand": [10.0, 11, 12, np.nan],
    ...                       "temp": [1.0, 2, 3, 4]}, index=days)
    >>> future = pd.DataFrame({"temp": [5.0]}, index=[pd.Timestamp("2024-01-05")])
    >>> make_forecast_rows(frame, "demand", 2, horizons=2, future=future)
                demand_lag2  demand_lag1  temp_h1  temp_h2
    origin
    2024-01-03         11.0         12.0      4.0      5.0
    """
    from .panel import apply_per_series, is_panel

    if is_panel(frame):
        own = {"future": future} if is_panel(future) else {}
        shared = {} if own else {"future": future}
        return apply_per_series(make_forecast_rows, frame, target, lookback, horizons,
                                covariates, past_covariates=past_covariates, per_series=own,
                                **shared)
    lookback = _check_positive_int(lookback, "lookback")
    horizons = _horizon_list(horizons)
    covariates, past = _check_frame(frame, target, covariates, past_covariates)
    observed = np.nonzero(frame[target].notna().to_numpy())[0]
    if len(observed) == 0:
        raise ValueError(f"the target {target!r} is never observed")
    origin = int(observed[-1])
    if origin + 1 < lookback:
        raise ValueError(
            f"only {origin + 1} rows up to the last observed target; lookback={lookback}"
        )
    freq = frame.index.freq or pd.tseries.frequencies.to_offset(
        pd.Series(frame.index[1:] - frame.index[:-1]).mode().iloc[0]
    )
    origin_date = frame.index[origin]
    days = pd.DatetimeIndex([origin_date + h * freq for h in horizons])
    known = frame[covariates]
    if future is not None:
        absent = [c for c in covariates if c not in future.columns]
        if absent:
            raise ValueError(f"the future covariates lack column(s) {absent}")
        fut = future[covariates].copy()
        fut.index = pd.DatetimeIndex(fut.index)
        known = fut.combine_first(known)
    cov = known.reindex(days)
    if covariates and cov.isna().any().any():
        gaps = [f"{c} on {d:%Y-%m-%d}" for d in days for c in covariates
                if pd.isna(cov.loc[d, c])]
        raise ValueError(
            "known-ahead covariates are missing for the forecast days: "
            + ", ".join(gaps[:6]) + (" ..." if len(gaps) > 6 else "")
            + "; supply them (e.g. a weather forecast file)"
        )
    cov_values = cov.to_numpy(dtype=np.float64)
    index = pd.DatetimeIndex([origin_date], name="origin")
    return _rows(frame, [origin], lookback, horizons, target, covariates, past, index,
                 lambda h: cov_values[[horizons.index(h)]])


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
    horizon's fit.

    Parameters
    ----------
    estimator : regressor
        Cloned once per horizon.
    horizon_param : str or None, default=None
        Name of a parameter of ``estimator`` set to each model's horizon (e.g.
        ``"regressor__lag"`` is not one; a factory's ``horizon`` usually is).

    Attributes
    ----------
    horizons_ : list of int
        From the ``_h<k>`` names of Y's columns (``1..H`` otherwise).
    estimators_ : list of regressors
        One fitted clone per horizon.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> from sklearn.impute import SimpleImputer
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn_hydro.datasets import make_synthetic_demand
    >>> from sklearn_hydro.multi_horizon import (DirectHorizonRegressor,
    ...                                          make_multi_horizon_windows)
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
    }

    def __init__(self, estimator, horizon_param=None):
        self.estimator = estimator
        self.horizon_param = horizon_param

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        tags.input_tags.allow_nan = self.estimator.__sklearn_tags__().input_tags.allow_nan
        return tags

    def _columns_for(self, X, h):
        if not hasattr(X, "columns"):
            return X
        keep, rename = [], {}
        for c in X.columns:
            m = _H_SUFFIX.match(str(c))
            if m is None:
                keep.append(c)
            elif int(m.group(2)) == h:
                keep.append(c)
                rename[c] = m.group(1)
        return X[keep].rename(columns=rename)

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
        found = [_H_SUFFIX.match(str(c)) for c in names]
        if names and all(found):
            horizons = [int(m.group(2)) for m in found]
        else:
            horizons = list(range(1, Y.shape[1] + 1))
        estimators = []
        for j, h in enumerate(horizons):
            rows = np.nonzero(~np.isnan(Y[:, j]))[0]
            if len(rows) == 0:
                raise ValueError(f"no observed target for horizon {h}")
            est = clone(self.estimator)
            if self.horizon_param is not None:
                est.set_params(**{self.horizon_param: h})
            Xh = self._columns_for(X, h)
            Xh = Xh.iloc[rows] if hasattr(Xh, "iloc") else Xh[rows]
            estimators.append(est.fit(Xh, Y[rows, j]))
        self.horizons_ = horizons
        self.estimators_ = estimators
        return self

    def _check(self, X):
        check_is_fitted(self)
        return validate_passthrough(self, X, reset=False)

    def _stack(self, parts):
        out = np.stack(parts, axis=1)
        return out[:, 0] if self._single else out

    def predict(self, X):
        """Forecasts for every horizon.

        Returns
        -------
        ndarray of shape (n_samples, n_horizons), or (n_samples,) if fitted on 1-D y.
        """
        X = self._check(X)
        return self._stack([
            np.asarray(est.predict(self._columns_for(X, h)), dtype=np.float64).reshape(-1)
            for h, est in zip(self.horizons_, self.estimators_, strict=True)
        ])

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
        for j, (h, est) in enumerate(zip(self.horizons_, self.estimators_, strict=True)):
            rows = np.nonzero(~np.isnan(Y[:, j]))[0]
            if len(rows):
                Xh = self._columns_for(X, h)
                est.update(Xh.iloc[rows] if hasattr(Xh, "iloc") else Xh[rows], Y[rows, j])
        return self

    @available_if(_estimators_have("predict_interval"))
    def predict_interval(self, X, coverage=None):
        """Intervals of every horizon's model.

        Returns
        -------
        ndarray of shape (n_samples, n_horizons, 2) (``(n_samples, 2)`` if fitted on 1-D y)
        """
        X = self._check(X)
        return self._stack([
            np.asarray(est.predict_interval(self._columns_for(X, h), coverage=coverage))
            for h, est in zip(self.horizons_, self.estimators_, strict=True)
        ])


def forecast_table(model, rows, horizons=None):
    """Forecasts of a fitted model as a tidy table: one row per series, origin and horizon.

    Parameters
    ----------
    model : fitted regressor
        Of the rows (e.g. a :class:`DirectHorizonRegressor`, or a
        :class:`~sklearn_hydro.panel.PerSeriesRegressor` of them for a panel); intervals are
        added when it has ``predict_interval``.
    rows : DataFrame
        Forecast rows indexed by origin (:func:`make_forecast_rows`), or by
        ``(series, origin)`` for a panel.
    horizons : list of int or None, default=None
        The horizons of the model's outputs; None: ``model.horizons_`` if it has them, else
        ``1..H`` for H outputs.

    Returns
    -------
    DataFrame
        Columns ``series`` (panels only), ``origin``, ``target_date``, ``horizon``,
        ``forecast`` and, with intervals, ``lower`` and ``upper``.

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn_hydro.datasets import make_synthetic_demand
    >>> from sklearn_hydro.multi_horizon import (DirectHorizonRegressor, forecast_table,
    ...     make_forecast_rows, make_multi_horizon_windows)
    >>> frame = make_synthetic_demand(120, missing_fraction=0)[["demand"]]
    >>> X, Y = make_multi_horizon_windows(frame, "demand", 7, horizons=2)
    >>> model = DirectHorizonRegressor(Ridge()).fit(X, Y)
    >>> table = forecast_table(model, make_forecast_rows(frame, "demand", 7, horizons=2))
    >>> table[["origin", "target_date", "horizon"]]
          origin target_date  horizon
    0 2021-04-30  2021-05-01        1
    1 2021-04-30  2021-05-02        2
    """
    from .panel import is_panel

    pred = np.asarray(model.predict(rows), dtype=np.float64).reshape(len(rows), -1)
    if horizons is None:
        horizons = getattr(model, "horizons_", None)
    horizons = list(range(1, pred.shape[1] + 1)) if horizons is None else list(horizons)
    if len(horizons) != pred.shape[1]:
        raise ValueError(f"{len(horizons)} horizons for {pred.shape[1]} outputs of the model")
    panel = is_panel(rows)
    origins = rows.index.get_level_values(1) if panel else rows.index
    step = pd.Timedelta(days=1)
    if isinstance(origins, pd.DatetimeIndex) and origins.freq is not None:
        step = origins.freq
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
