"""File names for briefs and client files: safe on any file system, stable across runs.

Kept apart from the export pipeline so that code which only needs a name (the batch's parent
process, the explorer) does not import nbconvert and WeasyPrint to get one.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Protocol


class HasClient(Protocol):
    """What a brief's name reads of its scenario (``inputs.scenario.Scenario`` has it): the
    core layer names a brief without importing the inputs above it."""

    @property
    def client(self) -> str: ...


# Letters NFKD does not take apart into a base letter and an accent.
_TRANSLITERATE = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "TH",
    }
)


def slugify(text: str, limit: int = 60) -> str:
    """A file-name-safe slug: ASCII letters, digits and hyphens only, never empty."""
    ascii_text = (
        unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "client"


def brief_stem(scenario: HasClient, as_of: dt.date) -> str:
    """A brief's file name without its suffix: the client's slug and the brief's date."""
    return f"{slugify(scenario.client)}-{as_of.isoformat()}"
