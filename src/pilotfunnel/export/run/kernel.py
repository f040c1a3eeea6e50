"""Run the brief notebook in a fresh Jupyter kernel, as nbconvert and papermill do; a cell
that fails, runs too long or kills its kernel is one line naming its section (``cells``).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from pilotfunnel.core.errors import ExportError
from pilotfunnel.export.run.cells import section_failed, section_of


def execute_notebook(
    nb: nbformat.NotebookNode,
    cwd: Path,
    *,
    timeout: float,  # the caller's: pipeline.BRIEF_TIMEOUT for a brief
    kernel_name: str = "python3",
    on_cell_start: Callable[[nbformat.NotebookNode], None] | None = None,
) -> nbformat.NotebookNode:
    """Execute in a fresh kernel; an error names the section, not a wall of traceback."""
    running: dict = {}

    def started(cell, cell_index) -> None:
        running.update(cell=cell)
        if on_cell_start is not None:
            on_cell_start(cell)

    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel_name,
        resources={"metadata": {"path": str(cwd)}},
        allow_errors=False,
        # The kernel's own start-up warnings are for developers, not for a brief's reader.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        on_cell_start=started,
    )
    try:
        # The kernel's own stderr is for developers too; under load libzmq has been seen to
        # print an assertion there as the kernel shuts down, after the brief was complete.
        # A kernel that dies is reported by the client as "the kernel died while running".
        client.execute(stderr=subprocess.DEVNULL)
    except CellExecutionError as exc:
        ename = getattr(exc, "ename", "Error")
        raise section_failed(running["cell"], ename, getattr(exc, "evalue", "")) from None
    except CellTimeoutError:
        section = section_of(running["cell"])
        raise ExportError(f"section {section} ran longer than {timeout} s", section) from None
    except DeadKernelError:
        section = section_of(running["cell"]) if running else "(start-up)"
        raise ExportError(f"the kernel died while running section {section}", section) from None
    return nb
