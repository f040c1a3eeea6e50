"""What may be on a client's page: the elements, attributes, link types and URL schemes the
sanitiser (``sanitise.Sanitiser``) keeps, as data in one place so a reviewer reads the rule here.

Anything not named is dropped; what is named is still judged value by value (URLs by the
fetcher's rule, CSS by ``css``).
"""

from __future__ import annotations

XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"


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
