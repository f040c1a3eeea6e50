"""What a path is, in words for a message: a regular file, a folder, a FIFO, a device; how
big, in words; and which names are one file. Shared by the readers (core.files) and the
writers (core.write), which refuse anything but regular files."""

from __future__ import annotations

import os
import stat
from pathlib import Path


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
