"""What brand.yml may hold, checked for form: its keys, lines of text, files, colours, page.

Every value reaches CSS, the HTML page, the charts or the deck, so each is checked for its form,
not only its type: a value outside these forms could end a CSS string or a <style> element in
every client's brief. Each problem names the file and the key (``Problems.field``).
The fonts and sizes are checked in ``check_type``, the logo's content in ``check_image``.
"""

from __future__ import annotations

import re
from pathlib import Path

from pilotfunnel.core.errors import Problems
from pilotfunnel.core.files import unknown_key_problems
from pilotfunnel.inputs.brand.check_image import image_problem

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

# The brand file's top-level keys.
KEYS = (
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

LENGTH_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "px": 25.4 / 96}
MAX_MARGIN_MM = 60.0
MAX_NAME, MAX_FOOTER, MAX_LINK, MAX_PATH = 100, 300, 300, 200
MAX_LOGO_BYTES = 5 * 2**20
MAX_TEMPLATE_BYTES = 50 * 2**20
NUMBER = r"(\d{1,4}(?:\.\d{1,4})?|\.\d{1,4})"
_LENGTH_PART = re.compile(rf"^{NUMBER}(mm|cm|in|pt|px)$|^0$")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
LINK = re.compile(r"^https?://[^\s\"'<>\\]+$")
_PATH_UNSAFE = re.compile("[\"'\\\\<>\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def meta(raw: object, name: str, problems: Problems) -> tuple[str, str]:
    """The firm's name (required: every brief shows it) and its web address (optional)."""
    fail = problems.field
    found = mapping(raw, "meta", "must have the firm's name", fail, name, problems)
    problems += unknown_keys(name, "meta", found, ("name", "link"))
    if found.get("name") is None:
        fail("meta.name", "is missing; the firm's name is shown on every brief")
        firm = ""
    else:
        firm = text(found.get("name"), "meta.name", MAX_NAME, fail, required=True)
    link = found.get("link", "")
    if link not in (None, "") and (not isinstance(link, str) or not fits(link, MAX_LINK, LINK)):
        fail("meta.link", f"must be an http(s) address of at most {MAX_LINK} characters", link)
        link = ""
    return firm, link or ""


def logos(folder: Path, data: dict, problems: Problems) -> tuple[Path | None, Path | None]:
    """The logo (SVG or PNG, required) and the deck's PNG logo (the logo itself if a PNG)."""
    fail = problems.field
    logo = brand_file(folder, data, "logo", (".svg", ".png"), MAX_LOGO_BYTES, fail, True)
    if logo is not None and (why := image_problem(logo)):
        fail("logo", why, data.get("logo"))
    logo_png = brand_file(folder, data, "logo_png", (".png",), MAX_LOGO_BYTES, fail)
    if logo_png is not None and (why := image_problem(logo_png)):
        fail("logo_png", why, data.get("logo_png"))
    if logo_png is None and logo is not None and logo.suffix.lower() == ".png":
        logo_png = logo
    return logo, logo_png


def footers(data: dict, fail) -> tuple[str, str]:
    """The footer for a client (with ``{client}``) and the general one."""
    footer = text(data.get("footer", ""), "footer", MAX_FOOTER, fail)
    general = text(
        data.get("footer_without_client", "Confidential; not for distribution."),
        "footer_without_client",
        MAX_FOOTER,
        fail,
    )
    return footer, general


def page(raw: object, name: str, problems: Problems) -> tuple[str, str]:
    """The PDF's page size (A4 or Letter) and margins."""
    fail = problems.field
    found = mapping(raw, "page", "must have a size and a margin", fail, name, problems)
    problems += unknown_keys(name, "page", found, ("size", "margin"))
    size = found.get("size", "A4")
    if not isinstance(size, str) or size.upper() not in PAGE_SIZES:
        fail("page.size", "must be A4 or Letter", size)
    return size, margin(found.get("margin", "20mm"), fail)


def unknown_keys(name: str, prefix: str, found: dict, allowed: tuple[str, ...]) -> list:
    # A hostile key is cut before it is named, as every value in a message is.
    shown = {(k if len(str(k)) <= 40 else str(k)[:37] + "..."): None for k in found}
    return unknown_key_problems(name, prefix, shown, allowed)


def mapping(raw: object, where: str, needs: str, fail, name: str, problems: Problems) -> dict:
    """A part of the brand file that must be a mapping; {} (and a problem) when it is not."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        fail(where, needs, raw)
        return {}
    return raw


def fits(text: str, limit: int, form: re.Pattern | None = None) -> bool:
    return len(text) <= limit and not _CONTROL.search(text) and (form is None or form.match(text))


def text(raw: object, where: str, limit: int, fail, required: bool = False) -> str:
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


def brand_file(
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
    return relative_file(folder, value, key, suffixes, limit, fail)


def relative_file(
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


def pptx_layouts(raw: object, name: str, problems: Problems) -> tuple[tuple[str, str], ...]:
    """The layout each kind of slide uses: the defaults, with the brand file's names over them."""
    defaults = dict(DEFAULT_PPTX_LAYOUTS)
    if raw is None:
        return DEFAULT_PPTX_LAYOUTS
    if not isinstance(raw, dict):
        problems.field("pptx_layouts", f"must map {' and '.join(defaults)} to layout names", raw)
        return DEFAULT_PPTX_LAYOUTS
    problems += unknown_keys(name, "pptx_layouts", raw, tuple(defaults))
    for role, layout in raw.items():
        if role in defaults:
            if isinstance(layout, str) and layout.strip() and fits(layout, MAX_NAME):
                defaults[role] = layout.strip()
            else:
                problems.field(
                    f"pptx_layouts.{role}",
                    f"must be a layout's name, one line of at most {MAX_NAME} characters",
                    layout,
                )
    return tuple(defaults.items())


def colors(raw: object, name: str, problems: Problems) -> tuple[dict[str, str], dict]:
    """The colour roles as #RRGGBB, and the palette (for the headings' colour)."""
    fail = problems.field
    if not isinstance(raw, dict):
        fail("color", "must have a palette and the colour roles", raw)
        return {}, {}
    problems += unknown_keys(name, "color", raw, ("palette", *COLOR_ROLES))
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
        resolved = color(value, palette)
        if resolved is None:
            fail(f"color.{role}", "must be #RRGGBB or a name from color.palette", value)
            continue
        colors[role] = resolved
    colors.setdefault("secondary_text", colors.get("secondary", "#000000"))
    colors.setdefault("muted", colors.get("foreground", "#555555"))
    colors.setdefault("light", "#EEEEEE")
    return colors, palette


def color(value: object, palette: dict) -> str | None:
    resolved = palette.get(value, value) if isinstance(value, str) else value
    if isinstance(resolved, str) and _HEX.match(resolved):
        return resolved.upper()
    return None


def margin(value: object, fail) -> str:
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
