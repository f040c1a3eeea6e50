"""Checks of one field that the input loaders share, so each rule is written once: what counts
as a number, as text a document can hold, and as a list of cited source ids. Each reports a
problem through the loader's ``fail(where, message, value)`` and returns what is usable."""

from __future__ import annotations

import math

from pilotfunnel.core.text import text_problem
from pilotfunnel.inputs.sources.load import SourceTable


def is_number(value: object) -> bool:
    """A real, finite number: not a bool, not NaN, not infinite (YAML's .nan, .inf)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return isinstance(value, int) or math.isfinite(value)


def text_field(value: object, where: str, limit: int, fail, multiline: bool = False) -> str | None:
    """``value`` as text for the brief, the charts and the deck; None and a problem if it
    cannot be: not text, too long, or holding control characters (see core.text.text_problem)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        fail(where, "must be text", value)  # str() of a huge int is slow, or raises past 4,300
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)  # a label such as 2025 is text to the reader
    if not isinstance(value, str):
        fail(where, "must be text", value)
        return None
    problem = text_problem(value, limit, multiline)
    if problem is not None:
        fail(where, problem)
        return None
    return value


def source_ids(raw: object, where: str, sources: SourceTable, fail) -> tuple[str, ...]:
    """A list of source ids, each in the sources table; a problem for each that is not."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        fail(where, "must be a list of source ids", raw)
        return ()
    ids = []
    for source_id in raw:
        if not isinstance(source_id, str) or source_id not in sources:
            fail(where, "names a source id that is not in sources.csv", source_id)
        else:
            ids.append(source_id)
    return tuple(ids)
