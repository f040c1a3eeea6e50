"""nbconvert exporters registered as ``pilotfunnel-html`` and ``pilotfunnel-pdf``.

JupyterLab lists exporters that set ``export_from_notebook`` in "File > Save and Export
Notebook As". Jupyter Server routes downloads as ``/nbconvert/<format>/<path>`` where the
format must match ``\\w+``, so the menu entries are registered with underscores
(``pilotfunnel_html``, ``pilotfunnel_pdf``); the hyphenated names serve the command line
(``jupyter nbconvert --to pilotfunnel-pdf``) and stay out of the menu to avoid duplicates.
"""

from __future__ import annotations

import copy
import hashlib
import re

from nbconvert.exporters import HTMLExporter
from traitlets import Bool, default

from .. import __version__, paths
from ..brand import load_brand
from .pdf import INLINE_SVG, html_to_pdf, inline_svg_as_images
from .preprocessors import ClientReadyPreprocessor

TEMPLATE = "pilotfunnel"


class BriefHTMLExporter(HTMLExporter):
    """A self-contained, branded HTML page with no code: the brief, or any notebook."""

    export_from_notebook = "Pilotfunnel brief (HTML)"
    inline_fonts = Bool(True, help="Embed the brand's fonts (HTML) or link the files (PDF)")

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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.register_preprocessor(ClientReadyPreprocessor, enabled=True)

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = self._init_resources(resources)
        resources["pilotfunnel"] = brief_resources(nb, resources, self.inline_fonts)
        nb, svgs = _set_svg_aside(nb)
        html, resources = super().from_notebook_node(nb, resources, **kw)
        return _put_svg_back(html, svgs), resources


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
        return self.from_page_html(html), resources

    @staticmethod
    def from_page_html(html: str) -> bytes:
        """The PDF of a page this exporter's template rendered (fonts linked, not inlined)."""
        identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32]
        return html_to_pdf(inline_svg_as_images(html), paths.project_root(), identifier)


class _CommandLineOnly:
    export_from_notebook = None  # hidden from JupyterLab's menu; see the module docstring


class BriefHTMLCommandLineExporter(_CommandLineOnly, BriefHTMLExporter):
    pass


class BriefPDFCommandLineExporter(_CommandLineOnly, BriefPDFExporter):
    pass


def _set_svg_aside(nb) -> tuple:
    """The notebook with each inline SVG in its HTML outputs swapped for a short placeholder.

    HTMLExporter re-parses the whole page with BeautifulSoup to add missing alt texts and tab
    stops; a brief's charts are half the page's elements and need neither, and the re-parse
    would lowercase SVG's camelCase names (viewBox). Set aside, they cost nothing there and
    reach the page exactly as the chart code drew them.
    """
    svgs: list[str] = []

    def placeholder(match: re.Match) -> str:
        if match.group(0).count("<svg") > 1:
            return match.group(0)  # nested: left to the page as it is
        svgs.append(match.group(0))
        return f'<svg data-pf-svg="{len(svgs) - 1}"></svg>'

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            html = output.get("data", {}).get("text/html")
            if isinstance(html, str) and "<svg" in html:
                output["data"]["text/html"] = INLINE_SVG.sub(placeholder, html)
    return nb, svgs


def _put_svg_back(html: str, svgs: list[str]) -> str:
    for index, svg in enumerate(svgs):
        html = html.replace(f'<svg data-pf-svg="{index}"></svg>', svg, 1)
    return html


def brief_resources(nb, resources: dict, inline_fonts: bool = True) -> dict:
    """What the template needs: brand CSS and fonts, and the brief's title and author."""
    brand = load_brand()
    meta = find_brief_metadata(nb)
    name = resources.get("metadata", {}).get("name") or "Notebook"
    client = meta.get("client") or ""
    title = meta.get("title") or name
    stylesheet = (paths.templates_dir() / TEMPLATE / "static" / "brief.css").read_text("utf-8")
    return {
        "is_brief": bool(meta.get("client")),
        "title": title,
        "author": meta.get("author") or brand.name,
        "subject": meta.get("subject") or title,
        "date": meta.get("date", ""),
        "lang": meta.get("lang", "en"),
        "version": __version__,
        "brand_name": brand.name,
        "logo": brand.logo_data_uri(),
        "footer": brand.footer_for(client or title),
        "font_faces": brand.font_face_css(inline=inline_fonts),
        "css_variables": brand.css_variables(),
        "page_css": brand.page_css(client or title),
        "stylesheet": stylesheet,
    }


def page_html_for_pdf(page_html: str) -> str | None:
    """The HTML exporter's page as the PDF exporter would render it, without rendering again.

    The two differ only in the @font-face rules (embedded subsets for the HTML file, font
    files by path for WeasyPrint); None when the page does not carry the brand's rules once.
    """
    brand = load_brand()
    inline, linked = brand.font_face_css(inline=True), brand.font_face_css(inline=False)
    if page_html.count(inline) != 1:
        return None
    return page_html.replace(inline, linked)


def find_brief_metadata(nb) -> dict:
    """The brief's metadata, from the output the brief notebook's setup cell displays."""
    from ..brief import METADATA_MIMETYPE

    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = output.get("data", {})
            if METADATA_MIMETYPE in data:
                return dict(data[METADATA_MIMETYPE])
    return {}
