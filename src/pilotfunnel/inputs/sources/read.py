"""The one reader of the sources table: its bytes as a header and numbered rows of cells.

An analyst edits the table in a spreadsheet, so the reader accepts what spreadsheets write: a
UTF-8 byte order mark, CRLF line ends, and ``;``-separated files with decimal commas. The
loader's checks (``sources.check``), the analyst's frame (``sources.frame``) and the manifest's
row hashes (``batch.fingerprint.source_rows``) all read the table through ``read_raw``, so they
agree on its encoding, its delimiter, which rows are blank and what number each row has.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pilotfunnel.core.errors import InputError, Problem, display_path
from pilotfunnel.core.files import read_input_bytes
from pilotfunnel.inputs.sources.schema import MAX_TABLE_BYTES

NOT_UTF8 = "is not UTF-8 text; in Excel use 'Save As > CSV UTF-8 (Comma delimited)'"


@dataclass(frozen=True)
class RawRow:
    """One row that is not blank: its number as a spreadsheet shows it, and its cells as
    written (not stripped: the manifest hashes them as they are)."""

    number: int
    cells: list[str]


@dataclass(frozen=True)
class CsvBreak:
    """Where csv stopped reading (a cell over its field limit, say): nothing after is read."""

    line: int  # the physical line csv had reached
    reason: str  # csv's own message
    in_header: bool  # the header itself could not be read


@dataclass(frozen=True)
class RawTable:
    """The table split into cells, before any check."""

    empty: bool  # nothing but white space
    first_line: str  # the header line as written, for messages
    delimiter: str
    header: tuple[str, ...]  # the column names, stripped
    rows: tuple[RawRow, ...]  # every row that is not blank, in file order
    broken: CsvBreak | None = None

    @property
    def decimal_comma(self) -> bool:
        """Whether numbers are written with decimal commas: where ';' separates the cells."""
        return self.delimiter == ";"

    def number(self, raw: str) -> float | None:
        """A cell's number as the table writes it (see ``parse_number``)."""
        return parse_number(raw, self.decimal_comma)


def read_raw(
    path: Path,
    errors: Literal["strict", "replace"] = "strict",
    error: type[InputError] = InputError,
) -> RawTable:
    """The table at ``path`` split into a header and rows; ``error`` naming the file when it
    is missing, too large or not a regular file, or (with ``errors="strict"``) not UTF-8.

    ``errors="replace"`` reads any bytes, for a reader that must hash what is there.
    """
    raw = read_input_bytes(path, MAX_TABLE_BYTES, error)
    try:
        text = raw.decode("utf-8-sig", errors)
    except UnicodeDecodeError as exc:
        raise error(problems=[Problem(display_path(path), f"byte {exc.start}", NOT_UTF8)]) from None
    return split_table(text)


def delimiter_of(header_line: str) -> str:
    """The table's delimiter: ';' where the locale's Excel uses it, else ','."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def split_table(text: str) -> RawTable:
    """``text`` as a header and its non-blank rows, numbered as a spreadsheet numbers them
    (the header is row 1; a blank line is a row too; a cell with line breaks is one row)."""
    if not text.strip():
        return RawTable(True, "", ",", (), ())
    first_line = text.splitlines()[0]
    delimiter = delimiter_of(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: tuple[str, ...] = ()
    rows: list[RawRow] = []
    in_header = True
    try:
        header = tuple(cell.strip() for cell in next(reader, []))
        in_header = False
        for number, cells in enumerate(reader, start=2):
            if any(cell.strip() for cell in cells):
                rows.append(RawRow(number, cells))
    except csv.Error as exc:  # the rest is not read; its line is where csv broke
        broken = CsvBreak(reader.line_num, str(exc), in_header)
        return RawTable(False, first_line, delimiter, header, tuple(rows), broken)
    return RawTable(False, first_line, delimiter, header, tuple(rows))


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
