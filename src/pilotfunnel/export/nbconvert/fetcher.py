"""What an export may read: ``data:`` URIs, the brand's files, the kit's templates and real
images under the notebook's own folder. Nothing else, and never the network.

Consultants export notebooks that clients send them, and a shared Jupyter server exports other
people's notebooks; WeasyPrint would otherwise read any ``file:`` path (and embed it, for
``rel=attachment``) and fetch any ``http(s):`` URL, and the HTML page would show whatever file
an ``<img src>`` names. Every refusal is kept so the exporter can warn with the cell and the URL;
the export goes on without the resource.

An image is judged by its content, not its name: a PNG, JPEG, GIF or WebP by its first bytes,
an SVG by parsing it as XML (the sanitiser then cleans it before it is inlined).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree
from defusedxml import DefusedXmlException
from weasyprint.urls import URLFetcher

ALLOWED = "data: URIs, the brand's files and real images under the notebook's folder"
IMAGES = "a PNG, JPEG, GIF, WebP or SVG image"
# An image inlined into a page is read whole; a bigger one is refused rather than read.
MAX_IMAGE_BYTES = 16 * 1024 * 1024
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


class URLRefused(ValueError):
    """A URL an export may not read (WeasyPrint skips the resource and goes on)."""


class ExportFetcher(URLFetcher):
    """WeasyPrint's URL fetcher for exports: reads only below the allowed folders."""

    def __init__(self, allowed: Iterable[Path]) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        # Resolved, so a symlink or a ".." that leads out of a folder is judged by its target.
        self.allowed = tuple(Path(folder).resolve() for folder in allowed)
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.lower().startswith("file:") and self.may_read(url):
            return super().fetch(url, headers)
        self.refuse(url)
        raise URLRefused(f"not read: {url} (an export reads only {ALLOWED})")

    def refuse(self, url: str) -> None:
        """Note a URL that was not read, once, for the exporter's warning."""
        if url not in self.refused:
            self.refused.append(url)

    def path_of(self, url: str) -> Path | None:
        """The local file a ``file:`` URL names, resolved, if it is a regular file under an
        allowed folder; otherwise None. ``file://host/...`` names another machine: None."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(url2pathname(parts.path)).resolve()
            regular = path.is_file()  # follows links; a FIFO or a device is not a file
        except (OSError, ValueError, RuntimeError):  # a NUL byte, a symlink loop
            return None
        if regular and any(path.is_relative_to(root) for root in self.allowed):
            return path
        return None

    def may_read(self, url: str) -> bool:
        return self.path_of(url) is not None

    def read_image(self, url: str) -> tuple[str, bytes] | None:
        """The MIME type and bytes of the real image a ``file:`` URL names, if it may be read:
        under an allowed folder, at most ``MAX_IMAGE_BYTES``, and an image by its content."""
        path = self.path_of(url)
        if path is None:
            return None
        try:
            if path.stat().st_size > MAX_IMAGE_BYTES:
                return None
            with path.open("rb") as file:
                data = file.read(MAX_IMAGE_BYTES + 1)
        except OSError:
            return None
        mime = image_type(data) if len(data) <= MAX_IMAGE_BYTES else None
        return (mime, data) if mime else None


def image_type(data: bytes) -> str | None:
    """The MIME type of an image judged by its content, or None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(data) >= 12 and data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image/webp"
    if is_svg(data):
        return "image/svg+xml"
    return None


def is_svg(data: bytes) -> bool:
    """Whether ``data`` is an XML document whose root is an SVG element.

    defusedxml refuses entity declarations, so a "billion laughs" file is not expanded.
    """
    data = data.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark
    if not data[:512].lstrip().startswith(b"<"):  # most files that are not XML, at once
        return False
    try:
        root = defusedxml.ElementTree.fromstring(data)
    except (ParseError, DefusedXmlException, ValueError):
        return False
    return root.tag == f"{{{SVG_NAMESPACE}}}svg"


def cell_of(nb, url: str) -> str:
    """Which cell a URL came from, for a warning: 'cell 3', or 'the page' if none has it."""
    for index, cell in enumerate(getattr(nb, "cells", []), start=1):
        text = cell.get("source", "")
        for output in cell.get("outputs", []):
            text += " ".join(str(v) for v in output.get("data", {}).values())
        if url in text or url.replace("file://", "") in text:
            return f"cell {index}"
    return "the page"


def notebook_folder(resources: dict | None, default: Path) -> Path:
    """The folder of the notebook being exported, absolute.

    nbconvert gives ``metadata.path`` as the notebook's folder as typed on its command line:
    '' for ``jupyter nbconvert nb.ipynb`` run in the notebook's own folder, the commonest way,
    which means the working directory, not the kit's root. Without a path (the pipeline's own
    brief) the folder is ``default``.
    """
    metadata = (resources or {}).get("metadata") or {}
    path = metadata.get("path")
    if path is None:
        return Path(default).resolve()
    return Path(os.path.abspath(os.fspath(path) or os.curdir))
