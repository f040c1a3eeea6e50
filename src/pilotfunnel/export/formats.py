"""The formats a brief can be written in: one registry, as papermill keeps one of engines.

A format is a name (what ``--format`` takes), a file suffix, a media type, a function from the
rendering to the file's bytes, and optionally a preflight: a check of the project that can
fail before any notebook runs (a firm's deck template that cannot serve). ``pilotfunnel
brief``, the batch and the explorer all read which formats exist, which are made by default,
how ``--format`` is parsed and what to check first from ``FORMATS`` here.

Light on purpose: the command line imports it to word ``--format``, so each format's renderer
imports nbconvert, WeasyPrint or python-pptx only when it runs.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the project and nbformat are needed only once a brief is made
    import nbformat

    from pilotfunnel.inputs.project import Project


@dataclass
class Rendering:
    """What every format is made from: the executed notebook and the HTML exporter's page
    (rendered once, when the first format asks for it; the deck does not)."""

    project: Project
    notebook: nbformat.NotebookNode

    @functools.cached_property
    def page(self) -> str:
        # Imported here, not at the top: nbconvert is loaded only when a page is rendered.
        from pilotfunnel.export.nbconvert.exporters import BriefHTMLExporter

        page, _ = exporter_for(self.project, BriefHTMLExporter).from_notebook_node(
            self.notebook, resources=exporter_resources()
        )
        return page


def exporter_for(project: Project, kind: type):
    """The project's exporter of ``kind`` for this thread, templates compiled once.

    A batch worker keeps one per kind, as ``jupyter nbconvert`` does for many notebooks; per
    thread, because exporters are not thread-safe.
    """
    return project.cached((kind, threading.get_ident()), lambda: kind(project=project))


def exporter_resources() -> dict:
    """The resources every brief is exported with (nbconvert names the notebook from them)."""
    return {"metadata": {"name": "brief"}}


Render = Callable[[Rendering], bytes]
Preflight = Callable[["Project"], None]


@dataclass(frozen=True)
class Format:
    """One format a brief can be written in.

    ``render`` makes the file's bytes from the rendering; ``preflight``, if any, raises a
    PilotfunnelError when the project cannot serve this format, before any notebook runs.
    """

    name: str
    suffix: str
    mimetype: str
    render: Render
    preflight: Preflight | None = None

    def file_name(self, stem: str) -> str:
        """The brief's file name in this format: ``northwind-2026-11-25`` -> ``....pdf``."""
        return stem + self.suffix


class FormatRegistry:
    """The formats by name, in the order they were registered (the order help lists them)."""

    def __init__(self) -> None:
        self._formats: dict[str, Format] = {}

    def register(self, fmt: Format) -> Format:
        """Add ``fmt``; a second format of the same name is a programming error."""
        if fmt.name in self._formats:
            raise ValueError(f"format {fmt.name} is already registered")
        if fmt.name != fmt.name.lower() or not fmt.name.isalnum():
            raise ValueError(f"a format's name is lower-case letters and digits, not {fmt.name!r}")
        self._formats[fmt.name] = fmt
        return fmt

    def get(self, name: str) -> Format:
        """The format called ``name``; a KeyError names the ones there are."""
        try:
            return self._formats[name]
        except KeyError:
            raise KeyError(f"unknown format {name}; the formats are {', '.join(self)}") from None

    __getitem__ = get

    def names(self) -> tuple[str, ...]:
        return tuple(self._formats)

    def __iter__(self) -> Iterator[str]:
        return iter(self._formats)

    def __contains__(self, name: object) -> bool:
        return name in self._formats

    def __len__(self) -> int:
        return len(self._formats)

    def parse(self, text: str) -> tuple[str, ...]:
        """``--format``'s value as format names: ``" PDF, html "`` -> ("pdf", "html").

        A ValueError names any unknown format, or says none was named.
        """
        formats = tuple(f.strip().lower() for f in text.split(",") if f.strip())
        unknown = [f for f in formats if f not in self]
        if unknown or not formats:
            named = ", ".join(unknown) or "(none)"
            raise ValueError(f"unknown format {named}; use one or more of {', '.join(self)}")
        return formats

    def preflight(self, formats: Iterable[str], project: Callable[[], Project]) -> None:
        """Run the preflight of each of ``formats`` that has one.

        ``project`` is called only if one does, so a batch of PDFs loads no project for it.
        """
        checks = [self.get(name).preflight for name in formats]
        checks = [check for check in checks if check is not None]
        if checks:
            loaded = project()
            for check in checks:
                check(loaded)


# --- the kit's formats ------------------------------------------------------------------------
def _html(rendering: Rendering) -> bytes:
    return rendering.page.encode("utf-8")


def _pdf(rendering: Rendering) -> bytes:
    # Both formats come from one template rendering: the PDF's page is the HTML page with the
    # fonts linked instead of embedded (tested to equal exporting the PDF on its own).
    # Imported here, not at the top: WeasyPrint is loaded only when a PDF is made.
    from pilotfunnel.export.nbconvert.exporters import BriefPDFExporter, page_html_for_pdf

    exporter = exporter_for(rendering.project, BriefPDFExporter)
    page = page_html_for_pdf(rendering.page, rendering.project.brand)
    if page is None:
        pdf, _ = exporter.from_notebook_node(rendering.notebook, resources=exporter_resources())
        return pdf
    return exporter.from_page_html(page)


def _pptx(rendering: Rendering) -> bytes:
    # The deck is made from the model, not the page (see recorded.deck_from_brief).
    # Imported here, not at the top: python-pptx and the model load only when a deck is made.
    from pilotfunnel.export.recorded import deck_from_brief

    return deck_from_brief(rendering.project, rendering.notebook)


def _deck_template_serves(project: Project) -> None:
    # A firm's template that cannot serve is known before a kernel is started for nothing;
    # checked once per project (a warm worker's next brief does not open it again).
    from pilotfunnel.views.deck import open_template  # python-pptx, as above

    project.cached("deck template checked", lambda: open_template(project.brand) and True)


FORMATS = FormatRegistry()
FORMATS.register(Format("pdf", ".pdf", "application/pdf", _pdf))
FORMATS.register(Format("html", ".html", "text/html", _html))
FORMATS.register(
    Format(
        "pptx",
        ".pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _pptx,
        preflight=_deck_template_serves,
    )
)

DEFAULT_FORMATS = ("pdf", "html")  # the files a brief is made as unless asked for others
