"""``pilotfunnel doctor``: one screen of what the kit finds on this machine.

The project found and its root, Python's and the kit's versions, each system library and
program the kit can use (found or missing, with the Debian package that brings it), and
whether the JupyterLab extension and the exporters are registered. Exit 0 when the kit can
make briefs here (a project, and a PDF engine that loads), 1 otherwise.
"""

from __future__ import annotations

import ctypes.util
import platform
import shutil
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

from pilotfunnel import __version__
from pilotfunnel.core import paths
from pilotfunnel.core.errors import ProjectNotFound
from pilotfunnel.views.messages import project as words

EXPORTERS = ("pilotfunnel_html", "pilotfunnel_pdf", "pilotfunnel_pptx")
LAB_EXTENSION = "pilotfunnel-export-menu"


@dataclass(frozen=True)
class Check:
    """One thing the kit can use: what it is, whether it is there, where it comes from."""

    what: str
    found: bool
    package: str = ""  # the Debian package that brings it; empty: the kit's own install
    needed: bool = False  # needed to make a brief at all


def _library(name: str) -> bool:
    return ctypes.util.find_library(name) is not None


def _pdf_engine_loads() -> bool:
    """Whether WeasyPrint loads (it opens Pango and its companions when imported)."""
    try:
        import weasyprint  # noqa: F401
    except OSError:
        return False
    return True


def _lab_extension_registered() -> bool:
    # Jupyter's paths only when doctor asks: the CLI starts without jupyter_core
    from jupyter_core.paths import jupyter_path

    return any(
        (Path(folder) / LAB_EXTENSION / "package.json").is_file()
        for folder in jupyter_path("labextensions")
    )


def checks() -> list[Check]:
    """Every check, in the order the screen shows them."""
    registered = {entry.name for entry in entry_points(group="nbconvert.exporters")}
    return [
        Check("Pango (PDF engine)", _library("pango-1.0"), "libpango-1.0-0", needed=True),
        Check("PangoFT2 (PDF fonts)", _library("pangoft2-1.0"), "libpangoft2-1.0-0", needed=True),
        Check("fontconfig", _library("fontconfig"), "fontconfig", needed=True),
        Check("WeasyPrint loads", _pdf_engine_loads(), "libpango-1.0-0", needed=True),
        Check("HarfBuzz-Subset (smaller PDFs)", _library("harfbuzz-subset"), "libharfbuzz-subset0"),
        Check("Chromium (present-mode tests)", _program("chromium"), "chromium"),
        Check("LibreOffice (deck rendering)", _program("soffice"), "libreoffice-impress"),
        Check("pdftoppm (page images)", _program("pdftoppm"), "poppler-utils"),
        Check("JupyterLab export-menu extension", _lab_extension_registered()),
        Check("nbconvert exporters (" + ", ".join(EXPORTERS) + ")", set(EXPORTERS) <= registered),
    ]


def _program(name: str) -> bool:
    return shutil.which(name) is not None


def report() -> tuple[list[str], bool]:
    """The screen's lines, and whether the kit can make briefs here."""
    lines = []
    try:
        root = paths.project_root()
        lines.append(words.DOCTOR_PROJECT.format(root=root))
        project_ok = True
    except ProjectNotFound as exc:
        lines.append(words.DOCTOR_NO_PROJECT.format(reason=exc))
        project_ok = False
    lines.append(words.DOCTOR_VERSIONS.format(python=platform.python_version(), kit=__version__))
    ok = project_ok
    for check in checks():
        if check.found:
            lines.append(words.DOCTOR_FOUND.format(what=check.what))
            continue
        needed = words.DOCTOR_NEEDED if check.needed else ""
        missing = words.DOCTOR_MISSING if check.package else words.DOCTOR_MISSING_KIT
        lines.append(missing.format(what=check.what, package=check.package, needed=needed))
        ok = ok and not check.needed
    lines.append(words.DOCTOR_CAN if ok else words.DOCTOR_CANNOT)
    return lines, ok
