"""Writing outputs: atomic writes of regular files only, and the checks an output path passes
before any work (a folder that can be made, a file that is not one of the run's inputs)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from pilotfunnel.core.errors import InputError, Problem, display_path
from pilotfunnel.core.fileinfo import file_identity, special_file_kind


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
