"""HTML to PDF with CSS paged media (WeasyPrint): no browser, fonts embedded, tagged."""

from __future__ import annotations

import logging
from pathlib import Path

from ..errors import ExportError

PDF_VARIANT = "pdf/ua-1"  # tagged for accessibility; requires a title and a language


def html_to_pdf(
    html: str, base_url: str | Path | None = None, identifier: str | None = None
) -> bytes:
    """Render a brief's HTML to PDF bytes; the same HTML always gives the same bytes."""
    import weasyprint

    # WeasyPrint logs every CSS property it ignores; a brief's reader gains nothing from that.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    try:
        document = weasyprint.HTML(string=html, base_url=str(base_url or Path.cwd()))
        return document.write_pdf(
            pdf_variant=PDF_VARIANT,
            pdf_identifier=(identifier or "pilotfunnel").encode("utf-8"),
            custom_metadata=True,
        )
    except Exception as exc:  # WeasyPrint raises many kinds; the user needs one message
        raise ExportError(f"the PDF could not be rendered: {type(exc).__name__}: {exc}") from exc
