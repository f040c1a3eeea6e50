"""Where the kit's folders are, defined once.

The project root is the folder holding ``data/`` and ``notebooks/``. It is found from
``PILOTFUNNEL_HOME`` when set (a firm keeping its data elsewhere), else from this file's
place in the source tree (the package is installed editable from the repository).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # this file is core/paths.py
BRIEF_NOTEBOOK = "03-client-brief.ipynb"


def project_root() -> Path:
    """The folder holding data/, notebooks/, figures/ and exports/."""
    override = os.environ.get("PILOTFUNNEL_HOME")
    if override:
        return Path(override).resolve()
    return PACKAGE_DIR.parents[1]


# Each place below is under a project root: the one given, else ``project_root()``.


def data_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "data"


def sources_csv(root: Path | None = None) -> Path:
    return data_dir(root) / "sources.csv"


def assumptions_yaml(root: Path | None = None) -> Path:
    return data_dir(root) / "assumptions.yaml"


def evidence_notes_yaml(root: Path | None = None) -> Path:
    return data_dir(root) / "evidence-notes.yaml"


def clients_dir(root: Path | None = None) -> Path:
    return data_dir(root) / "clients"


def rubric_yaml(root: Path | None = None) -> Path:
    """The questions each readiness score is built from (issue 24)."""
    return data_dir(root) / "rubric.yaml"


def jobs_dir(root: Path | None = None) -> Path:
    """One file per job to assess (``pilotfunnel assess``)."""
    return data_dir(root) / "jobs"


def brand_dir(root: Path | None = None) -> Path:
    return data_dir(root) / "brand"


def brand_yml(root: Path | None = None) -> Path:
    return brand_dir(root) / "brand.yml"


def notebooks_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "notebooks"


def brief_notebook(root: Path | None = None) -> Path:
    """The brief notebook: one cell per section, run for each client."""
    return notebooks_dir(root) / BRIEF_NOTEBOOK


def figures_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "figures"


def exports_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "exports"


def templates_dir() -> Path:
    return PACKAGE_DIR / "export" / "nbconvert" / "templates"


def cache_dir() -> Path:
    """Where derived files that are safe to delete are kept (font subsets)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pilotfunnel"
