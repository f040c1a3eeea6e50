"""The one brand file (data/brand/brand.yml) as matplotlib settings and CSS.

Modelled on brand.yml (posit-dev/brand-yml): meta, logo, color (palette + roles), typography,
plus the brief's footer line and page setup.
"""

from __future__ import annotations

import base64
import contextlib
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from .contrast import contrast_problems
from .errors import BrandError, Problems, display_path
from .files import read_yaml_mapping, unknown_key_problems
from .fonts import installed_families, register_fonts, subset_woff2

COLOR_ROLES = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "muted",
    "light",
    "success",
    "warning",
    "danger",
    "secondary_text",  # links and small text in the secondary colour; defaults to secondary
)
REQUIRED_ROLES = (*COLOR_ROLES[:5], "success", "warning", "danger")
PAGE_SIZES = {"A4": "A4", "LETTER": "letter"}
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_LENGTH = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt|px)$")
# The deck's two kinds of slide and the layout each is made from, by name; a firm's template
# names its own in brand.yml's pptx_layouts.
DEFAULT_PPTX_LAYOUTS = (
    ("title", "Title Slide"),  # the first slide: a title and a subtitle placeholder
    ("text", "Title and Content"),  # the evidence and where to start: a title and a body
    ("visual", "Title Only"),  # charts, tables and the three numbers, below the title
)
FONT_SUFFIXES = {".ttf": "truetype", ".otf": "opentype", ".woff": "woff", ".woff2": "woff2"}


@dataclass(frozen=True)
class FontFile:
    family: str
    path: Path
    weight: int
    style: str  # normal or italic


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

    # --- matplotlib -----------------------------------------------------------------
    def matplotlib_rc(self) -> dict:
        """rcParams for charts in the brand's colours and fonts."""
        register_fonts(self.font_files)
        c = self.colors
        return {
            # Named outright: a figure is often saved after the style context has closed.
            "font.family": [self.base_family, "DejaVu Sans"],
            "text.parse_math": False,  # "$1.2M and $3M" is money, not mathtext
            "font.size": 9.5,
            "axes.titlesize": 11.5,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.titlecolor": c["primary"],
            "axes.labelcolor": c["foreground"],
            "axes.edgecolor": c["muted"],
            "axes.linewidth": 0.8,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": _cycler([c["primary"], c["secondary"], c["accent"], c["muted"]]),
            "axes.grid": True,
            "axes.grid.axis": "x",
            "grid.color": c["light"],
            "grid.linewidth": 0.8,
            "xtick.color": c["foreground"],
            "ytick.color": c["foreground"],
            "text.color": c["foreground"],
            "figure.facecolor": c["background"],
            "axes.facecolor": c["background"],
            "savefig.facecolor": c["background"],
            "legend.frameon": False,
            "pdf.fonttype": 42,
        }

    @contextlib.contextmanager
    def matplotlib_style(self):
        import matplotlib as mpl

        with mpl.rc_context(self.matplotlib_rc()):
            yield

    # --- CSS ------------------------------------------------------------------------
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
                data = base64.b64encode(subset_woff2(font.path)).decode("ascii")
                src = f"url(data:font/woff2;base64,{data}) format('woff2')"
            else:
                kind = FONT_SUFFIXES[font.path.suffix.lower()]
                src = f"url('{font.path.resolve().as_uri()}') format('{kind}')"
            rules.append(
                f"@font-face {{ font-family: '{font.family}'; font-weight: {font.weight}; "
                f"font-style: {font.style}; src: {src}; }}"
            )
        return "\n".join(rules)

    def logo_data_uri(self) -> str:
        mime = mimetypes.guess_type(self.logo.name)[0] or "image/svg+xml"
        return f"data:{mime};base64,{base64.b64encode(self.logo.read_bytes()).decode('ascii')}"


def _cycler(colors: list[str]):
    from cycler import cycler

    return cycler(color=colors)


def _css_string(text: str) -> str:
    """A CSS string literal that cannot end its string or the <style> element it sits in."""
    escaped = []
    for char in text:
        if char in '\\"<>&' or ord(char) < 32:
            escaped.append(f"\\{ord(char):X} ")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def load_brand(path: str | Path) -> Brand:
    """Read and validate a brand file; every problem names the file and the key."""
    path = Path(path)
    name = display_path(path)
    data = read_yaml_mapping(path, BrandError)
    problems = Problems(name)
    fail = problems.field

    problems += unknown_key_problems(
        name,
        "",
        data,
        (
            "meta",
            "logo",
            "logo_png",
            "color",
            "typography",
            "footer",
            "footer_without_client",
            "page",
            "pptx_template",
            "pptx_layouts",
        ),
    )
    meta = data.get("meta") or {}
    brand_name = meta.get("name") if isinstance(meta, dict) else None
    if not isinstance(brand_name, str) or not brand_name.strip():
        fail("meta.name", "is missing; the firm's name is shown on every brief")
    logo = path.parent / str(data.get("logo", ""))
    if not data.get("logo") or not logo.is_file():
        fail("logo", "must name an SVG or PNG file in the brand folder", data.get("logo"))
    elif logo.suffix.lower() not in (".svg", ".png"):
        fail("logo", "must be an .svg or .png file", data.get("logo"))

    logo_png = _brand_file(path.parent, data, "logo_png", (".png",), fail)
    if logo_png is None and logo.suffix.lower() == ".png":
        logo_png = logo
    template = _brand_file(path.parent, data, "pptx_template", (".pptx",), fail)
    layouts = _pptx_layouts(data.get("pptx_layouts"), name, problems)

    colors = _colors(data.get("color"), fail)
    fonts, base, headings = _typography(data.get("typography"), path.parent, fail)
    footer = data.get("footer", "")
    if not isinstance(footer, str):
        fail("footer", "must be text", footer)
    general = data.get("footer_without_client", "Confidential; not for distribution.")
    if not isinstance(general, str):
        fail("footer_without_client", "must be text", general)
    page = data.get("page") or {}
    size = str(page.get("size", "A4"))
    if size.upper() not in PAGE_SIZES:
        fail("page.size", "must be A4 or Letter", size)
    margin = str(page.get("margin", "20mm"))
    if not all(_LENGTH.match(part) for part in margin.split()) or len(margin.split()) > 4:
        fail("page.margin", "must be one to four lengths such as 20mm or 0.75in", margin)
    heading_color = colors.get(headings.get("color", "primary"), headings.get("color"))
    if not problems:
        problems += contrast_problems(name, {**colors, "heading": heading_color})
    if problems:
        raise BrandError(problems=problems)
    return Brand(
        path=path,
        name=brand_name.strip(),
        link=str(meta.get("link", "")),
        logo=logo,
        colors=colors,
        font_files=tuple(fonts),
        base_family=base["family"],
        base_size_pt=float(str(base.get("size", "10pt")).removesuffix("pt")),
        line_height=float(base.get("line-height", 1.45)),
        heading_family=headings["family"],
        heading_weight=int(headings.get("weight", 700)),
        heading_color=heading_color,
        footer=footer,
        footer_without_client=general,
        page_size=size,
        page_margin=margin,
        logo_png=logo_png,
        pptx_template=template,
        pptx_layouts=layouts,
    )


def _brand_file(folder: Path, data: dict, key: str, suffixes: tuple[str, ...], fail) -> Path | None:
    """An optional file named in the brand file, relative to its folder."""
    value = data.get(key)
    if value in (None, ""):
        return None
    path = folder / str(value)
    kinds = " or ".join(suffixes)
    if not path.is_file():
        fail(key, f"must name a {kinds} file relative to the brand folder; there is none", value)
        return None
    if path.suffix.lower() not in suffixes:
        fail(key, f"must be a {kinds} file", value)
        return None
    return path


def _pptx_layouts(raw: object, name: str, problems: Problems) -> tuple[tuple[str, str], ...]:
    """The layout each kind of slide uses: the defaults, with the brand file's names over them."""
    defaults = dict(DEFAULT_PPTX_LAYOUTS)
    if raw is None:
        return DEFAULT_PPTX_LAYOUTS
    if not isinstance(raw, dict):
        problems.field("pptx_layouts", f"must map {' and '.join(defaults)} to layout names", raw)
        return DEFAULT_PPTX_LAYOUTS
    problems += unknown_key_problems(name, "pptx_layouts", raw, tuple(defaults))
    for role, layout in raw.items():
        if role in defaults:
            if isinstance(layout, str) and layout.strip():
                defaults[role] = layout.strip()
            else:
                problems.field(f"pptx_layouts.{role}", "must be a layout's name", layout)
    return tuple(defaults.items())


def _colors(raw: object, fail) -> dict[str, str]:
    if not isinstance(raw, dict):
        fail("color", "must have a palette and the colour roles", raw)
        return {}
    palette = raw.get("palette") or {}
    colors: dict[str, str] = {}
    for role in COLOR_ROLES:
        value = raw.get(role)
        if value is None:
            if role in REQUIRED_ROLES:
                fail(f"color.{role}", "is missing")
            continue
        resolved = palette.get(value, value) if isinstance(value, str) else value
        if not isinstance(resolved, str) or not _HEX.match(resolved):
            fail(f"color.{role}", "must be #RRGGBB or a name from color.palette", value)
            continue
        colors[role] = resolved.upper()
    colors.setdefault("secondary_text", colors.get("secondary", "#000000"))
    colors.setdefault("muted", colors.get("foreground", "#555555"))
    colors.setdefault("light", "#EEEEEE")
    return colors


def _typography(raw: object, folder: Path, fail) -> tuple[list[FontFile], dict, dict]:
    base, headings = {"family": "DejaVu Sans"}, {"family": "DejaVu Sans"}
    if not isinstance(raw, dict):
        fail("typography", "must have base and headings", raw)
        return [], base, headings
    fonts: list[FontFile] = []
    for index, item in enumerate(raw.get("fonts") or []):
        family = item.get("family") if isinstance(item, dict) else None
        if not family:
            fail(f"typography.fonts[{index}].family", "is missing")
            continue
        for entry in item.get("files") or []:
            entry = entry if isinstance(entry, dict) else {"path": entry}
            file = folder / str(entry.get("path", ""))
            where = f"typography.fonts[{index}].files"
            if not file.is_file():
                fail(where, "names a font file that does not exist", entry.get("path"))
            elif file.suffix.lower() not in FONT_SUFFIXES:
                fail(where, f"must be one of {', '.join(FONT_SUFFIXES)}", entry.get("path"))
            else:
                weight = int(entry.get("weight", 400))
                fonts.append(FontFile(family, file, weight, str(entry.get("style", "normal"))))
    for key, target in (("base", base), ("headings", headings)):
        part = raw.get(key)
        if not isinstance(part, dict) or not part.get("family"):
            fail(f"typography.{key}.family", "is missing")
            continue
        target.update(part)
    known = {f.family for f in fonts} | installed_families()
    for key, part in (("base", base), ("headings", headings)):
        if part["family"] not in known:
            fail(
                f"typography.{key}.family",
                "is neither shipped under typography.fonts nor "
                "installed on this machine; nothing is loaded from the web",
                part["family"],
            )
    return fonts, base, headings
