"""The brand's shipped fonts: known to matplotlib, and subset for the self-contained HTML page."""

from __future__ import annotations

import contextlib
import hashlib
import io
from functools import cache, lru_cache
from pathlib import Path

from . import paths

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


@cache
def subset_woff2(path: Path) -> bytes:
    """The font subset as WOFF2, kept on disk between runs (subsetting takes about 0.5 s)."""
    digest = hashlib.sha256(path.read_bytes() + repr(_SUBSET_UNICODES).encode()).hexdigest()
    cached = paths.cache_dir() / "fonts" / f"{digest[:24]}.woff2"
    if cached.is_file():
        return cached.read_bytes()
    from fontTools import subset

    from .files import atomic_write_bytes

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


@cache
def _registered(path: Path) -> None:
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(path))


def register_fonts(font_files: tuple) -> None:
    """Make the brand's shipped fonts known to matplotlib (once per file per process)."""
    for font in font_files:
        _registered(font.path)


@lru_cache(maxsize=1)
def installed_families() -> frozenset[str]:
    from matplotlib import font_manager

    return frozenset(f.name for f in font_manager.fontManager.ttflist)
