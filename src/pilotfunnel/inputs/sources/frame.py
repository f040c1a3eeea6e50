"""The sources table as pandas DataFrames, for analysts: every row, typed, problems beside.

``frame`` keeps every row, valid or not, indexed by its row number in the file (the header is
row 1, as a spreadsheet shows it). Clean columns are typed: numbers as numbers, dates as dates,
evidence and kind as categories. A cell that failed validation keeps its text, so its column
falls back to text; ``problems_frame`` says which cell and why, one line per problem.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from pilotfunnel.core.errors import InputError, Problem, display_path
from pilotfunnel.inputs.sources.check import check_table
from pilotfunnel.inputs.sources.read import RawTable, read_raw
from pilotfunnel.inputs.sources.schema import (
    DATE_COLUMNS,
    EVIDENCE_LEVELS,
    KINDS,
    MAX_COLUMNS,
    MAX_NUMBER,
    NUMBER_COLUMNS,
    WHOLE_COLUMNS,
)

PROBLEM_COLUMNS = ("row", "row_id", "column", "severity", "message", "value")
# Columns of a few allowed words, typed as categories when every cell is one of them.
CATEGORIES = {"evidence": EVIDENCE_LEVELS, "kind": KINDS}


def frame(path: str | Path, today: dt.date | None = None) -> pd.DataFrame:
    """Every row of the table, typed where valid; ``.attrs["problems"]`` holds its problems."""
    path = Path(path)
    try:  # read once: the problems and the cells come from the same bytes
        raw = read_raw(path)
    except InputError as exc:
        raw, problems = None, exc.problems
    else:
        problems = check_table(display_path(path), raw, today)[1]
    header, rows = _raw_rows(raw)
    table = pd.DataFrame(
        [record for _, record in rows],
        index=pd.Index([number for number, _ in rows], name="row", dtype="int64"),
        columns=header,
        dtype=object,
    )
    bad = {(p.row, p.column) for p in problems if p.severity == "error" and p.row}
    for column in header:
        flagged = [row for row in table.index if (row, column) in bad]
        if column in NUMBER_COLUMNS:
            parser = _number_parser(raw, whole=column in WHOLE_COLUMNS)
            table[column] = _typed(table[column], flagged, parser)
        elif column in DATE_COLUMNS:
            table[column] = _typed(table[column], flagged, _date)
        elif column in CATEGORIES and not flagged and _all_in(table[column], CATEGORIES[column]):
            cells = [cell or None for cell in table[column]]  # an empty cell is missing
            table[column] = pd.Categorical(cells, categories=CATEGORIES[column])
    table.attrs["problems"] = problems_frame(problems)
    return table


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """One line per problem: row number, row id, column, severity, message and the value."""
    lines = [
        (p.row, p.row_id, p.column, p.severity, p.message, "" if p.value is None else str(p.value))
        for p in problems
    ]
    found = pd.DataFrame(lines, columns=list(PROBLEM_COLUMNS))
    found["row"] = found["row"].astype("Int64")  # a file-level problem has no row
    found["severity"] = pd.Categorical(found["severity"], categories=["error", "warning"])
    return found.sort_values(["severity", "row"], kind="stable", ignore_index=True)


def _raw_rows(raw: RawTable | None) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header and each non-empty row with its number; none if unreadable.

    Where the loader stops (a cell over csv's field limit), so does the frame, and the problem
    says why. A heading that repeats gets its place added ('value (column 9)'), so that every
    cell has a column of its own.
    """
    if raw is None or (raw.broken is not None and not raw.rows):
        return [], []
    header = _unique(list(raw.header))
    if len(header) > MAX_COLUMNS:
        return [], []
    rows = []
    for row in raw.rows:
        record = dict(zip(header, (c.strip() for c in row.cells), strict=False))
        rows.append((row.number, {column: record.get(column, "") for column in header}))
    return header, rows


def _unique(header: list[str]) -> list[str]:
    seen: set[str] = set()
    unique: list[str] = []
    for place, name in enumerate(header, start=1):
        if name in seen:
            name = f"{name} (column {place})"
            while name in seen:
                name += "'"
        seen.add(name)
        unique.append(name)
    return unique


def _all_in(cells: pd.Series, allowed: tuple[str, ...]) -> bool:
    """Whether every cell is one of ``allowed`` (or empty): a row refused whole (a field too
    many) has no cell flagged, and its text must stay text, not become a missing category."""
    return all(cell in allowed or cell == "" for cell in cells)


def _typed(cells: pd.Series, flagged: list[int], parse) -> pd.Series:
    """The column parsed; when a cell is flagged or unparsable, the column keeps text there."""
    parsed = {}
    kept_text = False
    for row, raw in cells.items():
        value = parse(raw) if row not in flagged else None
        if value is None and raw:
            parsed[row], kept_text = raw, True
        else:
            parsed[row] = value
    series = pd.Series(parsed, index=cells.index, dtype=object, name=cells.name)
    if kept_text:
        return series
    if parse is _date:
        return pd.to_datetime(series, format="%Y-%m-%d")
    numbers = pd.to_numeric(series)
    return numbers.astype("Int64") if cells.name in WHOLE_COLUMNS else numbers


def _number_parser(table: RawTable, whole: bool) -> Callable[[str], float | None]:
    """The cell's number as the loader reads it, or None (kept as text) where the loader would
    refuse it: not finite, too large, or a fraction in a whole-number column. A cell the loader
    did not flag (in a row it refused whole) must still not break the column's type."""

    def parse(raw: str) -> float | None:
        value = table.number(raw)
        if value is None or not math.isfinite(value) or abs(value) > MAX_NUMBER:
            return None
        if whole and value != int(value):
            return None
        return value

    return parse


def _date(raw: str) -> str | None:
    try:
        return dt.date.fromisoformat(raw).isoformat() if raw else None
    except ValueError:
        return None
