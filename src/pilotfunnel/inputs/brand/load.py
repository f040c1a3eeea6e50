"""The one brand file (data/brand/brand.yml) as a record: what every surface is styled with.

Modelled on brand.yml (posit-dev/brand-yml): meta, logo, color (palette + roles), typography,
plus the brief's footer line and page setup. What each key may hold is checked in ``check``,
``check_type`` and ``check_image``; the brand is drawn as CSS and matplotlib settings by
``pilotfunnel.views.theme``.
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from pilotfunnel.core.errors import BrandError, Problem, Problems, display_path
from pilotfunnel.core.files import read_yaml_mapping
from pilotfunnel.inputs.brand import check, check_type
from pilotfunnel.inputs.brand.check import DEFAULT_PPTX_LAYOUTS, PAGE_SIZES
from pilotfunnel.inputs.brand.check_type import FONT_SUFFIXES
from pilotfunnel.inputs.brand.contrast import contrast_problems
from pilotfunnel.inputs.brand.fonts import FontFile, subset_woff2


@dataclass(frozen=True)
class Brand:
    """A validated brand: what charts, the HTML brief and the PDF brief are styled with."""

    path: Path
    name: str
    link: str
    logo: Path
    colors: dict[str, str]  # role -> #RRGGBB
    font_files: tuple[FontFile, ...]
    base_family: str
    base_size_pt: float
    line_height: float
    heading_family: str
    heading_weight: int
    heading_color: str
    footer: str
    footer_without_client: str
    page_size: str
    page_margin: str
    logo_png: Path | None = None  # the logo for the deck: PowerPoint cannot place an SVG
    pptx_template: Path | None = None  # a firm's own PowerPoint template, when it has one
    pptx_layouts: tuple[tuple[str, str], ...] = DEFAULT_PPTX_LAYOUTS  # role -> layout name

    def footer_for(self, client: str | None) -> str:
        """The footer line: "Prepared for" a client when there is one, else the general one."""
        return self.footer.replace("{client}", client) if client else self.footer_without_client

    def tint(self, role: str, share: float = 0.15) -> str:
        """A light background in a role's colour: ``share`` of it over the page background."""
        color, ground = self.colors[role], self.colors["background"]
        mixed = (
            round(share * int(color[i : i + 2], 16) + (1 - share) * int(ground[i : i + 2], 16))
            for i in (1, 3, 5)
        )
        return "#" + "".join(f"{channel:02X}" for channel in mixed)

    # --- CSS: transitional, drawn by views.theme.css; removed once no caller is left
    def css_variables(self) -> str:
        lines = [
            f"  --pf-{role.replace('_', '-')}: {value};" for role, value in self.colors.items()
        ]
        lines += [
            f"  --pf-font-base: '{self.base_family}', 'DejaVu Sans', sans-serif;",
            f"  --pf-font-headings: '{self.heading_family}', 'DejaVu Sans', sans-serif;",
            f"  --pf-font-size: {self.base_size_pt}pt;",
            f"  --pf-line-height: {self.line_height};",
            f"  --pf-heading-weight: {self.heading_weight};",
            f"  --pf-heading-color: {self.heading_color};",
        ]
        return ":root {\n" + "\n".join(lines) + "\n}\n"

    def page_css(self, client: str | None) -> str:
        """CSS paged media for the PDF: size, margins, running footer with page x of y."""
        footer = _css_string(self.footer_for(client))
        return (
            f"@page {{ size: {PAGE_SIZES[self.page_size.upper()]}; margin: {self.page_margin};\n"
            f"  @bottom-left {{ content: {footer}; }}\n"
            '  @bottom-right { content: "Page " counter(page) " of " counter(pages); } }\n'
            "@page cover { @bottom-left { content: none; } @bottom-right { content: none; } }\n"
        )

    def font_face_css(self, inline: bool = True) -> str:
        """@font-face rules for the brand's fonts.

        Inline (for the HTML file): subset to the characters a brief uses and embedded as
        WOFF2, so the page needs nothing else and stays small. Not inline (for WeasyPrint):
        the files by path, which it reads without parsing megabytes of base64 CSS.
        """
        rules = []
        for font in self.font_files:
            if inline:
                data = base64.b64encode(self._subset(font)).decode("ascii")
                src = f"url(data:font/woff2;base64,{data}) format('woff2')"
            else:
                kind = FONT_SUFFIXES[font.path.suffix.lower()]
                src = f"url('{font.path.resolve().as_uri()}') format('{kind}')"
            rules.append(
                f"@font-face {{ font-family: '{font.family}'; font-weight: {font.weight}; "
                f"font-style: {font.style}; src: {src}; }}"
            )
        return "\n".join(rules)

    def _subset(self, font: FontFile) -> bytes:
        try:
            return subset_woff2(font.path)
        except Exception:  # fontTools raises many kinds for a font it cannot subset
            raise BrandError(
                problems=[
                    Problem(
                        display_path(self.path),
                        "field 'typography.fonts'",
                        f"{display_path(font.path)} cannot be subset for the HTML page; "
                        "replace it with the family's .ttf or .otf file",
                        column="typography.fonts",
                    )
                ]
            ) from None

    def logo_data_uri(self) -> str:
        mime = mimetypes.guess_type(self.logo.name)[0] or "image/svg+xml"
        return f"data:{mime};base64,{base64.b64encode(self.logo.read_bytes()).decode('ascii')}"


def _css_string(text: str) -> str:
    """A CSS string literal that cannot end its string or the <style> element it sits in."""
    escaped = []
    for char in text:
        code = ord(char)
        if char in '\\"<>&' or code < 32 or 0x7F <= code < 0xA0:
            escaped.append(f"\\{code:X} ")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def load_brand(path: str | Path) -> Brand:
    """Read and validate a brand file; every problem names the file and the key.

    Checked by type and form: colours #RRGGBB or a palette name; font families letters,
    digits, spaces, _ and -; weights 100 to 900 or their names; sizes in pt, px or rem; every
    file inside the brand folder and what it says it is (fonts opened with fontTools and
    FreeType, the logo as an SVG or PNG image). The deck template is opened by
    ``deck.open_template`` (``brand check``, and before any deck is made).
    """
    path = Path(path)
    name = display_path(path)
    data = read_yaml_mapping(path, BrandError)
    problems = Problems(name)
    fail = problems.field
    folder = path.parent

    problems += check.unknown_keys(name, "", data, check.KEYS)
    brand_name, link = check.meta(data.get("meta"), name, problems)
    logo, logo_png = check.logos(folder, data, problems)
    template = check.brand_file(
        folder, data, "pptx_template", (".pptx",), check.MAX_TEMPLATE_BYTES, fail
    )
    layouts = check.pptx_layouts(data.get("pptx_layouts"), name, problems)
    colors, palette = check.colors(data.get("color"), name, problems)
    typography = check_type.typography(
        data.get("typography"), folder, colors, palette, name, problems
    )
    footer, general = check.footers(data, fail)
    size, margin = check.page(data.get("page"), name, problems)
    if not problems:
        heading = typography["heading_color"]
        problems += contrast_problems(name, {**colors, "heading": heading})
    if problems:
        raise BrandError(problems=problems)
    return Brand(
        path=path,
        name=brand_name,
        link=link,
        logo=logo,
        colors=colors,
        font_files=typography["fonts"],
        base_family=typography["base_family"],
        base_size_pt=typography["base_size_pt"],
        line_height=typography["line_height"],
        heading_family=typography["heading_family"],
        heading_weight=typography["heading_weight"],
        heading_color=typography["heading_color"],
        footer=footer,
        footer_without_client=general,
        page_size=size,
        page_margin=margin,
        logo_png=logo_png,
        pptx_template=template,
        pptx_layouts=layouts,
    )
