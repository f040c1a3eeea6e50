"""What an export may read: ``data:`` URIs, the brand's files, the kit's templates and files
under the notebook's own folder. Nothing else, and never the network.

Consultants export notebooks that clients send them, and a shared Jupyter server exports other
people's notebooks; WeasyPrint would otherwise read any ``file:`` path (and embed it, for
``rel=attachment``) and fetch any ``http(s):`` URL. Every refusal is kept so the exporter can
warn with the cell and the URL; the export goes on without the resource.
"""

from __future__ import annotations

import base64
import html as html_text
import mimetypes
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher

# WeasyPrint embeds the target of <a rel=attachment> and <link rel=attachment> in the PDF.
_ATTACHMENT = re.compile(r"""\brel\s*=\s*(["']?)attachment\1""", re.IGNORECASE)
ALLOWED = "data: URIs, the brand's files and files under the notebook's folder"


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
        if url not in self.refused:
            self.refused.append(url)
        raise URLRefused(f"not read: {url} (an export reads only {ALLOWED})")

    def may_read(self, url: str) -> bool:
        path = Path(url2pathname(urlsplit(url).path)).resolve()
        return path.is_file() and any(path.is_relative_to(root) for root in self.allowed)


def without_attachments(html: str) -> str:
    """The page with no element asking to be embedded as a PDF attachment."""
    return _ATTACHMENT.sub('rel="nofollow"', html)


def cell_of(nb, url: str) -> str:
    """Which cell a URL came from, for a warning: 'cell 3', or 'the page' if none has it."""
    for index, cell in enumerate(getattr(nb, "cells", []), start=1):
        text = cell.get("source", "")
        for output in cell.get("outputs", []):
            text += " ".join(str(v) for v in output.get("data", {}).values())
        if url in text or url.replace("file://", "") in text:
            return f"cell {index}"
    return "the page"


_IMG = re.compile(r"<img\b[^>]*?\bsrc=(\"[^\"]*\"|'[^']*')[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"\balt=(\"[^\"]*\"|'[^']*')", re.IGNORECASE)


def inline_images(page: str, fetcher: ExportFetcher, base: Path) -> str:
    """The HTML page with every image it may show inlined (so it opens anywhere, offline) and
    every other image replaced by its alt text, under the same rule as the PDF."""

    def inline(match: re.Match) -> str:
        tag, url = match.group(0), html_text.unescape(match.group(1)[1:-1])
        if url.startswith("data:"):
            return tag
        target = url if ":" in url.split("/", 1)[0] else (base / url).resolve().as_uri()
        if url.lower().startswith(("http:", "https:")) or not fetcher.may_read(target):
            if url not in fetcher.refused:
                fetcher.refused.append(url)
            alt = _ALT.search(tag)
            words = html_text.unescape(alt.group(1)[1:-1]) if alt else "image"
            return f'<span class="pf-refused">[{html_text.escape(words)}: not included]</span>'
        path = Path(url2pathname(urlsplit(target).path))
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return tag.replace(match.group(1), f'"data:{mime};base64,{data}"', 1)

    return _IMG.sub(inline, page)
