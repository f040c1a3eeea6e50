"""The brief notebook's cells, for either runner: the run's parameters injected, and the
section a cell renders named, so that a failure is one line a consultant can act on.

Follows papermill's convention: the cell tagged ``parameters`` holds defaults, and a cell
tagged ``injected-parameters`` is inserted after it with the run's values. A brief's cells are
tagged ``section:NAME``.
"""

from __future__ import annotations

import copy
import re

import nbformat

from pilotfunnel.core.errors import ExportError

SECTION_TAG = "section:"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def parameterize(nb: nbformat.NotebookNode, parameters: dict) -> nbformat.NotebookNode:
    """A copy of ``nb`` with a cell assigning ``parameters`` after the parameters cell."""
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if "injected-parameters" not in _tags(c)]
    lines = ["# Parameters injected by pilotfunnel"]
    lines += [f"{name} = {value!r}" for name, value in parameters.items()]
    injected = nbformat.v4.new_code_cell("\n".join(lines))
    injected.metadata["tags"] = ["injected-parameters"]
    at = next((i + 1 for i, c in enumerate(nb.cells) if "parameters" in _tags(c)), 0)
    nb.cells.insert(at, injected)
    return nb


def section_of(cell) -> str:
    """The brief section a cell renders (its ``section:NAME`` tag), or a description."""
    for tag in _tags(cell):
        if tag.startswith(SECTION_TAG):
            return tag[len(SECTION_TAG) :]
    first = (cell.source.strip().splitlines() or ["(empty cell)"])[0]
    return f"cell '{first[:60]}'"


def section_failed(cell, error_name: str, message: object) -> ExportError:
    """The one-line error for a cell that raised: its section, the error's name and message."""
    section = section_of(cell)
    text = _ANSI.sub("", str(message).strip())
    return ExportError(f"section {section} failed: {error_name}: {text}", section)


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))
