"""Workarounds for other libraries, one function each, so each is easy to find and to retire.

Each names the upstream issue it works around and applies only to the versions that need it;
tests/test_compat.py shows each problem still exists upstream, so a fixed release fails a test
and tells us to remove the workaround.
"""

from __future__ import annotations

import atexit
import copy
import functools
import logging
import re
import sys
from importlib.metadata import version
from multiprocessing import util

from packaging.version import Version

from pilotfunnel.core.errors import PilotfunnelError

LOG = logging.getLogger("pilotfunnel")
HARFBUZZ_SUBSET_PACKAGE = "libharfbuzz-subset0"  # Debian's name; the README and .ci/run use it
INLINE_SVG = re.compile(r"<svg\b[^>]*>.*?</svg>", re.DOTALL)  # an SVG element, not nested


def applies(distribution: str, below: str) -> bool:
    """Whether the installed ``distribution`` is older than ``below``, the first release not
    yet checked: a newer one runs without the workaround, and tests/test_compat.py says
    whether the workaround is still needed."""
    return Version(version(distribution)) < Version(below)


def harfbuzz_subset_available() -> bool:
    """Whether WeasyPrint subsets fonts with HarfBuzz (fast) rather than fontTools (fallback)."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset  # WeasyPrint only when asked: heavy

    # WeasyPrint needs HarfBuzz-Subset 4.1.0 or later, and falls back to fontTools without it.
    return harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))


@functools.cache
def keep_font_timestamps_in_pdf_subsets() -> None:
    """Make WeasyPrint's fontTools fallback keep each font's own ``head.modified`` date.

    Without HarfBuzz-Subset, WeasyPrint subsets fonts with fontTools and saves them with
    ``TTFont.save``, which stamps the current time into every embedded font: the same brief
    differs from one second to the next (Kozea/WeasyPrint#1553, fonttools/fonttools#115).
    HarfBuzz copies the font's ``head`` table as it is; this makes the fallback do the same,
    so a brief's bytes depend on its inputs only. Applied once per process; harmless when
    HarfBuzz-Subset is present, since WeasyPrint then never calls fontTools here.
    """
    if not applies("weasyprint", below="71"):
        return
    from weasyprint.pdf import fonts  # WeasyPrint only where a PDF is made: heavy

    if getattr(fonts, "TTFont", None) is None:  # a WeasyPrint without the fallback
        return
    original = fonts.TTFont
    if isinstance(original, functools.partial):
        return
    fonts.TTFont = functools.partial(original, recalcTimestamp=False)


@functools.cache
def note_slow_font_subsetting() -> bool:
    """Say once per process when PDFs are made on WeasyPrint's slower fontTools path.

    WeasyPrint's own warning is silenced with the rest of its log (it logs every CSS property it
    ignores), so the kit says it once, naming the system package to install.
    """
    if harfbuzz_subset_available():
        return False
    LOG.warning(
        "fonts are subset with fontTools, WeasyPrint's slower fallback, because HarfBuzz-Subset "
        "is missing; install it for faster PDFs: apt-get install %s",
        HARFBUZZ_SUBSET_PACKAGE,
    )
    return True


def skip_unused_slow_imports() -> None:
    """Keep an import that no brief uses from costing each process 0.7 s.

    jsonschema, which nbformat imports, imports rfc3987_syntax when it is installed (Jupyter's
    dependencies install it), and that compiles some 35 grammars at import for the "iri"
    format, which no notebook schema uses (python-jsonschema/jsonschema#1428). Only for
    processes the kit owns (the ``brief`` command, batch workers): a Jupyter server that loads
    the exporters is left as it is.
    """
    if applies("jsonschema", below="5"):
        sys.modules.setdefault("rfc3987_syntax", None)


def delete_at_exit(holder: object, name: str) -> None:
    """Delete ``holder.name`` before the interpreter exits, in pool workers too.

    WeasyPrint's FontConfiguration copies @font-face files to a temporary folder that only its
    finaliser removes. Kept for a process's life (one per thread, to reuse Pango's caches), it
    must be deleted before the interpreter tears down the modules that finaliser needs; pool
    workers leave by os._exit, which runs multiprocessing's finalizers but not atexit.
    """

    def forget() -> None:
        vars(holder).pop(name, None)

    atexit.register(forget)
    util.Finalize(None, forget, exitpriority=10)


def one_line_errors_on_nbconvert_command_line() -> bool:
    """Make a refusal of the kit's read as one line on ``jupyter nbconvert``'s command line.

    nbconvert's ``NbConvertApp`` catches only its own ConversionException (and logs that with
    ``exc_info=True``, its traceback included); any other error of an exporter escapes
    ``convert_single_notebook`` and traitlets' ``launch_instance``, and Python prints a
    13-frame traceback around the kit's one-line message (a failed cell, a refused scenario).
    This shows the kit's own errors (PilotfunnelError) as ``[NbConvertApp] pilotfunnel: ...``,
    one line on stderr, and the command still exits non-zero (1); every other error keeps its
    traceback. Installed when the exporters are imported, and only in nbconvert's own
    command line (a Jupyter server or a batch worker that loads the exporters is left as it
    is). Returns whether it is installed.
    """
    if not applies("nbconvert", below="8"):
        return False
    # The exporters are imported while nbconvertapp itself is (its help text lists every
    # exporter), before the app exists: what is installed here checks for it when it acts.
    if "nbconvert.nbconvertapp" not in sys.modules:
        return False
    if not getattr(sys.excepthook, "pilotfunnel_one_line", False):
        sys.excepthook = _one_line_hook(sys.excepthook)
    log = logging.getLogger("NbConvertApp")  # traitlets names an app's log after its class
    if not any(isinstance(f, _OneLineKitErrors) for f in log.filters):
        log.addFilter(_OneLineKitErrors())
    return True


def kit_error_line(error: BaseException) -> str:
    """The kit's error as nbconvert's command line shows it: one line, each of the message's
    lines after the first joined on (a failed cell's list, say)."""
    text = ""
    for line in (part.strip() for part in str(error).splitlines()):
        if line:
            text += (" " if text.endswith(":") else "; ") + line if text else line
    return f"[NbConvertApp] pilotfunnel: {text or type(error).__name__}"


def _is_kit_error(error: object) -> bool:
    """Whether ``error`` is one of the kit's, raised while nbconvert's command line runs."""
    if not isinstance(error, PilotfunnelError):
        return False
    app = getattr(sys.modules.get("nbconvert.nbconvertapp"), "NbConvertApp", None)
    return app is not None and app.initialized()


def _one_line_hook(previous):
    def hook(kind, error, traceback) -> None:
        if _is_kit_error(error):
            sys.stderr.write(kit_error_line(error) + "\n")
            sys.stderr.flush()
            return
        previous(kind, error, traceback)

    hook.pilotfunnel_one_line = True
    return hook


class _OneLineKitErrors(logging.Filter):
    """On nbconvert's app log: a kit error logged with its traceback becomes one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if _is_kit_error(error):
            record.msg, record.args = "%s", (kit_error_line(error),)
            record.exc_info, record.exc_text = None, None
        return True


def set_svg_aside(nb) -> tuple:
    """A copy of the notebook with each inline SVG in its HTML outputs swapped for a placeholder.

    nbconvert's HTMLExporter re-parses the whole page with BeautifulSoup's html.parser to add
    missing alt texts and tab stops; a brief's charts are half the page's elements and need
    neither, and the re-parse lowercases SVG's camelCase names (viewBox -> viewbox), which
    breaks the chart in an XML reader. Set aside, they cost nothing there and reach the page
    exactly as the chart code drew them; ``put_svg_back`` restores them.
    """
    svgs: list[str] = []

    def placeholder(match: re.Match) -> str:
        if match.group(0).count("<svg") > 1:
            return match.group(0)  # nested: left to the page as it is
        svgs.append(match.group(0))
        return f'<svg data-pf-svg="{len(svgs) - 1}"></svg>'

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            html = output.get("data", {}).get("text/html")
            if isinstance(html, str) and "<svg" in html:
                output["data"]["text/html"] = INLINE_SVG.sub(placeholder, html)
    return nb, svgs


def put_svg_back(html: str, svgs: list[str]) -> str:
    """The page with the SVGs that ``set_svg_aside`` took out back in place."""
    for index, svg in enumerate(svgs):
        html = html.replace(f'<svg data-pf-svg="{index}"></svg>', svg, 1)
    return html


def restore_svg_name_case(svg: str) -> str:
    """An SVG's camelCase element and attribute names, restored after an HTML serialiser.

    An SVG written in a Markdown cell reaches the page through an HTML parser, which lowercases
    names (the HTML standard's "adjust SVG" tables); as an image, WeasyPrint reads it as XML,
    where ``viewbox`` is not ``viewBox`` and the chart would be drawn at the wrong size.
    """
    return _TAG.sub(_camel_case_tag, svg)


_TAG = re.compile(r"<(/?)([^\s/>]+)([^>]*)>")
_ATTRIBUTE = re.compile(r"""(\s)([^\s="'/>]+)(="[^"]*"|='[^']*')?""")
# SVG's camelCase element and attribute names, which an HTML serialisation lowercases (the HTML
# standard's "adjust SVG tag names" and "adjust SVG attributes" tables).
_SVG_NAMES = """
    altGlyph altGlyphDef altGlyphItem animateColor animateMotion animateTransform clipPath
    feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting
    feDisplacementMap feDistantLight feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur
    feImage feMerge feMergeNode feMorphology feOffset fePointLight feSpecularLighting
    feSpotLight feTile feTurbulence foreignObject glyphRef linearGradient radialGradient
    textPath attributeName attributeType baseFrequency baseProfile calcMode clipPathUnits
    contentScriptType contentStyleType diffuseConstant edgeMode externalResourcesRequired
    filterRes filterUnits gradientTransform gradientUnits kernelMatrix kernelUnitLength
    keyPoints keySplines keyTimes lengthAdjust limitingConeAngle markerHeight markerUnits
    markerWidth maskContentUnits maskUnits numOctaves pathLength patternContentUnits
    patternTransform patternUnits pointsAtX pointsAtY pointsAtZ preserveAlpha
    preserveAspectRatio primitiveUnits refX refY repeatCount repeatDur requiredExtensions
    requiredFeatures specularConstant specularExponent spreadMethod startOffset stdDeviation
    stitchTiles surfaceScale systemLanguage tableValues targetX targetY textLength viewBox
    viewTarget xChannelSelector yChannelSelector zoomAndPan
"""
_CAMEL_CASE = {name.lower(): name for name in _SVG_NAMES.split()}


def _camel_case_tag(match: re.Match) -> str:
    slash, name, attributes = match.groups()
    attributes = _ATTRIBUTE.sub(
        lambda a: a.group(1) + _CAMEL_CASE.get(a.group(2), a.group(2)) + (a.group(3) or ""),
        attributes,
    )
    return f"<{slash}{_CAMEL_CASE.get(name, name)}{attributes}>"
