"""The last check on a client's PDF, on the file itself: nothing attached or embedded, no
script or action, links only to the web, email and places in the document.

The sanitiser keeps all of these off the page already; this catches whatever reaches
WeasyPrint another way, so that a brief the kit writes is inert whatever HTML it came from.
"""

from __future__ import annotations

import io
import re
import zlib

from pilotfunnel.core.errors import ExportError
from pilotfunnel.export.nbconvert.allowlist import LINK_SCHEMES
from pilotfunnel.export.nbconvert.urls import scheme_of


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
