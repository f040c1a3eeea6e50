"""Run jobs on worker processes: a timeout per job, and dead or hung workers replaced.

Generic: it knows jobs, results, timeouts and pools, nothing about briefs. With no executor
it owns process pools and replaces them after a crash or a timeout; a given executor (a Dask
cluster's) is used as it is, and the cluster replaces dead workers itself.

A worker that dies takes its pool down with it, and a process pool cannot say which job was
running in the dead process; so every job in flight is retried alone, and one that kills its
worker when alone is the one that failed.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from pilotfunnel.core.errors import InputError

RECYCLE_AFTER = 100  # jobs per worker process before it is replaced (about 3 s to warm up)


@dataclass(frozen=True)
class Failure:
    """Why the scheduler, not the job itself, could not finish a job."""

    kind: str  # "died", "timeout" or "executor"
    detail: str = ""  # the executor's own error, for "executor"


EXIT_PARENT_GONE = 70  # a worker's exit status when it stops because its batch is gone


class _Pool(ProcessPoolExecutor):
    """A process pool whose workers exit as soon as the process that made the pool is gone.

    The pool holds the only write end of a pipe; each worker watches the read end, and EOF
    means the parent died, however it died (SIGKILL and the OOM killer run no clean-up).
    Without it, a worker waits forever on its job queue (it holds that pipe's write end
    itself), and multiprocessing's fork server, which exits when the last holder of its
    "alive" pipe does, waits with it: both were found running 16 minutes after a killed batch.
    The fork server is the workers' parent, not the batch, so PR_SET_PDEATHSIG cannot say it.
    """

    def __init__(self, workers: int, context, **options) -> None:
        reader, self._parent_alive = context.Pipe(duplex=False)
        super().__init__(
            workers, context, initializer=_exit_with_parent, initargs=(reader,), **options
        )
        self._watched = reader  # kept until shutdown: each new worker is sent a copy

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait=wait, cancel_futures=cancel_futures)
        if wait:  # the workers are gone; a late one would see EOF and leave too
            self._parent_alive.close()
            self._watched.close()


def _exit_with_parent(parent_alive) -> None:
    """In a worker: exit at once when the batch that started it is gone (see ``_Pool``)."""

    def watch() -> None:
        with contextlib.suppress(EOFError, OSError):
            while True:
                parent_alive.recv_bytes()  # nothing is ever sent; only EOF ends the wait
        os._exit(EXIT_PARENT_GONE)  # no clean-up can help a batch that is gone

    threading.Thread(target=watch, name="pilotfunnel-parent-watch", daemon=True).start()


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of workers that end with their batch; a fork server starts them cheaply and
    cleanly on Linux."""
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if sys.version_info >= (3, 11):
        # A fresh worker now and then bounds whatever the libraries cache per process.
        return _Pool(workers, context, max_tasks_per_child=RECYCLE_AFTER)
    return _Pool(workers, context)


def _kill(executor: Executor) -> None:
    """Stop a process pool now, killing its workers (a hung job never returns by itself)."""
    # ProcessPoolExecutor has no public way to kill its workers; _processes is the only handle.
    processes = list((getattr(executor, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(Exception):
            process.kill()
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(5)


def run_jobs(
    function: Callable[[Any], Any],
    jobs: Sequence[Any],
    on_result: Callable[[Any, Any], None],
    on_failure: Callable[[Any, Failure], None],
    *,
    workers: int,
    timeout: float,
    executor: Executor | None = None,
) -> None:
    """Run ``function(job)`` for every job on ``workers`` workers; each job fails alone.

    ``on_result(job, result)`` gets what the function returned; ``on_failure(job, failure)``
    gets a job whose worker died, that ran past ``timeout`` seconds, or that the executor lost.
    """
    owned = executor is None
    pool: Executor = process_pool(workers) if owned else executor
    pending = deque(jobs)
    suspects: deque = deque()  # in flight when a worker died: retried one at a time
    running: dict[Future, tuple[Any, float, bool]] = {}  # -> job, deadline, alone

    def replace_pool() -> None:
        nonlocal pool
        if owned:
            _kill(pool)
            pool = process_pool(workers)

    def submit(job, alone: bool) -> bool:
        try:
            future = pool.submit(function, job)
        except BrokenProcessPool:
            # A worker died after the last look at the results: keep the job, and let the
            # loop read the broken futures (or replace the pool) before submitting again.
            (suspects if alone else pending).appendleft(job)
            return False
        running[future] = (job, time.monotonic() + timeout, alone)
        return True

    try:
        while pending or suspects or running:
            if suspects:
                if not running:
                    submit(suspects.popleft(), alone=True)
            else:
                while pending and len(running) < workers:
                    if not submit(pending.popleft(), alone=False):
                        break
            if not running:  # nothing could be submitted: the pool is broken
                replace_pool()
                continue
            next_deadline = min(deadline for _, deadline, _ in running.values())
            done, _ = wait(
                list(running),
                timeout=max(0.0, next_deadline - time.monotonic()),
                return_when=FIRST_COMPLETED,
            )
            broken = False
            for future in done:
                job, _, alone = running.pop(future)
                try:
                    on_result(job, future.result())
                except BrokenProcessPool:
                    broken = True
                    if alone:
                        on_failure(job, Failure("died"))
                    else:
                        suspects.append(job)
                except Exception as exc:  # the executor's own failure (a lost Dask worker)
                    on_failure(job, Failure("executor", f"{type(exc).__name__}: {exc}"))
            if broken:
                for job, _, _ in running.values():
                    suspects.append(job)  # their worker pool is gone; their work was not done
                running.clear()
                replace_pool()
                continue
            now = time.monotonic()
            late = [f for f, (_, deadline, _) in running.items() if deadline <= now]
            if late:
                for future in late:
                    job, _, _ = running.pop(future)
                    future.cancel()
                    on_failure(job, Failure("timeout"))
                if owned:
                    # Killing the hung worker kills its pool: the others start again.
                    for job, _, alone in running.values():
                        (suspects if alone else pending).appendleft(job)
                    running.clear()
                    replace_pool()
    finally:
        if owned:
            if running:
                _kill(pool)
            else:
                pool.shutdown(wait=True)


@contextlib.contextmanager
def dask_executor(address: str) -> Iterator[Executor]:
    """A ``concurrent.futures`` executor on a Dask cluster (needs the ``dask`` extra)."""
    try:
        from distributed import Client  # the optional dask extra, and heavy: only when asked
    except ImportError:
        raise InputError(
            "--scheduler needs dask.distributed: pip install 'pilotfunnel[dask]'"
        ) from None
    client = Client(address, timeout="20s")
    try:
        yield client.get_executor()
    finally:
        client.close()
