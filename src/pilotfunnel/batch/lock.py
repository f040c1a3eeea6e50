"""The output folder's lock: one ``pilotfunnel briefs`` run writes to a folder at a time."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from pilotfunnel.core.errors import BatchError, InputError, Problem, display_path
from pilotfunnel.core.fileinfo import special_file_kind

LOCK = ".pilotfunnel.lock"


@contextlib.contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold the output folder's lock, or raise BatchError at once if another run holds it.

    A second run fails fast rather than waiting: the first may take many minutes, and a user
    who started two by mistake learns it immediately.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK
    handle = _open_lock(path)
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise BatchError(
                f"another `pilotfunnel briefs` run (pid {holder}) is writing to "
                f"{display_path(out_dir)}; wait for it to finish, or use another --out"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock


def _open_lock(path: Path) -> io.TextIOWrapper:
    """The lock file, opened for reading and writing; an InputError unless it is a regular
    file. Opened without following a symlink and without blocking: a FIFO put there would
    hang the batch, and a link would have it truncate some other file."""

    def refused(what: str) -> InputError:
        message = f"{what}; the batch's lock file must be a regular file"
        return InputError(problems=[Problem(display_path(path), "", message)])

    kind = special_file_kind(path)
    if kind is not None:
        raise refused(f"is {kind}")
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as exc:
        if path.is_symlink():
            raise refused("is a symlink") from None
        raise refused(f"cannot be opened: {exc.strerror or type(exc).__name__}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise refused("is not a regular file")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "a+", encoding="utf-8")
