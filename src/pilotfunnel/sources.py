"""Load and validate the cited-statistics table (data/sources.csv).

An analyst edits the table in a spreadsheet, so the reader accepts what spreadsheets write:
a UTF-8 byte order mark, CRLF line ends, and ``;``-separated files with decimal commas.
Every problem names the row as the spreadsheet numbers it (the header is row 1).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, SourceError

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
# The largest number a cell may hold: a count of a trillion is beyond any survey, and every
# sum made from it stays a finite float.
MAX_NUMBER = 1e12
UNITS = {"percent": (0.0, 100.0), "count": (0.0, MAX_NUMBER)}
# The most the loader reads: the table is ~12 KB; 4 MiB is hundreds of times that.
MAX_TABLE_BYTES = 4 << 20
# The longest cell (characters): a quote or caveat is a paragraph, never a chapter.
MAX_CELL_CHARS = 5000
MAX_ID_CHARS = 80
# The most columns a table may have: it has 17 that the kit knows.
MAX_COLUMNS = 100
EVIDENCE_LEVELS = ("verified", "secondary", "unverified")
STALE_AFTER_DAYS = 365
# A percent rounded by the source ("88%") may differ from numerator/denominator by this much.
RATIO_TOLERANCE_POINTS = 0.5
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


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
    def value_text(self) -> str:
        """The statistic's figure as shown: '4 of 33', '95%' or a count."""
        if self.numerator is not None and self.denominator:
            return f"{self.numerator} of {self.denominator}"
        return f"{self.value:g}%" if self.unit == "percent" else f"{self.value:,.0f}"

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
    sources, problems = read_table(path, today or dt.date.today())
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise SourceError(problems=problems)
    return SourceTable(path=path, sources=sources, warnings=problems)


def check_sources(path: str | Path, today: dt.date | None = None) -> list[Problem]:
    """Every error and warning in a sources table, without raising (for the analyst's view)."""
    path = Path(path)
    return read_table(path, today or dt.date.today())[1]


def delimiter_of(header_line: str) -> str:
    """The table's delimiter: ';' where the locale's Excel uses it, else ','."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def read_table(path: Path, today: dt.date) -> tuple[dict[str, Source], list[Problem]]:
    """Every valid source of the table by id, and every problem found (see sources_csv)."""
    from .sources_csv import read_table as read  # it builds Source objects: imported here

    return read(path, today)


def frame(path: str | Path, today: dt.date | None = None):
    """The table as a pandas DataFrame: every row, typed where valid (see sources_frame)."""
    from .sources_frame import frame as table_frame  # pandas only when an analyst asks

    return table_frame(path, today)
