"""The column layout of a recurrent regressor, found from column names (or declared).

Forecast windows name their columns (:func:`~sklearn_hydro.make_windows`,
:class:`~sklearn_hydro.WaveletDenoiser`): ``<target>_lag<k>`` (optionally ``_denoised`` /
``_residual``), ``<past covariate>_lag<k>``, and any other name is a static feature of the
target day. :func:`layout_from_names` turns such names into the order in which the network
reads the columns, whatever their order in ``X``; :func:`layout_from_length` is the declared
layout of unnamed arrays.
"""

from dataclasses import dataclass

import numpy as np

from ..utils import lag_series, parse_horizon_name, parse_lag_name, signal_lags

__all__ = ["Layout", "layout_from_length", "layout_from_names"]


@dataclass(frozen=True)
class Layout:
    """Where the network's inputs are in ``X``.

    Attributes
    ----------
    order : ndarray of int
        Column indices of ``X`` in the network's order: the branch sequences, the exogenous
        sequences (``L`` columns each, oldest first), then the static features (by name).
    sequence_length : int
        ``L``.
    n_branches, n_exog, n_static : int
        ``n_static``: the static features read by every output.
    target : str or None
        The target series, when found from names.
    n_horizon_static : int
        Static features of each horizon (``<name>_h<k>``) read only by the output of that
        horizon, after the shared statics: horizon 1's, then horizon 2's, ... (0: none).
    """

    order: np.ndarray
    sequence_length: int
    n_branches: int
    n_exog: int
    n_static: int
    target: str | None = None
    n_horizon_static: int = 0

    @property
    def n_sequences(self):
        return self.n_branches + self.n_exog


def layout_from_length(n_features, n_branches, sequence_length):
    """The declared layout ``[branch 1: L][branch 2: L, if two][static: the rest]``.

    ``sequence_length=None`` means there are no static features: the columns are split into
    ``n_branches`` equal sequences.
    """
    if sequence_length is None:
        if n_features % n_branches:
            raise ValueError(
                f"X has {n_features} feature(s): with sequence_length=None and "
                f"n_branches={n_branches} the columns are split into {n_branches} equal "
                "sequences, so their number must be even. Pass sequence_length to "
                "declare the layout [branch-1 lags][branch-2 lags][static features], or pass "
                "a DataFrame whose column names tell the layout ('<target>_lag<k>')."
            )
        length, n_static = n_features // n_branches, 0
    else:
        if n_features < n_branches * sequence_length:
            raise ValueError(
                f"X has {n_features} feature(s), but n_branches={n_branches} sequences of "
                f"sequence_length={sequence_length} need at least "
                f"{n_branches * sequence_length}; the columns must be [branch-1 lags]"
                "[branch-2 lags, if 2 branches][static features]."
            )
        length, n_static = sequence_length, n_features - n_branches * sequence_length
    return Layout(np.arange(n_features), length, n_branches, 0, n_static)


def _block(columns, series, part):
    """Column indices of one lag block, oldest (largest k) first, and its set of k."""
    ks = sorted(columns[(series, part)], reverse=True)
    return [columns[(series, part)][k] for k in ks], ks, f"{series} lags" + (
        f" ({part})" if part else ""
    )


def layout_from_names(names, n_branches, target=None, y_name=None, n_outputs=1):
    """Find the layout from column names, or return None if no name is a lag name.

    Parameters
    ----------
    names : sequence of str
    n_branches : {1, 2}
    target : str or None
        Name of the target series; None takes ``y_name`` if it names a lagged series, else
        the only lagged series.
    y_name : str or None
        The name of the target ``y`` passed to ``fit`` (a Series from ``make_windows`` is
        named after the target).
    n_outputs : int, default=1
        Horizons forecast at once; with several, static columns named ``<name>_h<k>`` for
        every ``k`` in ``1..n_outputs`` (as :func:`~sklearn_hydro.make_multi_horizon_windows`
        names the known-ahead covariates) are each horizon's own.

    Raises
    ------
    ValueError
        On any mismatch: the target cannot be told, two branches without residual lags (or
        one branch with them), blocks with different lags.
    """
    parsed = [parse_lag_name(n) for n in names]
    if not any(parsed):
        return None
    series = lag_series(names)
    if target is None:
        if y_name is not None and str(y_name) in series:
            target = str(y_name)
        elif len(series) == 1:
            target = series[0]
        else:
            raise ValueError(
                f"X holds the lags of several series {series}; pass target=<the target's "
                "name> (or fit on a y Series named after it, as make_windows returns)"
            )
    elif target not in series:
        raise ValueError(f"no lag column of target={target!r}; lagged series: {series}")

    columns = {}
    for i, p in enumerate(parsed):
        if p is not None:
            series_name, k, part = p
            block = columns.setdefault((series_name, part), {})
            if k in block:
                raise ValueError(f"duplicate lag column {names[i]!r}")
            block[k] = i
    target_parts = {part for (s, part) in columns if s == target}
    signal_lags(names, target)  # one signal block (raw or denoised), or a clear error
    branches = [(target, "denoised" if "denoised" in target_parts else "")]
    if n_branches == 2:
        if "residual" not in target_parts:
            raise ValueError(
                f"n_branches=2 reads the residual lags of {target!r} (names ending in "
                "'_residual', from WaveletDenoiser(output='both')), but X has none; use "
                "n_branches=1 or denoise with output='both'"
            )
        branches.append((target, "residual"))
    elif "residual" in target_parts:
        raise ValueError(
            f"X holds residual lags of {target!r} (WaveletDenoiser(output='both')) but "
            "n_branches=1 would read them as extra inputs of the wrong kind; use n_branches=2 "
            "or WaveletDenoiser(output='denoised')"
        )
    exog = sorted(key for key in columns if key[0] != target)

    order, reference = [], None
    for key in branches + exog:
        idx, ks, label = _block(columns, *key)
        if reference is None:
            reference = (ks, label)
        elif ks != reference[0]:
            raise ValueError(
                f"{label} have lags {_span(ks)} but {reference[1]} have {_span(reference[0])}: "
                "every sequence must have the same lags"
            )
        order.extend(idx)
    # statics in name order, so that the order of the columns in X never matters
    static = sorted((i for i, p in enumerate(parsed) if p is None), key=lambda i: str(names[i]))
    shared, per_horizon = _horizon_statics(names, static, n_outputs)
    order.extend(shared)
    for block in per_horizon:
        order.extend(block)
    return Layout(
        np.asarray(order, dtype=np.intp),
        len(reference[0]),
        n_branches,
        len(exog),
        len(shared),
        target,
        len(per_horizon[0]) if per_horizon else 0,
    )


def _horizon_statics(names, static, n_outputs):
    """Split the statics into shared ones and one block per output.

    The outputs are the horizons ``k`` of the ``<base>_h<k>`` columns when there are
    ``n_outputs`` of them (e.g. days 2..7 of a model that leaves day 1 to another), else
    ``1..n_outputs``, in order. A column ``<base>_h<k>`` is horizon ``k``'s own when every
    horizon has ``<base>``; the blocks list the bases in the same (name) order.
    """
    if n_outputs < 2:
        return static, []
    parsed = {i: parse_horizon_name(names[i]) for i in static}
    present = sorted({p[1] for p in parsed.values() if p is not None})
    horizons = present if len(present) == n_outputs else list(range(1, n_outputs + 1))
    by_base = {}
    for i, p in parsed.items():
        if p is not None and p[1] in horizons:
            by_base.setdefault(p[0], {})[p[1]] = i
    bases = sorted(b for b, hs in by_base.items() if len(hs) == n_outputs)
    if not bases:
        return static, []
    own = {by_base[b][h] for b in bases for h in by_base[b]}
    shared = [i for i in static if i not in own]
    return shared, [[by_base[b][h] for b in bases] for h in horizons]


def _span(ks):
    return f"{ks[-1]}..{ks[0]}" if ks == list(range(ks[0], ks[-1] - 1, -1)) else str(ks)
