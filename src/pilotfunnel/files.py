"""Reading YAML with errors that name the file, and writing files atomically."""

from __future__ import annotations

import difflib
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

import yaml

from .errors import InputError, Problem, display_path

# libyaml's loader when PyYAML was built with it: the same safe subset, ten times faster.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml_mapping(path: str | Path, error: type[InputError]) -> dict:
    """Parse a YAML file whose top level must be a mapping; raise ``error`` naming the file."""
    path = Path(path)
    name = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error(problems=[Problem(name, "", "does not exist")]) from None
    except UnicodeDecodeError:
        raise error(problems=[Problem(name, "", "is not UTF-8 text")]) from None
    except OSError as exc:
        raise error(problems=[Problem(name, "", f"cannot be read: {exc.strerror}")]) from None
    if not text.strip():
        raise error(problems=[Problem(name, "", "is empty")])
    try:
        data = yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or "is not valid YAML"
        raise error(problems=[Problem(name, where, f"is not valid YAML: {reason}")]) from None
    if not isinstance(data, dict):
        raise error(
            problems=[
                Problem(name, "", "must be a YAML mapping of keys to values", type(data).__name__)
            ]
        )
    return data


def unknown_key_problems(
    name: str, prefix: str, found: dict, allowed: tuple[str, ...] | set[str]
) -> list[Problem]:
    """A problem for each key not in ``allowed``, with a 'did you mean' hint where one fits."""
    problems = []
    for key in found:
        if key in allowed:
            continue
        guess = difflib.get_close_matches(str(key), list(allowed), n=1, cutoff=0.6)
        hint = f"; did you mean '{guess[0]}'?" if guess else f"; allowed: {', '.join(allowed)}"
        where = f"{prefix}.{key}" if prefix else str(key)
        problems.append(
            Problem(name, f"field '{where}'", f"is not a known key{hint}", column=where)
        )
    return problems


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


# What os.stat's mode says a special file is, in words for an error message.
_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


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
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = next((name for test, name in _SPECIAL_KINDS if test(mode)), "a special file")
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
