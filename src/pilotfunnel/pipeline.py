"""The one way a brief is made: scenario -> parameters -> execute -> render -> name -> write.

``pilotfunnel brief``, the batch's workers and the explorer's Export button all call
``make_brief``; they differ only in the runner that executes the brief notebook (a fresh kernel,
or this warm process) and in where the files go. A format is one entry in ``FORMATS``: a
function from the rendering (the executed notebook and its HTML page) to the file's bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .files import atomic_write_bytes
from .naming import DEFAULT_FORMATS, brief_stem
from .project import Project
from .scenario import Scenario

if TYPE_CHECKING:  # nbformat is imported where a notebook is read: `briefs` stays light
    import nbformat

CellHook = Callable[["nbformat.NotebookNode"], None]


# --- run the notebook -----------------------------------------------------------------------
class Runner(Protocol):
    """Executes a parameterised brief notebook; a cell's failure is an ExportError naming it."""

    def execute(
        self, nb: nbformat.NotebookNode, cwd: Path, on_cell_start: CellHook | None = None
    ) -> nbformat.NotebookNode: ...


@dataclass(frozen=True)
class KernelRunner:
    """A fresh Jupyter kernel per brief, as nbconvert and papermill run notebooks."""

    timeout: int = 120

    def execute(self, nb, cwd, on_cell_start=None):
        from .export.execute import execute_notebook

        return execute_notebook(nb, cwd, timeout=self.timeout, on_cell_start=on_cell_start)


@dataclass(frozen=True)
class InProcessRunner:
    """This process's IPython shell, warm: the same outputs as a kernel, in a fraction of it."""

    def execute(self, nb, cwd, on_cell_start=None):
        from .export.inprocess import execute_in_process

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
    from .export.execute import parameterize

    parameters = brief_parameters(project, scenario, as_of, draws, seed)
    import nbformat

    nb = parameterize(nbformat.read(project.brief_notebook, as_version=4), parameters)
    return runner.execute(nb, project.notebooks_dir, on_cell_start)


# --- render ---------------------------------------------------------------------------------
@dataclass
class Rendering:
    """What every format is made from: the executed notebook and the HTML exporter's page
    (rendered once, when the first format asks for it; the deck does not)."""

    project: Project
    notebook: nbformat.NotebookNode

    @functools.cached_property
    def page(self) -> str:
        from .export.exporters import BriefHTMLExporter

        page, _ = exporter_for(self.project, BriefHTMLExporter).from_notebook_node(
            self.notebook, resources=_resources()
        )
        return page


def _html(rendering: Rendering) -> bytes:
    return rendering.page.encode("utf-8")


def _pdf(rendering: Rendering) -> bytes:
    # Both formats come from one template rendering: the PDF's page is the HTML page with the
    # fonts linked instead of embedded (tested to equal exporting the PDF on its own).
    from .export.exporters import BriefPDFExporter, page_html_for_pdf

    exporter = exporter_for(rendering.project, BriefPDFExporter)
    page = page_html_for_pdf(rendering.page, rendering.project.brand)
    if page is None:
        pdf, _ = exporter.from_notebook_node(rendering.notebook, resources=_resources())
        return pdf
    return exporter.from_page_html(page)


def _pptx(rendering: Rendering) -> bytes:
    # The deck is made from the model, not the page (see deck.deck_from_brief).
    from .deck import deck_from_brief

    return deck_from_brief(rendering.project, rendering.notebook)


FORMATS: dict[str, Callable[[Rendering], bytes]] = {"pdf": _pdf, "html": _html, "pptx": _pptx}


def parse_formats(text: str) -> tuple[str, ...]:
    """``pdf,html`` -> ("pdf", "html"); a ValueError names an unknown format."""
    formats = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        named = ", ".join(unknown) or "(none)"
        raise ValueError(f"unknown format {named}; use one or more of {', '.join(FORMATS)}")
    return formats


def render(
    project: Project, executed: nbformat.NotebookNode, formats: tuple[str, ...]
) -> dict[str, bytes]:
    """Each format's bytes for an executed brief notebook, from one HTML rendering."""
    rendering = Rendering(project, executed)
    return {fmt: FORMATS[fmt](rendering) for fmt in formats}


def exporter_for(project: Project, kind: type):
    """The project's exporter of ``kind`` for this thread, templates compiled once.

    A batch worker keeps one per kind, as ``jupyter nbconvert`` does for many notebooks; per
    thread, because exporters are not thread-safe.
    """
    return project.cached((kind, threading.get_ident()), lambda: kind(project=project))


def _resources() -> dict:
    return {"metadata": {"name": "brief"}}


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
    from .export.exporters import find_brief_metadata

    as_of = as_of or dt.date.today()
    runner = runner or KernelRunner()
    if "pptx" in formats:
        # A firm's template that cannot serve is known before a kernel is started for nothing.
        from .deck import open_template

        project.cached("deck template checked", lambda: open_template(project.brand) and True)
    executed = execute(project, scenario, as_of, runner, draws, seed, on_cell_start)
    rendered = render(project, executed, formats)
    stem = brief_stem(scenario, as_of)
    files = {
        fmt: atomic_write_bytes(Path(out_dir) / f"{stem}.{fmt}", data)
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
