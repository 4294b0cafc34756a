"""Forecaster: one object that owns the forecasting protocol of a time-indexed frame."""

from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.utils.validation import check_is_fitted

from ..conformal import ConformalRegressor
from ..preprocessing import calendar_features, is_calendar_column
from ..utils import (
    check_horizons,
    fit_progress,
    is_panel,
    series_labels,
    set_warm_start,
    time_step,
    time_values,
)
from ..utils._sklearn import HasMethods, Interval, StrOptions
from ..windows import make_forecast_rows, make_multi_horizon_windows
from ._direct import DirectHorizonRegressor, forecast_table
from ._progress import planned_network_fits

__all__ = ["Forecaster"]


class Forecaster(BaseEstimator):
    """Forecast a time-indexed frame: the protocol (target, lookback, horizons, column roles,
    calendar, intervals) in one object, a window regressor inside.

    ``fit(frame)`` builds multi-horizon windows of the frame (the target's and the past
    covariates' lags, the known-ahead covariates of each target time) and fits
    ``ConformalRegressor(regressor)`` on them (one model for every horizon; see
    ``strategy``); ``predict`` forecasts
    horizons ``1..H`` from the newest observed target as a tidy table indexed by the target
    time. The time step comes from the frame's index (days, hours, any regular step;
    tz-aware calendar days across DST).

    Column roles are declared, never guessed: ``known_ahead`` columns are taken at the
    target time (a weather forecast); ``past_covariates`` are read as lags only; any other
    column is ignored. Calendar features derived from the timestamps are always known ahead.

    Parameters
    ----------
    regressor : regressor or None, default=None
        A window regressor (any model of the rows of :func:`~sklearn_hydro.make_windows`);
        None: :func:`~sklearn_hydro.make_forecaster` for ``target``. A regressor with a
        ``target`` parameter left at None (e.g. :class:`~sklearn_hydro.GlobalRegressor`)
        gets ``target``. For a ``(series, time)`` panel frame, a panel model
        (:class:`~sklearn_hydro.GlobalRegressor`, :class:`~sklearn_hydro.PerSeriesRegressor`).
    target : str, default="demand"
    lookback : int, default=28
        Lags in each window (the regressor may read fewer, e.g. with a LagSelector).
    horizons : int or list of int, default=1
    known_ahead : list of str, default=()
    past_covariates : list of str, default=()
    calendar : bool, default=True
        Add calendar features of the target times (weekday, weekend, day of year, holidays
        of ``country``/``subdivision``), known ahead; a frame column of the same name keeps
        its own values and is filled from the calendar only where it is missing (e.g. the
        target times after the frame).
    country, subdivision : str or None, default=None
    extra_holidays : list of (month, day), default=()
    coverage : float in (0, 1) or None, default=0.9
        Nominal coverage of conformal intervals; None for point forecasts only.
    interval_params : dict or None, default=None
        Other parameters of :class:`~sklearn_hydro.ConformalRegressor`.
    leakage_guard : bool, default=True
        Refuse known-ahead columns that give the target on its own day (a copy of it,
        parts that add up to it, a product or ratio, a near-copy; see
        :func:`~sklearn_hydro.model_selection.find_same_day_proxies`, the command line's
        guard too): on the target day they are no more known than the target, and would
        make every forecast look perfect. Past covariates are read as lags only and are not
        checked.
    strategy : {"auto", "first+joint", "joint", "direct"}, default="auto"
        How horizons ``1..H`` are forecast. ``"joint"``: one model with one output per
        horizon, fitted once on every horizon's target (its windows hold every horizon's
        known-ahead covariates, named ``<column>_h<k>``, and each output reads its own);
        ``"first+joint"``: horizon 1 by its own model, horizons ``2..H`` by one joint model
        (:class:`~sklearn_hydro.DirectHorizonRegressor` with ``joint_from=2``);
        ``"direct"``: one clone of the regressor per horizon, each seeing its own horizon's
        covariates; ``"auto"``: ``"first+joint"`` when the regressor's tags say it has
        several outputs (the default forecaster, the recurrent regressor, linear models, the
        stacked regressor), else direct. The default forecaster a week ahead is thus two
        models instead of seven; in cross-validation on BWDF training periods its own model
        of day 1 forecast that day better than the joint model's first output (see
        :func:`~sklearn_hydro.forecasting.make_forecaster`).
    stride : int >= 1, default=1
        Fit on every ``stride``-th origin, counted back from the newest observed target
        (see :func:`~sklearn_hydro.make_multi_horizon_windows`): ``stride=24`` on an hourly
        frame gives one window a day, each from the hour the forecast starts from.
    partial_windows : bool, default=False
        Also fit on windows whose target is missing at some horizons (see
        :func:`~sklearn_hydro.make_multi_horizon_windows`): for a regressor that takes
        missing targets (:class:`~sklearn_hydro.StackedHorizonRegressor`) and many
        horizons, where most windows miss some hour of a series with gaps.
    verbose : int, default=0
        1: a line after each network's fit (``network 3/10 fitted, 12 s so far, about 28 s
        left``) and, with the direct strategy, after each horizon's, with an estimate of the
        time left.

    Attributes
    ----------
    model_ : ConformalRegressor or DirectHorizonRegressor
        The fitted window model (see :meth:`window_model`).
    horizons_ : list of int
    known_ahead_ : list of str
        The declared known-ahead columns and the calendar columns.
    step_ : pandas.Timedelta or DateOffset
    origin_ : Timestamp, or dict of Timestamp
        The newest origin seen by ``fit`` or ``update`` (per series for a panel).
    n_windows_ : int
        The windows seen by ``fit`` and ``update``.

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.impute import SimpleImputer
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn_hydro import Forecaster
    >>> from sklearn_hydro.datasets import make_synthetic_demand
    >>> frame = make_synthetic_demand(n_days=200, random_state=0)
    >>> f = Forecaster(make_pipeline(SimpleImputer(), Ridge()), lookback=14, horizons=3,
    ...                past_covariates=["temp_max"]).fit(frame.iloc[:-3])
    >>> table = f.predict(frame)
    >>> table[["horizon", "forecast"]].shape
    (3, 2)
    """

    _parameter_constraints = {
        "regressor": [HasMethods(["fit", "predict"]), None],
        "target": [str],
        "lookback": [Interval(Integral, 1, None, closed="left")],
        "horizons": [Interval(Integral, 1, None, closed="left"), list, tuple],
        "known_ahead": [list, tuple],
        "past_covariates": [list, tuple],
        "calendar": ["boolean"],
        "country": [str, None],
        "subdivision": [str, None],
        "extra_holidays": [list, tuple],
        "coverage": [Interval(Real, 0, 1, closed="neither"), None],
        "interval_params": [dict, None],
        "leakage_guard": ["boolean"],
        "strategy": [StrOptions({"auto", "first+joint", "joint", "direct"})],
        "stride": [Interval(Integral, 1, None, closed="left")],
        "partial_windows": ["boolean"],
        "verbose": ["verbose"],
    }

    def __init__(self, regressor=None, *, target="demand", lookback=28, horizons=1,
                 known_ahead=(), past_covariates=(), calendar=True, country=None,
                 subdivision=None, extra_holidays=(), coverage=0.9, interval_params=None,
                 leakage_guard=True, strategy="auto", stride=1, partial_windows=False,
                 verbose=0):
        self.regressor = regressor
        self.target = target
        self.lookback = lookback
        self.horizons = horizons
        self.known_ahead = known_ahead
        self.past_covariates = past_covariates
        self.calendar = calendar
        self.country = country
        self.subdivision = subdivision
        self.extra_holidays = extra_holidays
        self.coverage = coverage
        self.interval_params = interval_params
        self.leakage_guard = leakage_guard
        self.strategy = strategy
        self.stride = stride
        self.partial_windows = partial_windows
        self.verbose = verbose

    def _with_calendar(self, frame):
        if not self.calendar:
            return frame, []
        dates = time_values(frame) if is_panel(frame) else frame.index
        cal = calendar_features(dates, country=self.country,
                                subdivision=self.subdivision,
                                extra_holidays=list(self.extra_holidays))
        out = frame.copy()
        for c in cal.columns:
            values = cal[c].to_numpy()
            # the frame's own values win where it has them (a local holiday column)
            out[c] = out[c].where(out[c].notna(), values) if c in out.columns else values
        return out, list(cal.columns)

    def _prepared(self, frame):
        """``frame`` with the calendar columns, its known-ahead and past-covariate columns."""
        frame, cal = self._with_calendar(frame)
        known = list(self.known_ahead)
        past = list(self.past_covariates)
        for c in [self.target, *known, *past]:
            if c not in frame.columns:
                raise ValueError(f"column {c!r} is not in the frame (columns: "
                                 f"{list(frame.columns)})")
        empty = [c for c in [*known, *past] if frame[c].isna().all()]
        if empty:
            raise ValueError(f"column(s) {empty} hold no value at all; leave them out")
        return frame, known + [c for c in cal if c not in known], past

    def window_model(self):
        """The unfitted model of the windows that ``fit`` trains.

        ``ConformalRegressor(regressor)`` for the joint strategy,
        ``DirectHorizonRegressor(ConformalRegressor(regressor))`` for the direct one
        (``joint_from=2`` for ``"first+joint"``; without the conformal layer when
        ``coverage`` is None), e.g. for
        :func:`~sklearn_hydro.backtest` or a GridSearchCV on the windows of
        :meth:`windows`.
        """
        base = self.regressor
        if base is None:
            from ._default import make_forecaster

            base = make_forecaster(target=self.target)
        base = clone(base)
        if base.get_params(deep=False).get("target", False) is None:
            base.set_params(target=self.target)  # e.g. GlobalRegressor: the target's lags
        horizons = check_horizons(self.horizons)
        if self.coverage is not None:
            # the gap in windows: no calibration target is known at the fitted rows' origins
            gap = -(-(max(horizons) - 1) // self.stride)
            base = ConformalRegressor(base, coverage=self.coverage, gap=gap,
                                      **(self.interval_params or {}))
        strategy = self._strategy(base, horizons)
        if strategy == "joint":
            return base
        joint_from = 2 if strategy == "first+joint" else None
        return DirectHorizonRegressor(base, verbose=self.verbose, joint_from=joint_from)

    def _strategy(self, model, horizons):
        if self.strategy != "auto":
            return self.strategy
        if not model.__sklearn_tags__().target_tags.multi_output:
            return "direct"
        return "first+joint" if len(horizons) > 1 else "joint"

    def windows(self, frame):
        """The multi-horizon windows ``(X, Y)`` of ``frame`` that ``fit`` trains on.

        Calendar features are added first (they may be named as past covariates too).
        """
        return self._windows_of(*self._prepared(frame))

    def _windows_of(self, prepared, known, past):
        return make_multi_horizon_windows(prepared, self.target, self.lookback,
                                          check_horizons(self.horizons), known,
                                          past_covariates=past, stride=self.stride,
                                          partial=self.partial_windows)

    def fit(self, frame):
        """Fit the regressor on every window of ``frame``."""
        self._validate_params()
        prepared, self.known_ahead_, self.past_covariates_ = self._prepared(frame)
        if self.leakage_guard:
            self._check_leakage(prepared)
        self.horizons_ = check_horizons(self.horizons)
        X, Y = self._windows_of(prepared, self.known_ahead_, self.past_covariates_)
        self.model_ = self._fit_model(self.window_model(), X, Y)
        self.step_ = time_step(frame.index)
        self.origin_ = _newest_origins(X)
        self.n_windows_ = len(X)
        return self

    def _fit_model(self, model, X, Y):
        total = planned_network_fits(model, len(self.horizons_)) if self.verbose else 0
        with fit_progress(total):
            return model.fit(X, Y)

    def _check_leakage(self, frame):
        from ..model_selection import find_same_day_proxies

        # calendar columns are derived from the dates: known ahead by construction
        declared = [c for c in self.known_ahead
                    if c != self.target and not (self.calendar and is_calendar_column(c))]
        found = find_same_day_proxies(frame, self.target, declared) if declared else []
        if found:
            names = "; ".join(" + ".join(g) + f" ({kind})" for g, kind in found)
            raise ValueError(
                f"known-ahead column(s) that give the target {self.target!r} on its own "
                f"day: {names}. They are not known before the target is and would make "
                "every forecast look perfect: leave them out of known_ahead (as "
                "past_covariates they are read up to the origin only), or pass "
                "leakage_guard=False if they really are known ahead"
            )

    def _future_frame(self, frame, future, origin=None):
        """``frame`` extended to the target times (each series from its own origin), with
        ``future``'s known-ahead values and the calendar."""
        if is_panel(frame):
            own = is_panel(future)
            labels = list(dict.fromkeys(series_labels(frame)))
            parts = [self._extend(frame.xs(label, level=0),
                                  _series_part(future, label) if own else future, label,
                                  origin)
                     for label in labels]
            extended = pd.concat(parts, keys=labels, names=frame.index.names)
        else:
            extended = self._extend(frame, future, origin=origin)
        extended, _ = self._with_calendar(extended)
        return extended

    def _extend(self, frame, future, label=None, origin=None):
        if origin is not None:
            origin = pd.Timestamp(origin)
            if origin not in frame.index:
                raise ValueError(f"origin {origin} is not a time of the frame's index")
        else:
            observed = frame.index[frame[self.target].notna().to_numpy()]
            if len(observed) == 0:
                where = "" if label is None else f" of series {label!r}"
                raise ValueError(f"the target {self.target!r}{where} is never observed")
            origin = observed[-1]
        if frame.index[-1] > origin + max(self.horizons_) * self.step_:
            where = "" if label is None else f" of series {label!r}"
            raise ValueError(
                f"the newest observed target{where} is at {origin}, but the frame runs to "
                f"{frame.index[-1]}: the forecasts of horizons 1..{max(self.horizons_)} would "
                "be for times already past. Give the recent targets, or end the frame at the "
                "newest observed one (rows after it may only hold known-ahead values of the "
                "forecast times)"
            )
        times = pd.DatetimeIndex([origin + h * self.step_ for h in self.horizons_])
        times = times.as_unit(frame.index.unit)
        extended = frame.reindex(frame.index.union(times))
        extended.index.name = frame.index.name
        if future is not None:
            cols = [c for c in future.columns if c in self.known_ahead_]
            fut = future[cols]
            extended.update(fut.loc[fut.index > origin])  # future values win
        return extended

    def predict(self, frame, future=None, *, origin=None):
        """Forecast horizons ``1..H`` from the newest observed target of ``frame``.

        Parameters
        ----------
        frame : DataFrame
            The history (rows after the last observed target may hold known-ahead values).
        future : DataFrame or None, default=None
            Known-ahead covariates of the target times; its values win over ``frame``'s.
        origin : timestamp or None, default=None
            Forecast every series from this time of the frame instead of its newest
            observed target: e.g. the last hour before a week to forecast, when a district's
            newest hours were not measured (its lags keep the gap as NaN: for a regressor
            that takes missing lags, as :class:`~sklearn_hydro.StackedHorizonRegressor`).

        Returns
        -------
        DataFrame
            Indexed by the target time (``(series, time)`` for a panel, each series from
            its own newest observed target): ``origin``, ``horizon``, ``forecast`` and,
            with intervals, ``lower`` and ``upper``.
        """
        check_is_fitted(self)
        extended = self._future_frame(frame, future, origin)
        rows = make_forecast_rows(extended, self.target, self.lookback, self.horizons_,
                                  self.known_ahead_, past_covariates=self.past_covariates_,
                                  origin=origin)
        table = forecast_table(self.model_, rows, self.horizons_, step=self.step_)
        table = table.rename(columns={"target_date": "time"})
        return table.set_index(["series", "time"] if is_panel(rows) else "time")

    def update(self, frame, *, refit=False):
        """Take newly observed data: a new origin and, with intervals, new conformal scores.

        Parameters
        ----------
        frame : DataFrame
            The history, longer than at the last ``fit``/``update`` (at least the newest
            ``lookback + max(horizons)`` rows: earlier origins were seen already).
        refit : bool or "warm", default=False
            Refit the regressor on every window of ``frame`` instead; ``"warm"`` continues
            from the fitted model (:func:`~sklearn_hydro.utils.set_warm_start`: networks
            from their weights, the blend with its weights, the conformal scores kept).
        """
        check_is_fitted(self)
        if refit == "warm":
            X, Y = self.windows(frame)
            self._fit_model(set_warm_start(self.model_), X, Y)
            self.origin_ = _newest_origins(X)
            self.n_windows_ = len(X)
            return self
        if refit:
            return self.fit(frame)
        if len(frame) < self.lookback + max(self.horizons_):
            return self  # too short to hold one window: nothing newly observed to score
        X, Y = self.windows(frame)
        new = _after(X, self.origin_)
        if new.any() and hasattr(self.model_, "update"):
            self.model_.update(X[new], Y[new])
        self.n_windows_ += int(new.sum())
        if new.any():
            newest = _newest_origins(X[new])
            self.origin_ = ({**self.origin_, **newest} if isinstance(newest, dict)
                            else newest)
        return self

    # Model files (skops) hold plain data only: the origins and the step as text and numbers.
    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: object's is the instance's own dict
        if "origin_" in state:
            origin = state["origin_"]
            state["origin_"] = ({label: _encode_time(t) for label, t in origin.items()}
                                if isinstance(origin, dict) else _encode_time(origin))
        if "step_" in state:
            step = state["step_"]
            state["step_"] = (["days", int(step.days)] if isinstance(step, pd.DateOffset)
                              else ["ns", int(step.value), step.unit])
        return state

    def __setstate__(self, state):
        state = dict(state)
        origin = state.get("origin_")
        if isinstance(origin, dict):
            state["origin_"] = {label: _decode_time(t) for label, t in origin.items()}
        elif isinstance(origin, list):
            state["origin_"] = _decode_time(origin)
        if isinstance(state.get("step_"), list):
            kind, value, *unit = state["step_"]
            state["step_"] = (pd.DateOffset(days=value) if kind == "days"
                              else pd.Timedelta(value, unit="ns").as_unit(unit[0]))
        super().__setstate__(state)


def _encode_time(time):
    return [time.isoformat(), None if time.tz is None else str(time.tz), time.unit]


def _decode_time(encoded):
    text, tz, unit = encoded
    time = pd.Timestamp(text).as_unit(unit)
    return time if tz is None else time.tz_convert(tz)


def _newest_origins(X):
    """The newest origin of windows ``X``: a Timestamp, or ``{series: Timestamp}``."""
    if not is_panel(X):
        return X.index[-1]
    times = pd.Series(time_values(X), index=series_labels(X))
    return {label: t for label, t in times.groupby(level=0, sort=False).max().items()}


def _after(X, origin):
    """Which windows of ``X`` have an origin after ``origin`` (their series' own, for a
    panel; a series not seen before counts as new)."""
    if not is_panel(X):
        return X.index > origin
    labels, times = series_labels(X), time_values(X)
    return np.array([label not in origin or t > origin[label]
                     for label, t in zip(labels, times, strict=True)], dtype=bool)


def _series_part(panel, label):
    """The rows of one series of a panel, indexed by time (None if it has none)."""
    if label not in set(series_labels(panel)):
        return None
    return panel.xs(label, level=0)
