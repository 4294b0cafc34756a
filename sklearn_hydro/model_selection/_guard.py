"""Same-day leakage guard: covariates that reconstruct the target on its own day."""

import itertools
from numbers import Real

import numpy as np
import pandas as pd

from ..utils._sklearn import Interval, validate_params

__all__ = ["find_same_day_proxies", "find_target_reconstructions"]


def _r2(y, A):
    """R^2 of the least-squares fit of y on the columns of A plus an intercept."""
    design = np.column_stack([np.ones(len(y)), A])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    total = np.sum((y - y.mean()) ** 2)
    return 1.0 - float(np.sum(resid**2) / total) if total > 0 else 0.0


@validate_params(
    {
        "frame": [pd.DataFrame],
        "target": [str],
        "covariates": [list],
        "tol": [Interval(Real, 0, 1, closed="neither")],
        "max_group": [Interval(Real, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def find_target_reconstructions(frame, target, covariates, *, tol=1e-3, max_group=3):
    """Covariates whose same-day values (alone or summed/combined linearly) give the target.

    A column that is the target under another name, a rescaled copy, or parts that add up
    to it (two sub-meters of the same district) makes every forecast look perfect and is
    useless in real forecasting: on the target day it is no more known than the target. A
    group of columns is flagged when a least-squares fit of the target on it (with an
    intercept) explains all but ``tol`` of the target's variance. Single columns are tested
    first, then pairs and triples (up to ``max_group``), then every remaining column at once,
    reduced to a smallest group by backward elimination.

    Parameters
    ----------
    frame : DataFrame
    target : str
    covariates : list of str
        Numeric columns to test.
    tol : float in (0, 1), default=1e-3
        Largest unexplained share of the variance (``1 - R^2``) that flags a group.
    max_group : int >= 1, default=3
        Largest group tried exhaustively.

    Returns
    -------
    list of list of str
        The flagged groups (empty when nothing reconstructs the target).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sklearn_hydro.model_selection import find_target_reconstructions
    >>> rng = np.random.default_rng(0)
    >>> frame = pd.DataFrame({"north": rng.uniform(10, 20, 100),
    ...                       "south": rng.uniform(5, 9, 100),
    ...                       "temp": rng.normal(20, 5, 100)})
    >>> frame["total"] = frame["north"] + frame["south"]
    >>> find_target_reconstructions(frame, "total", ["temp", "north", "south"])
    [['north', 'south']]
    """
    cols = [c for c in covariates if c != target]
    data = frame[[target, *cols]].apply(pd.to_numeric, errors="coerce").astype(np.float64)
    data = data.replace([np.inf, -np.inf], np.nan).dropna()
    if len(data) < 10 or not cols:
        return []
    y = data[target].to_numpy()
    # standardise, and leave out constant columns (they explain nothing)
    A = data[cols].to_numpy()
    sd = A.std(axis=0)
    usable = [c for c, s in zip(cols, sd, strict=True) if s > 0]
    A = (data[usable].to_numpy() - data[usable].to_numpy().mean(axis=0)) / sd[sd > 0]
    idx = {c: i for i, c in enumerate(usable)}
    found, flagged = [], set()
    for size in range(1, int(max_group) + 1):
        if len(data) < size + 10:
            break
        for group in itertools.combinations(usable, size):
            if flagged.intersection(group):
                continue
            if _r2(y, A[:, [idx[c] for c in group]]) >= 1.0 - tol:
                found.append(list(group))
                flagged.update(group)
    rest = [c for c in usable if c not in flagged]
    if len(rest) > int(max_group) and len(data) >= 2 * len(rest) + 10:
        if _r2(y, A[:, [idx[c] for c in rest]]) >= 1.0 - tol:
            group = list(rest)
            shrinking = True
            while shrinking and len(group) > 1:
                shrinking = False
                for c in list(group):
                    trial = [g for g in group if g != c]
                    if _r2(y, A[:, [idx[g] for g in trial]]) >= 1.0 - tol:
                        group, shrinking = trial, True
                        break
            found.append(group)
    return found


@validate_params(
    {
        "frame": [pd.DataFrame],
        "target": [str],
        "covariates": [list],
        "min_correlation": [Interval(Real, 0, 1, closed="neither")],
        "tol": [Interval(Real, 0, 1, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def find_same_day_proxies(frame, target, covariates, *, min_correlation=0.98, tol=1e-3):
    """Covariates that give the target almost exactly on its own day, and how.

    Beyond :func:`find_target_reconstructions` (copies and sums), this finds products and
    ratios (a linear reconstruction of the logarithms of positive columns: ``ratio *
    projection``) and near-copies (a column whose same-day correlation with the target is at
    least ``min_correlation``, e.g. the same flow metered at the plant). Known ahead, such a
    column leaks the target; as a past covariate (its lags only) it is harmless.

    Parameters
    ----------
    frame : DataFrame
    target : str
    covariates : list of str
    min_correlation : float in (0, 1), default=0.98
        Smallest absolute same-day correlation that marks a near-copy.
    tol : float in (0, 1), default=1e-3
        As in :func:`find_target_reconstructions`.

    Returns
    -------
    list of (list of str, str)
        Each group of columns with its kind: ``"sum"``, ``"product or ratio"`` or
        ``"near-copy (r=0.987)"``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sklearn_hydro.model_selection import find_same_day_proxies
    >>> rng = np.random.default_rng(0)
    >>> demand = rng.uniform(50, 80, 300)
    >>> frame = pd.DataFrame({"demand": demand, "projected": rng.uniform(40, 90, 300),
    ...                       "plant": demand + rng.normal(0, 1, 300),
    ...                       "temp": rng.normal(20, 5, 300)})
    >>> frame["ratio"] = frame["demand"] / frame["projected"]
    >>> find_same_day_proxies(frame, "demand", ["projected", "plant", "temp", "ratio"])
    [(['projected', 'ratio'], 'product or ratio'), (['plant'], 'near-copy (r=0.995)')]
    """
    found = [(group, "sum") for group in find_target_reconstructions(
        frame, target, covariates, tol=tol)]
    flagged = {c for group, _ in found for c in group}
    data = frame[[target, *[c for c in covariates if c != target]]].apply(
        pd.to_numeric, errors="coerce").astype(np.float64)
    data = data.replace([np.inf, -np.inf], np.nan)
    positive = [c for c in data.columns[1:] if c not in flagged
                and (data[c].dropna() > 0).all() and data[c].notna().sum() >= 10]
    if positive and (data[target].dropna() > 0).all():
        logs = np.log(data[[target, *positive]])
        for group in find_target_reconstructions(logs, target, positive, tol=tol):
            found.append((group, "product or ratio"))
            flagged.update(group)
    for c in data.columns[1:]:
        if c in flagged:
            continue
        pair = data[[target, c]].dropna()
        if len(pair) < 10 or pair[c].std() == 0 or pair[target].std() == 0:
            continue
        r = float(np.corrcoef(pair[target], pair[c])[0, 1])
        if abs(r) >= min_correlation:
            found.append(([c], f"near-copy (r={r:.3f})"))
    return found
