"""One base exception and specific subclasses, each able to carry many problems.

A problem names the file, the place in it (row and column, or a dotted field), the value
found and what is allowed, so that a user can fix the input without reading code.
"""

from __future__ import annotations

import reprlib
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
        # One line, whatever the input held: the file and the place are escaped and cut too,
        # since both can come from the input (a file name in a folder, a key, a column heading).
        file = one_line(self.file, MAX_FILE_CHARS, keep_end=True)
        place = f"{file}: {one_line(self.where, MAX_WHERE_CHARS)}" if self.where else file
        return f"{place}: {one_line(self.message, MAX_MESSAGE_CHARS)}{self.got}"

    @property
    def got(self) -> str:
        """`` (got VALUE)`` with the value cut to 80 characters, or nothing without a value."""
        return "" if self.value is None else f" (got {shown(self.value)})"


class Problems(list):
    """The problems found in one file, collected while it is validated."""

    def __init__(self, file: str) -> None:
        super().__init__()
        self.file = file

    def field(self, where: str, message: str, value: object = None) -> None:
        """Note a problem with the field ``where`` (a dotted key such as ``costs.per_poc``)."""
        self.append(Problem(self.file, f"field '{where}'", message, value, column=where))


# The most of any value an error shows, and the most of a file name, a place and a message.
MAX_VALUE_CHARS = 80
MAX_FILE_CHARS = 120
MAX_WHERE_CHARS = 100
MAX_MESSAGE_CHARS = 240
# The most problems an error's text lists; the rest are counted (``.problems`` keeps them all).
MAX_LISTED_PROBLEMS = 50


class _ShortRepr(reprlib.Repr):
    """reprlib's bounded repr, safe for anything YAML or a notebook can hold.

    reprlib stops at a depth and a length, so a nested or aliased value (a "billion laughs"
    list) is never turned whole into text; its int repr would still spell out a huge number, or
    raise past Python's 4,300-digit limit, so a long number is described instead.
    """

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 2
        self.maxlist = self.maxtuple = self.maxset = self.maxfrozenset = self.maxdeque = 4
        self.maxdict = 4
        self.maxstring = self.maxother = MAX_VALUE_CHARS
        self.maxlong = 40

    def repr_int(self, x: int, level: int) -> str:
        return _number_text(x)


_SHORT = _ShortRepr()


def _number_text(value: int) -> str:
    if value.bit_length() <= 128:
        return str(value)
    digits = int(value.bit_length() * 0.30103) + 1  # log10(2): about right, and never slow
    return f"a whole number of about {digits:,} digits"


def shown(value: object, limit: int = MAX_VALUE_CHARS) -> str:
    """``value`` as an error shows it: on one line, at most ``limit`` characters, and built
    without ever turning the whole value into text (text in quotes, as Python writes it)."""
    if isinstance(value, str):
        text = repr(value[: limit + 1])  # repr escapes control and bidi characters
    elif isinstance(value, bool) or value is None or isinstance(value, float):
        text = repr(value)
    elif isinstance(value, int):
        text = _number_text(value)
    else:
        try:
            text = _SHORT.repr(value)
        except Exception:  # a value whose repr fails: say what it is, never raise from an error
            text = f"a {type(value).__name__}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def shown_key(key: object, limit: int = 40) -> str:
    """A key (a field name or a column heading from the input) for a place in a message:
    text unquoted, escaped and cut to ``limit``; any other key as ``shown`` writes it."""
    if isinstance(key, str):
        return one_line(key, limit)
    return shown(key, limit)


def one_line(text: str, limit: int, keep_end: bool = False) -> str:
    """``text`` on one line (control characters escaped) and at most ``limit`` characters;
    ``keep_end`` cuts in the middle, so a long path keeps its file name."""
    text = str(text)
    if len(text) > 4 * limit:  # never escape more than is shown
        text = text[: 2 * limit] + "..." + text[-2 * limit :] if keep_end else text[: 2 * limit]
    if not text.isprintable():
        text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    if len(text) <= limit:
        return text
    if keep_end:
        half = (limit - 3) // 2
        return text[:half] + "..." + text[-(limit - 3 - half) :]
    return text[: limit - 3] + "..."


def display_path(path: str | Path) -> str:
    """A path as a user typed it or, for absolute paths under the cwd, relative to it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # outside the cwd, a NUL byte, a symlink loop
        return str(path)


def _listed(problems: list[Problem]) -> str:
    """One line per problem, the first ``MAX_LISTED_PROBLEMS`` of them and a count of the rest."""
    lines = [str(p) for p in problems[:MAX_LISTED_PROBLEMS]]
    if len(problems) > MAX_LISTED_PROBLEMS:
        lines.append(f"... and {len(problems) - MAX_LISTED_PROBLEMS:,} more problems")
    return "\n".join(lines)


class PilotfunnelError(Exception):
    """Base of every error the kit raises on purpose; the CLI turns these into exit codes."""

    exit_code = 1

    def __init__(self, message: str | None = None, problems: Iterable[Problem] = ()) -> None:
        self.problems = [p for p in problems if p.severity == "error"]
        self.warnings = [p for p in problems if p.severity == "warning"]
        if message is None:
            message = _listed(self.problems) or "invalid input"
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


class ProjectNotFound(InputError):
    """No project where the kit looked: outside any, or --project / PILOTFUNNEL_HOME names a
    folder that is not one (exit code 2)."""


class ProjectFileError(InputError):
    """A project's pilotfunnel.yml is invalid."""


class RubricError(InputError):
    """The readiness rubric (data/rubric.yaml) is invalid."""


class JobError(InputError):
    """A job file (data/jobs/*.yaml), or one of its rubric answers, is invalid."""


class ExportError(PilotfunnelError):
    """A brief could not be executed or rendered."""

    def __init__(self, message: str, section: str | None = None) -> None:
        self.section = section
        super().__init__(message)


class BatchError(PilotfunnelError):
    """A batch of briefs cannot run (its output folder is locked by another run, say)."""
