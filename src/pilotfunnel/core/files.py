"""Reading inputs (regular files only, within a size; YAML without aliases) with errors that
name the file, checking text bound for documents, and writing files atomically."""

from __future__ import annotations

import difflib
import errno
import inspect
import os
import re
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

import yaml

from pilotfunnel.core.errors import InputError, Problem, display_path, one_line, shown_key

# libyaml's loader when PyYAML was built with it: the same safe subset, ten times faster.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The largest input file the kit reads: a scenario, brand or assumptions file is a few KB, so
# 1 MiB is far above any real one and far below what could hurt to read.
MAX_YAML_BYTES = 1 << 20
# The longest number a YAML file may spell: PyYAML turns a long one into an int digit by digit
# (a 300 KB sexagesimal "59:59:..." took 2.2 s, and the time grows with the square of the
# length) or raises past Python's 4,300-digit limit.
MAX_NUMBER_CHARS = 64


def size_text(size: int) -> str:
    """A byte count in words for a message: '1 MiB', '4 MiB', '512 KiB'."""
    if size >= 1 << 20 and size % (1 << 20) == 0:
        return f"{size >> 20} MiB"
    if size >= 1 << 10 and size % (1 << 10) == 0:
        return f"{size >> 10} KiB"
    return f"{size:,} bytes"


# What os.stat's mode says a file that is not a regular file is, for a message.
_NOT_REGULAR = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def not_regular_kind(mode: int) -> str | None:
    """What a file of this mode is, in words, when it is not a regular file; None when it is."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _NOT_REGULAR if test(mode)), "a special file")


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

# Characters no text bound for a document may hold: C0 controls but tab and line feed, DEL and
# the C1 controls (XML 1.0, and so xlsx and pptx, refuses most of them; the rest are invisible),
# lone surrogates (not encodable as UTF-8), U+FFFE and U+FFFF (not XML characters), and the
# bidirectional embeddings, overrides and isolates, which reorder what a reader sees ("Trojan
# Source", CVE-2021-42574). Marks such as U+200F, which right-to-left names use, are allowed.
_NOT_TEXT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)
_LINE_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")


def text_problem(text: str, limit: int, multiline: bool = False) -> str | None:
    """Why ``text`` cannot go into a document (HTML, PDF, xlsx, pptx), or None when it can:
    longer than ``limit`` characters, a character from ``_NOT_TEXT`` or, unless ``multiline``,
    a line break. The message names the character and where it is, never the text."""
    if len(text) > limit:
        return f"must be at most {limit:,} characters (it has {len(text):,})"
    found = _NOT_TEXT.search(text)
    if found is None and not multiline:
        found = _LINE_BREAKS.search(text)
    if found is None:
        return None
    char = found.group()
    code = ord(char)
    if not multiline and _LINE_BREAKS.match(char):
        what = "a line break; this field is one line"
    elif 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        what = "a bidirectional override, which can make text read differently from what it is"
    elif 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
        what = "a code point that is not a character"
    else:
        what = "a control character; only tab and line feed are allowed"
    return f"holds U+{code:04X} at character {found.start() + 1}: {what}"


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place.

    The file gets ordinary permissions (0644 under a umask of 022): mkstemp's 0600 would make
    an export shared on a team drive unreadable to everyone but its author. Only a regular file
    (or nothing) is replaced: os.replace would as readily swap out a FIFO, a device file or a
    socket that someone put, or linked, where an output goes, and that is not the kit's to
    remove. (Checked just before the rename; a special file made in between is not caught.)
    """
    path = Path(path)
    _refuse_to_replace(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(problems=[_not_a_folder(path.parent, exc)]) from None
    fd, tmp = _create_temporary_beside(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _refuse_to_replace(path)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _refuse_to_replace(path: Path) -> None:
    """Raise InputError naming ``path`` when what is there is not a regular file the kit may
    replace: a folder, a FIFO, a device, a socket, or a symlink to one of those."""
    kind = special_file_kind(path)
    if kind is None and path.is_dir():
        kind = "a folder"
    if kind is not None:
        raise InputError(
            problems=[
                Problem(
                    display_path(path),
                    "",
                    f"is {kind}; the kit replaces only regular files, so nothing was written",
                )
            ]
        )


def _not_a_folder(folder: Path, exc: OSError) -> Problem:
    """The problem with a folder that could not be made: the nearest part of its path that is
    something else, or the system's reason."""
    blocker = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        kind = special_file_kind(blocker) or "a file"
        return Problem(display_path(blocker), "", f"is {kind}, not a folder")
    return Problem(display_path(folder), "", f"cannot be created: {exc.strerror or exc}")


def _create_temporary_beside(path: Path) -> tuple[int, Path]:
    # os.open with mode 0o666 lets the kernel apply the umask, as open() does for any file.
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue


def atomic_write_text(path: str | Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def special_file_kind(path: str | Path) -> str | None:
    """What ``path`` is, in words, when it is neither a regular file nor a folder (a FIFO, a
    device, a socket, or a symlink to one); None when it is one of those two, or missing.

    A dangling symlink or a symlink loop is None too: writing there replaces the link itself,
    which points at nothing, and harms nothing.
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    kind = None if stat.S_ISDIR(mode) else not_regular_kind(mode)
    if kind is None:
        return None
    return f"a symlink to {kind}" if os.path.islink(path) else kind


def output_folder(path: str | Path, option: str = "--out") -> Path:
    """``path`` if it is a folder or can be made one; an error naming it otherwise.

    Nothing is created here: a command that fails later (an invalid scenario, say) must leave
    no empty folder behind. The writers create the folder when they write into it.
    """
    path = Path(path)

    def cannot(message: str) -> InputError:
        return InputError(problems=[Problem(option, "", message)])

    if path.exists() and not path.is_dir():
        kind = special_file_kind(path) or "a file"
        raise cannot(f"{display_path(path)} is {kind}, not a folder")
    existing = next(p for p in (path, *path.parents) if p.exists() or p == p.parent)
    if not existing.is_dir():
        kind = special_file_kind(existing) or "a file"
        raise cannot(
            f"the folder {display_path(path)} cannot be created: {display_path(existing)} is {kind}"
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise cannot(f"the folder {display_path(path)} cannot be created: permission denied")
    return path


def output_file(path: str | Path, option: str = "--out", inputs: Iterable[str | Path] = ()) -> Path:
    """The file ``path`` to write, checked before any work; an error naming it when it cannot
    be written, or must not be.

    Refused: a folder; anything but a regular file (a FIFO, a device, a socket, a symlink to
    one), which the kit's atomic rename would replace; and any of ``inputs``, the files this
    run reads (a scenario, the sources table), under whatever name or link it is given.
    Nothing is created (see ``output_folder``).
    """
    path = Path(path)
    shown = display_path(path)

    def cannot(message: str) -> InputError:
        return InputError(problems=[Problem(option, "", message)])

    if path.is_dir():
        raise cannot(f"{shown} is a folder; give a file name")
    kind = special_file_kind(path)
    if kind is not None:
        raise cannot(f"{shown} is {kind}; the kit writes only regular files")
    target = file_identity(path)
    for source in inputs:
        if target & file_identity(Path(source)):
            raise cannot(
                f"{shown} is an input of this run ({display_path(source)}); give another file name"
            )
    output_folder(path.parent, option)
    return path


def file_identity(path: Path) -> set:
    """What makes two names one file: the real path, and the inode when the file exists (a
    hard link has another path but the same inode)."""
    found: set = set()
    try:
        found.add(str(path.resolve()))
        info = path.stat()
        found.add((info.st_dev, info.st_ino))
    except (OSError, RuntimeError, ValueError):  # missing, or a symlink loop: its path is enough
        pass
    return found


# Cells a spreadsheet would run as a formula (OWASP, "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text cell that Excel or LibreOffice shows as text, never runs; numbers as they are.

    Text starting with = + - @, a tab or a carriage return gets a leading apostrophe, as OWASP
    advises; the apostrophe is what a spreadsheet user types to force text.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
