"""Child processes that end with their owner: a server, its kernels, and whatever they started."""

from __future__ import annotations

import contextlib
import signal
import subprocess
from collections.abc import Iterator

import psutil

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def stop_tree(pid: int, grace: float = 5.0) -> list[int]:
    """Stop a process and every process below it: SIGTERM, then SIGKILL after ``grace`` s.

    The tree is read before anything is signalled, so a kernel that its server orphans on the
    way out is still found. Returns the pids that had to be killed.
    """
    try:
        root = psutil.Process(pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []
    for process in tree:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.terminate()
    _, alive = psutil.wait_procs(tree, timeout=grace)
    for process in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
    psutil.wait_procs(alive, timeout=grace)
    return [process.pid for process in alive]


class _Stopped(Exception):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def run_until_stopped(command: list[str], **popen_args) -> int:
    """Run ``command`` until it exits or this process gets SIGTERM, SIGINT or SIGHUP.

    The child runs in its own session, so a signal reaches it only through here; on any way
    out, it and everything it started (a Voila server's kernels, say) are stopped. Returns the
    child's exit code, 0 after Ctrl-C, or 128 + the signal's number.
    """

    def stop(signum: int, _frame) -> None:
        raise _Stopped(signum)

    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    child = None
    try:
        child = subprocess.Popen(command, start_new_session=True, **popen_args)
        return child.wait()
    except _Stopped as stopped:
        return 0 if stopped.signum == signal.SIGINT else 128 + stopped.signum
    finally:
        with _signals_ignored():
            if child is not None:
                stop_tree(child.pid)
                child.wait()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def _signals_ignored() -> Iterator[None]:
    # A second Ctrl-C while the tree is being stopped must not leave half of it running.
    previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
