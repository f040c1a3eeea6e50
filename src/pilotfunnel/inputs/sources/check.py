"""The loader's checks of the sources table, cell by cell, on the rows ``sources_read`` gives.

Every problem names the file, the row and the column, the value and what is allowed; a bad
row is reported and left out, and the rest of the table is still read.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

from pilotfunnel.core.errors import InputError, Problem, display_path, shown_key
from pilotfunnel.core.text import text_problem
from pilotfunnel.inputs.sources.read import CsvBreak, RawRow, RawTable, read_raw
from pilotfunnel.inputs.sources.schema import (
    EVIDENCE_LEVELS,
    ID_PATTERN,
    KINDS,
    KNOWN_COLUMNS,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ID_CHARS,
    MAX_NUMBER,
    PROSE_COLUMNS,
    RATIO_TOLERANCE_POINTS,
    REQUIRED_COLUMNS,
    STALE_AFTER_DAYS,
    UNITS,
    Source,
)


def read_table(path: Path, today: dt.date | None = None) -> tuple[dict[str, Source], list[Problem]]:
    """Every valid source of the table by id, and every problem found, errors and warnings.

    ``today`` (the day a date may not pass, and from which an access goes stale) is the
    system's date unless given.
    """
    try:
        table = read_raw(path)
    except InputError as exc:
        return {}, exc.problems
    return check_table(display_path(path), table, today)


def check_table(
    name: str, table: RawTable, today: dt.date | None = None
) -> tuple[dict[str, Source], list[Problem]]:
    """The sources of a table already read, by id, and every problem found in it."""
    today = today or dt.date.today()
    if table.empty:
        return {}, [Problem(name, "", "is empty; expected a header row and one row per source")]
    if table.broken is not None and table.broken.in_header:
        return {}, [_csv_problem(name, table.broken)]
    header = list(table.header)
    problems: list[Problem] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        if len(header) <= 1 or not set(header) & set(REQUIRED_COLUMNS):
            return {}, [
                Problem(
                    name,
                    "row 1",
                    "is not a comma- or semicolon-separated table with the columns "
                    + ", ".join(REQUIRED_COLUMNS),
                    table.first_line[:60],
                )
            ]
        return {}, [Problem(name, "row 1", f"missing required column '{c}'", None) for c in missing]
    if len(header) > MAX_COLUMNS:
        return {}, [
            Problem(
                name,
                "row 1",
                f"has {len(header):,} columns; a sources table has at most {MAX_COLUMNS}",
            )
        ]
    counts = Counter(header)
    repeated = sorted(c for c in KNOWN_COLUMNS if counts[c] > 1)
    if repeated:
        return {}, [
            Problem(name, "row 1", f"has the column '{c}' more than once; keep one", column=c)
            for c in repeated
        ]
    for column in header:
        if column not in KNOWN_COLUMNS:
            problems.append(
                Problem(
                    name,
                    f"column '{shown_key(column)}'",
                    "is not a known column; it is ignored",
                    severity="warning",
                )
            )
    sources: dict[str, Source] = {}
    _check_rows(name, table, today, problems, sources)
    if table.broken is not None:  # a cell over csv's field limit, say: the rest is not read
        problems.append(_csv_problem(name, table.broken))
    if not sources and not any(p.severity == "error" for p in problems):
        problems.append(Problem(name, "", "has a header but no sources"))
    return sources, problems


def _csv_problem(name: str, broken: CsvBreak) -> Problem:
    if "field larger than field limit" in broken.reason:
        reason = (
            f"has a cell of more than {csv.field_size_limit():,} characters (a quote left "
            f"open?); a cell may hold at most {MAX_CELL_CHARS:,}"
        )
    else:
        reason = f"cannot be read as CSV: {broken.reason[:80]}"
    return Problem(name, f"line {broken.line}", reason)


def _check_rows(
    name: str,
    table: RawTable,
    today: dt.date,
    problems: list[Problem],
    sources: dict[str, Source],
) -> None:
    header = list(table.header)
    first_row: dict[str, int] = {}
    for raw in table.rows:
        record = _record(header, raw)
        extra = raw.cells[len(header) :]
        if extra:
            problems.append(
                Problem(
                    name,
                    f"row {raw.number}",
                    f"has {len(header) + len(extra)} fields but the header has "
                    f"{len(header)}; check for an unquoted '{table.delimiter}' in a text field",
                    row=raw.number,
                    row_id=record.get("id", "").strip()[:MAX_ID_CHARS],
                )
            )
            continue
        row = _Row(name, raw.number, record, problems, table)
        source = row.build(today)
        if source is None:
            continue
        if source.id in first_row:
            problems.append(
                Problem(
                    name,
                    f"row {raw.number}, column 'id'",
                    f"duplicates the id of row {first_row[source.id]}; ids must be unique",
                    source.id,
                    row=raw.number,
                    row_id=source.id,
                    column="id",
                )
            )
            continue
        first_row[source.id] = raw.number
        sources[source.id] = source


def _record(header: list[str], raw: RawRow) -> dict[str, str]:
    """The row's cells by column, as csv.DictReader pairs them: a repeated column name keeps
    its last cell, and a column the row is too short for is missing."""
    return dict(zip(header, raw.cells, strict=False))


class _Row:
    """Field parsers for one row, each recording a Problem instead of raising."""

    def __init__(
        self, name: str, number: int, record: dict, problems: list[Problem], table: RawTable
    ) -> None:
        self.name, self.row_number, self.problems = name, number, problems
        # A spreadsheet saves a line break in a cell as CRLF in a CRLF file: one line break.
        self.record = {k: v.strip().replace("\r\n", "\n") for k, v in record.items()}
        self.table = table
        self.ok = True
        # Cells that cannot go into a brief (too long, control characters): reported once
        # here, and read as empty by the parsers below without a second problem.
        self.refused: set[str] = set()
        for column in KNOWN_COLUMNS:
            value = self.record.get(column, "")
            limit = MAX_ID_CHARS if column == "id" else MAX_CELL_CHARS
            problem = text_problem(value, limit, multiline=column in PROSE_COLUMNS)
            if problem is not None:
                self.fail(column, problem)
                self.refused.add(column)

    def fail(self, column: str, message: str, value: object = None) -> None:
        self.ok = False
        self.problems.append(self._problem(column, message, value, "error"))

    def warn(self, column: str, message: str, value: object = None) -> None:
        self.problems.append(self._problem(column, message, value, "warning"))

    def _problem(self, column: str, message: str, value: object, severity: str) -> Problem:
        return Problem(
            self.name,
            self._where(column),
            message,
            value,
            severity,
            row=self.row_number,
            row_id=self.record.get("id", "")[:MAX_ID_CHARS],
            column=column,
        )

    def _where(self, column: str) -> str:
        ident = self.record.get("id")
        label = f"row {self.row_number}" + (f" ({shown_key(ident)})" if ident else "")
        return f"{label}, column '{column}'"

    def text(self, column: str, required: bool = True) -> str:
        if column in self.refused:
            return ""
        value = self.record.get(column, "")
        if required and not value:
            self.fail(column, "is empty; a value is required")
        return value

    def number(self, column: str, required: bool = True) -> float | None:
        if column in self.refused:
            return None
        raw = self.record.get(column, "")
        if not raw:
            if required:
                self.fail(column, "is empty; a number is required")
            return None
        value = self.table.number(raw)
        if value is None:
            self.fail(column, "is not a number", raw)
        elif not math.isfinite(value):
            self.fail(column, "must be a finite number (not inf or nan)", raw)
        elif abs(value) > MAX_NUMBER:
            bound = f"at most {MAX_NUMBER:,.0f}" if value > 0 else f"at least -{MAX_NUMBER:,.0f}"
            self.fail(column, f"must be {bound}", raw)
        else:
            return value
        return None

    def whole(self, column: str) -> int | None:
        value = self.number(column, required=False)
        if value is None:
            return None
        if value != int(value) or value < 0:
            self.fail(column, "must be a whole number of 0 or more", self.record[column])
            return None
        return int(value)

    def date(self, column: str, today: dt.date) -> dt.date | None:
        raw = self.text(column)
        if not raw:
            return None
        try:
            value = dt.date.fromisoformat(raw)
        except ValueError:
            self.fail(column, "is not a real date in the form YYYY-MM-DD", raw)
            return None
        if value > today:
            self.fail(column, f"is in the future (today is {today.isoformat()})", raw)
            return None
        return value

    def address(self, column: str, url: str) -> None:
        """Record a problem when a given address is not a full web address."""
        if not url:
            return
        try:
            parsed = urlparse(url)
        except ValueError:  # "https://[a": an IPv6 bracket left open
            parsed = urlparse("")
        if parsed.scheme not in ("http", "https") or "." not in parsed.netloc:
            self.fail(column, "must be a full web address starting with https://", url)

    def build(self, today: dt.date) -> Source | None:
        ident = self.text("id")
        if ident and not ID_PATTERN.fullmatch(ident):
            self.fail("id", "must be lowercase letters, digits and hyphens", ident)
        unit = self.text("unit")
        if unit and unit not in UNITS:
            self.fail("unit", f"must be one of {', '.join(UNITS)}", unit)
        value = self.number("value")
        if value is not None and unit in UNITS:
            low, high = UNITS[unit]
            if not low <= value <= high:
                allowed = f"between {low:,.0f} and {high:,.0f}"
                self.fail("value", f"a {unit} must be {allowed}", self.record["value"])
        numerator, denominator = self.whole("numerator"), self.whole("denominator")
        if (numerator is None) != (denominator is None) and self.ok:
            self.fail(
                "numerator" if numerator is None else "denominator",
                "numerator and denominator go together; give both or neither",
            )
        if numerator is not None and denominator is not None:
            if denominator == 0:
                self.fail("denominator", "must be greater than 0", denominator)
            elif numerator > denominator:
                self.fail(
                    "numerator", f"is greater than the denominator ({denominator})", numerator
                )
            elif value is not None and unit == "percent":
                implied = 100.0 * numerator / denominator
                if abs(implied - value) > RATIO_TOLERANCE_POINTS:
                    self.fail(
                        "value",
                        f"does not match numerator/denominator = {numerator}/{denominator}"
                        f" = {implied:.1f}%",
                        self.record["value"],
                    )
        sample_size = self.whole("sample_size")
        if sample_size == 0:
            self.fail("sample_size", "must be greater than 0 when given", 0)
        reported_by = self.text("reported_by", required=False)
        # A source known only through a report may have no address of its own: the report's
        # (reported_url) is then the one a reader follows, named as the report's.
        url = self.text("url", required=False)
        if not url and "url" not in self.refused and not reported_by:
            self.fail(
                "url",
                "is empty; a value is required unless reported_by names the report the source "
                "is known through",
            )
        self.address("url", url)
        reported_url = self.text("reported_url", required=False)
        self.address("reported_url", reported_url)
        if reported_url and not reported_by:
            self.fail("reported_url", "needs reported_by: name the report at this address")
        kind = self.text("kind", required=False)
        if kind and kind not in KINDS:
            self.fail("kind", f"must be one of {', '.join(KINDS)} (or empty)", kind)
        evidence = self.text("evidence")
        if evidence and evidence not in EVIDENCE_LEVELS:
            self.fail("evidence", f"must be one of {', '.join(EVIDENCE_LEVELS)}", evidence)
        published, accessed = self.date("published", today), self.date("accessed", today)
        if published and accessed and accessed < published:
            self.fail(
                "accessed",
                f"is before the publication date ({published.isoformat()})",
                accessed.isoformat(),
            )
        texts = {c: self.text(c) for c in ("statistic", "quote", "publisher", "title", "caveats")}
        if not self.ok:
            return None
        if accessed and (today - accessed).days > STALE_AFTER_DAYS:
            self.warn(
                "accessed",
                "was more than 12 months ago; re-check the source and update the date",
                accessed.isoformat(),
            )
        if evidence == "unverified":
            self.warn(
                "evidence",
                "is unverified; briefs leave it out unless a scenario asks for unverified sources",
            )
        return Source(
            id=ident,
            value=float(value),
            unit=unit,
            published=published,
            accessed=accessed,
            url=url,
            evidence=evidence,
            numerator=numerator,
            denominator=denominator,
            sample_size=sample_size,
            sample=self.text("sample", required=False),
            authors=self.text("authors", required=False),
            analyst_notes=self.text("analyst_notes", required=False),
            kind=kind,
            reported_by=reported_by,
            reported_url=reported_url,
            row=self.row_number,
            **texts,
        )
