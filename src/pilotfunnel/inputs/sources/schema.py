"""What a row of the sources table is: its columns, their limits, and the record it becomes.

The reader (``sources_read``), the checks (``sources_csv``), the analyst's frame
(``sources_frame``) and the loader (``sources``) all take these facts from here, so none of
them imports another's module to learn what a column is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

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
# ``analyst_notes`` is the analyst's working notes (how a quote was traced, what could not be
# found): shown in the analyst's review only, never on a client surface; ``caveats`` is for the
# client. ``kind`` is what the share counts (KINDS); ``reported_by`` and ``reported_url`` name the
# secondary report a source is known through (a client reads "reported by ..." after the
# primary publisher, never the report as the source). ``url`` is the primary's own address: it
# may be empty only where ``reported_by`` names the report the source is known through.
OPTIONAL_COLUMNS = (
    "numerator",
    "denominator",
    "sample_size",
    "sample",
    "authors",
    "analyst_notes",
    "kind",
    "reported_by",
    "reported_url",
)
KNOWN_COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
# Columns of prose, where a line break is kept; every other column is one line.
PROSE_COLUMNS = ("statistic", "quote", "title", "caveats", "sample", "authors", "analyst_notes")
# Columns of numbers, of whole numbers (counts) and of dates.
NUMBER_COLUMNS = ("value", "numerator", "denominator", "sample_size")
WHOLE_COLUMNS = ("numerator", "denominator", "sample_size")
DATE_COLUMNS = ("published", "accessed")
# The largest number a cell may hold: a count of a trillion is beyond any survey, and every
# sum made from it stays a finite float.
MAX_NUMBER = 1e12
UNITS = {"percent": (0.0, 100.0), "count": (0.0, MAX_NUMBER)}
# The most the loader reads: the table is ~12 KB; 4 MiB is hundreds of times that.
MAX_TABLE_BYTES = 4 << 20
# The longest cell (characters): a quote or caveat is a paragraph, never a chapter.
MAX_CELL_CHARS = 5000
MAX_ID_CHARS = 80
# The most columns a table may have: it has 21 that the kit knows.
MAX_COLUMNS = 100
EVIDENCE_LEVELS = ("verified", "secondary", "unverified")
# What a share counts: those that reached the bar (production), those that failed it (abandoned,
# scrapped, no return), or something else. Opposite kinds never share an axis unnamed.
KINDS = ("reached", "failed", "other")
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
    # The analyst's working notes: for the analyst's review, never for a client surface.
    analyst_notes: str = ""
    # What the share counts (KINDS); empty where the table has no kind column (or cell), and
    # then read from the statistic's wording (views.charts.evidence.kind).
    kind: str = ""
    # The secondary report the source is known through, and its address: shown to a client as
    # "reported by ...", after the primary publisher.
    reported_by: str = ""
    reported_url: str = ""
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
        # scipy only when an interval is asked for: loading the table stays light.
        from scipy.special import betaincinv

        k = share * n
        tail = (1.0 - level) / 2.0
        low = float(betaincinv(k + 0.5, n - k + 0.5, tail))
        high = float(betaincinv(k + 0.5, n - k + 0.5, 1.0 - tail))
        return low, high
