"""HTML to PDF with CSS paged media (WeasyPrint): no browser, fonts embedded, tagged, and
the file checked before it is returned (``pdfcheck``)."""

from __future__ import annotations

import base64
import logging
import re
import threading
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from pilotfunnel.core import compat
from pilotfunnel.core.compat import INLINE_SVG
from pilotfunnel.core.errors import ExportError
from pilotfunnel.export.nbconvert.fetcher import ExportFetcher
from pilotfunnel.export.nbconvert.pdfcheck import check_pdf

PDF_VARIANT = "pdf/ua-1"  # tagged for accessibility; requires a title and a language


def html_to_pdf(
    html: str,
    base_url: str | Path | None = None,
    identifier: str | None = None,
    fetcher: ExportFetcher | None = None,
) -> bytes:
    """Render a brief's HTML to PDF bytes; the same HTML always gives the same bytes.

    Resources are read through ``fetcher`` (by default: only below ``base_url``). The PDF is
    checked before it is returned (``check_pdf``): no attached file, no script, links only to
    the web, email and the document itself, whatever HTML it was given.
    """
    # WeasyPrint logs every CSS property it ignores; a brief's reader gains nothing from that.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    compat.keep_font_timestamps_in_pdf_subsets()
    compat.note_slow_font_subsetting()
    try:
        base = Path(base_url or Path.cwd())
        document = weasyprint.HTML(
            string=html,
            base_url=str(base),
            url_fetcher=fetcher or ExportFetcher([base]),
        )
        pdf = document.write_pdf(
            pdf_variant=PDF_VARIANT,
            pdf_identifier=(identifier or "pilotfunnel").encode("utf-8"),
            custom_metadata=True,
            font_config=_font_config(),
        )
    except Exception as exc:  # WeasyPrint raises many kinds; the user needs one message
        raise ExportError(f"the PDF could not be rendered: {type(exc).__name__}: {exc}") from exc
    check_pdf(pdf)
    return pdf


_local = threading.local()


def _font_config():
    """This thread's WeasyPrint font configuration, kept from one PDF to the next.

    A new one per document loads the system's fonts and the brand's @font-face files again and
    starts Pango's caches cold; kept, the brand's fonts are registered once (WeasyPrint skips a
    face it already has). Per thread, because Pango's font maps are not shared across threads.
    """
    if getattr(_local, "font_config", None) is None:
        _local.font_config = FontConfiguration()
        compat.delete_at_exit(_local, "font_config")
    return _local.font_config


def inline_svg_as_images(html: str) -> str:
    """The page with each inline SVG (the charts) as an <img> of the same SVG, for WeasyPrint.

    WeasyPrint runs the page's CSS cascade over every element, a chart's hundreds of SVG
    elements included, then draws the chart from its SVG tree anyway; as images, the charts
    skip the cascade (a sixth of a brief's PDF time) and draw to the same pixels. An SVG that
    went through an HTML serialiser (in a Markdown cell, say) has lowercased camelCase names
    (viewbox), which an image parsed as XML would ignore; they are restored. An SVG that is not
    well-formed XML stays inline.
    """

    def as_image(match: re.Match) -> str:
        markup = match.group(0)
        if markup.count("<svg") > 1:  # nested SVG: the pattern cannot see where it ends
            return markup
        svg = compat.restore_svg_name_case(markup)
        try:
            root = ElementTree.fromstring(svg)
        except ElementTree.ParseError:
            return markup
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        alt = quoteattr(root.get("aria-label", ""))
        return f'<img alt={alt} src="data:image/svg+xml;base64,{data}">'

    return INLINE_SVG.sub(as_image, html)
