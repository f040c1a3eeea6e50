"""Load and validate the cited-statistics table (data/sources.csv).

An analyst edits the table in a spreadsheet, so the reader accepts what spreadsheets write:
a UTF-8 byte order mark, CRLF line ends, and ``;``-separated files with decimal commas.
Every problem names the row as the spreadsheet numbers it (the header is row 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from .errors import Problem, SourceError, display_path

REQUIRED_COLUMNS = (
    "id",
    "statistic",
    "value",
    "unit",
    "quote",
    "publisher",
    "title",
    "published",
    "url",
    "accessed",
    "evidence",
    "caveats",
)
OPTIONAL_COLUMNS = ("numerator", "denominator", "sample_size", "sample", "authors")
UNITS = {"percent": (0.0, 100.0), "count": (0.0, float("inf"))}
EVIDENCE_LEVELS = ("verified", "secondary", "unverified")
STALE_AFTER_DAYS = 365
# A percent rounded by the source ("88%") may differ from numerator/denominator by this much.
RATIO_TOLERANCE_POINTS = 0.5
_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Source:
    """One cited statistic, with everything needed to defend it."""

    id: str
    statistic: str
    value: float
    unit: str
    quote: str
    publisher: str
    title: str
    published: dt.date
    url: str
    accessed: dt.date
    evidence: str
    caveats: str
    numerator: int | None = None
    denominator: int | None = None
    sample_size: int | None = None
    sample: str = ""
    authors: str = ""
    row: int = 0

    @property
    def proportion(self) -> float | None:
        """The statistic as a share in [0, 1], when it is a percent."""
        if self.unit != "percent":
            return None
        if self.numerator is not None and self.denominator:
            return self.numerator / self.denominator
        return self.value / 100.0

    @property
    def trials(self) -> int | None:
        """How many units the proportion was measured on, when the source says."""
        return self.denominator or self.sample_size

    def interval(self, level: float = 0.8) -> tuple[float, float] | None:
        """Central credible interval of the share (Jeffreys prior), or None without a sample."""
        share, n = self.proportion, self.trials
        if share is None or not n:
            return None
        from scipy.special import betaincinv

        k = share * n
        tail = (1.0 - level) / 2.0
        low = float(betaincinv(k + 0.5, n - k + 0.5, tail))
        high = float(betaincinv(k + 0.5, n - k + 0.5, 1.0 - tail))
        return low, high

    @property
    def citation(self) -> str:
        """A one-line citation: publisher, title, date."""
        return f"{self.publisher}, {self.title} ({self.published:%d %B %Y})"


@dataclass
class SourceTable:
    """The validated table, by id, with the warnings found while loading it."""

    path: Path
    sources: dict[str, Source]
    warnings: list[Problem] = field(default_factory=list)

    def __getitem__(self, source_id: str) -> Source:
        return self.sources[source_id]

    def __contains__(self, source_id: object) -> bool:
        return source_id in self.sources

    def __iter__(self):
        return iter(self.sources.values())

    def __len__(self) -> int:
        return len(self.sources)


def load_sources(path: str | Path, today: dt.date | None = None) -> SourceTable:
    """Read and validate a sources table; raise SourceError listing every problem."""
    path = Path(path)
    sources, problems = _read(path, today or dt.date.today())
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise SourceError(problems=problems)
    return SourceTable(path=path, sources=sources, warnings=problems)


def check_sources(path: str | Path, today: dt.date | None = None) -> list[Problem]:
    """Every error and warning in a sources table, without raising (for the analyst's view)."""
    path = Path(path)
    return _read(path, today or dt.date.today())[1]


def _read(path: Path, today: dt.date) -> tuple[dict[str, Source], list[Problem]]:
    name = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return {}, [Problem(name, "", f"cannot read the file: {exc.strerror or exc}")]
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
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
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
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    for column in header:
        if column not in known:
            problems.append(
                Problem(
                    name,
                    f"column '{column}'",
                    "is not a known column; it is ignored",
                    severity="warning",
                )
            )
    sources: dict[str, Source] = {}
    first_row: dict[str, int] = {}
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
                )
            )
            continue
        first_row[source.id] = row_number
        sources[source.id] = source
    if not sources and not any(p.severity == "error" for p in problems):
        problems.append(Problem(name, "", "has a header but no sources"))
    return sources, problems


class _Row:
    """Field parsers for one row, each recording a Problem instead of raising."""

    def __init__(
        self, name: str, number: int, record: dict, problems: list[Problem], decimal_comma: bool
    ) -> None:
        self.name, self.row_number, self.problems = name, number, problems
        self.record = {k: (v or "").strip() for k, v in record.items() if k is not None}
        self.decimal_comma = decimal_comma
        self.ok = True

    def fail(self, column: str, message: str, value: object = None) -> None:
        self.ok = False
        self.problems.append(Problem(self.name, self._where(column), message, value))

    def warn(self, column: str, message: str, value: object = None) -> None:
        self.problems.append(
            Problem(self.name, self._where(column), message, value, severity="warning")
        )

    def _where(self, column: str) -> str:
        ident = self.record.get("id")
        label = f"row {self.row_number}" + (f" ({ident})" if ident else "")
        return f"{label}, column '{column}'"

    def text(self, column: str, required: bool = True) -> str:
        value = self.record.get(column, "")
        if required and not value:
            self.fail(column, "is empty; a value is required")
        return value

    def number(self, column: str, required: bool = True) -> float | None:
        raw = self.record.get(column, "")
        if not raw:
            if required:
                self.fail(column, "is empty; a number is required")
            return None
        cleaned = raw.replace("\u00a0", "").replace(" ", "")
        if self.decimal_comma:
            cleaned = cleaned.replace(",", ".")
        cleaned = cleaned.rstrip("%")
        try:
            return float(cleaned)
        except ValueError:
            self.fail(column, "is not a number", raw)
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
        if ident and not _ID_PATTERN.match(ident):
            self.fail("id", "must be lowercase letters, digits and hyphens", ident)
        unit = self.text("unit")
        if unit and unit not in UNITS:
            self.fail("unit", f"must be one of {', '.join(UNITS)}", unit)
        value = self.number("value")
        if value is not None and unit in UNITS:
            low, high = UNITS[unit]
            if not low <= value <= high:
                allowed = f"between {low:g} and {high:g}" if high < float("inf") else ">= 0"
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
            parsed = urlparse(url)
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
