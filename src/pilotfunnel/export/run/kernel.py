"""Run the brief notebook for one scenario: inject parameters, execute, name failed sections.

Follows papermill's convention: the cell tagged ``parameters`` holds defaults, and a cell
tagged ``injected-parameters`` is inserted after it with the run's values.
"""

from __future__ import annotations

import copy
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from pilotfunnel.core.errors import ExportError

SECTION_TAG = "section:"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def parameterize(nb: nbformat.NotebookNode, parameters: dict) -> nbformat.NotebookNode:
    """A copy of ``nb`` with a cell assigning ``parameters`` after the parameters cell."""
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if "injected-parameters" not in _tags(c)]
    lines = ["# Parameters injected by pilotfunnel"]
    lines += [f"{name} = {value!r}" for name, value in parameters.items()]
    injected = nbformat.v4.new_code_cell("\n".join(lines))
    injected.metadata["tags"] = ["injected-parameters"]
    at = next((i + 1 for i, c in enumerate(nb.cells) if "parameters" in _tags(c)), 0)
    nb.cells.insert(at, injected)
    return nb


def section_of(cell) -> str:
    """The brief section a cell renders (its ``section:NAME`` tag), or a description."""
    for tag in _tags(cell):
        if tag.startswith(SECTION_TAG):
            return tag[len(SECTION_TAG) :]
    first = (cell.source.strip().splitlines() or ["(empty cell)"])[0]
    return f"cell '{first[:60]}'"


def section_failed(cell, error_name: str, message: object) -> ExportError:
    """The one-line error for a cell that raised: its section, the error's name and message."""
    section = section_of(cell)
    text = _ANSI.sub("", str(message).strip())
    return ExportError(f"section {section} failed: {error_name}: {text}", section)


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


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))
