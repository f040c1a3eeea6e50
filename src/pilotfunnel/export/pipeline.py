"""The one way a brief is made: scenario -> parameters -> execute -> render -> name -> write.

``pilotfunnel brief``, the batch's workers and the explorer's Export button all call
``make_brief``; they differ only in the runner that executes the brief notebook (a fresh kernel,
or this warm process) and in where the files go. The formats are the registry in
``export/formats.py``: each a function from the rendering (the executed notebook and its HTML
page) to the file's bytes, and optionally a preflight run before the notebook.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pilotfunnel.core.naming import brief_stem
from pilotfunnel.core.write import atomic_write_bytes
from pilotfunnel.export.formats import DEFAULT_FORMATS, FORMATS, Rendering

if TYPE_CHECKING:  # imported where a brief is made: the command line imports this module light
    import nbformat

    from pilotfunnel.inputs.project import Project
    from pilotfunnel.inputs.scenario import Scenario

CellHook = Callable[["nbformat.NotebookNode"], None]
# Seconds a brief may run: a kernel's cell here, a whole brief in a batch (``briefs --timeout``).
BRIEF_TIMEOUT = 120


# --- run the notebook -----------------------------------------------------------------------
class Runner(Protocol):
    """Executes a parameterised brief notebook; a cell's failure is an ExportError naming it."""

    def execute(
        self, nb: nbformat.NotebookNode, cwd: Path, on_cell_start: CellHook | None = None
    ) -> nbformat.NotebookNode: ...


@dataclass(frozen=True)
class KernelRunner:
    """A fresh Jupyter kernel per brief, as nbconvert and papermill run notebooks."""

    timeout: int = BRIEF_TIMEOUT

    def execute(self, nb, cwd, on_cell_start=None):
        # Imported here, not at the top: nbclient and nbformat load only when a brief runs.
        from pilotfunnel.export.run.kernel import execute_notebook

        return execute_notebook(nb, cwd, timeout=self.timeout, on_cell_start=on_cell_start)


@dataclass(frozen=True)
class InProcessRunner:
    """This process's IPython shell, warm: the same outputs as a kernel, in a fraction of it."""

    def execute(self, nb, cwd, on_cell_start=None):
        # Imported here, not at the top: IPython loads only in a process that runs briefs.
        from pilotfunnel.export.run.inprocess import execute_in_process

        return execute_in_process(nb, cwd, on_cell_start=on_cell_start)


def brief_parameters(
    project: Project,
    scenario: Scenario,
    as_of: dt.date,
    draws: int | None = None,
    seed: int | None = None,
) -> dict:
    """The values injected into the brief notebook's parameters (papermill's convention)."""
    parameters: dict = {
        "scenario": scenario.to_dict(),  # the scenario itself: an unsaved one works too
        "as_of": as_of.isoformat(),
        "project_root": str(project.root),
    }
    if draws is not None:
        parameters["draws"] = draws
    if seed is not None:
        parameters["seed"] = seed
    return parameters


def execute(
    project: Project,
    scenario: Scenario,
    as_of: dt.date,
    runner: Runner,
    draws: int | None = None,
    seed: int | None = None,
    on_cell_start: CellHook | None = None,
) -> nbformat.NotebookNode:
    """The brief notebook, parameterised for the scenario and executed by ``runner``."""
    # Imported here, not at the top: nbformat (which run.cells needs too) loads only when a
    # brief is made; the command line imports this module for its defaults.
    import nbformat

    from pilotfunnel.export.run.cells import parameterize

    parameters = brief_parameters(project, scenario, as_of, draws, seed)
    nb = parameterize(nbformat.read(project.brief_notebook, as_version=4), parameters)
    return runner.execute(nb, project.notebooks_dir, on_cell_start)


# --- render ---------------------------------------------------------------------------------
def render(
    project: Project, executed: nbformat.NotebookNode, formats: tuple[str, ...]
) -> dict[str, bytes]:
    """Each format's bytes for an executed brief notebook, from one HTML rendering."""
    rendering = Rendering(project, executed)
    return {fmt: FORMATS[fmt].render(rendering) for fmt in formats}


# --- name and write -------------------------------------------------------------------------
@dataclass(frozen=True)
class BriefFiles:
    """What one brief wrote: format -> path, the files' digests and the sources it cites."""

    scenario: Scenario
    files: dict[str, Path]
    sha256: dict[str, str]
    sources: tuple[str, ...]


def make_brief(
    project: Project,
    scenario: Scenario,
    out_dir: str | Path,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    as_of: dt.date | None = None,
    runner: Runner | None = None,
    draws: int | None = None,
    seed: int | None = None,
    on_cell_start: CellHook | None = None,
) -> BriefFiles:
    """Execute, render and write one client's brief; nothing is written if any step fails."""
    # Imported here, not at the top: export.recorded loads the model, the views and the deck
    # (0.8 s), and the command line imports this module for its defaults at every start.
    from pilotfunnel.export.recorded import find_brief_metadata

    as_of = as_of or dt.date.today()
    runner = runner or KernelRunner()
    FORMATS.preflight(formats, lambda: project)  # before a kernel is started for nothing
    executed = execute(project, scenario, as_of, runner, draws, seed, on_cell_start)
    rendered = render(project, executed, formats)
    stem = brief_stem(scenario, as_of)
    files = {
        fmt: atomic_write_bytes(Path(out_dir) / FORMATS[fmt].file_name(stem), data)
        for fmt, data in rendered.items()
    }
    return BriefFiles(
        scenario=scenario,
        files=files,
        sha256={fmt: hashlib.sha256(data).hexdigest() for fmt, data in rendered.items()},
        sources=cited_sources(find_brief_metadata(executed)),
    )


def cited_sources(meta: dict) -> tuple[str, ...]:
    """The source ids a brief's metadata says it cites: text ids only, whatever else it holds
    (the manifest keeps them, and the notebook that wrote them may have been edited)."""
    found = meta.get("sources")
    return tuple(s for s in found if isinstance(s, str)) if isinstance(found, list) else ()
