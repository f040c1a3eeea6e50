"""Run the brief notebook for one scenario: inject parameters, execute, name failed sections.

Follows papermill's convention: the cell tagged ``parameters`` holds defaults, and a cell
tagged ``injected-parameters`` is inserted after it with the run's values.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from .. import paths
from ..errors import ExportError

BRIEF_NOTEBOOK = "03-client-brief.ipynb"
SECTION_TAG = "section:"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def brief_notebook_path() -> Path:
    return paths.notebooks_dir() / BRIEF_NOTEBOOK


def brief_parameters(
    scenario_path: Path, as_of: str, draws: int | None = None, seed: int | None = None
) -> dict:
    """The values injected into the brief notebook for one scenario (kernel or in-process)."""
    parameters: dict = {"scenario": str(Path(scenario_path).resolve()), "as_of": as_of}
    if draws is not None:
        parameters["draws"] = draws
    if seed is not None:
        parameters["seed"] = seed
    return parameters


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


def execute_notebook(
    nb: nbformat.NotebookNode,
    cwd: Path | None = None,
    timeout: int = 120,
    kernel_name: str = "python3",
) -> nbformat.NotebookNode:
    """Execute in a fresh kernel; an error names the section, not a wall of traceback."""
    running: dict = {}
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel_name,
        resources={"metadata": {"path": str(cwd or paths.notebooks_dir())}},
        allow_errors=False,
        # The kernel's own start-up warnings are for developers, not for a brief's reader.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        on_cell_start=lambda cell, cell_index: running.update(cell=cell),
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        section = section_of(running["cell"])
        ename = getattr(exc, "ename", "Error")
        evalue = _ANSI.sub("", str(getattr(exc, "evalue", "")).strip())
        raise ExportError(f"section {section} failed: {ename}: {evalue}", section) from None
    except CellTimeoutError:
        section = section_of(running["cell"])
        raise ExportError(f"section {section} ran longer than {timeout} s", section) from None
    except DeadKernelError:
        section = section_of(running["cell"]) if running else "(start-up)"
        raise ExportError(f"the kernel died while running section {section}", section) from None
    return nb


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))
