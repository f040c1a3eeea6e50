"""The brand's shipped fonts: each file checked, the installed families, and subsets for HTML.

Making them known to matplotlib is a rendering, in ``pilotfunnel.views.theme.mpl``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from pilotfunnel.core import paths
from pilotfunnel.core.write import atomic_write_bytes

# Latin-1, Latin Extended-A, general punctuation, currency and arrows: every client name and
# figure a brief prints in Western European languages, at a tenth of the full font's size.
_SUBSET_UNICODES = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x250),
    *range(0x2010, 0x2050),
    *range(0x20A0, 0x20C0),
    *range(0x2190, 0x2200),
    0x2212,
    0x2264,
    0x2265,
]


@dataclass(frozen=True)
class FontFile:
    """One shipped font file of a family, at one weight and style."""

    family: str
    path: Path
    weight: int
    style: str  # normal or italic


@cache
def subset_woff2(path: Path) -> bytes:
    """The font subset as WOFF2, kept on disk between runs (subsetting takes about 0.5 s)."""
    digest = hashlib.sha256(path.read_bytes() + repr(_SUBSET_UNICODES).encode()).hexdigest()
    cached = paths.cache_dir() / "fonts" / f"{digest[:24]}.woff2"
    if cached.is_file():
        return cached.read_bytes()
    # Late: fontTools' subsetter is needed only when no cached subset fits.
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_SUBSET_UNICODES)
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    with contextlib.suppress(OSError):  # a read-only home costs the next run a new subset
        atomic_write_bytes(cached, buffer.getvalue())
    return buffer.getvalue()


# The tables every TrueType or OpenType font has (OpenType's required tables, with the
# outlines as glyf or CFF): a file without them is not a font whatever its name says.
_REQUIRED_TABLES = ("cmap", "head", "hhea", "hmtx", "maxp", "name", "post")


def font_problem(path: Path) -> str | None:
    """Why ``path`` is not a font the kit can use, in a few words; None when it is one.

    Opened with fontTools (the HTML page's subsets) and with FreeType (matplotlib's charts),
    the two readers a brief puts it through, so a brief never fails later on this file.
    """
    # Kept per file version: opening five fonts takes 17 ms, and a brand is loaded again
    # whenever any input of the project changes.
    stat = path.stat()
    return _font_problem(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=64)
def _font_problem(path: str, size: int, modified: int) -> str | None:
    try:
        # Late, as matplotlib below: a brand file with no fonts of its own (and the CLI's
        # start) should not pay for them.
        from fontTools.ttLib import TTFont

        with TTFont(str(path), lazy=True) as font:
            missing = [table for table in _REQUIRED_TABLES if table not in font]
            if not any(outlines in font for outlines in ("glyf", "CFF ", "CFF2")):
                missing.append("glyf or CFF")
            if missing:
                return f"is not a font: it has no {', '.join(missing)} table"
            for table in ("head", "cmap", "name", "maxp"):
                font[table]  # read now: a damaged table raises here, not in a brief
    except Exception:  # fontTools raises many kinds for a file that is not a font
        return "is not a font: fontTools cannot read it as TrueType or OpenType"
    try:
        from matplotlib import ft2font  # late: see fontTools above

        ft2font.FT2Font(str(path))
    except (RuntimeError, OSError):
        return (
            "is not a font FreeType can read (the charts' font reader; it reads .ttf and .otf, "
            "not .woff or .woff2)"
        )
    return None


@lru_cache(maxsize=1)
def installed_families() -> frozenset[str]:
    """The font families installed on this machine, as matplotlib finds them."""
    # Late: matplotlib takes about a second to import.
    from matplotlib import font_manager

    return frozenset(f.name for f in font_manager.fontManager.ttflist)


# PANOSE's serif styles 11 to 13 are the sans serifs (normal, obtuse, perpendicular).
_SANS_SERIF_STYLES = range(11, 14)


@lru_cache(maxsize=16)
def substitution_hints(path: Path) -> tuple[str, str]:
    """What a PowerPoint deck says of a font beside its name, for a machine without it: its
    PANOSE number (ten hex bytes) and pitch-and-family (34 for a proportional sans serif, 18
    for a serif), read from the font file. PowerPoint picks its substitute by them; without
    them it guesses from the name alone."""
    from fontTools.ttLib import TTFont  # late: see _font_problem

    with TTFont(str(path), lazy=True) as font:
        panose = font["OS/2"].panose
        digits = [
            panose.bFamilyType,
            panose.bSerifStyle,
            panose.bWeight,
            panose.bProportion,
            panose.bContrast,
            panose.bStrokeVariation,
            panose.bArmStyle,
            panose.bLetterForm,
            panose.bMidline,
            panose.bXHeight,
        ]
    # Windows' pitch-and-family byte: variable pitch (2) with FF_SWISS (0x20) or FF_ROMAN (0x10).
    swiss = panose.bFamilyType == 2 and panose.bSerifStyle in _SANS_SERIF_STYLES
    return "".join(f"{digit:02X}" for digit in digits), "34" if swiss else "18"
