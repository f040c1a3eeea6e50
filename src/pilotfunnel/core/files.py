"""Reading inputs (regular files only, within a size; YAML without aliases) with errors that
name the file. Writing is core.write; text bound for documents, core.text."""

from __future__ import annotations

import difflib
import errno
import inspect
import os
from pathlib import Path

import yaml

from pilotfunnel.core.errors import InputError, Problem, display_path, one_line, shown_key
from pilotfunnel.core.fileinfo import not_regular_kind, size_text

__all__ = [
    "MAX_NUMBER_CHARS",
    "MAX_UNKNOWN_KEYS",
    "MAX_YAML_BYTES",
    "read_input_bytes",
    "read_yaml_mapping",
    "unknown_key_problems",
]

# libyaml's loader when PyYAML was built with it: the same safe subset, ten times faster.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The largest input file the kit reads: a scenario, brand or assumptions file is a few KB, so
# 1 MiB is far above any real one and far below what could hurt to read.
MAX_YAML_BYTES = 1 << 20
# The longest number a YAML file may spell: PyYAML turns a long one into an int digit by digit
# (a 300 KB sexagesimal "59:59:..." took 2.2 s, and the time grows with the square of the
# length) or raises past Python's 4,300-digit limit.
MAX_NUMBER_CHARS = 64


def read_input_bytes(path: str | Path, limit: int, error: type[InputError] = InputError) -> bytes:
    """The bytes of the input file ``path``: a regular file of at most ``limit`` bytes.

    Anything else is ``error`` naming the file: missing, a symlink loop, a folder, a FIFO or a
    device (never opened for reading: a FIFO would block, a device can be endless), or larger
    than ``limit`` (refused before it is read). The file is opened without blocking and checked
    again once open, so a file swapped for a FIFO after the first check cannot hang the read.
    """
    path = Path(path)

    def refuse(message: str) -> InputError:
        # The name only on failure: display_path resolves the path, a third of a read's time.
        return error(problems=[Problem(display_path(path), "", message)])

    try:
        kind = not_regular_kind(os.stat(path).st_mode)
        if kind is not None:
            raise refuse(f"is {kind}, not a regular file; only regular files are read")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise refuse("does not exist") from None
    except OSError as exc:
        raise refuse(_unreadable(exc)) from None
    except ValueError:  # a NUL byte in the name
        raise refuse("is not a file name the system accepts") from None
    too_big = f"is larger than {size_text(limit)}, the most the kit reads from such a file"
    try:
        info = os.fstat(fd)
        kind = not_regular_kind(info.st_mode)
        if kind is not None:
            raise refuse(f"is {kind}, not a regular file; only regular files are read")
        if info.st_size > limit:
            raise refuse(f"{too_big} ({info.st_size:,} bytes)")
        chunks, size = [], 0
        while size <= limit:  # the file may have grown since the fstat: read to the limit
            chunk = os.read(fd, max(info.st_size - size, 0) + 1 if not chunks else 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise refuse(_unreadable(exc)) from None
    finally:
        os.close(fd)
    if size > limit:
        raise refuse(too_big)
    return b"".join(chunks)


def _unreadable(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symbolic link loop"
    return f"cannot be read: {exc.strerror or type(exc).__name__}"


class _BoundedLoader(_SAFE_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader, refusing numbers too long to be numbers a person typed, and turning a
    scalar its constructor cannot build into a YAML error at its line.

    PyYAML's own scalar constructors raise plain Python errors for some input they matched:
    ``2025-02-30`` (ValueError, day out of range), ``!!int abc`` (ValueError), ``!!bool
    maybe`` (KeyError), ``!!timestamp x`` (AttributeError). Those are the file's fault.
    """


_CONSTRUCTION_ERRORS = (ValueError, KeyError, AttributeError, TypeError, OverflowError)


def _guarded(tag: str, construct):
    number = tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")

    def constructor(loader, node):
        if number and isinstance(node.value, str) and len(node.value) > MAX_NUMBER_CHARS:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"found a number of more than {MAX_NUMBER_CHARS} characters",
                node.start_mark,
            )
        try:
            return construct(loader, node)
        except _CONSTRUCTION_ERRORS as exc:
            what = tag.rsplit(":", 1)[-1]
            reason = one_line(str(exc) or type(exc).__name__, 60)
            raise yaml.constructor.ConstructorError(
                None, None, f"found a value that is not a valid {what} ({reason})", node.start_mark
            ) from None

    return constructor


for _tag, _construct in list(yaml.constructor.SafeConstructor.yaml_constructors.items()):
    # Mappings and sequences are built by generators, whose errors come later and are
    # YAML errors already (an unhashable key); scalars are built at once, and guarded here.
    if _tag is not None and not inspect.isgeneratorfunction(_construct):
        _BoundedLoader.add_constructor(_tag, _guarded(_tag, _construct))


def read_yaml_mapping(
    path: str | Path, error: type[InputError], limit: int = MAX_YAML_BYTES
) -> dict:
    """Parse a YAML file whose top level must be a mapping; raise ``error`` naming the file.

    Refused, each as one line naming the file: what ``read_input_bytes`` refuses (a file over
    ``limit``, not a regular file), text that is not UTF-8, YAML anchors and aliases (a
    500-byte "billion laughs" alias bomb expands to gigabytes once a value is walked; no input
    of the kit needs them), numbers longer than ``MAX_NUMBER_CHARS``, scalars PyYAML cannot
    build (a 30 February), and invalid YAML.
    """
    path = Path(path)
    raw = read_input_bytes(path, limit, error)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start + 1}"
        raise error(problems=[Problem(display_path(path), where, "is not UTF-8 text")]) from None
    if not text.strip():
        raise error(problems=[Problem(display_path(path), "", "is empty")])
    try:
        _refuse_anchors(text, path, error)
        data = yaml.load(text, Loader=_BoundedLoader)
    except yaml.YAMLError as exc:
        raise error(problems=[_yaml_problem(display_path(path), exc)]) from None
    except RecursionError:  # only the pure-Python loader recurses without a nesting limit
        message = "is nested too deeply to be read"
        raise error(problems=[Problem(display_path(path), "", message)]) from None
    except _CONSTRUCTION_ERRORS as exc:  # from a constructor not guarded above
        reason = one_line(str(exc) or type(exc).__name__, 60)
        message = f"is not valid YAML: a value cannot be read ({reason})"
        raise error(problems=[Problem(display_path(path), "", message)]) from None
    if not isinstance(data, dict):
        message = "must be a YAML mapping of keys to values"
        raise error(problems=[Problem(display_path(path), "", message, type(data).__name__)])
    return data


def _refuse_anchors(text: str, path: Path, error: type[InputError]) -> None:
    """Raise ``error`` at the first YAML anchor or alias, from parser events: before any
    object is built. Text without '&' or '*' has neither, and skips the extra pass."""
    if "&" not in text and "*" not in text:
        return
    for event in yaml.parse(text, Loader=_SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            mark = event.start_mark
            raise error(
                problems=[
                    Problem(
                        display_path(path),
                        f"line {mark.line + 1}, column {mark.column + 1}",
                        "uses a YAML anchor or alias (&name or *name); write each value out "
                        "in full: anchors and aliases are not allowed",
                    )
                ]
            )


def _yaml_problem(name: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    reason = getattr(exc, "problem", None) or getattr(exc, "reason", None) or ""
    if isinstance(exc, yaml.reader.ReaderError):
        where = f"character {exc.position + 1}"
    # The parser's reason can quote the input (a tag, a character): cut like any value.
    reason = one_line(reason, 100)
    return Problem(name, where, f"is not valid YAML: {reason}" if reason else "is not valid YAML")


def unknown_key_problems(
    name: str, prefix: str, found: dict, allowed: tuple[str, ...] | set[str]
) -> list[Problem]:
    """A problem for each key not in ``allowed``, with a 'did you mean' hint where one fits."""
    problems = []
    for key in found:
        if isinstance(key, str) and key in allowed:
            continue
        # A key is the input's text: shown cut and escaped, and only short keys are compared.
        shown = shown_key(key)
        guess = difflib.get_close_matches(shown, list(allowed), n=1, cutoff=0.6)
        hint = f"; did you mean '{guess[0]}'?" if guess else f"; allowed: {', '.join(allowed)}"
        where = f"{prefix}.{shown}" if prefix else shown
        problems.append(
            Problem(name, f"field '{where}'", f"is not a known key{hint}", column=where)
        )
        if len(problems) > MAX_UNKNOWN_KEYS:
            break  # a file of a million keys gets a few lines, not a million
    return problems


MAX_UNKNOWN_KEYS = 20
