"""What brand.yml's typography may hold: shipped font files, families, weights, sizes.

A family must be shipped under typography.fonts or installed here (nothing is loaded from the
web), and every font file must open in both readers a brief puts it through
(``fonts.font_problem``).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from pilotfunnel.core.errors import Problems
from pilotfunnel.inputs.brand import check
from pilotfunnel.inputs.brand.fonts import FontFile, font_problem, installed_families

FONT_SUFFIXES = {".ttf": "truetype", ".otf": "opentype", ".woff": "woff", ".woff2": "woff2"}
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
MAX_FONT_BYTES = 20 * 2**20
MAX_FONT_FAMILIES, MAX_FONT_FILES = 16, 16
MAX_FALLBACK = 8  # families a stack names after the brand's own
_SIZE = re.compile(rf"^{check.NUMBER}\s*(pt|px|rem|em)?$", re.IGNORECASE)
_LINE_HEIGHT = re.compile(rf"^{check.NUMBER}(%?)$")


def typography(
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
        "fallback": (),
    }
    if not isinstance(raw, dict):
        fail("typography", "must have base and headings", raw)
        return found
    allowed_keys = ("fonts", "base", "headings", "fallback")
    problems += check.unknown_keys(name, "typography", raw, allowed_keys)
    fonts = _font_files(raw.get("fonts"), folder, name, problems)
    found["fonts"] = tuple(fonts)
    found["fallback"] = fallback(raw.get("fallback"), fail)
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
            problems += check.unknown_keys(name, f"typography.{key}", part, allowed)
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
    if isinstance(color, str) and color in check.COLOR_ROLES:
        # A role whose own colour is wrong is named under color.*, not here again.
        found["heading_color"] = colors.get(color, found["heading_color"])
    elif (resolved := check.color(color, palette)) is None:
        fail(
            "typography.headings.color",
            "must be a colour role (such as primary), a name from color.palette or #RRGGBB",
            color,
        )
    else:
        found["heading_color"] = resolved
    return found


def fallback(raw: object, fail) -> tuple[str, ...]:
    """The families a reader's machine uses, in order, where the brand's are not installed.

    They are the reader's fonts, not the kit's, so they need not be installed here; each is
    checked for its form, as it is written into CSS and the deck.
    """
    if raw is None:
        return ()
    where = "typography.fallback"
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_FALLBACK:
        fail(
            where,
            f"must list 1 to {MAX_FALLBACK} font families to use, in order, where the "
            "brand's are not installed, such as [Arial, Liberation Sans]",
            raw,
        )
        return ()
    families: list[str] = []
    for index, value in enumerate(raw):
        family = _family(value, f"{where}[{index}]", fail)
        if family is None:
            continue
        if family.casefold() in (known.casefold() for known in families):
            fail(f"{where}[{index}]", "names a family listed before it", family)
            continue
        families.append(family)
    return tuple(families)


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
        problems += check.unknown_keys(name, where, item, ("family", "files"))
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
            problems += check.unknown_keys(name, place, entry, ("path", "weight", "style"))
            file = check.relative_file(
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
