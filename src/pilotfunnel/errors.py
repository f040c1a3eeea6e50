"""One base exception and specific subclasses, each able to carry many problems.

A problem names the file, the place in it (row and column, or a dotted field), the value
found and what is allowed, so that a user can fix the input without reading code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in one input file."""

    file: str
    where: str
    message: str
    value: object = None
    severity: str = "error"  # "error" or "warning"
    # Where exactly, for a view to put the problem beside its cell or field without reading the
    # message: a table's row number and row id, and the column (a file's dotted key).
    row: int | None = None
    row_id: str = ""
    column: str = ""

    def __str__(self) -> str:
        place = f"{self.file}: {self.where}" if self.where else self.file
        shown = "" if self.value is None else f" (got {_show(self.value)})"
        return f"{place}: {self.message}{shown}"


class Problems(list):
    """The problems found in one file, collected while it is validated."""

    def __init__(self, file: str) -> None:
        super().__init__()
        self.file = file

    def field(self, where: str, message: str, value: object = None) -> None:
        """Note a problem with the field ``where`` (a dotted key such as ``costs.per_poc``)."""
        self.append(Problem(self.file, f"field '{where}'", message, value, column=where))


def _show(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def display_path(path: str | Path) -> str:
    """A path as a user typed it or, for absolute paths under the cwd, relative to it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class PilotfunnelError(Exception):
    """Base of every error the kit raises on purpose; the CLI turns these into exit codes."""

    exit_code = 1

    def __init__(self, message: str | None = None, problems: Iterable[Problem] = ()) -> None:
        self.problems = [p for p in problems if p.severity == "error"]
        self.warnings = [p for p in problems if p.severity == "warning"]
        if message is None:
            message = "\n".join(str(p) for p in self.problems) or "invalid input"
        super().__init__(message)


class InputError(PilotfunnelError):
    """An input file is missing, unreadable or invalid (exit code 2)."""

    exit_code = 2


class SourceError(InputError):
    """data/sources.csv (or another sources table) is invalid."""


class AssumptionError(InputError):
    """data/assumptions.yaml is invalid or cites an unknown source."""


class ScenarioError(InputError):
    """A client scenario file is invalid."""


class BrandError(InputError):
    """The brand file is invalid."""


class ExportError(PilotfunnelError):
    """A brief could not be executed or rendered."""

    def __init__(self, message: str, section: str | None = None) -> None:
        self.section = section
        super().__init__(message)


class BatchError(PilotfunnelError):
    """A batch of briefs cannot run (its output folder is locked by another run, say)."""
