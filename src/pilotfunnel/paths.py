"""Where the kit's folders are, defined once.

The project root is the folder holding ``data/`` and ``notebooks/``. It is found from
``PILOTFUNNEL_HOME`` when set (a firm keeping its data elsewhere), else from this file's
place in the source tree (the package is installed editable from the repository).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    """The folder holding data/, notebooks/, figures/ and exports/."""
    override = os.environ.get("PILOTFUNNEL_HOME")
    if override:
        return Path(override).resolve()
    return PACKAGE_DIR.parents[1]


def data_dir() -> Path:
    return project_root() / "data"


def sources_csv() -> Path:
    return data_dir() / "sources.csv"


def assumptions_yaml() -> Path:
    return data_dir() / "assumptions.yaml"


def clients_dir() -> Path:
    return data_dir() / "clients"


def brand_dir() -> Path:
    return data_dir() / "brand"


def brand_yml() -> Path:
    return brand_dir() / "brand.yml"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def figures_dir() -> Path:
    return project_root() / "figures"


def exports_dir() -> Path:
    return project_root() / "exports"


def templates_dir() -> Path:
    return PACKAGE_DIR / "export" / "templates"


def cache_dir() -> Path:
    """Where derived files that are safe to delete are kept (font subsets)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pilotfunnel"
