"""No worker outlives its batch: killed without a chance to clean up, the batch's fork server
and workers notice that it is gone and exit by themselves."""

import contextlib
import os
import shutil
import signal
import subprocess
import time

import psutil
import pytest

from ..conftest import FIXTURES, ROOT, pilotfunnel_command

pytestmark = pytest.mark.slow
AS_OF = "2026-11-25"
# Bounds for a hang only: how long a batch may take to start its workers, and how long its
# processes may take to notice that it is gone. The test passes as soon as the condition holds.
START_BOUND = 180
GONE_BOUND = 30


def _alive(process: psutil.Process) -> bool:
    """Whether ``process`` still runs; a zombie waiting for its reaper has stopped."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _describe(process: psutil.Process) -> str:
    try:
        return f"{process.pid} {' '.join(process.cmdline())[:120]}"
    except psutil.Error:
        return str(process.pid)


def _workers(batch: psutil.Process) -> list[psutil.Process]:
    """The pool's workers: the children of the batch's fork server."""
    found = []
    for child in batch.children():
        with contextlib.suppress(psutil.Error):
            if "multiprocessing.forkserver" in " ".join(child.cmdline()):
                found += child.children()
    return found


def _wait_for(condition, bound: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


@pytest.fixture
def clients(project_copy):
    (project_copy / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "03-client-brief.ipynb", project_copy / "notebooks")
    folder = project_copy / "clients"
    folder.mkdir()
    text = (FIXTURES / "batch" / "alpha.yaml").read_text("utf-8")
    for index, name in enumerate(("Ash", "Birch", "Cedar", "Damson")):
        client = text.replace("Alpha Freight", f"{name} Trading")
        (folder / f"c{index}.yaml").write_text(client, encoding="utf-8")
    return folder


def test_a_batch_killed_with_sigkill_leaves_no_process_behind(clients, project_copy):
    command = [pilotfunnel_command(), "briefs", str(clients), "--out", str(project_copy / "out")]
    command += ["-j", "2", "--date", AS_OF, "--draws", "2000"]
    env = {**os.environ, "PILOTFUNNEL_HOME": str(project_copy)}
    # Its own session: nothing here signals it but this test, and a survivor can be found.
    running = subprocess.Popen(
        command,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    batch = psutil.Process(running.pid)
    descendants: list[psutil.Process] = []
    try:
        started = _wait_for(lambda: len(_workers(batch)) >= 2, START_BOUND)
        assert started, "the batch never started its two workers"
        descendants = batch.children(recursive=True)  # fork server, workers, resource tracker
        assert len(descendants) >= 3
        running.send_signal(signal.SIGKILL)  # the parent only: no clean-up of any kind
        running.wait()
        gone = _wait_for(lambda: not any(map(_alive, descendants)), GONE_BOUND, step=0.2)
        left = [_describe(p) for p in descendants if _alive(p)]
        assert gone, f"still running {GONE_BOUND} s after the batch was killed: {left}"
    finally:
        # Whatever survived is killed here, so the suite's check for leftovers stays about
        # the other tests.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(running.pid, signal.SIGKILL)
        for process in descendants:
            with contextlib.suppress(psutil.Error):
                process.kill()
        if running.poll() is None:
            running.kill()
            running.wait()
