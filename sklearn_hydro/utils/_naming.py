"""Names of window columns: ``<series>_lag<k>[_denoised|_residual]`` and ``<name>_h<h>``.

Every part of the library finds the blocks of a window by these names, never by positions.
"""

import re

__all__ = [
    "horizon_name",
    "lag_name",
    "lag_series",
    "parse_horizon_name",
    "parse_lag_name",
    "signal_lags",
    "target_series",
]

_LAG_NAME = re.compile(r"^(?P<series>.+)_lag(?P<k>\d+)(?:_(?P<part>denoised|residual))?$")


def parse_lag_name(name):
    """Split a lag column name ``<series>_lag<k>[_denoised|_residual]``, or return None.

    Returns
    -------
    (series, k, part) or None
        ``part`` is ``""``, ``"denoised"`` or ``"residual"`` (the suffixes of
        :class:`~sklearn_hydro.WaveletDenoiser`).

    Examples
    --------
    >>> from sklearn_hydro.utils import parse_lag_name
    >>> parse_lag_name("demand_lag7_residual")
    ('demand', 7, 'residual')
    >>> parse_lag_name("rain") is None
    True
    """
    match = _LAG_NAME.match(str(name))
    if match is None:
        return None
    return match["series"], int(match["k"]), match["part"] or ""


def lag_series(names):
    """Names of the series that have lag columns among ``names``, in order of appearance.

    Examples
    --------
    >>> from sklearn_hydro.utils import lag_series
    >>> lag_series(["demand_lag2", "demand_lag1", "rain_lag2", "rain_lag1", "rain"])
    ['demand', 'rain']
    """
    found = []
    for name in names:
        parsed = parse_lag_name(name)
        if parsed is not None and parsed[0] not in found:
            found.append(parsed[0])
    return found


def target_series(names, target=None):
    """The series whose lags are the target's: ``target``, or the only lagged series.

    Raises
    ------
    ValueError
        If ``target`` has no lag column, or ``target`` is None and the names hold the lags
        of no series or of several (past covariates): then the target must be named.

    Examples
    --------
    >>> from sklearn_hydro.utils import target_series
    >>> target_series(["demand_lag2", "demand_lag1", "rain"])
    'demand'
    >>> target_series(["demand_lag1", "rain_lag1"], target="demand")
    'demand'
    """
    series = lag_series(names)
    if target is not None:
        if target not in series:
            raise ValueError(
                f"no lag columns of target={target!r} (expected names like "
                f"'{target}_lag1'); lagged series present: {series}"
            )
        return target
    if len(series) != 1:
        raise ValueError(
            "cannot tell the target's lags by name: "
            + (
                f"the columns hold the lags of several series {series} (the target and past "
                "covariates); pass target=<name of the target>"
                if series
                else "no column is named like '<target>_lag<k>' (use make_windows, or pass "
                "an explicit layout for unnamed arrays)"
            )
        )
    return series[0]


def signal_lags(names, target=None):
    """Where the target's signal lags are: ``<target>_lag<k>`` or ``<target>_lag<k>_denoised``.

    The signal lags are what a model reads as the target's recent values: the raw (or
    smoothed) lags of windows, or the denoised ones after a
    :class:`~sklearn_hydro.WaveletDenoiser`; ``_residual`` lags are not signal.

    Returns
    -------
    target : str
        The target series (see :func:`target_series`).
    positions : dict of int -> int
        Lag ``k`` -> its column index in ``names``.

    Raises
    ------
    ValueError
        If the target cannot be told, or ``names`` hold both raw and denoised lags of it.

    Examples
    --------
    >>> from sklearn_hydro.utils import signal_lags
    >>> signal_lags(["demand_lag2_denoised", "demand_lag1_denoised", "demand_lag1_residual"])
    ('demand', {2: 0, 1: 1})
    """
    names = [str(n) for n in names]
    target = target_series(names, target)
    parsed = [parse_lag_name(n) for n in names]
    parts = {p[2] for p in parsed if p is not None and p[0] == target}
    if {"", "denoised"} <= parts:
        raise ValueError(
            f"X holds both raw and denoised lags of {target!r}: only one can be the signal"
        )
    part = "denoised" if "denoised" in parts else ""
    if part not in parts:
        raise ValueError(f"X holds only residual lags of {target!r}: no signal lags")
    positions = {
        p[1]: i for i, p in enumerate(parsed) if p is not None and (p[0], p[2]) == (target, part)
    }
    return target, positions


_H_NAME = re.compile(r"^(?P<name>.+)_h(?P<h>\d+)$")


def lag_name(series, k, part=""):
    """The name of lag ``k`` of ``series`` (``part``: "", "denoised" or "residual").

    Examples
    --------
    >>> from sklearn_hydro.utils import lag_name
    >>> lag_name("demand", 3), lag_name("demand", 1, "residual")
    ('demand_lag3', 'demand_lag1_residual')
    """
    return f"{series}_lag{k}" + (f"_{part}" if part else "")


def horizon_name(name, h):
    """The name of ``name`` at horizon ``h``: ``<name>_h<h>``.

    Examples
    --------
    >>> from sklearn_hydro.utils import horizon_name
    >>> horizon_name("temp", 2)
    'temp_h2'
    """
    return f"{name}_h{h}"


def parse_horizon_name(name):
    """Split ``<name>_h<h>`` into ``(name, h)``, or return None.

    Examples
    --------
    >>> from sklearn_hydro.utils import parse_horizon_name
    >>> parse_horizon_name("demand_h7"), parse_horizon_name("rain")
    (('demand', 7), None)
    """
    match = _H_NAME.match(str(name))
    return None if match is None else (match["name"], int(match["h"]))
