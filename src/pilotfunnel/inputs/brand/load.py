"""The one brand file (data/brand/brand.yml) as matplotlib settings and CSS.

Modelled on brand.yml (posit-dev/brand-yml): meta, logo, color (palette + roles), typography,
plus the brief's footer line and page setup.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import math
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from pilotfunnel.core.errors import BrandError, Problem, Problems, display_path
from pilotfunnel.core.files import read_yaml_mapping, unknown_key_problems
from pilotfunnel.inputs.brand.contrast import contrast_problems
from pilotfunnel.inputs.brand.fonts import (
    font_problem,
    installed_families,
    register_fonts,
    subset_woff2,
)

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


def _cycler(colors: list[str]):
    from cycler import cycler

    return cycler(color=colors)


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


# --- what brand.yml may hold ---------------------------------------------------------------
# Every value below reaches CSS, the HTML page, the charts or the deck, so each is checked for
# its form, not only its type: a value outside these forms could end a CSS string or a <style>
# element in every client's brief.
SAFE_FAMILY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9 _-]{0,62}[A-Za-z0-9])?$")
FONT_STYLES = ("normal", "italic", "oblique")
FONT_WEIGHT_NAMES = {
    "thin": 100,
    "hairline": 100,
    "extralight": 200,
    "ultralight": 200,
    "light": 300,
    "normal": 400,
    "regular": 400,
    "medium": 500,
    "semibold": 600,
    "demibold": 600,
    "bold": 700,
    "extrabold": 800,
    "ultrabold": 800,
    "black": 900,
    "heavy": 900,
}
# Font sizes in pt, px or rem/em (16 px, the browsers' default root size, is 12 pt); a bare
# number is points, as brand files before units were checked wrote it.
SIZE_UNITS_PT = {"pt": 1.0, "px": 0.75, "rem": 12.0, "em": 12.0}
BASE_SIZE_PT = (6.0, 24.0)
LINE_HEIGHT = (0.8, 3.0)
LINE_HEIGHT_NORMAL = 1.2  # what browsers take `normal` to be for most fonts
LENGTH_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "px": 25.4 / 96}
MAX_MARGIN_MM = 60.0
MAX_NAME, MAX_FOOTER, MAX_LINK, MAX_PATH = 100, 300, 300, 200
MAX_LOGO_BYTES = 5 * 2**20
MAX_FONT_BYTES = 20 * 2**20
MAX_TEMPLATE_BYTES = 50 * 2**20
MAX_FONT_FAMILIES, MAX_FONT_FILES = 16, 16
MAX_LOGO_PIXELS = 10_000  # per side
_NUMBER = r"(\d{1,4}(?:\.\d{1,4})?|\.\d{1,4})"
_SIZE = re.compile(rf"^{_NUMBER}\s*(pt|px|rem|em)?$", re.IGNORECASE)
_LINE_HEIGHT = re.compile(rf"^{_NUMBER}(%?)$")
_LENGTH_PART = re.compile(rf"^{_NUMBER}(mm|cm|in|pt|px)$|^0$")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINK = re.compile(r"^https?://[^\s\"'<>\\]+$")
_PATH_UNSAFE = re.compile("[\"'\\\\<>\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SVG = "{http://www.w3.org/2000/svg}svg"
_SVG_ACTIVE = {"script", "foreignObject", "iframe", "object", "embed", "handler", "listener"}
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)|@import", re.IGNORECASE)
_KEYS = (
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
)


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

    problems += _unknown_keys(name, "", data, _KEYS)
    meta = _mapping(data.get("meta"), "meta", "must have the firm's name", fail, name, problems)
    problems += _unknown_keys(name, "meta", meta, ("name", "link"))
    if meta.get("name") is None:
        fail("meta.name", "is missing; the firm's name is shown on every brief")
        brand_name = ""
    else:
        brand_name = _text(meta.get("name"), "meta.name", MAX_NAME, fail, required=True)
    link = meta.get("link", "")
    if link not in (None, "") and (not isinstance(link, str) or not _fits(link, MAX_LINK, _LINK)):
        fail("meta.link", f"must be an http(s) address of at most {MAX_LINK} characters", link)
        link = ""

    logo = _brand_file(folder, data, "logo", (".svg", ".png"), MAX_LOGO_BYTES, fail, True)
    if logo is not None and (why := image_problem(logo)):
        fail("logo", why, data.get("logo"))
    logo_png = _brand_file(folder, data, "logo_png", (".png",), MAX_LOGO_BYTES, fail)
    if logo_png is not None and (why := image_problem(logo_png)):
        fail("logo_png", why, data.get("logo_png"))
    if logo_png is None and logo is not None and logo.suffix.lower() == ".png":
        logo_png = logo
    template = _brand_file(folder, data, "pptx_template", (".pptx",), MAX_TEMPLATE_BYTES, fail)
    layouts = _pptx_layouts(data.get("pptx_layouts"), name, problems)

    colors, palette = _colors(data.get("color"), name, problems)
    typography = _typography(data.get("typography"), folder, colors, palette, name, problems)
    footer = _text(data.get("footer", ""), "footer", MAX_FOOTER, fail)
    general = _text(
        data.get("footer_without_client", "Confidential; not for distribution."),
        "footer_without_client",
        MAX_FOOTER,
        fail,
    )
    page = _mapping(data.get("page"), "page", "must have a size and a margin", fail, name, problems)
    problems += _unknown_keys(name, "page", page, ("size", "margin"))
    size = page.get("size", "A4")
    if not isinstance(size, str) or size.upper() not in PAGE_SIZES:
        fail("page.size", "must be A4 or Letter", size)
    margin = _margin(page.get("margin", "20mm"), fail)
    if not problems:
        heading = typography["heading_color"]
        problems += contrast_problems(name, {**colors, "heading": heading})
    if problems:
        raise BrandError(problems=problems)
    return Brand(
        path=path,
        name=brand_name,
        link=link or "",
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


def _unknown_keys(name: str, prefix: str, found: dict, allowed: tuple[str, ...]) -> list:
    # A hostile key is cut before it is named, as every value in a message is.
    shown = {(k if len(str(k)) <= 40 else str(k)[:37] + "..."): None for k in found}
    return unknown_key_problems(name, prefix, shown, allowed)


def _mapping(raw: object, where: str, needs: str, fail, name: str, problems: Problems) -> dict:
    """A part of the brand file that must be a mapping; {} (and a problem) when it is not."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        fail(where, needs, raw)
        return {}
    return raw


def _fits(text: str, limit: int, form: re.Pattern | None = None) -> bool:
    return len(text) <= limit and not _CONTROL.search(text) and (form is None or form.match(text))


def _text(raw: object, where: str, limit: int, fail, required: bool = False) -> str:
    """A line of text the brief shows (the firm's name, a footer): no control characters."""
    if not isinstance(raw, str) or (required and not raw.strip()):
        fail(where, "must be text" + (", not empty" if required else ""), raw)
        return ""
    if len(raw) > limit:
        fail(where, f"must be at most {limit} characters", raw)
        return ""
    if _CONTROL.search(raw):
        fail(where, "must be one line of text without control characters", raw)
        return ""
    return raw.strip() if required else raw


def _brand_file(
    folder: Path,
    data: dict,
    key: str,
    suffixes: tuple[str, ...],
    limit: int,
    fail,
    required: bool = False,
) -> Path | None:
    """A file named in the brand file (optional unless ``required``), inside its folder."""
    value = data.get(key)
    if value in (None, "") and not required:
        return None
    return _relative_file(folder, value, key, suffixes, limit, fail)


def _relative_file(
    folder: Path, value: object, where: str, suffixes: tuple[str, ...], limit: int, fail
) -> Path | None:
    kinds = " or ".join(suffixes)
    if not isinstance(value, str) or not value.strip():
        fail(where, f"must name a {kinds} file relative to the brand folder", value)
        return None
    relative = Path(value)
    if (
        len(value) > MAX_PATH
        or _PATH_UNSAFE.search(value)
        or relative.is_absolute()
        or relative.drive
        or ".." in relative.parts
    ):
        # The brand's files are the firm's, in its folder: a path out of it could name any
        # file on the machine, and a quote or bracket would end the CSS url() it is put in.
        fail(
            where,
            f"must name a {kinds} file inside the brand folder: a relative path without '..', "
            "quotes, brackets or control characters",
            value,
        )
        return None
    path = folder / relative
    if not path.is_file():
        fail(where, f"must name a {kinds} file relative to the brand folder; there is none", value)
        return None
    if path.suffix.lower() not in suffixes:
        fail(where, f"must be a {kinds} file", value)
        return None
    if path.stat().st_size > limit:
        fail(where, f"names a file over {limit // 2**20} MB, larger than a {kinds} file is", value)
        return None
    return path


def image_problem(path: Path) -> str | None:
    """What keeps ``path`` from being the logo, judged by its content; None when it can be.

    A PNG must be a PNG PIL can read; an SVG must be an SVG document that only draws: no
    script, no event handler, nothing it would fetch (the PDF and present mode render it).
    """
    stat = path.stat()  # kept per file version, as fonts.font_problem is
    return _image_problem(path, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _image_problem(path: Path, size: int, modified: int) -> str | None:
    data = path.read_bytes()
    if path.suffix.lower() == ".png":
        if not data.startswith(_PNG_SIGNATURE):
            return "is not a PNG image"
        try:
            from PIL import Image

            with Image.open(io.BytesIO(data)) as image:
                size = image.size
                image.verify()
        except Exception:  # PIL raises many kinds for a damaged file; any is the same answer
            return "is not a PNG image PIL can read"
        if max(size) > MAX_LOGO_PIXELS:
            return f"is over {MAX_LOGO_PIXELS} pixels on a side"
        return None
    return _svg_problem(data)


def _svg_problem(data: bytes) -> str | None:
    from lxml import etree

    if b"<!ENTITY" in data:
        return "is not a plain SVG image: it declares XML entities"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        return "is not an SVG image: it is not well-formed XML"
    if root.tag not in (_SVG, "svg"):
        return "is not an SVG image: its root element is not <svg>"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment or processing instruction
        if etree.QName(element).localname in _SVG_ACTIVE:
            return f"has a <{etree.QName(element).localname}> element; a logo may only draw"
        for attribute, value in element.attrib.items():
            local = etree.QName(attribute).localname.lower()
            if local.startswith("on"):
                return f"has an event handler ({local[:20]}); a logo may only draw"
            if local == "href" and not value.strip().startswith(("#", "data:image/")):
                return "refers to another file or address; a logo may only refer to itself"
            if local == "style" and _fetches(value):
                return "fetches a file or address from its CSS; a logo may only draw"
        if etree.QName(element).localname == "style" and _fetches(element.text or ""):
            return "fetches a file or address from its CSS; a logo may only draw"
    return None


def _fetches(css: str) -> bool:
    for match in _CSS_URL.finditer(css):
        target = match.group(1)
        if target is None or not target.startswith(("#", "data:")):
            return True
    return False


def _pptx_layouts(raw: object, name: str, problems: Problems) -> tuple[tuple[str, str], ...]:
    """The layout each kind of slide uses: the defaults, with the brand file's names over them."""
    defaults = dict(DEFAULT_PPTX_LAYOUTS)
    if raw is None:
        return DEFAULT_PPTX_LAYOUTS
    if not isinstance(raw, dict):
        problems.field("pptx_layouts", f"must map {' and '.join(defaults)} to layout names", raw)
        return DEFAULT_PPTX_LAYOUTS
    problems += _unknown_keys(name, "pptx_layouts", raw, tuple(defaults))
    for role, layout in raw.items():
        if role in defaults:
            if isinstance(layout, str) and layout.strip() and _fits(layout, MAX_NAME):
                defaults[role] = layout.strip()
            else:
                problems.field(
                    f"pptx_layouts.{role}",
                    f"must be a layout's name, one line of at most {MAX_NAME} characters",
                    layout,
                )
    return tuple(defaults.items())


def _colors(raw: object, name: str, problems: Problems) -> tuple[dict[str, str], dict]:
    """The colour roles as #RRGGBB, and the palette (for the headings' colour)."""
    fail = problems.field
    if not isinstance(raw, dict):
        fail("color", "must have a palette and the colour roles", raw)
        return {}, {}
    problems += _unknown_keys(name, "color", raw, ("palette", *COLOR_ROLES))
    palette = raw.get("palette") or {}
    if not isinstance(palette, dict):
        fail("color.palette", "must map colour names to #RRGGBB", palette)
        palette = {}
    colors: dict[str, str] = {}
    for role in COLOR_ROLES:
        value = raw.get(role)
        if value is None:
            if role in REQUIRED_ROLES:
                fail(f"color.{role}", "is missing")
            continue
        resolved = _color(value, palette)
        if resolved is None:
            fail(f"color.{role}", "must be #RRGGBB or a name from color.palette", value)
            continue
        colors[role] = resolved
    colors.setdefault("secondary_text", colors.get("secondary", "#000000"))
    colors.setdefault("muted", colors.get("foreground", "#555555"))
    colors.setdefault("light", "#EEEEEE")
    return colors, palette


def _color(value: object, palette: dict) -> str | None:
    resolved = palette.get(value, value) if isinstance(value, str) else value
    if isinstance(resolved, str) and _HEX.match(resolved):
        return resolved.upper()
    return None


def _typography(
    raw: object, folder: Path, colors: dict, palette: dict, name: str, problems: Problems
) -> dict:
    """The brand's fonts, families, sizes and heading style, each checked for its form."""
    fail = problems.field
    found = {
        "fonts": (),
        "base_family": "DejaVu Sans",
        "base_size_pt": 10.0,
        "line_height": 1.45,
        "heading_family": "DejaVu Sans",
        "heading_weight": 700,
        "heading_color": colors.get("primary", "#000000"),
    }
    if not isinstance(raw, dict):
        fail("typography", "must have base and headings", raw)
        return found
    problems += _unknown_keys(name, "typography", raw, ("fonts", "base", "headings"))
    fonts = _font_files(raw.get("fonts"), folder, name, problems)
    found["fonts"] = tuple(fonts)
    parts = {}
    for key, allowed in (
        ("base", ("family", "size", "line-height")),
        ("headings", ("family", "weight", "color")),
    ):
        part = raw.get(key)
        if not isinstance(part, dict) or part.get("family") is None:
            fail(f"typography.{key}.family", "is missing")
            part = part if isinstance(part, dict) else {}
        else:
            problems += _unknown_keys(name, f"typography.{key}", part, allowed)
        parts[key] = part
    known = {f.family for f in fonts} | installed_families()
    for key, target in (("base", "base_family"), ("headings", "heading_family")):
        value = parts[key].get("family")
        if value is None:
            continue
        family = _family(value, f"typography.{key}.family", fail)
        if family is None:
            continue
        if family not in known:
            fail(
                f"typography.{key}.family",
                "is neither shipped under typography.fonts nor "
                "installed on this machine; nothing is loaded from the web",
                family,
            )
        found[target] = family
    found["base_size_pt"] = _size_pt(parts["base"].get("size", "10pt"), fail)
    found["line_height"] = _line_height(parts["base"].get("line-height", 1.45), fail)
    weight = _weight(parts["headings"].get("weight", 700), "typography.headings.weight", fail)
    found["heading_weight"] = weight or 700
    color = parts["headings"].get("color", "primary")
    if isinstance(color, str) and color in COLOR_ROLES:
        # A role whose own colour is wrong is named under color.*, not here again.
        found["heading_color"] = colors.get(color, found["heading_color"])
    elif (resolved := _color(color, palette)) is None:
        fail(
            "typography.headings.color",
            "must be a colour role (such as primary), a name from color.palette or #RRGGBB",
            color,
        )
    else:
        found["heading_color"] = resolved
    return found


def _font_files(raw: object, folder: Path, name: str, problems: Problems) -> list[FontFile]:
    fail = problems.field
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_FONT_FAMILIES:
        fail(
            "typography.fonts",
            f"must list at most {MAX_FONT_FAMILIES} families, each with its files",
            raw,
        )
        return []
    fonts: list[FontFile] = []
    for index, item in enumerate(raw):
        where = f"typography.fonts[{index}]"
        if not isinstance(item, dict):
            fail(where, "must have a family and its files", item)
            continue
        problems += _unknown_keys(name, where, item, ("family", "files"))
        if item.get("family") is None:
            fail(f"{where}.family", "is missing")
            continue
        family = _family(item.get("family"), f"{where}.family", fail)
        files = item.get("files")
        if not isinstance(files, list) or not files or len(files) > MAX_FONT_FILES:
            fail(f"{where}.files", f"must list the family's font files, at most {MAX_FONT_FILES}")
            continue
        for number, entry in enumerate(files):
            place = f"{where}.files[{number}]"
            entry = entry if isinstance(entry, dict) else {"path": entry}
            problems += _unknown_keys(name, place, entry, ("path", "weight", "style"))
            file = _relative_file(
                folder, entry.get("path"), place, tuple(FONT_SUFFIXES), MAX_FONT_BYTES, fail
            )
            weight = _weight(entry.get("weight", 400), f"{place}.weight", fail)
            style = entry.get("style", "normal")
            if not isinstance(style, str) or style.lower() not in FONT_STYLES:
                fail(f"{place}.style", f"must be {', '.join(FONT_STYLES)}", style)
                style = None
            if file is None:
                continue
            why = font_problem(file)
            if why:
                fail(place, why, entry.get("path"))
            elif family and weight and style:
                fonts.append(FontFile(family, file, weight, style.lower()))
    return fonts


def _family(value: object, where: str, fail) -> str | None:
    if isinstance(value, str) and SAFE_FAMILY.match(value):
        return value
    fail(
        where,
        "must be a font family's name: at most 64 letters, digits, spaces, _ or -",
        value,
    )
    return None


def _weight(value: object, where: str, fail) -> int | None:
    """A font weight: 100 to 900 in hundreds, or its name (bold is 700)."""
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        key = re.sub(r"[\s_-]", "", value.lower())
        number = int(key) if key.isdigit() and len(key) <= 3 else FONT_WEIGHT_NAMES.get(key)
    if number is not None and 100 <= number <= 900 and number % 100 == 0:
        return number
    fail(
        where,
        "must be 100 to 900 in hundreds, or a name such as normal (400), semibold (600) or "
        "bold (700)",
        value,
    )
    return None


def _number(value: object) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        return number if math.isfinite(number) else None
    return None


def _size_pt(value: object, fail) -> float:
    """The base font size in points: 10.5pt, 14px, 0.875rem (16 px to the rem) or 10.5."""
    size = _number(value)
    if isinstance(value, str) and (match := _SIZE.match(value.strip())):
        size = float(match.group(1)) * SIZE_UNITS_PT[(match.group(2) or "pt").lower()]
    low, high = BASE_SIZE_PT
    if size is not None and low <= size <= high:
        return round(size, 3)
    fail(
        "typography.base.size",
        f"must be a font size from {low:g}pt to {high:g}pt, in pt, px or rem "
        "(1rem is 16px, 12pt), such as 10.5pt",
        value,
    )
    return 10.0


def _line_height(value: object, fail) -> float:
    """The line height as a multiple of the font size: 1.45, 145% or normal (1.2)."""
    ratio = _number(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text == "normal":
            ratio = LINE_HEIGHT_NORMAL
        elif match := _LINE_HEIGHT.match(text):
            ratio = float(match.group(1)) / (100 if match.group(2) else 1)
    low, high = LINE_HEIGHT
    if ratio is not None and low <= ratio <= high:
        return ratio
    fail(
        "typography.base.line-height",
        f"must be a multiple of the font size from {low:g} to {high:g} (such as 1.45), a "
        "percentage (145%) or normal",
        value,
    )
    return 1.45


def _margin(value: object, fail) -> str:
    """One to four lengths such as 20mm or 0.75in, each at most MAX_MARGIN_MM."""
    parts = value.split() if isinstance(value, str) else []
    lengths = [_LENGTH_PART.match(part) for part in parts]
    if 1 <= len(parts) <= 4 and all(lengths):
        millimetres = [
            float(m.group(1)) * LENGTH_MM[m.group(2)] if m.group(2) else 0.0 for m in lengths
        ]
        if max(millimetres) <= MAX_MARGIN_MM:
            return " ".join(parts)
    fail(
        "page.margin",
        f"must be one to four lengths such as 20mm or 0.75in, each at most {MAX_MARGIN_MM:g}mm",
        value,
    )
    return "20mm"
