"""The one brand file (data/brand/brand.yml) as a record: what every surface is styled with.

Modelled on brand.yml (posit-dev/brand-yml): meta, logo, color (palette + roles), typography,
plus the brief's footer line and page setup. What each key may hold is checked in ``check``,
``check_type`` and ``check_image``; the brand is drawn as CSS and matplotlib settings by
``pilotfunnel.views.theme``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pilotfunnel.core.errors import BrandError, Problems, display_path
from pilotfunnel.core.files import read_yaml_mapping
from pilotfunnel.inputs.brand import check, check_type
from pilotfunnel.inputs.brand.check import DEFAULT_PPTX_LAYOUTS
from pilotfunnel.inputs.brand.contrast import contrast_problems
from pilotfunnel.inputs.brand.fonts import FontFile


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
    # typography.fallback: the families a reader's machine uses where the brand's are missing.
    font_fallback: tuple[str, ...] = ()

    def font_stack(self, family: str) -> tuple[str, ...]:
        """``family`` and then the brand's fallback, each once: the order every surface
        names them in (CSS font-family, the charts' font list)."""
        stack: list[str] = []
        for name in (family, *self.font_fallback):
            if name.casefold() not in (known.casefold() for known in stack):
                stack.append(name)
        return tuple(stack)

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


def load_brand(path: str | Path) -> Brand:
    """Read and validate a brand file; every problem names the file and the key.

    Checked by type and form: colours #RRGGBB or a palette name; font families (and
    typography.fallback's list of them) letters, digits, spaces, _ and -; weights 100 to 900
    or their names; sizes in pt, px or rem; every file inside the brand folder and what it
    says it is (fonts opened with fontTools and FreeType, the logo as an SVG or PNG image).
    The deck template is opened by ``deck.open_template`` (``brand check``, and before any
    deck is made).
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
        font_fallback=typography["fallback"],
    )
