"""Whether a logo file is what it says it is: a PNG PIL can read, or an SVG that only draws."""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path

MAX_LOGO_PIXELS = 10_000  # per side
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SVG = "{http://www.w3.org/2000/svg}svg"
_SVG_ACTIVE = {"script", "foreignObject", "iframe", "object", "embed", "handler", "listener"}
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)|@import", re.IGNORECASE)


def image_problem(path: Path) -> str | None:
    """What keeps ``path`` from being the logo, judged by its content; None when it can be.

    A PNG must be a PNG PIL can read; an SVG must be an SVG document that only draws: no
    script, no event handler, nothing it would fetch (the PDF and present mode render it).
    """
    stat = path.stat()  # kept per file version, as fonts.font_problem is
    return _image_problem(path, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _image_problem(path: Path, size: int, modified: int) -> str | None:
    data = path.read_bytes()
    if path.suffix.lower() == ".png":
        if not data.startswith(_PNG_SIGNATURE):
            return "is not a PNG image"
        try:
            # Late, as lxml below: only a brand file that names an image pays for its reader.
            from PIL import Image

            with Image.open(io.BytesIO(data)) as image:
                size = image.size
                image.verify()
        except Exception:  # PIL raises many kinds for a damaged file; any is the same answer
            return "is not a PNG image PIL can read"
        if max(size) > MAX_LOGO_PIXELS:
            return f"is over {MAX_LOGO_PIXELS} pixels on a side"
        return None
    return _svg_problem(data)


def _svg_problem(data: bytes) -> str | None:
    from lxml import etree  # late: see PIL above

    if b"<!ENTITY" in data:
        return "is not a plain SVG image: it declares XML entities"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        return "is not an SVG image: it is not well-formed XML"
    if root.tag not in (_SVG, "svg"):
        return "is not an SVG image: its root element is not <svg>"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment or processing instruction
        if etree.QName(element).localname in _SVG_ACTIVE:
            return f"has a <{etree.QName(element).localname}> element; a logo may only draw"
        for attribute, value in element.attrib.items():
            local = etree.QName(attribute).localname.lower()
            if local.startswith("on"):
                return f"has an event handler ({local[:20]}); a logo may only draw"
            if local == "href" and not value.strip().startswith(("#", "data:image/")):
                return "refers to another file or address; a logo may only refer to itself"
            if local == "style" and _fetches(value):
                return "fetches a file or address from its CSS; a logo may only draw"
        if etree.QName(element).localname == "style" and _fetches(element.text or ""):
            return "fetches a file or address from its CSS; a logo may only draw"
    return None


def _fetches(css: str) -> bool:
    for match in _CSS_URL.finditer(css):
        target = match.group(1)
        if target is None or not target.startswith(("#", "data:")):
            return True
    return False
