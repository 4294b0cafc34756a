"""Cross-validation of panel windows: time-series splits cut on days, across every series."""

import numpy as np
from sklearn.model_selection import TimeSeriesSplit

from ..utils import day_positions, is_panel

__all__ = ["PanelSplit"]


class PanelSplit(TimeSeriesSplit):
    """:class:`~sklearn.model_selection.TimeSeriesSplit` on the days of panel windows.

    Panel windows (indexed ``(series, date)``, see :mod:`sklearn_hydro.forecasting`) hold one row
    per series and day. Splitting their rows by position would put some series of a day in
    training and others of the same day in test, and a model fitted across series would
    learn from the day it is tested on. ``PanelSplit`` splits the *days* as
    ``TimeSeriesSplit`` splits rows, then takes every series' rows of those days:
    ``n_splits``, ``gap``, ``test_size`` and ``max_train_size`` count days. Windows of one
    series (a plain index) are split by rows, as ``TimeSeriesSplit`` does.

    Parameters
    ----------
    n_splits : int >= 2, default=5
    max_train_size : int or None, default=None
    test_size : int or None, default=None
    gap : int >= 0, default=0
        Days left out between training and test; ``horizon - 1`` for windows of horizon
        ``horizon``.

    Examples
    --------
    >>> from sklearn_hydro import make_windows
    >>> from sklearn_hydro.datasets import make_synthetic_demand
    >>> from sklearn_hydro.model_selection import PanelSplit
    >>> panel = make_synthetic_demand(40, n_series=2, missing_fraction=0)
    >>> X, y = make_windows(panel, "demand", lookback=7)
    >>> for train, test in PanelSplit(n_splits=2, test_size=5).split(X):
    ...     print(len(train), len(test), X.index[test[0]][1].date())
    46 10 2021-01-31
    56 10 2021-02-05
    """

    def split(self, X, y=None, groups=None):
        """Indices of the training and test rows of each split (every series of a day)."""
        if not is_panel(X):
            yield from super().split(X, y, groups)
            return
        position, days = day_positions(X)
        for train_days, test_days in super().split(np.zeros((len(days), 1))):
            yield (np.flatnonzero(np.isin(position, train_days)),
                   np.flatnonzero(np.isin(position, test_days)))

