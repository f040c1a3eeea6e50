"""One allow-list sanitiser for every HTML fragment a notebook puts on a client's page.

Why: the page (and the PDF made from it) is what a consultant emails to a client, and the
notebook it comes from may be the client's own, or anyone's on a shared server. Whatever a
cell holds, the page must be inert: no script, no event handler, no ``javascript:`` link, no
frame, form or ``<base>``, and nothing loaded from anywhere but the page itself.

How: nh3 (the Rust ammonia library, built on a browser-grade HTML5 parser) keeps only the
elements and attributes listed in ``allowlist``, and calls back for each attribute it keeps,
so that every URL follows one rule (``fetcher``, ``urls``): ``data:`` URIs, real images from the
notebook's folder inlined as ``data:`` URIs, same-page ``#id`` references, and links to
http(s) and mailto addresses. CSS (``style`` attributes and ``<style>`` elements) is judged
by ``css``: a ``url()``, ``image-set()`` or ``@import`` that breaks the rule is dropped. The
page's Content-Security-Policy (``csp``) tells the browser the same rule. Each refusal is
noted with the cell it came from, for a warning.

The kit's own template (its ``<head>``, styles and fonts) is trusted and is not passed here;
the brief's sections are cell outputs like any other and pass through, so they use only what
is allowed (its charts: matplotlib's SVG; its math: mathtext's SVG).
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import nh3

from pilotfunnel.core.errors import one_line
from pilotfunnel.export.nbconvert import css
from pilotfunnel.export.nbconvert.allowlist import (
    CSS_VALUED,
    DROPPED_WITH_CONTENT,
    GENERIC_ATTRIBUTES,
    HTML_ATTRIBUTES,
    HTML_ELEMENTS,
    IMAGE_TYPES,
    LINK_SCHEMES,
    LINK_TYPES,
    LINKS,
    SEEN_SCHEMES,
    SVG_ATTRIBUTES,
    SVG_ELEMENTS,
    XLINK_NAMESPACE,
)
from pilotfunnel.export.nbconvert.fetcher import (
    ALLOWED,
    IMAGES,
    SVG_NAMESPACE,
    ExportFetcher,
)
from pilotfunnel.export.nbconvert.urls import (
    canonical_url,
    data_bytes,
    data_mime,
    file_url,
    scheme_of,
)

# What one page may inline from files in all; the same picture named a thousand times would
# otherwise be a page of gigabytes.
MAX_INLINED_BYTES = 64 * 1024 * 1024
_SCRIPT_SCHEME = re.compile(r"(java|vb|live)script:", re.IGNORECASE)


NOT_READ = "not read"
NOT_ALLOWED = f"an export reads only {ALLOWED}"


@dataclass(frozen=True)
class Refusal:
    """One URL (or CSS rule) kept off the page: where it was, what was done, and why."""

    where: str
    action: str  # "not read", "link removed"
    url: str
    reason: str

    def __str__(self) -> str:
        # One line, and never the whole of a hostile value: it is cut and escaped.
        return f"{self.where}: {self.action}: {one_line(self.url, 120)} ({self.reason})"


class Sanitiser:
    """The allow-list and the URL rule for one export; ``refusals`` lists what it kept out.

    ``folder`` is the notebook's folder, whose real images (judged by ``fetcher``) are
    inlined; without a fetcher nothing is read from disk.
    """

    def __init__(self, folder: Path | None = None, fetcher: ExportFetcher | None = None) -> None:
        self.folder = folder
        self.fetcher = fetcher
        self.refusals: list[Refusal] = []
        self._seen: set[Refusal] = set()
        self._inlined = 0  # bytes of images inlined so far, against MAX_INLINED_BYTES
        self._where = "the page"
        self._inline_files = True
        attributes: dict[str, set[str]] = {"*": set(GENERIC_ATTRIBUTES)}
        for tag in HTML_ELEMENTS:
            attributes[tag] = set(HTML_ATTRIBUTES.get(tag, ()))
        for tag in SVG_ELEMENTS:
            attributes[tag] = set(SVG_ATTRIBUTES)
        attributes["a"] |= SVG_ATTRIBUTES  # <a> in an SVG drawing
        self._cleaner = nh3.Cleaner(
            tags=set(HTML_ELEMENTS | SVG_ELEMENTS),
            clean_content_tags=set(DROPPED_WITH_CONTENT),
            attributes=attributes,
            generic_attribute_prefixes={"aria-"},
            attribute_filter=self._attribute,
            strip_comments=True,
            link_rel=None,
            # Schemes nh3 lets through to _attribute, which judges every URL by the rule and
            # warns about each it refuses; nh3 drops any other scheme unseen.
            url_schemes=set(SEEN_SCHEMES),
        )

    # --- the page's fragments ---------------------------------------------------------------
    def clean(self, fragment: str, where: str = "the page") -> str:
        """The fragment (a cell's output or rendered Markdown) with only what is allowed."""
        if not fragment:
            return fragment
        self._where = where
        return _finish(self._cleaner.clean(str(fragment)), self)

    def clean_svg_file(self, data: bytes, where: str) -> bytes | None:
        """An SVG file to inline as an image, cleaned like inline SVG and checked to be one
        well-formed SVG document; None if nothing drawable is left. What it names itself is
        not read (only data: URIs and its own #ids), so an inlined file inlines no other."""
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
        outer, self._inline_files = self._inline_files, False
        try:
            svg = self.clean(text, where).strip()
        finally:
            self._inline_files = outer
        try:
            root = ElementTree.fromstring(svg)
        except ElementTree.ParseError:
            return None
        if root.tag != f"{{{SVG_NAMESPACE}}}svg":
            return None
        return svg.encode("utf-8")

    def refuse(self, url: str, reason: str = NOT_ALLOWED, action: str = NOT_READ) -> None:
        """Note what was kept off the page, once per place and URL."""
        refusal = Refusal(self._where, action, url, reason)
        if refusal not in self._seen:
            self._seen.add(refusal)
            self.refusals.append(refusal)

    def _refuse_css(self, url: str) -> None:
        self.refuse(url, css.CSS_RULE)

    # --- one attribute at a time (nh3 calls back for each one it keeps) ---------------------
    def _attribute(self, tag: str, name: str, value: str) -> str | None:
        try:
            if name in ("href", "src", "poster"):
                return self._url(tag, name, value)
            if name == "srcset":
                return self._srcset(value)
            if name in CSS_VALUED and ("(" in value or "\\" in value):
                check = css.checked_declarations if name == "style" else css.checked_value
                return check(value, self._refuse_css)
            if name == "rel":
                kept = [t for t in value.split() if t.lower() in LINK_TYPES]
                return " ".join(kept) or None
            if name == "xmlns":
                return SVG_NAMESPACE if tag in SVG_ELEMENTS else None
            if name == "xlink":  # xmlns:xlink
                return XLINK_NAMESPACE if tag in SVG_ELEMENTS else None
            if name == "data-pf-svg":  # compat.set_svg_aside's placeholder
                return value if tag == "svg" and value.isdigit() else None
            return value
        except Exception:  # never let an odd value through because a check failed
            self.refuse(value, "it could not be checked", action="not kept")
            return None

    def _url(self, tag: str, name: str, value: str) -> str | None:
        url = canonical_url(value)
        if tag == "a" and name == "href":
            return self._link(url, value)
        if (tag == "img" and name == "src") or name == "poster" or tag == "image":
            return self._image(url)
        if tag in ("video", "audio", "source", "track") and name == "src":
            return self._media(url)
        if url.startswith("#") and tag != "link":
            return value  # a same-page reference: a <use> of a chart's glyph, a gradient
        self.refuse(url)
        return None

    def _link(self, url: str, value: str) -> str | None:
        if url.startswith("#"):
            return value
        # A web address never needs a script scheme inside it ("https:javascript:..."); such a
        # link is someone's trick, and a reader scanning the page should not find it.
        if scheme_of(url) in LINK_SCHEMES and not _SCRIPT_SCHEME.search(url):
            return url
        self.refuse(url, f"links may go to {LINKS} only", action="link removed")
        return None

    def _image(self, url: str) -> str | None:
        if scheme_of(url) == "data":
            return self._data_image(url)
        target = file_url(url, self.folder) if self.folder is not None else None
        if target is None or self.fetcher is None or not self._inline_files:
            self.refuse(url)
            return None
        if not self.fetcher.may_read(target):
            self.refuse(url)
            return None
        found = self.fetcher.read_image(target)
        if found is None:
            self.refuse(url, f"not {IMAGES}, judged by its content")
            return None
        mime, data = found
        if self._inlined + len(data) > MAX_INLINED_BYTES:
            self.refuse(url, f"the page holds {MAX_INLINED_BYTES // 2**20} MB of images already")
            return None
        if mime == "image/svg+xml":
            data = self.clean_svg_file(data, self._where)
            if data is None:
                self.refuse(url, "an SVG with nothing drawable once cleaned")
                return None
        self._inlined += len(data)
        return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"

    def _data_image(self, url: str) -> str | None:
        mime = data_mime(url)
        data = data_bytes(url)
        if mime not in IMAGE_TYPES or data is None:
            self.refuse(url, f"a data: URI that is not {IMAGES}", action="not shown")
            return None
        if mime == "image/svg+xml":
            data = self.clean_svg_file(data, self._where)
            if data is None:
                self.refuse(url, "an SVG with nothing drawable once cleaned", action="not shown")
                return None
        elif url.partition(",")[0].lower().endswith(";base64"):
            return url  # as given: already nothing but base64
        return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"

    def _media(self, url: str) -> str | None:
        media = scheme_of(url) == "data" and data_mime(url).split("/")[0] in ("audio", "video")
        base64_data = url.partition(",")[0].lower().endswith(";base64")
        if media and base64_data and data_bytes(url) is not None:
            return url
        self.refuse(url)
        return None

    def _srcset(self, value: str) -> None:
        # The page keeps one image per <img> (its src); every other candidate is dropped, and
        # one that names a file or a server is a refusal worth a warning.
        for candidate in re.split(r",\s+", value.strip()):
            url = canonical_url(candidate).split(" ")[0] if candidate.strip() else ""
            if url and scheme_of(url) != "data":
                self.refuse(url)
        return None


# --- after nh3: <style> contents, refused images, attribute values --------------------------
# nh3 serialises in one regular form: each attribute as name="value" with '"' escaped, text
# with '<' escaped, comments removed, and <style> the one element whose text is raw (in HTML;
# inside SVG it is escaped). So this reads its output exactly, tag by tag.
_TOKEN = re.compile(r'<(/?)([A-Za-z][^\s/>]*)((?:\s+[^\s"=/>]+(?:="[^"]*")?)*)\s*/?>|[^<]+|<')
_ATTR = re.compile(r'\s+([^\s"=/>]+)(?:="([^"]*)")?')


def _finish(out: str, sanitiser: Sanitiser) -> str:
    """nh3's output with <style> contents checked, each refused <img> as its alt text, and
    no '<' or '>' left raw in an attribute value."""
    parts: list[str] = []
    position, svg_depth = 0, 0
    while position < len(out):
        match = _TOKEN.match(out, position)
        token = match.group(0)
        position = match.end()
        closing, name, attributes = match.group(1), match.group(2), match.group(3)
        if name is None:  # text
            parts.append(token)
            continue
        name = name.lower()
        if name == "svg":
            svg_depth += -1 if closing else 1
        if closing:
            parts.append(token)
            continue
        if name == "img" and not re.search(r'\ssrc="', attributes or ""):
            found = (html.unescape(v or "") for n, v in _ATTR.findall(attributes) if n == "alt")
            alt = next(found, "")
            words = html.escape(alt.strip() or "image", quote=False)
            parts.append(f'<span class="pf-refused">[{words}: not included]</span>')
            continue
        if attributes and ("<" in attributes or ">" in attributes):
            # Equivalent to a parser, and no '<script' or '<svg' text in any attribute value.
            token = token.replace(attributes, attributes.replace("<", "&lt;").replace(">", "&gt;"))
        parts.append(token)
        if name == "style":
            end = out.find("</style>", position)
            end = len(out) if end < 0 else end
            sheet = out[position:end]
            text = html.unescape(sheet) if svg_depth else sheet
            cleaned = css.style_text(text, sanitiser._refuse_css)
            if cleaned != text:
                sheet = html.escape(cleaned, quote=False) if svg_depth else cleaned
            parts.append(sheet)
            position = end
    return "".join(parts).replace("&nbsp;", "&#160;")  # the same in HTML, and valid XML
