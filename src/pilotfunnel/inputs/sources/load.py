"""Load and validate the cited-statistics table (data/sources.csv).

The table is read once by ``sources_read`` (encodings, delimiter, rows and their numbers),
checked by ``sources_csv`` and described by ``sources_schema``; this module is what the rest
of the kit imports. Every problem names the row as the spreadsheet numbers it (the header is
row 1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pilotfunnel.core.errors import Problem, SourceError
from pilotfunnel.inputs.sources.check import read_table
from pilotfunnel.inputs.sources.schema import (
    EVIDENCE_LEVELS,
    MAX_NUMBER,
    MAX_TABLE_BYTES,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    Source,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "EVIDENCE_LEVELS",
    "MAX_NUMBER",
    "MAX_TABLE_BYTES",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "Source",
    "SourceTable",
    "check_sources",
    "frame",
    "load_sources",
]


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

    def __iter__(self) -> Iterator[Source]:
        return iter(self.sources.values())

    def __len__(self) -> int:
        return len(self.sources)


def load_sources(path: str | Path, today: dt.date | None = None) -> SourceTable:
    """Read and validate a sources table; raise SourceError listing every problem."""
    path = Path(path)
    sources, problems = read_table(path, today)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise SourceError(problems=problems)
    return SourceTable(path=path, sources=sources, warnings=problems)


def check_sources(path: str | Path, today: dt.date | None = None) -> list[Problem]:
    """Every error and warning in a sources table, without raising (for the analyst's view)."""
    return read_table(Path(path), today)[1]


def frame(path: str | Path, today: dt.date | None = None) -> pd.DataFrame:
    """The table as a pandas DataFrame: every row, typed where valid (see sources_frame)."""
    # pandas only when an analyst asks: loading the table for a brief stays light.
    from pilotfunnel.inputs.sources.frame import frame as table_frame

    return table_frame(path, today)
