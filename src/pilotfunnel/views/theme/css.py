"""The brand as CSS: colour and font variables, the PDF's paged media, @font-face rules, the logo.

Every surface drawn in HTML (the HTML and PDF briefs, the explorer, the presenter's screen)
takes its brand from here, so the brand reads the same on each.
"""

from __future__ import annotations

import base64
import mimetypes

from pilotfunnel.core.errors import BrandError, Problem, display_path
from pilotfunnel.inputs.brand.check import PAGE_SIZES
from pilotfunnel.inputs.brand.check_type import FONT_SUFFIXES
from pilotfunnel.inputs.brand.fonts import FontFile, subset_woff2
from pilotfunnel.inputs.brand.load import Brand


def css_variables(brand: Brand) -> str:
    """The brand's colours and fonts as CSS custom properties (``--pf-*``) on ``:root``."""
    lines = [f"  --pf-{role.replace('_', '-')}: {value};" for role, value in brand.colors.items()]
    lines += [
        f"  --pf-font-base: {font_family(brand, brand.base_family)};",
        f"  --pf-font-headings: {font_family(brand, brand.heading_family)};",
        f"  --pf-font-size: {brand.base_size_pt}pt;",
        f"  --pf-line-height: {brand.line_height};",
        f"  --pf-heading-weight: {brand.heading_weight};",
        f"  --pf-heading-color: {brand.heading_color};",
    ]
    return ":root {\n" + "\n".join(lines) + "\n}\n"


def font_family(brand: Brand, family: str) -> str:
    """A CSS font-family list: ``family``, the brand's fallback (``Brand.font_stack``), then
    the reader's own sans-serif. Names are quoted: the brand check allows only letters,
    digits, spaces, _ and - in them, so none can end its string."""
    return ", ".join([*(f"'{name}'" for name in brand.font_stack(family)), "sans-serif"])


def page_css(brand: Brand, client: str | None) -> str:
    """CSS paged media for the PDF: size, margins, running footer with page x of y."""
    footer = css_string(brand.footer_for(client))
    return (
        f"@page {{ size: {PAGE_SIZES[brand.page_size.upper()]}; margin: {brand.page_margin};\n"
        f"  @bottom-left {{ content: {footer}; }}\n"
        '  @bottom-right { content: "Page " counter(page) " of " counter(pages); } }\n'
        "@page cover { @bottom-left { content: none; } @bottom-right { content: none; } }\n"
    )


def font_face_css(brand: Brand, inline: bool = True) -> str:
    """@font-face rules for the brand's fonts.

    Inline (for the HTML file): subset to the characters a brief uses and embedded as
    WOFF2, so the page needs nothing else and stays small. Not inline (for WeasyPrint):
    the files by path, which it reads without parsing megabytes of base64 CSS.
    """
    rules = []
    for font in brand.font_files:
        if inline:
            data = base64.b64encode(_subset(brand, font)).decode("ascii")
            src = f"url(data:font/woff2;base64,{data}) format('woff2')"
        else:
            kind = FONT_SUFFIXES[font.path.suffix.lower()]
            src = f"url('{font.path.resolve().as_uri()}') format('{kind}')"
        rules.append(
            f"@font-face {{ font-family: '{font.family}'; font-weight: {font.weight}; "
            f"font-style: {font.style}; src: {src}; }}"
        )
    return "\n".join(rules)


def logo_data_uri(brand: Brand) -> str:
    """The logo as a data: URI, so a page shows it without a file beside it."""
    mime = mimetypes.guess_type(brand.logo.name)[0] or "image/svg+xml"
    return f"data:{mime};base64,{base64.b64encode(brand.logo.read_bytes()).decode('ascii')}"


def css_string(text: str) -> str:
    """A CSS string literal that cannot end its string or the <style> element it sits in."""
    escaped = []
    for char in text:
        code = ord(char)
        if char in '\\"<>&' or code < 32 or 0x7F <= code < 0xA0:
            escaped.append(f"\\{code:X} ")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _subset(brand: Brand, font: FontFile) -> bytes:
    try:
        return subset_woff2(font.path)
    except Exception:  # fontTools raises many kinds for a font it cannot subset
        raise BrandError(
            problems=[
                Problem(
                    display_path(brand.path),
                    "field 'typography.fonts'",
                    f"{display_path(font.path)} cannot be subset for the HTML page; "
                    "replace it with the family's .ttf or .otf file",
                    column="typography.fonts",
                )
            ]
        ) from None
