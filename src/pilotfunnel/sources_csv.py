"""Reading the sources table: the CSV as Excel saves it, checked cell by cell.

Every problem names the file, the row and the column, the value and what is allowed; a bad
row is reported and left out, and the rest of the table is still read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

from .errors import InputError, Problem, display_path, shown_key
from .files import read_input_bytes, text_problem
from .sources import (
    EVIDENCE_LEVELS,
    ID_PATTERN,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ID_CHARS,
    MAX_NUMBER,
    MAX_TABLE_BYTES,
    OPTIONAL_COLUMNS,
    RATIO_TOLERANCE_POINTS,
    REQUIRED_COLUMNS,
    STALE_AFTER_DAYS,
    UNITS,
    Source,
    delimiter_of,
)


def read_table(path: Path, today: dt.date) -> tuple[dict[str, Source], list[Problem]]:
    """Every valid source of the table by id, and every problem found, errors and warnings."""
    name = display_path(path)
    try:
        raw = read_input_bytes(path, MAX_TABLE_BYTES)
    except InputError as exc:
        return {}, exc.problems
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return {}, [
            Problem(
                name,
                f"byte {exc.start}",
                "is not UTF-8 text; in Excel use 'Save As > CSV UTF-8 (Comma delimited)'",
            )
        ]
    if not text.strip():
        return {}, [Problem(name, "", "is empty; expected a header row and one row per source")]
    first_line = text.splitlines()[0]
    delimiter = delimiter_of(first_line)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        return {}, [_csv_problem(name, reader.reader.line_num, exc)]
    reader.fieldnames = header
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
                    first_line[:60],
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
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    counts = Counter(header)
    repeated = sorted(c for c in known if counts[c] > 1)
    if repeated:
        return {}, [
            Problem(name, "row 1", f"has the column '{c}' more than once; keep one", column=c)
            for c in repeated
        ]
    for column in header:
        if column not in known:
            problems.append(
                Problem(
                    name,
                    f"column '{shown_key(column)}'",
                    "is not a known column; it is ignored",
                    severity="warning",
                )
            )
    sources: dict[str, Source] = {}
    first_row: dict[str, int] = {}
    try:
        _read_rows(name, reader, header, delimiter, today, problems, sources, first_row)
    except csv.Error as exc:  # a cell over csv's field limit, say: the rest is not read
        # DictReader's own line_num is set after each good row; its reader's is where it broke.
        problems.append(_csv_problem(name, reader.reader.line_num, exc))
    if not sources and not any(p.severity == "error" for p in problems):
        problems.append(Problem(name, "", "has a header but no sources"))
    return sources, problems


def _csv_problem(name: str, line: int, exc: csv.Error) -> Problem:
    if "field larger than field limit" in str(exc):
        reason = (
            f"has a cell of more than {csv.field_size_limit():,} characters (a quote left "
            f"open?); a cell may hold at most {MAX_CELL_CHARS:,}"
        )
    else:
        reason = f"cannot be read as CSV: {str(exc)[:80]}"
    return Problem(name, f"line {line}", reason)


def _read_rows(
    name: str,
    reader: csv.DictReader,
    header: list[str],
    delimiter: str,
    today: dt.date,
    problems: list[Problem],
    sources: dict[str, Source],
    first_row: dict[str, int],
) -> None:
    for row_number, record in enumerate(reader, start=2):
        if not any((v or "").strip() for k, v in record.items() if k is not None):
            continue
        if record.get(None):
            problems.append(
                Problem(
                    name,
                    f"row {row_number}",
                    f"has {len(header) + len(record[None])} fields but the header has "
                    f"{len(header)}; check for an unquoted '{delimiter}' in a text field",
                    row=row_number,
                    row_id=(record.get("id") or "").strip()[:MAX_ID_CHARS],
                )
            )
            continue
        row = _Row(name, row_number, record, problems, decimal_comma=delimiter == ";")
        source = row.build(today)
        if source is None:
            continue
        if source.id in first_row:
            problems.append(
                Problem(
                    name,
                    f"row {row_number}, column 'id'",
                    f"duplicates the id of row {first_row[source.id]}; ids must be unique",
                    source.id,
                    row=row_number,
                    row_id=source.id,
                    column="id",
                )
            )
            continue
        first_row[source.id] = row_number
        sources[source.id] = source


# Columns of prose, where a line break is kept; every other column is one line.
PROSE_COLUMNS = ("statistic", "quote", "title", "caveats", "sample", "authors")
KNOWN_COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)


class _Row:
    """Field parsers for one row, each recording a Problem instead of raising."""

    def __init__(
        self, name: str, number: int, record: dict, problems: list[Problem], decimal_comma: bool
    ) -> None:
        self.name, self.row_number, self.problems = name, number, problems
        # A spreadsheet saves a line break in a cell as CRLF in a CRLF file: one line break.
        self.record = {
            k: (v or "").strip().replace("\r\n", "\n") for k, v in record.items() if k is not None
        }
        self.decimal_comma = decimal_comma
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
        value = parse_number(raw, self.decimal_comma)
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
        url = self.text("url")
        if url:
            try:
                parsed = urlparse(url)
            except ValueError:  # "https://[a": an IPv6 bracket left open
                parsed = urlparse("")
            if parsed.scheme not in ("http", "https") or "." not in parsed.netloc:
                self.fail("url", "must be a full web address starting with https://", url)
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
            row=self.row_number,
            **texts,
        )


def parse_number(raw: str, decimal_comma: bool) -> float | None:
    """A cell's number as a spreadsheet writes it ('1 234,5' with decimal commas, '95%'), or
    None when it is not one. Infinite and NaN come back as such: the caller refuses them."""
    cleaned = raw.replace("\u00a0", "").replace(" ", "")
    if decimal_comma:
        cleaned = cleaned.replace(",", ".")
    cleaned = cleaned.rstrip("%")
    if not cleaned or len(cleaned) > 64:
        return None
    try:
        return float(cleaned)
    except ValueError:
        return None
