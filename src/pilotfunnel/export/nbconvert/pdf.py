"""HTML to PDF with CSS paged media (WeasyPrint): no browser, fonts embedded, tagged."""

from __future__ import annotations

import base64
import io
import logging
import re
import threading
import zlib
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from pilotfunnel.core import compat
from pilotfunnel.core.compat import INLINE_SVG
from pilotfunnel.core.errors import ExportError
from pilotfunnel.export.nbconvert.fetcher import ExportFetcher
from pilotfunnel.export.nbconvert.urls import scheme_of

PDF_VARIANT = "pdf/ua-1"  # tagged for accessibility; requires a title and a language
LINK_SCHEMES = ("http", "https", "mailto")


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


def check_pdf(pdf: bytes) -> None:
    """An ExportError if the PDF holds what a client's document must not: an attached or
    embedded file, a script or an action run on opening, or a link that is not to an http(s)
    or mailto address or a place in the document (a relative link becomes a file: URL that
    shows the exporter's folder; a javascript: link runs in some readers).

    The sanitiser keeps all of these off the page; this is the last check, on the file itself.
    A scan of the file's dictionaries clears an ordinary brief in a few milliseconds; a file it
    cannot clear is read with pypdf (a tenth of a second), which names what it found.
    """
    if _plainly_inert(pdf):
        return
    # Imported here, not at the top: pypdf is needed only for a file the scan cannot clear.
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        problems = _pdf_problems(PdfReader(io.BytesIO(pdf)))
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ExportError(f"the PDF could not be checked: {type(exc).__name__}: {exc}") from exc
    if problems:
        raise ExportError("the PDF was not written: it would hold " + "; ".join(problems))


# What a client's PDF never needs: files inside it, scripts, actions that open other files or
# programs or send data, actions run when it or a page opens.
ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/GoToR", "/GoToE", "/SubmitForm", "/ImportData", "/ResetForm"}
    | {"/Rendition", "/RichMediaExecute", "/Movie", "/Sound"}
)
ANNOTATIONS = frozenset({"/FileAttachment", "/Movie", "/Sound", "/Screen", "/RichMedia"})
_DELIMITER = rb"(?=[\s/<>\[\]()%{}]|$)"
_RISKY = re.compile(
    rb"/(?:EmbeddedFiles?|FileAttachment|JavaScript|JS|Launch|GoToR|GoToE|SubmitForm|"
    rb"ImportData|ResetForm|Rendition|RichMedia\w*|Movie|Sound|Screen|OpenAction|AA|AF)"
    + _DELIMITER
)
_URI = re.compile(rb"/URI" + _DELIMITER + rb"\s*(?=(.?))")  # looks ahead: "/URI/URI (x)"
_STREAM_START = re.compile(rb">>\s*stream\r?\n")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\d)(?!\s+\d+\s+R)")  # not an indirect length
_SAFE_URI = re.compile(rb"\((?:https?://|mailto:)", re.IGNORECASE)


def _plainly_inert(pdf: bytes) -> bool:
    """Whether the file's dictionaries (outside streams, and inside its object streams) name
    no risky key or action and every link URI is a literal http(s) or mailto address. Any
    doubt (a stream it cannot follow, a URI it cannot read) is a no: pypdf then decides."""
    texts, position = [], 0
    for match in _STREAM_START.finditer(pdf):
        if match.start() < position:
            continue  # inside the data of a stream already skipped
        head_start = pdf.rfind(b" obj", position, match.start())
        head = pdf[head_start if head_start >= 0 else position : match.start()]
        lengths = _LENGTH.findall(head)
        if not lengths:
            return False
        data_end = match.end() + int(lengths[-1])
        if b"endstream" not in pdf[data_end : data_end + 12]:
            return False
        texts.append(pdf[position : match.end()])
        if b"/ObjStm" in head:
            try:
                texts.append(zlib.decompress(pdf[match.end() : data_end]))
            except zlib.error:
                return False
        position = data_end
    texts.append(pdf[position:])
    text = b"\n".join(texts)
    if _RISKY.search(text):
        return False
    for uri in _URI.finditer(text):
        follows = uri.group(1)
        if follows == b"/":  # "/S /URI": the action's type, its address follows
            continue
        if follows != b"(" or not _SAFE_URI.match(text, uri.start(1)):
            return False
    return True


def _pdf_problems(reader) -> list[str]:
    problems = []
    root = reader.trailer["/Root"].get_object()
    names = root.get("/Names")
    names = names.get_object() if names is not None else {}
    if "/EmbeddedFiles" in names or "/AF" in root:
        problems.append("an embedded file")
    if "/JavaScript" in names or "/OpenAction" in root or "/AA" in root:
        problems.append("an action run on opening")
    for number, page in enumerate(reader.pages, start=1):
        if "/AA" in page:
            problems.append(f"an action on page {number}")
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            subtype = annotation.get("/Subtype")
            if subtype == "/FileAttachment":
                problems.append(f"an attached file on page {number}")
            elif subtype in ANNOTATIONS:
                problems.append(f"a {str(subtype).lstrip('/')} annotation on page {number}")
            if "/AA" in annotation:
                problems.append(f"an action on page {number}")
            action = annotation.get("/A")
            action = action.get_object() if action is not None else {}
            kind = action.get("/S")
            if kind in ACTIONS:
                problems.append(f"a {str(kind).lstrip('/')} action on page {number}")
            elif kind == "/URI":
                uri = str(action.get("/URI", "")).strip()
                if scheme_of(uri) not in LINK_SCHEMES:
                    problems.append(f"a link on page {number} that is not to the web or email")
    return sorted(set(problems), key=problems.index)


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
