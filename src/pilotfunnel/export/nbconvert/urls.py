"""URLs read as a browser reads them, so that the sanitiser and the PDF check judge the URL a
browser (or WeasyPrint) would load, not the text a notebook typed: its scheme, a relative URL
made absolute against the notebook's folder, and what a ``data:`` URI declares and holds.
"""

from __future__ import annotations

import base64
import binascii
import re
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urljoin, urlsplit

# WHATWG URL parsing drops tabs and newlines anywhere and C0 controls and spaces at the ends,
# so "jav&#x09;ascript:" is "javascript:" to a browser; a URL is judged as a browser reads it.
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*")


def canonical_url(value: str) -> str:
    """A URL attribute's value as a browser parses it: controls and spaces trimmed at the
    ends, tabs and newlines removed (the parser has already decoded character references)."""
    return _TAB_OR_NEWLINE.sub("", value.strip(_C0_AND_SPACE))


def scheme_of(url: str) -> str:
    """The URL's scheme in lower case, '' for a relative URL (a path, '#id', '//host')."""
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else ""


def is_network_relative(url: str) -> bool:
    """'//host/x' (and the backslash spellings browsers accept): another machine."""
    return url[:2] in ("//", "\\\\", "/\\", "\\/")


def file_url(url: str, folder: Path) -> str | None:
    """A relative or ``file:`` URL as an absolute ``file:`` URL against ``folder`` (the query
    and fragment dropped); None for any other URL."""
    scheme = scheme_of(url)
    if scheme not in ("", "file") or (not scheme and is_network_relative(url)):
        return None
    joined = urljoin(folder.resolve().as_uri() + "/", url)
    parts = urlsplit(joined)
    if parts.scheme != "file":
        return None
    return f"file://{parts.netloc}{parts.path}"


def data_mime(url: str) -> str:
    """The MIME type a ``data:`` URL declares, lower case ('text/plain' when it names none)."""
    head = url[5:].split(",", 1)[0]
    mime = unquote(head.split(";", 1)[0]).strip().lower()
    return mime or "text/plain"


def data_bytes(url: str) -> bytes | None:
    """The bytes of a data: URI, or None when its base64 is not base64."""
    head, _, payload = url.partition(",")
    if head.lower().endswith(";base64"):
        if not _BASE64.fullmatch(payload):
            return None
        try:
            return base64.b64decode("".join(payload.split()), validate=True)
        except (binascii.Error, ValueError):
            return None
    return unquote_to_bytes(payload)
