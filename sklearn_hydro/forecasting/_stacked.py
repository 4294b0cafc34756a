"""One regressor for every horizon: each (window, horizon) pair a row with its target time's
own seasonal lags."""

import math
import warnings
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.utils import check_array, check_consistent_length
from sklearn.utils.validation import check_is_fitted, validate_data

from ..preprocessing import is_calendar_column
from ..utils import parse_horizon_name, parse_lag_name, signal_lags
from ..utils._sklearn import HasMethods, Interval, StrOptions, _fit_context

__all__ = ["StackedHorizonRegressor"]


def _default_regressor():
    return HistGradientBoostingRegressor(loss="absolute_error", max_iter=300,
                                         learning_rate=0.05, early_stopping=False,
                                         random_state=0)


class StackedHorizonRegressor(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """Forecast horizons ``1..H`` with one regressor fitted on every horizon's rows.

    Each multi-horizon window (:func:`~sklearn_hydro.make_multi_horizon_windows`, lags of
    the target then ``<covariate>_h<h>`` columns) becomes ``H`` rows, one per horizon
    ``h``, each with what is known at the origin *about its own target time* ``t = origin +
    h``:

    * ``horizon``: ``h``;
    * the known-ahead covariates at ``t`` (the ``<covariate>_h<h>`` columns: weather,
      the calendar, the hour of the day);
    * the columns that are neither lags nor horizon columns (e.g. the ``series=<name>``
      columns of a :class:`~sklearn_hydro.GlobalRegressor`) and the newest value of each
      past covariate;
    * seasonal lags of the target: its value ``d`` seasons (``period`` steps) before
      ``t``, for each ``d`` of ``seasons`` whose time is not after the origin (else
      missing), and the newest such value (the same hour of the last observed day);
    * the newest observed value and the mean of the newest season.

    Every value of the target (lags, ``y``) is divided by the window's level, the mean of
    its newest ``level_steps`` lags, and forecasts are multiplied back: one model of the
    relative profile serves every level, and a level shift moves the forecasts with it.
    Everything in a row was known at its origin: nothing leaks across rows or horizons.

    An array without column names is read as the target's lags alone, oldest to newest.

    Parameters
    ----------
    regressor : regressor or None, default=None
        Fitted on the stacked rows (cloned); None:
        :class:`~sklearn.ensemble.HistGradientBoostingRegressor` with the absolute error
        loss (the BWDF indicators are absolute errors), 300 iterations, learning rate 0.05,
        ``random_state=0``. It must accept missing values (a seasonal lag of an hour that
        was not measured, a lag after the origin), as histogram gradient boosting does, or
        impute them (a Pipeline).
    target : str or None, default=None
        The target's name (its lags ``<target>_lag<k>``); None: the only lagged series.
    period : int >= 1, default=24
        Steps per season: 24 for the daily cycle of an hourly series, 7 for the week of a
        daily one.
    seasons : tuple of int, default=(1, 2, 3, 4, 5, 6, 7, 14, 21, 28)
        Seasons back from the target time to read (with ``period=24``: the same hour 1..7
        days and 2, 3, 4 weeks before). Lags beyond the window's lookback are left out.
    level_steps : int >= 1, default=168
        Newest lags averaged into the level (a week of hours).
    covariate_window : int >= 2 or None, default=None
        Also give each known-ahead covariate (but the calendar's) its mean over the
        ``covariate_window`` horizons centred on the row's (``<covariate>_mean<window>``;
        24 on hours: the day's temperature around each hour, a driver of the day's demand
        that one hour's value shows poorly). Known ahead like the covariate itself.
    wall_clock : bool, default=False
        Read the seasonal lags by the clock across daylight saving changes: with windows of
        tz-aware origins (the index of :func:`~sklearn_hydro.make_multi_horizon_windows`
        on a tz-aware frame) and ``period`` steps per day, the same hour a day before is 23
        or 25 steps back when a change lies between, not 24. Without it, a week after the
        autumn change every "same hour last week" is one clock hour off.
    first_steps : int >= 1 or None, default=None
        Fit the horizons ``1..first_steps`` with a regressor of their own (a clone of
        ``regressor``) and the later ones with another (``first_regressor_`` and
        ``regressor_``): the first day of a week ahead hangs on the newest hours, the
        later days on the weekly profile.
    scale : {"level", None}, default="level"
        ``"level"``: divide the target's values by each window's level (a positive
        series: demand); None: read them as they are (a series that may be zero or
        negative, e.g. a net flow).

    Attributes
    ----------
    regressor_ : regressor
        The fitted clone of ``regressor`` (of the horizons after ``first_steps``).
    first_regressor_ : regressor
        With ``first_steps``: the fitted clone of the horizons ``1..first_steps``.
    first_columns_, columns_ : ndarray of bool
        With ``first_steps``: the stacked columns each of the two regressors reads (those
        with a value in its rows; e.g. the same hour a day before, for the first day only).
    horizons_ : list of int
        The horizons of ``Y``'s columns, in order.
    seasons_ : list of int
        The seasons read: those of ``seasons`` within the windows' lookback.
    feature_names_out_ : ndarray of str
        Names of the stacked rows' columns, as ``regressor_`` sees them.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sklearn_hydro import StackedHorizonRegressor, make_multi_horizon_windows
    >>> hours = pd.date_range("2024-01-01", periods=24 * 60, freq="h")
    >>> demand = 10 + 3 * np.sin(2 * np.pi * hours.hour / 24)
    >>> frame = pd.DataFrame({"demand": demand}, index=hours)
    >>> X, Y = make_multi_horizon_windows(frame, "demand", 24 * 7, horizons=48, stride=24)
    >>> model = StackedHorizonRegressor(seasons=(1, 7)).fit(X, Y)
    >>> bool(np.abs(model.predict(X) - Y.to_numpy()).max() < 0.5)  # amplitude 3
    True
    """

    _parameter_constraints = {
        "regressor": [HasMethods(["fit", "predict"]), None],
        "target": [str, None],
        "period": [Interval(Integral, 1, None, closed="left")],
        "seasons": [tuple, list],
        "level_steps": [Interval(Integral, 1, None, closed="left")],
        "covariate_window": [Interval(Integral, 2, None, closed="left"), None],
        "wall_clock": ["boolean"],
        "scale": [StrOptions({"level"}), None],
        "first_steps": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(self, regressor=None, *, target=None, period=24,
                 seasons=(1, 2, 3, 4, 5, 6, 7, 14, 21, 28), level_steps=168,
                 covariate_window=None, wall_clock=False, scale="level", first_steps=None):
        self.regressor = regressor
        self.target = target
        self.period = period
        self.seasons = seasons
        self.level_steps = level_steps
        self.covariate_window = covariate_window
        self.wall_clock = wall_clock
        self.scale = scale
        self.first_steps = first_steps

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.input_tags.allow_nan = True
        return tags

    def _layout(self, names, n_outputs):
        """Where the blocks are: the target's lags, each horizon's covariates, the rest."""
        if names is None:  # an array: the target's lags alone, oldest to newest
            n = self.n_features_in_
            return {"target": None, "lags": {k: n - k for k in range(1, n + 1)},
                    "horizons": list(range(1, n_outputs + 1)), "covariates": [],
                    "window_covariates": [],
                    "cov_index": np.zeros((n_outputs, 0), dtype=int),
                    "static": np.zeros(0, dtype=int), "static_names": []}
        names = [str(n) for n in names]
        target, lags = signal_lags(names, self.target)
        by_horizon, newest_past, static = {}, {}, []
        for i, name in enumerate(names):
            lag = parse_lag_name(name)
            horizon = parse_horizon_name(name)
            if lag is not None:
                if lag[0] != target and lag[1] == 1 and lag[2] == "":
                    newest_past[name] = i
            elif horizon is not None:
                by_horizon.setdefault(horizon[1], {})[horizon[0]] = i
            else:
                static.append(i)
        horizons = sorted(by_horizon) or list(range(1, n_outputs + 1))
        if len(horizons) != n_outputs:
            raise ValueError(f"X holds covariates of {len(horizons)} horizons {horizons} but "
                             f"y has {n_outputs} output(s): one output per horizon")
        covariates = list(by_horizon[horizons[0]]) if by_horizon else []
        for h in horizons:
            if list(by_horizon.get(h, {})) != covariates:
                raise ValueError(f"horizon {h} has other covariates than horizon "
                                 f"{horizons[0]}: {sorted(by_horizon.get(h, {}))}")
        cov_index = np.array([[by_horizon[h][c] for c in covariates] for h in horizons],
                             dtype=int).reshape(len(horizons), len(covariates))
        return {"target": target, "lags": lags, "horizons": horizons,
                "covariates": covariates, "cov_index": cov_index,
                "window_covariates": [i for i, c in enumerate(covariates)
                                      if not is_calendar_column(c)],
                "static": np.array(static + list(newest_past.values()), dtype=int),
                "static_names": [names[i] for i in static] + list(newest_past)}

    def _stack(self, X, origins=None):
        """The stacked rows of windows ``X`` (n * H, n_features) and each window's level."""
        layout = self.layout_
        lags = layout["lags"]
        K = max(lags)
        lag = np.full((len(X), K + 1), np.nan)
        for k, col in lags.items():
            lag[:, k] = X[:, col]
        with warnings.catch_warnings():  # a window with no observed lag: its level is NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            level = np.nanmean(lag[:, 1:min(self.level_steps, K) + 1], axis=1)
            recent = np.nanmean(lag[:, 1:min(self.period, K) + 1], axis=1)
        if self.scale is None:
            recent = recent / np.where(np.isfinite(level), 1.0, np.nan)
            level = np.where(np.isfinite(level), 1.0, np.nan)
        else:
            level = np.where(level > 0, level, np.nan)  # a profile needs a positive level
        rel = lag / level[:, None]
        static = X[:, layout["static"]]
        clock = None if origins is None else _ClockShift(origins, self.period, K,
                                                         max(layout["horizons"]))
        rows = np.arange(len(X))

        def season(d, h):
            """The target's value ``d`` seasons before the target time, by the clock."""
            k = np.full(len(X), d * self.period - h + 1)
            if clock is not None:
                k = k + clock.shift(h, d)
            inside = (k >= 1) & (k <= K)
            return np.where(inside, rel[rows, np.clip(k, 0, K)], np.nan)

        cov = X[:, layout["cov_index"]]  # (n, H, n_covariates)
        around = self._covariate_means(cov, layout["horizons"])
        blocks = []
        for j, h in enumerate(layout["horizons"]):
            cols = [np.full(len(X), float(h))]
            cols += [cov[:, j, c] for c in range(cov.shape[2])]
            cols += [around[:, j, c] for c in range(around.shape[2])]
            cols += [static[:, i] for i in range(static.shape[1])]
            cols += [season(d, h) for d in self.seasons_]
            if self.period <= K:
                cols.append(season(math.ceil(h / self.period), h))
            cols += [rel[:, 1], recent / level]
            blocks.append(np.column_stack(cols))
        return np.stack(blocks, axis=1).reshape(len(X) * len(blocks), -1), level

    def _covariate_means(self, cov, horizons):
        """Each known-ahead covariate's mean over the ``covariate_window`` horizons centred
        on each horizon (those of the window; e.g. a day's temperature around an hour)."""
        mean_of = self.layout_["window_covariates"]
        if not self.covariate_window or not mean_of:
            return np.zeros(cov.shape[:2] + (0,))
        cov = cov[:, :, mean_of]
        h = np.asarray(horizons)
        half = self.covariate_window / 2
        near = np.abs(h[:, None] - h[None, :]) < half  # (H, H)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            observed = ~np.isnan(cov)
            total = np.einsum("jk,nkc->njc", near.astype(float), np.where(observed, cov, 0))
            count = np.einsum("jk,nkc->njc", near.astype(float), observed.astype(float))
            return total / np.where(count > 0, count, np.nan)

    def _origins(self, X):
        """The windows' origins (tz-aware) when reading by the clock, else None."""
        if not self.wall_clock:
            return None
        index = getattr(X, "index", None)
        if isinstance(index, pd.MultiIndex):
            index = index.get_level_values(-1)
        if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
            raise ValueError("wall_clock=True reads the origins of the windows from X's "
                             "index: give windows of a tz-aware frame (a DatetimeIndex, or "
                             "(series, time)) as make_multi_horizon_windows makes them")
        return index

    def _first_rows(self, n_windows):
        """Which stacked rows (window-major) are of the first ``first_steps`` horizons."""
        horizons = np.asarray(self.horizons_)
        if self.first_steps is None or self.first_steps >= horizons.max():
            return None
        return np.tile(horizons <= self.first_steps, n_windows)

    def _feature_names(self):
        layout = self.layout_
        window = self.covariate_window
        means = ([f"{layout['covariates'][c]}_mean{window}"
                  for c in layout["window_covariates"]] if window else [])
        return np.array(["horizon", *layout["covariates"], *means, *layout["static_names"],
                         *[f"season_{d}" for d in self.seasons_],
                         *(["season_newest"] if self.period <= max(layout["lags"]) else []),
                         "newest", "newest_season_mean"], dtype=object)

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit the regressor on the stacked rows of windows ``X`` and targets ``y``.

        Parameters
        ----------
        X : DataFrame of shape (n_windows, n_features)
            Multi-horizon windows (named columns).
        y : array-like of shape (n_windows, n_horizons) or (n_windows,)
            One column per horizon of ``X``'s covariates; missing targets (NaN, an hour
            not measured) are left out of the fit.

        Returns
        -------
        self : StackedHorizonRegressor
        """
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target "
                             "y is None")
        origins = self._origins(X)
        X = validate_data(self, X, ensure_all_finite="allow-nan")
        y = check_array(y, ensure_all_finite="allow-nan", ensure_2d=False, dtype=np.float64,
                        input_name="y")
        check_consistent_length(X, y)
        Y = y.reshape(len(y), -1)
        if any(not isinstance(d, Integral) or d < 1 for d in self.seasons):
            raise ValueError(f"seasons must be positive integers; got {self.seasons!r}")
        self.layout_ = self._layout(getattr(self, "feature_names_in_", None), Y.shape[1])
        newest_lag = max(self.layout_["lags"])
        self.seasons_ = [int(d) for d in self.seasons if d * self.period <= newest_lag]
        self.horizons_ = list(self.layout_["horizons"])
        rows, level = self._stack(X, origins)
        keep = np.repeat(np.isfinite(level), Y.shape[1]) & np.isfinite(Y.reshape(-1))
        if not keep.any():
            raise ValueError("no window has a positive level (the mean of its newest "
                             f"{self.level_steps} observed targets) and an observed target")
        target = (Y / level[:, None]).reshape(-1)
        regressor = _default_regressor() if self.regressor is None else self.regressor
        first = self._first_rows(len(X))
        if first is None:
            self.regressor_ = clone(regressor).fit(rows[keep], target[keep])
        else:  # the first horizons by a regressor of their own, the others by another;
            # each reads the columns that have a value in its rows (e.g. the same hour a day
            # before exists for the first day's hours only)
            self.first_columns_ = ~np.isnan(rows[keep & first]).all(axis=0)
            self.columns_ = ~np.isnan(rows[keep & ~first]).all(axis=0)
            self.first_regressor_ = clone(regressor).fit(
                rows[keep & first][:, self.first_columns_], target[keep & first])
            self.regressor_ = clone(regressor).fit(rows[keep & ~first][:, self.columns_],
                                                   target[keep & ~first])
        self.feature_names_out_ = self._feature_names()
        self.n_outputs_ = Y.shape[1]
        self._y_2d = y.ndim == 2  # a 2-D y of one column gives 2-D forecasts, as Ridge does
        return self

    def predict(self, X):
        """Forecast every horizon of windows ``X``.

        Returns
        -------
        ndarray of shape (n_windows, n_horizons), or (n_windows,) when fitted on a 1-D y
        """
        check_is_fitted(self)
        origins = self._origins(X)
        X = validate_data(self, X, reset=False, ensure_all_finite="allow-nan")
        rows, level = self._stack(X, origins)
        if not np.isfinite(level).all():
            raise ValueError("a window has no positive level: none of its newest "
                             f"{self.level_steps} targets is observed (or they average to "
                             "zero or less); give a longer recent history")
        first = self._first_rows(len(X))
        if first is None:
            pred = np.asarray(self.regressor_.predict(rows), dtype=np.float64)
        else:
            pred = np.empty(len(rows))
            pred[first] = self.first_regressor_.predict(rows[first][:, self.first_columns_])
            pred[~first] = self.regressor_.predict(rows[~first][:, self.columns_])
        pred = pred.reshape(len(X), self.n_outputs_) * level[:, None]
        return pred if self.n_outputs_ > 1 or getattr(self, "_y_2d", False) else pred.reshape(-1)


class _ClockShift:
    """Steps to add to a seasonal lag so that it falls on the same wall-clock time.

    For a target time ``t`` and the time ``s`` one clock day ``d`` times earlier, the
    absolute distance is ``d`` days plus the change of the UTC offset between them (an hour
    at a daylight saving change). Offsets are looked up on the steps' grid around the
    origins.
    """

    def __init__(self, origins, period, lookback, horizon):
        step = pd.Timedelta(days=1) / period
        ns = origins.as_unit("ns").asi8
        unit = step.value
        self.first = int(ns.min()) - (lookback + 1) * unit
        n_slots = (int(ns.max()) + horizon * unit - self.first) // unit + 1
        grid = pd.DatetimeIndex(self.first + np.arange(n_slots) * unit, tz="UTC")
        wall = grid.tz_convert(origins.tz).tz_localize(None)
        offset = (wall.as_unit("ns").asi8 - grid.as_unit("ns").asi8) / unit
        self.offset = np.rint(offset).astype(int)
        self.at = (ns - self.first) // unit  # each origin's slot
        self.period = period

    def shift(self, h, d):
        target = self.at + h
        before = np.maximum(target - d * self.period, 0)
        # s = t - d days by the clock: t_abs - s_abs = d days - (offset(t) - offset(s))
        return self.offset[before] - self.offset[target]
