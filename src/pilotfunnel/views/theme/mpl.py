"""The brand as matplotlib settings: the charts' colours, fonts and quiet axes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

# At the top: only the charts import this module, and they draw with matplotlib anyway.
import matplotlib as mpl
from cycler import cycler
from matplotlib import font_manager

from pilotfunnel.core.errors import BrandError, Problem, display_path
from pilotfunnel.inputs.brand.fonts import FontFile, installed_families
from pilotfunnel.inputs.brand.load import Brand


def rc(brand: Brand) -> dict:
    """rcParams for charts in the brand's colours and fonts (its font files registered first)."""
    register_fonts(brand.font_files)
    c = brand.colors
    return {
        # Named outright: a figure is often saved after the style context has closed.
        "font.family": font_family(brand),
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
def style(brand: Brand) -> Iterator[None]:
    """Draw the charts made inside in the brand's style (matplotlib's rc_context)."""
    with mpl.rc_context(rc(brand)):
        yield


def font_family(brand: Brand) -> list[str]:
    """The charts' font list: the brand's family, the fallback families installed here (a
    missing one would make matplotlib warn on every chart), then matplotlib's own DejaVu Sans,
    which is always there."""
    shipped = {font.family for font in brand.font_files}
    first, *rest = brand.font_stack(brand.base_family)
    usable = [name for name in rest if name in shipped or name in installed_families()]
    return list(dict.fromkeys([first, *usable, "DejaVu Sans"]))


def _cycler(colors: list[str]):
    return cycler(color=colors)


@cache
def _registered(path: Path) -> None:
    font_manager.fontManager.addfont(str(path))


def register_fonts(font_files: tuple[FontFile, ...]) -> None:
    """Make the brand's shipped fonts known to matplotlib (once per file per process).

    A file FreeType cannot read (replaced after the brand was loaded) is a BrandError naming
    it, not FreeType's message, which names no file.
    """
    for font in font_files:
        try:
            _registered(font.path)
        except (RuntimeError, OSError):
            raise BrandError(
                problems=[Problem(display_path(font.path), "", "is not a font FreeType can read")]
            ) from None
