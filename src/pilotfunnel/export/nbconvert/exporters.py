"""nbconvert exporters registered as ``pilotfunnel-html``, ``pilotfunnel-pdf`` and
``pilotfunnel-pptx``.

JupyterLab lists exporters that set ``export_from_notebook`` in "File > Save and Export
Notebook As". Jupyter Server routes downloads as ``/nbconvert/<format>/<path>`` where the
format must match ``\\w+``, so the menu entries are registered with underscores
(``pilotfunnel_html``, ``pilotfunnel_pdf``, ``pilotfunnel_pptx``); the hyphenated names serve
the command line (``jupyter nbconvert --to pilotfunnel-pdf``) and stay out of the menu to avoid
duplicates.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import html
import os
import re
from pathlib import Path

import jinja2
from nbconvert.exporters import Exporter, HTMLExporter
from traitlets import Any, Bool, default

from pilotfunnel import __version__
from pilotfunnel.core import compat, paths
from pilotfunnel.core.errors import ExportError, ProjectNotFound, one_line
from pilotfunnel.export.nbconvert.csp import content_security_policy
from pilotfunnel.export.nbconvert.fetcher import ALLOWED, ExportFetcher, cell_of, notebook_folder
from pilotfunnel.export.nbconvert.mathtex import MathPreprocessor
from pilotfunnel.export.nbconvert.pdf import html_to_pdf, inline_svg_as_images
from pilotfunnel.export.nbconvert.preprocessors import (
    ClientReadyPreprocessor,
    DataFrameTablesPreprocessor,
    StaticWidgetsPreprocessor,
)
from pilotfunnel.export.nbconvert.sanitise import Sanitiser
from pilotfunnel.export.recorded import deck_from_brief, page_metadata
from pilotfunnel.inputs.brand.load import Brand, load_brand
from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.project_file import brand_file
from pilotfunnel.views.messages import brief as brief_words
from pilotfunnel.views.messages import cli as cli_words
from pilotfunnel.views.theme import css

TEMPLATE = "pilotfunnel"
# Each cell's number in the notebook as given, kept on the exporter's own copy so that a
# warning names the cell the user sees, after hidden cells are dropped.
CELL_NUMBER = "pilotfunnel_cell_number"
# Scripts the kit itself puts on the page, each allowed by its hash in the page's
# Content-Security-Policy. None today: the brief is a document, not an application.
KIT_SCRIPTS: tuple[str, ...] = ()
MAX_WARNINGS = 50  # refusals logged one by one; the rest are counted
_PLACEHOLDER = re.compile(r'<svg data-pf-svg="(\d+)"></svg>')


class BriefHTMLExporter(HTMLExporter):
    """A self-contained, branded HTML page with no code: the brief, or any notebook."""

    export_from_notebook = "Pilotfunnel brief (HTML)"
    inline_fonts = Bool(True, help=cli_words.HELP_INLINE_FONTS)
    project = Any(None, allow_none=True, help=cli_words.HELP_PROJECT_PAGE)
    # The sanitiser of the export under way, for the template's pf_clean; exporters are one
    # per thread (pipeline.exporter_for), so one at a time.
    _sanitiser: Sanitiser | None = None

    @property
    def brand(self) -> Brand:
        """The project's brand; started by nbconvert or JupyterLab's menu, with no project, the
        exporter is a face of its own and reads the brand file itself. Only the brand: any
        notebook (the analyst's, with a source row being fixed) must export."""
        if self.project is not None:
            return self.project.brand
        return _default_brand(brand_file(self.root))

    # The folder of the notebook being exported (nbconvert and JupyterLab's menu give it as
    # resources' metadata path): its project is the one the export belongs to.
    _notebook_dir: str | None = None

    @property
    def root(self) -> Path:
        """The project of the notebook: given, else PILOTFUNNEL_HOME, else the nearest
        pilotfunnel.yml above the notebook, else above the working folder."""
        return (
            self.project.root
            if self.project is not None
            else notebook_project(self._notebook_dir, brand_only=True)
        )

    @default("template_name")
    def _template_name_default(self) -> str:
        return TEMPLATE

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(paths.templates_dir())]

    @default("exclude_input")
    def _exclude_input_default(self) -> bool:
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self) -> bool:
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self) -> bool:
        return True

    allow_failed_cells = Bool(
        False,
        config=True,
        help=cli_words.HELP_ALLOW_FAILED_CELLS,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.register_preprocessor(StaticWidgetsPreprocessor, enabled=True)
        self.register_preprocessor(MathPreprocessor, enabled=True)
        self.register_preprocessor(DataFrameTablesPreprocessor, enabled=True)
        self.register_preprocessor(ClientReadyPreprocessor, enabled=True)

    def from_notebook_node(self, nb, resources=None, **kw):
        nb = failed_cells_handled(nb, self.allow_failed_cells)
        resources = self._init_resources(resources)
        self._notebook_dir = resources.get("metadata", {}).get("path") or None
        resources["pilotfunnel"] = brief_resources(nb, resources, self.brand, self.inline_fonts)
        # Everything a cell brings passes the sanitiser (the template's pf_clean), which
        # inlines the notebook's own images, for the HTML file and the PDF alike.
        folder = notebook_folder(resources, self.root)
        sanitiser = Sanitiser(folder, self.fetcher(folder))
        nb, svgs = compat.set_svg_aside(nb)
        for number, cell in enumerate(nb.cells, start=1):
            if not isinstance(cell.get("metadata"), dict):
                cell["metadata"] = {}
            cell["metadata"][CELL_NUMBER] = number
        where = _svg_cells(nb, svgs)
        svgs = [sanitiser.clean(svg, place) for svg, place in zip(svgs, where, strict=True)]
        self._sanitiser = sanitiser
        try:
            html, resources = super().from_notebook_node(nb, resources, **kw)
        finally:
            self._sanitiser = None
        html = compat.put_svg_back(html, svgs)
        self.warn_refused(sanitiser.refusals)
        return html, resources

    def default_filters(self):
        """nbconvert's filters and ``pf_clean``, the sanitiser, for what a notebook brings."""
        yield from super().default_filters()
        yield ("pf_clean", self._clean)

    @jinja2.pass_context
    def _clean(self, context, fragment) -> str:
        cell = context.get("cell")
        number = cell.get("metadata", {}).get(CELL_NUMBER) if cell is not None else None
        where = f"cell {number}" if isinstance(number, int) else "the page"
        return (self._sanitiser or Sanitiser()).clean(str(fragment or ""), where)

    def fetcher(self, folder: Path | None = None) -> ExportFetcher:
        """What this export may read: the brand's files, the kit's templates and, when given,
        the notebook's folder (for its images, which the sanitiser inlines)."""
        brand_files = {self.brand.logo.parent, *(f.path.parent for f in self.brand.font_files)}
        folders = [folder] if folder is not None else []
        return ExportFetcher([*folders, *sorted(brand_files), paths.templates_dir()])

    def warn_refused(self, refusals, fetcher: ExportFetcher | None = None, nb=None) -> None:
        """One warning per refusal (the sanitiser's, then WeasyPrint's), each naming its cell;
        past ``MAX_WARNINGS`` they are counted, so a hostile notebook cannot flood the log."""
        lines = [str(refusal) for refusal in refusals]
        for url in fetcher.refused if fetcher is not None else ():
            shown = one_line(url, 120)
            lines.append(f"{cell_of(nb, url)}: not read: {shown} (an export reads only {ALLOWED})")
        for line in lines[:MAX_WARNINGS]:
            self.log.warning("%s", line)
        if len(lines) > MAX_WARNINGS:
            self.log.warning("... and %d more not read or removed", len(lines) - MAX_WARNINGS)


class BriefPDFExporter(BriefHTMLExporter):
    """The same page as a PDF, rendered with CSS paged media by WeasyPrint."""

    export_from_notebook = "Pilotfunnel brief (PDF)"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".pdf"

    @default("inline_fonts")
    def _inline_fonts_default(self) -> bool:
        return False

    @default("template_file")
    def _template_file_default(self) -> str:
        return "index.html.j2"  # one template serves both; not index.pdf.j2

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = super().from_notebook_node(nb, resources, **kw)
        resources["output_extension"] = ".pdf"
        return self.from_page_html(html, nb, notebook_folder(resources, self.root)), resources

    def from_page_html(self, html: str, nb=None, folder: str | Path | None = None) -> bytes:
        """The PDF of a page this exporter's template rendered (fonts linked, not inlined).

        The page's images are already inlined by the sanitiser, so WeasyPrint reads only the
        brand's files and the kit's templates; each URL refused is a warning naming its cell.
        """
        # The linked @font-face rules name the font files by absolute path: left out of the
        # identifier, so the same brief made in another folder is the same bytes.
        stable = html.replace(_inert_css(css.font_face_css(self.brand, inline=False)), "")
        identifier = hashlib.sha256(stable.encode("utf-8")).hexdigest()[:32]
        base = Path(folder) if folder else self.root
        fetcher = self.fetcher()
        pdf = html_to_pdf(inline_svg_as_images(html), base, identifier, fetcher)
        self.warn_refused((), fetcher, nb)
        return pdf


class BriefDeckExporter(Exporter):
    """The brief as a PowerPoint deck with native charts, from the executed brief notebook.

    The deck is made from the model, not the page: it models the brief again from the
    scenario, date, draws and seed the notebook's output recorded (``recorded.deck_from_brief``).
    """

    export_from_notebook = "Pilotfunnel deck (PowerPoint)"
    output_mimetype = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    project = Any(None, allow_none=True, help=cli_words.HELP_PROJECT_DECK)

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".pptx"

    def from_notebook_node(self, nb, resources=None, **kw):
        nb, resources = super().from_notebook_node(nb, resources, **kw)
        folder = (resources or {}).get("metadata", {}).get("path") or None
        project = self.project or Project.load(notebook_project(folder))
        resources["output_extension"] = ".pptx"
        return deck_from_brief(project, nb), resources


class _CommandLineOnly:
    export_from_notebook = None  # hidden from JupyterLab's menu; see the module docstring


class BriefHTMLCommandLineExporter(_CommandLineOnly, BriefHTMLExporter):
    pass


class BriefPDFCommandLineExporter(_CommandLineOnly, BriefPDFExporter):
    pass


class BriefDeckCommandLineExporter(_CommandLineOnly, BriefDeckExporter):
    pass


def failed_cells(nb) -> list[str]:
    """One line per cell whose output is an error: its number, first line and the error."""
    lines = []
    for index, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") == "error":
                first = next((line for line in cell.source.splitlines() if line.strip()), "")
                lines.append(f"cell {index} ({first.strip()[:60]}): {output.get('ename', 'Error')}")
    return lines


def failed_cells_handled(nb, allow: bool):
    """The notebook with each error output as a 'this cell failed' box, when allowed;
    otherwise an ExportError naming every failed cell (nothing is written)."""
    failed = failed_cells(nb)
    if not failed:
        return nb
    if not allow:
        raise ExportError(
            "the notebook has cells that failed; fix them and run it again, or export anyway "
            "with --BriefHTMLExporter.allow_failed_cells=True:\n  " + "\n  ".join(failed)
        )
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") == "error":
                name = html.escape(output.get("ename", "Error"))
                output.clear()
                output.update(
                    output_type="display_data",
                    metadata={},
                    data={
                        "text/html": '<div class="pf-failed" role="note">'
                        f"{brief_words.CELL_FAILED.format(error=name)}</div>"
                    },
                )
    return nb


def notebook_project(folder: str | Path | None, brand_only: bool = False) -> Path:
    """The project a notebook in ``folder`` belongs to: PILOTFUNNEL_HOME when set, else the
    nearest pilotfunnel.yml above the folder, else above the working folder (a notebook
    exported from elsewhere, by a command run in a project).

    ``brand_only``: the caller reads only the brand (the menu's PDF and HTML of any
    notebook): a notebook in no project is then branded with the kit's starter brand, read
    and never written, as the menu promises for any notebook. Nothing else falls back."""
    if folder and not os.environ.get(paths.HOME_VARIABLE):
        try:
            return paths.find_project(folder)
        except ProjectNotFound:
            pass
    try:
        return paths.project_root()
    except ProjectNotFound:
        if brand_only and not os.environ.get(paths.HOME_VARIABLE):
            return paths.starter_dir()
        raise


@functools.lru_cache(maxsize=4)
def _brand_file(path: Path, digest: str) -> Brand:
    return load_brand(path)


def _default_brand(path: Path) -> Brand:
    # Read again when the file changes: a JupyterLab server exports for days.
    return _brand_file(path, hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "")


def brief_resources(nb, resources: dict, brand: Brand, inline_fonts: bool = True) -> dict:
    """What the template needs: brand CSS and fonts, and the brief's title, author and keywords."""
    name = resources.get("metadata", {}).get("name") or "Notebook"
    meta = page_metadata(nb, name, brand.name)
    client = meta.pop("client")
    stylesheet = (paths.templates_dir() / TEMPLATE / "static" / "brief.css").read_text("utf-8")
    return {
        **meta,
        "version": __version__,
        "keywords": brief_words.KEYWORDS,
        "brand_name": brand.name,
        "logo": css.logo_data_uri(brand),
        "footer": brand.footer_for(client or None),
        "font_faces": _inert_css(css.font_face_css(brand, inline=inline_fonts)),
        "css_variables": _inert_css(css.css_variables(brand)),
        "page_css": _inert_css(css.page_css(brand, client or None)),
        "stylesheet": _inert_css(stylesheet),
        "scripts": KIT_SCRIPTS,
        "csp": content_security_policy(KIT_SCRIPTS),
    }


def _inert_css(css: str) -> str:
    """CSS for the page's own <style>, which no '<' can end early: the brand's values are
    validated where they are read, and this keeps a value that slipped through from closing
    the element (in CSS, '\\3c ' is the same character, in a string or a name)."""
    return css.replace("<", "\\3c ")


def _svg_cells(nb, svgs: list[str]) -> list[str]:
    """For each SVG that ``compat.set_svg_aside`` took out, the cell it came from."""
    where = ["the page"] * len(svgs)
    for cell in nb.cells:
        number = cell.get("metadata", {}).get(CELL_NUMBER)
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            page = output.get("data", {}).get("text/html")
            for index in _PLACEHOLDER.findall(page) if isinstance(page, str) else ():
                if int(index) < len(svgs):
                    where[int(index)] = f"cell {number}"
    return where


def page_html_for_pdf(page_html: str, brand: Brand) -> str | None:
    """The HTML exporter's page as the PDF exporter would render it, without rendering again.

    The two differ only in the @font-face rules (embedded subsets for the HTML file, font
    files by path for WeasyPrint); None when the page does not carry the brand's rules once.
    """
    inline, linked = css.font_face_css(brand, inline=True), css.font_face_css(brand, inline=False)
    if page_html.count(inline) != 1:
        return None
    return page_html.replace(inline, linked)
