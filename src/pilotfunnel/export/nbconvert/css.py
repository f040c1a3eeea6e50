"""What CSS on a client's page may name: ``data:`` images and fonts and places on the page.

The sanitiser passes every ``style`` attribute, CSS-valued SVG attribute and ``<style>``
element here. CSS is read with tinycss2 (the parser WeasyPrint uses); a ``url()``,
``image-set()``, ``@import`` or old browser's way to run code that breaks the rule is dropped,
with the smallest part around it (a declaration, a rule), and each one is reported through the
caller's ``refuse``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import tinycss2

from pilotfunnel.export.nbconvert.urls import canonical_url, data_mime, scheme_of

CSS_RULE = "CSS may name only data: images and fonts and places on the page"
Refuse = Callable[[str], None]  # notes one resource CSS named that the page may not load

# Functions whose arguments (url tokens or strings) name resources.
_URL_FUNCTIONS = frozenset({"url", "src"})
_IMAGE_FUNCTIONS = frozenset(
    {"image-set", "-webkit-image-set", "image", "cross-fade", "-webkit-cross-fade"}
)
# Old browsers' ways to run code from CSS; nothing a page needs.
_ACTIVE_FUNCTIONS = frozenset({"expression", "element", "-moz-element"})
_ACTIVE_PROPERTIES = frozenset({"behavior", "-moz-binding"})


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


def checked_value(value: str, refuse: Refuse) -> str | None:
    """A CSS-valued SVG attribute (fill, mask...) as given, or None if it names anything else."""
    bad = list(_refused_in(tinycss2.parse_component_value_list(value)))
    for url in bad:
        refuse(url)
    return None if bad else value


def checked_declarations(value: str, refuse: Refuse) -> str | None:
    """A ``style`` attribute without the declarations that name anything else."""
    return _filter_css(value, tinycss2.parse_blocks_contents, False, refuse)


def style_text(css: str, refuse: Refuse) -> str:
    """The text of a ``<style>`` element: without the rules and declarations that name anything
    else, and with no '<' left raw (raw text inside <style>: no markup, even in a comment)."""
    cleaned = _filter_css(css, tinycss2.parse_stylesheet, True, refuse) or ""
    if "<" in cleaned:
        rules = tinycss2.parse_stylesheet(cleaned, skip_comments=True)
        cleaned = _serialise(rules).replace("<", "\\3c ")
    return cleaned


def _filter_css(css: str, parse, stylesheet: bool, refuse: Refuse) -> str | None:
    """The CSS unchanged when all it names is allowed; otherwise without the rules and
    declarations that name anything else (each one a refusal)."""
    if not list(_refused_in(tinycss2.parse_component_value_list(css))):
        return css
    kept = []
    for node in parse(css, skip_comments=True, skip_whitespace=False):
        bad = list(_refused_in([node]))
        if node.type == "qualified-rule" and bad:
            inner = _filter_css(tinycss2.serialize(node.content), _blocks, False, refuse)
            node.content = tinycss2.parse_component_value_list(inner or "")
            bad = []
        for url in bad:
            refuse(url)
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
