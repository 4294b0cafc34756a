"""Many series at once: panels of district series, one model per series or one for all.

A *panel* is a long frame of several series indexed by ``(series, date)``: a utility's
districts, each with its demand and its (often shared) weather and calendar. The window
functions accept a panel as they accept one series (:func:`~sklearn_hydro.make_windows`,
:func:`~sklearn_hydro.make_multi_horizon_windows`, :func:`~sklearn_hydro.make_forecast_rows`
build each series' windows and index them ``(series, date)``, in time order), and so do
:func:`~sklearn_hydro.model_selection.backtest` (folds cut on dates) and GridSearchCV with
:class:`~sklearn_hydro.model_selection.PanelSplit`. Two meta-estimators fit panel windows:

* :class:`PerSeriesRegressor` fits one clone of a model per series (in parallel with joblib,
  so on a Dask cluster with ``joblib.parallel_config(backend="dask")``);
* :class:`GlobalRegressor` fits one model on every series at once, each series scaled by
  its own training level and told apart by one-hot series features.
"""

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.utils.validation import check_is_fitted

from ..utils import (
    SERIES,
    Parallel,
    delayed,
    in_task,
    inherit_tags,
    lag_series,
    parse_lag_name,
    series_labels,
    series_prefix,
    target_series,
    time_values,
    validate_passthrough,
)
from ..utils._sklearn import (
    HasMethods,
    StrOptions,
    _fit_context,
    _safe_indexing,
    available_if,
    validate_params,
)
from ._ensemble import _fit_one

__all__ = ["GlobalRegressor", "PerSeriesRegressor", "to_panel"]

@validate_params(
    {
        "frame": [pd.DataFrame],
        "target": [str],
        "series": ["array-like", None],
        "name": [str],
    },
    prefer_skip_nested_validation=True,
)
def to_panel(frame, target="demand", *, series=None, name=SERIES):
    """Turn a wide frame, one target column per series, into a panel.

    The wide frame holds one target column per series, named ``<target>_<series>`` (as
    ``load_bwdf("all")``: ``demand_DMA_1`` ... ``demand_DMA_10``), and covariates shared by
    every series (the city's weather and calendar). The panel repeats the shared covariates
    for each series.

    Parameters
    ----------
    frame : DataFrame
        Time-indexed wide frame.
    target : str, default="demand"
        Name of the target in the panel; the series columns are ``<target>_<series>``.
    series : list of str or None, default=None
        Which series (the suffixes); None takes every ``<target>_*`` column.
    name : str, default="series"
        Name of the index level of the series.

    Returns
    -------
    DataFrame
        Indexed by ``(name, <frame's index name>)``, series after series; columns the target,
        then the shared covariates.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_hydro.forecasting import to_panel
    >>> days = pd.date_range("2024-01-01", periods=2, freq="D", name="date")
    >>> wide = pd.DataFrame({"demand_A": [1.0, 2.0], "demand_B": [10.0, 20.0],
    ...                      "rain": [0.0, 5.0]}, index=days)
    >>> to_panel(wide)
                       demand  rain
    series date
    A      2024-01-01     1.0   0.0
           2024-01-02     2.0   5.0
    B      2024-01-01    10.0   0.0
           2024-01-02    20.0   5.0
    """
    prefix = f"{target}_"
    columns = [c for c in frame.columns if isinstance(c, str) and c.startswith(prefix)]
    found = {c[len(prefix):]: c for c in columns}
    if series is None:
        series = list(found)
    else:
        series = [str(s) for s in series]
        absent = [s for s in series if s not in found]
        if absent:
            raise ValueError(
                f"no column {[prefix + s for s in absent]} in the frame; it has the series "
                f"{list(found)}"
            )
    if not series:
        raise ValueError(f"the frame has no series column named {prefix}<series>")
    if target in frame.columns:
        raise ValueError(f"the wide frame already has a column {target!r}")
    shared = [c for c in frame.columns if c not in columns]
    parts = {
        s: frame[[found[s], *shared]].rename(columns={found[s]: target}) for s in series
    }
    time_name = frame.index.name or "date"
    panel = pd.concat(parts, names=[name, time_name])
    return panel


def _groups(labels):
    """Positions of each series' rows, series in order of first appearance."""
    names, first, codes = np.unique(labels, return_index=True, return_inverse=True)
    order = np.argsort(first)
    return [(names[i], np.flatnonzero(codes == i)) for i in order]


def _call(estimator, method, X, kwargs):
    return np.asarray(getattr(estimator, method)(X, **kwargs))


def _inner_has(method):
    def check(self):
        return hasattr(self.estimator, method)

    return check


class _PanelMeta(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """What the panel meta-estimators share: the wrapped model's tags, the series checks."""

    def __sklearn_tags__(self):
        return inherit_tags(super().__sklearn_tags__(), [self.estimator],
                            ("allow_nan", "single_output", "multi_output"))

    def _check_series(self, labels, known):
        """Refuse rows of series not seen in ``fit``, and single-series rows after a panel."""
        if labels is None:
            if None not in known:
                raise ValueError(
                    "X has no (series, time) index, but the model was fitted on the series "
                    f"{self.series_.tolist()}: pass panel windows"
                )
            return
        unknown = sorted(set(labels) - set(known), key=str)
        if unknown:
            raise ValueError(
                f"no model for the series {unknown}: fitted on {self.series_.tolist()}"
            )


class PerSeriesRegressor(_PanelMeta):
    """One clone of a regressor per series of panel windows.

    ``fit`` groups the rows by their series (the first level of a ``(series, time)`` index,
    as the window functions give for a panel) and fits one clone of ``estimator`` on each
    series' rows, in parallel through joblib; ``predict`` sends every series' rows to its
    model (in parallel too). Windows of one series (a plain index, or arrays) make a single
    model.

    With ``joblib.parallel_config(backend="dask")`` the fits run on a Dask cluster, with no
    other change; every clone is seeded as ``estimator`` is, so the results are those of a
    serial run.

    Parameters
    ----------
    estimator : regressor
        The model of each series (a Pipeline too).
    n_jobs : int or None, default=None
        Series fitted and forecast in parallel (joblib), with scikit-learn's meaning: None
        is one job unless a ``joblib.parallel_config`` context says otherwise (e.g. every
        Dask worker), ``-1`` every worker of the backend.
    verbose : int, default=0
        joblib's progress messages.

    Attributes
    ----------
    estimators_ : dict
        Series -> its fitted model (key ``None`` for windows of one series).
    series_ : ndarray
        The series seen in ``fit``, in order of first appearance.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        When fitted on a DataFrame.

    See Also
    --------
    GlobalRegressor : one model across every series.

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.impute import SimpleImputer
    >>> from sklearn_hydro import make_windows
    >>> from sklearn_hydro.datasets import make_synthetic_demand
    >>> from sklearn_hydro.forecasting import PerSeriesRegressor
    >>> panel = make_synthetic_demand(120, n_series=3, random_state=0)
    >>> X, y = make_windows(panel, "demand", lookback=7)
    >>> model = PerSeriesRegressor(make_pipeline(SimpleImputer(), Ridge())).fit(X, y)
    >>> sorted(model.estimators_)
    ['S001', 'S002', 'S003']
    >>> model.predict(X).shape == y.shape
    True
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"])],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    }

    def __init__(self, estimator, *, n_jobs=None, verbose=0):
        self.estimator = estimator
        self.n_jobs = n_jobs
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit one clone of ``estimator`` per series.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Windows; a ``(series, time)`` index groups the rows.
        y : Series, DataFrame or array-like
            Targets, aligned with ``X``.

        Returns
        -------
        self
        """
        labels = series_labels(X)
        Xc, yc = validate_passthrough(self, X, y, reset=True, multi_output=True,
                                      y_numeric=True, missing_y=True)
        if hasattr(y, "iloc"):
            yc = y  # keep the target's name: models find the target's lags by it
        groups = [(None, np.arange(len(yc)))] if labels is None else _groups(labels)
        fitted = Parallel(n_jobs=self.n_jobs, verbose=self.verbose)(
            delayed(in_task)(_fit_one, clone(self.estimator), _safe_indexing(Xc, rows),
                             _safe_indexing(yc, rows))
            for _, rows in groups
        )
        self.estimators_ = {name: model for (name, _), model in zip(groups, fitted, strict=True)}
        self.series_ = np.array([name for name, _ in groups], dtype=object)
        return self

    def _route(self, X, method, **kwargs):
        check_is_fitted(self)
        labels = series_labels(X)
        Xc = validate_passthrough(self, X, reset=False)
        if list(self.estimators_) == [None]:  # fitted on one series
            _check_one_series(labels)
            return getattr(self.estimators_[None], method)(Xc, **kwargs)
        self._check_series(labels, self.estimators_)
        groups = _groups(labels)
        parts = Parallel(n_jobs=self.n_jobs, verbose=self.verbose)(
            delayed(in_task)(_call, self.estimators_[name], method, _safe_indexing(Xc, rows),
                             kwargs)
            for name, rows in groups
        )
        out = np.empty((len(labels), *parts[0].shape[1:]), dtype=np.float64)
        for (_, rows), part in zip(groups, parts, strict=True):
            out[rows] = part
        return out

    def predict(self, X):
        """Forecast each row with its series' model.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        return self._route(X, "predict")

    @available_if(_inner_has("predict_interval"))
    def predict_interval(self, X, **kwargs):
        """Prediction intervals from each series' model (``estimator.predict_interval``)."""
        return self._route(X, "predict_interval", **kwargs)


class GlobalRegressor(_PanelMeta):
    """One regressor fitted on every series of panel windows at once.

    Each series is divided by its own level (the mean of its training targets), so that a
    district of 500 m^3/day and one of 20,000 m^3/day share one model of relative demand:
    the target's lag columns and the target are scaled in ``fit``, the lags in ``predict``,
    and the forecasts scaled back. One-hot columns ``series=<name>`` tell the series apart
    (static features of a :class:`~sklearn_hydro.DualLSTMRegressor`, intercepts of a linear
    model). The rows are given to ``estimator`` in time order (ties by series), so its
    early stopping and tail blends hold out the newest days of every series.

    Parameters
    ----------
    estimator : regressor
        The model of every series (e.g. :func:`~sklearn_hydro.forecasting.make_forecaster`).
    target : str or None, default=None
        Name of the target series, whose lags are scaled; None: ``y``'s name, or the only
        lagged series of ``X``.
    series_features : {"onehot", "none"}, default="onehot"
        Whether to add the one-hot series columns.

    Attributes
    ----------
    series_ : ndarray
        The series seen in ``fit``.
    scales_ : dict
        Series -> its level (the mean training target; 1 for windows without named lags).
    estimator_ : regressor
        The fitted model.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    See Also
    --------
    PerSeriesRegressor : one model per series.

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.impute import SimpleImputer
    >>> from sklearn_hydro import make_windows
    >>> from sklearn_hydro.datasets import make_synthetic_demand
    >>> from sklearn_hydro.forecasting import GlobalRegressor
    >>> panel = make_synthetic_demand(120, n_series=3, random_state=0)
    >>> X, y = make_windows(panel, "demand", lookback=7)
    >>> model = GlobalRegressor(make_pipeline(SimpleImputer(), Ridge())).fit(X, y)
    >>> sorted(model.scales_) == ["S001", "S002", "S003"]
    True
    >>> model.predict(X).shape == y.shape
    True
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"])],
        "target": [str, None],
        "series_features": [StrOptions({"onehot", "none"})],
    }

    def __init__(self, estimator, *, target=None, series_features="onehot"):
        self.estimator = estimator
        self.target = target
        self.series_features = series_features

    def _target_lags(self, X):
        """Positions of the target's lag columns in ``X`` (empty for unnamed arrays)."""
        if not hasattr(X, "columns"):
            return []
        names = [str(c) for c in X.columns]
        if not lag_series(names):
            return []
        target = self.target_
        return [i for i, n in enumerate(names) if (parse_lag_name(n) or ("",))[0] == target]

    def _prepare(self, X, labels):
        """Scaled lags and the series columns, as the inner model sees them."""
        scale = self._row_scales(labels, len(X))
        if hasattr(X, "iloc") and all(isinstance(c, str) for c in X.columns):
            Z = X.copy()
            lags = self._target_lags(X)
            if lags:
                Z.iloc[:, lags] = Z.iloc[:, lags].to_numpy(np.float64) / scale[:, None]
            if self.series_features == "onehot":
                onehot = pd.DataFrame(
                    {f"series={s}": (labels == s if labels is not None
                                     else np.ones(len(X), dtype=bool)).astype(np.float64)
                     for s in self.series_},
                    index=X.index,
                )
                Z = pd.concat([Z, onehot], axis=1)
            return Z, scale
        Z = np.asarray(X)
        if self.series_features == "onehot":
            Z = np.column_stack([Z, np.ones((len(Z), len(self.series_)))])
        return Z, scale

    def _row_scales(self, labels, n):
        if labels is None:
            return np.full(n, self.scales_[None])
        return np.array([self.scales_[s] for s in labels], dtype=np.float64)

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Scale each series by its level and fit one model on all of them.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Panel windows (``(series, time)`` index) or one series' windows.
        y : Series or array-like of shape (n_samples,) or (n_samples, n_outputs)

        Returns
        -------
        self
        """
        labels = series_labels(X)
        Xc, yc = validate_passthrough(self, X, y, reset=True, multi_output=True,
                                      y_numeric=True, missing_y=True)
        Y = np.asarray(yc, dtype=np.float64)
        names = [str(c) for c in getattr(X, "columns", [])]
        y_name = getattr(y, "name", None)
        self.target_ = self.target or (y_name if isinstance(y_name, str) else None)
        if self.target_ is None and lag_series(names):
            self.target_ = target_series(names)  # the only lagged series, or a clear error
        scaled = bool(self._target_lags(Xc))
        groups = [(None, np.arange(len(Y)))] if labels is None else _groups(labels)
        self.series_ = np.array([name for name, _ in groups], dtype=object)
        self.scales_ = {}
        for name, rows in groups:
            level = float(np.nanmean(np.abs(Y[rows]))) if scaled else 1.0
            if not np.isfinite(level) or level <= 0:
                raise ValueError(
                    f"{series_prefix(name)}the mean target is {level}: cannot scale by the level"
                )
            self.scales_[name] = level
        Z, scale = self._prepare(Xc, labels)
        target = Y / (scale[:, None] if Y.ndim == 2 else scale)
        if hasattr(yc, "iloc"):
            target = (pd.Series(target, index=yc.index, name=yc.name) if Y.ndim == 1
                      else pd.DataFrame(target, index=yc.index, columns=yc.columns))
        order = np.arange(len(Y))
        if labels is not None:
            order = np.argsort(np.asarray(time_values(X)), kind="stable")
        self.estimator_ = clone(self.estimator).fit(_safe_indexing(Z, order),
                                                    _safe_indexing(target, order))
        return self

    def predict(self, X):
        """Forecast every row with the global model, in its series' units.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        check_is_fitted(self)
        labels = series_labels(X)
        Xc = validate_passthrough(self, X, reset=False)
        if self.series_.tolist() == [None]:  # fitted on one series: every row is of it
            _check_one_series(labels)
            labels = None
        self._check_series(labels, self.scales_)
        Z, scale = self._prepare(Xc, labels)
        pred = np.asarray(self.estimator_.predict(Z), dtype=np.float64)
        return pred * (scale[:, None] if pred.ndim == 2 else scale)


def _check_one_series(labels):
    """A model fitted on one plain series does not forecast the series of a panel."""
    if labels is not None:
        names = list(dict.fromkeys(labels))
        raise ValueError(
            f"fitted on the windows of one series (no series index), but these windows hold "
            f"the series {names[:5]}{' ...' if len(names) > 5 else ''}: fit on panel windows "
            "(to_panel) to forecast them"
        )
