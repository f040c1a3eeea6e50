"""One allow-list sanitiser for every HTML fragment a notebook puts on a client's page.

Why: the page (and the PDF made from it) is what a consultant emails to a client, and the
notebook it comes from may be the client's own, or anyone's on a shared server. Whatever a
cell holds, the page must be inert: no script, no event handler, no ``javascript:`` link, no
frame, form or ``<base>``, and nothing loaded from anywhere but the page itself.

How: nh3 (the Rust ammonia library, built on a browser-grade HTML5 parser) keeps only the
elements and attributes listed here, and calls back for each attribute it keeps, so that every
URL follows one rule (``export/fetcher``): ``data:`` URIs, real images from the notebook's
folder inlined as ``data:`` URIs, same-page ``#id`` references, and links to http(s) and
mailto addresses. CSS (``style`` attributes and ``<style>`` elements) is read with tinycss2,
the CSS parser WeasyPrint uses, and a ``url()``, ``image-set()`` or ``@import`` that breaks
the rule is dropped. Each refusal is noted with the cell it came from, for a warning.

The kit's own template (its ``<head>``, styles and fonts) is trusted and is not passed here;
the brief's sections are cell outputs like any other and pass through, so they use only what
is allowed here (its charts: matplotlib's SVG; its math: mathtext's SVG).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_to_bytes
from xml.etree import ElementTree

import nh3
import tinycss2

from pilotfunnel.core.errors import one_line
from pilotfunnel.export.nbconvert.fetcher import (
    ALLOWED,
    IMAGES,
    SVG_NAMESPACE,
    ExportFetcher,
    canonical_url,
    data_mime,
    file_url,
    scheme_of,
)

XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"


# --- what may be on the page ---------------------------------------------------------------
def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


HTML_ELEMENTS = _names(
    """a abbr article aside b bdi bdo blockquote br caption cite code col colgroup data dd del
    details dfn div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6 header hgroup hr i img
    ins kbd li main mark nav ol p pre q rp rt ruby s samp section small span strong sub summary
    sup table tbody td tfoot th thead time tr u ul var wbr style
    picture source video audio track link"""
)
# What matplotlib (charts, mathtext) and ordinary drawings use. No script, animation
# (<set> can turn an href into javascript:), foreignObject (HTML inside SVG), filter images.
SVG_ELEMENTS = _names(
    """svg g defs path rect circle ellipse line polyline polygon text tspan use clipPath mask
    pattern linearGradient radialGradient stop symbol marker image"""
)
# Removed with everything inside them: active or embedding content, and SVG's metadata.
DROPPED_WITH_CONTENT = _names(
    """script noscript template iframe frame frameset noframes object embed applet noembed
    xmp plaintext textarea select title desc metadata foreignObject"""
)
GENERIC_ATTRIBUTES = _names("class id style title lang dir role tabindex hidden")
HTML_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "rel", "name", "hreflang"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding"},
    "td": {"colspan", "rowspan", "headers", "align", "valign"},
    "th": {"colspan", "rowspan", "headers", "scope", "align", "valign", "abbr"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "ol": {"start", "reversed", "type"},
    "ul": {"type"},
    "li": {"value"},
    "time": {"datetime"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "data": {"value"},
    "details": {"open"},
    "video": {"src", "poster", "width", "height", "controls", "muted", "loop"},
    "audio": {"src", "controls", "muted", "loop"},
    "source": {"src", "srcset", "type", "media", "sizes", "width", "height"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "link": {"href"},  # kept only to warn about its href; a bare <link> does nothing
    "style": {"type", "media"},
}
# Names as the HTML parser gives them: camelCase restored (viewBox), xlink:href as "href",
# xmlns:xlink as "xlink", xml:space as "space".
SVG_ATTRIBUTES = _names(
    """x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height d points pathLength transform
    viewBox preserveAspectRatio version xmlns xlink href space data-pf-svg
    fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin
    stroke-dasharray stroke-dashoffset stroke-opacity stroke-miterlimit opacity color
    clip-path clip-rule clipPathUnits mask maskUnits maskContentUnits
    patternUnits patternContentUnits patternTransform gradientUnits gradientTransform
    spreadMethod offset stop-color stop-opacity
    font-family font-size font-weight font-style font-variant text-anchor dominant-baseline
    alignment-baseline baseline-shift dx dy rotate textLength lengthAdjust letter-spacing
    word-spacing text-decoration writing-mode
    markerWidth markerHeight refX refY orient markerUnits marker-start marker-mid marker-end
    visibility display overflow vector-effect paint-order shape-rendering text-rendering
    image-rendering color-interpolation transform-origin"""
)
# Attributes whose value is CSS, where url() can name a resource.
CSS_VALUED = _names("style fill stroke clip-path mask marker-start marker-mid marker-end")
# Link types kept on <a>: none asks for anything to be fetched or embedded ("attachment" is
# WeasyPrint's request to embed the target in the PDF; "prefetch" and friends fetch).
LINK_TYPES = _names(
    "noopener noreferrer nofollow external author license help tag bookmark next prev"
)
LINK_SCHEMES = ("http", "https", "mailto")
SEEN_SCHEMES = _names(
    """http https mailto data file ftp ftps sftp ws wss javascript vbscript livescript blob
    filesystem about smb gopher tel sms jar view-source cid mid ldap irc news nntp ssh telnet"""
)
LINKS = "http(s) and mailto addresses and places on the page"
# data: images an <img> may show; an SVG is cleaned like any inline SVG before it is kept.
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"})
# What one page may inline from files in all; the same picture named a thousand times would
# otherwise be a page of gigabytes.
MAX_INLINED_BYTES = 64 * 1024 * 1024
_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*")
_SCRIPT_SCHEME = re.compile(r"(java|vb|live)script:", re.IGNORECASE)


NOT_READ = "not read"
NOT_ALLOWED = f"an export reads only {ALLOWED}"
CSS_RULE = "CSS may name only data: images and fonts and places on the page"


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


def content_security_policy(scripts: Iterable[str] = ()) -> str:
    """The page's Content-Security-Policy: nothing from the network or any other file, and no
    script but the kit's own, each allowed by the SHA-256 of its text (none today; a live brief
    adds its script here and the policy follows)."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts
    ]
    return "; ".join(
        [
            "default-src 'none'",
            "img-src data:",
            "media-src data:",
            "font-src data:",
            "style-src 'unsafe-inline'",
            f"script-src {' '.join(hashes) or chr(39) + 'none' + chr(39)}",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


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

    # --- one attribute at a time (nh3 calls back for each one it keeps) ---------------------
    def _attribute(self, tag: str, name: str, value: str) -> str | None:
        try:
            if name in ("href", "src", "poster"):
                return self._url(tag, name, value)
            if name == "srcset":
                return self._srcset(value)
            if name in CSS_VALUED and ("(" in value or "\\" in value):
                return self._css_declarations(value) if name == "style" else self._css_value(value)
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
        data = _data_bytes(url)
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
        if media and base64_data and _data_bytes(url) is not None:
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

    # --- CSS --------------------------------------------------------------------------------
    def _css_value(self, value: str) -> str | None:
        bad = list(_refused_in(tinycss2.parse_component_value_list(value)))
        for url in bad:
            self.refuse(url, CSS_RULE)
        return None if bad else value

    def _css_declarations(self, value: str) -> str | None:
        return self._filter_css(value, tinycss2.parse_blocks_contents, stylesheet=False)

    def _css_sheet(self, css: str) -> str:
        return self._filter_css(css, tinycss2.parse_stylesheet, stylesheet=True) or ""

    def _filter_css(self, css: str, parse, stylesheet: bool) -> str | None:
        """The CSS unchanged when all it names is allowed; otherwise without the rules and
        declarations that name anything else (each one a refusal)."""
        if not list(_refused_in(tinycss2.parse_component_value_list(css))):
            return css
        kept = []
        for node in parse(css, skip_comments=True, skip_whitespace=False):
            bad = list(_refused_in([node]))
            if node.type == "qualified-rule" and bad:
                inner = self._filter_css(tinycss2.serialize(node.content), _blocks, False)
                node.content = tinycss2.parse_component_value_list(inner or "")
                bad = []
            for url in bad:
                self.refuse(url, CSS_RULE)
            if not bad and node.type != "error":
                kept.append(node)
        result = _serialise(kept).strip()
        # What is left is checked again as plain tokens: a parse that differed from a
        # browser's could hide a url() in a rule; then nothing of it is kept.
        if list(_refused_in(tinycss2.parse_component_value_list(result))):
            return None if not stylesheet else ""
        return result or None


def _serialise(nodes) -> str:
    """CSS nodes as text, leaving out what tinycss2 could not parse (as a browser does)."""
    return tinycss2.serialize([node for node in nodes if node.type != "error"])


def _blocks(css: str, skip_comments: bool = True, skip_whitespace: bool = False) -> list:
    return tinycss2.parse_blocks_contents(css, skip_comments, skip_whitespace)


# Functions whose arguments (url tokens or strings) name resources.
_URL_FUNCTIONS = frozenset({"url", "src"})
_IMAGE_FUNCTIONS = frozenset(
    {"image-set", "-webkit-image-set", "image", "cross-fade", "-webkit-cross-fade"}
)
# Old browsers' ways to run code from CSS; nothing a page needs.
_ACTIVE_FUNCTIONS = frozenset({"expression", "element", "-moz-element"})
_ACTIVE_PROPERTIES = frozenset({"behavior", "-moz-binding"})


def _refused_in(nodes) -> Iterator[str]:
    """Every resource CSS nodes name that the page may not load (and every @import)."""
    for node in nodes or ():
        kind = node.type
        if kind == "url":
            if not css_url_allowed(node.value):
                yield node.value
        elif kind == "function":
            name = node.lower_name
            if name in _ACTIVE_FUNCTIONS:
                yield f"{name}()"
            if name in _URL_FUNCTIONS | _IMAGE_FUNCTIONS:
                for argument in node.arguments:
                    if argument.type == "string" and not css_url_allowed(argument.value):
                        yield argument.value
            yield from _refused_in(node.arguments)
        elif kind in ("() block", "[] block", "{} block"):
            yield from _refused_in(node.content)
        elif kind == "at-keyword" and node.lower_value == "import":
            yield "@import"
        elif kind == "ident" and node.lower_value in _ACTIVE_PROPERTIES:
            yield node.value
        elif kind == "at-rule":
            if node.lower_at_keyword == "import":
                yield "@import " + tinycss2.serialize(node.prelude).strip()
            else:
                yield from _refused_in(node.prelude)
                yield from _refused_in(node.content)
        elif kind == "qualified-rule":
            yield from _refused_in(node.prelude)
            yield from _refused_in(node.content)
        elif kind == "declaration":
            if node.lower_name in _ACTIVE_PROPERTIES:
                yield node.name
            yield from _refused_in(node.value)


def css_url_allowed(url: str) -> bool:
    """What CSS may name: a place on the page (#id) or a data: image or font (not an SVG,
    which would need cleaning; not HTML)."""
    url = canonical_url(url)
    if url.startswith("#"):
        return True
    if scheme_of(url) != "data":
        return False
    mime = data_mime(url)
    return (mime.startswith("image/") and mime != "image/svg+xml") or mime.startswith(
        ("font/", "application/font-", "application/x-font-")
    )


def _data_bytes(url: str) -> bytes | None:
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
            css = out[position:end]
            text = html.unescape(css) if svg_depth else css
            cleaned = sanitiser._css_sheet(text)
            if "<" in cleaned:  # raw text inside <style>: no markup, even in a comment
                rules = tinycss2.parse_stylesheet(cleaned, skip_comments=True)
                cleaned = _serialise(rules).replace("<", "\\3c ")
            if cleaned != text:
                css = html.escape(cleaned, quote=False) if svg_depth else cleaned
            parts.append(css)
            position = end
    return "".join(parts).replace("&nbsp;", "&#160;")  # the same in HTML, and valid XML
