"""TeX math in Markdown cells and ``text/latex`` outputs, drawn as inline SVG, offline.

Why matplotlib's mathtext: it is already a dependency, needs no browser, no network and no TeX
installation, and draws glyphs as paths, so the PDF and the self-contained HTML show the same
formula with no font to ship. MathJax would need JavaScript (WeasyPrint runs none) and a copy
of its fonts; a TeX installation is hundreds of megabytes. mathtext covers the TeX a consultant
writes in notes (fractions, Greek, sub- and superscripts, sums, roots); for what it cannot draw
(environments such as ``\\begin{pmatrix}``) the TeX source stays, in a visible code style, and the
export warns with the cell. Every formula's SVG carries its TeX as alt text for screen readers.
"""

from __future__ import annotations

import functools
import html
import io
import re

from nbconvert.preprocessors import Preprocessor

# Display math: $$...$$ (may span lines). Inline math, by pandoc's rule: $ then a non-space,
# closed by a non-space then $ not followed by a digit, so "$1.2M and $3M" stays money.
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_INLINE = re.compile(r"(?<![\\$\w])\$(?=\S)([^$\n]+?)(?<=\S)\$(?![\d$])")
# Code (fenced blocks and inline spans) is left as written.
_CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.DOTALL)
_SVG_HEAD = re.compile(r"^.*?(?=<svg)", re.DOTALL)
# Dropped from matplotlib's SVG: its date (same bytes every time), comments, and its <style>,
# whose "*{...}" rule would style the whole page once the SVG sits inline in it.
_DROPPED = re.compile(r"<metadata>.*?</metadata>|<!--.*?-->|<style\b.*?</style>", re.DOTALL)
_BETWEEN_TAGS = re.compile(r">\s+<")
_IGNORED_COMMANDS = re.compile(r"\\(displaystyle|textstyle)\b\s*")  # sympy's; no effect here


class MathError(ValueError):
    """A formula mathtext cannot draw."""


@functools.lru_cache(maxsize=512)
def tex_to_svg(tex: str, display: bool = False) -> str:
    """One formula as an inline SVG element, its TeX as the accessible name."""
    # Imported here, not at the top: matplotlib loads only for a notebook that has math. No
    # backend is chosen (mathtext draws on a Figure without pyplot), so the analyst's stays.
    import matplotlib
    from matplotlib import mathtext
    from matplotlib.font_manager import FontProperties

    buffer = io.BytesIO()
    settings = {"svg.hashsalt": "pilotfunnel-math", "svg.fonttype": "path"}
    try:
        with matplotlib.rc_context(settings):
            mathtext.math_to_image(
                f"${_IGNORED_COMMANDS.sub('', tex).strip()}$",
                buffer,
                prop=FontProperties(size=13 if display else 11),
                format="svg",
            )
    except Exception as exc:  # mathtext raises ValueError and pyparsing's errors
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        raise MathError(lines[-1] if lines else type(exc).__name__) from exc
    svg = _DROPPED.sub("", _SVG_HEAD.sub("", buffer.getvalue().decode("utf-8")))
    # One line: inside Markdown, a line break or an indented line would end the HTML.
    svg = " ".join(_BETWEEN_TAGS.sub("><", svg).split())
    label = html.escape(tex.strip(), quote=True)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="pf-math-svg" ', 1)
    kind = "pf-math-display" if display else "pf-math"
    return f'<span class="{kind}">{svg.strip()}</span>'


def render_markdown_math(text: str, on_failure=None) -> str:
    """Markdown with its math replaced by SVG; a formula that fails keeps its TeX as code."""

    def draw(match: re.Match, display: bool) -> str:
        tex = match.group(1)
        try:
            return tex_to_svg(tex, display)
        except MathError as error:
            if on_failure:
                on_failure(tex, str(error))
            return f'<code class="pf-tex">{html.escape(match.group(0))}</code>'

    parts = _CODE.split(text)
    for index in range(0, len(parts), 2):  # even parts are prose; odd parts are code
        prose = _DISPLAY.sub(lambda m: draw(m, True), parts[index])
        parts[index] = _INLINE.sub(lambda m: draw(m, False), prose)
    return "".join(parts)


class MathPreprocessor(Preprocessor):
    """Draw the math of Markdown cells and ``text/latex`` outputs; warn per formula it cannot."""

    def preprocess(self, nb, resources):
        for number, cell in enumerate(nb.cells, start=1):

            def warn(tex: str, reason: str, number=number) -> None:
                self.log.warning("cell %d: formula kept as TeX: %s (%s)", number, tex, reason)

            if cell.cell_type == "markdown" and "$" in cell.source:
                cell.source = render_markdown_math(cell.source, warn)
            for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
                data = output.get("data", {})
                if "text/latex" in data and "text/html" not in data:
                    data["text/html"] = render_markdown_math(str(data["text/latex"]), warn)
        return nb, resources
