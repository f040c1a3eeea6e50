"""Where the kit's folders are, defined once.

A project is a folder holding ``pilotfunnel.yml`` (its marker and settings), ``data/``,
``notebooks/``, ``figures/`` and ``exports/``; ``pilotfunnel new`` makes one. The kit finds the
project it works on as Quarto finds ``_quarto.yml``, in this order:

1. ``--project DIR`` on the command line (the CLI sets ``PILOTFUNNEL_HOME`` from it, so the
   processes it starts, batch workers and kernels, find the same project);
2. ``PILOTFUNNEL_HOME``;
3. walking up from the working folder (a notebook's kernel: the notebook's folder) to the
   nearest ``pilotfunnel.yml``.

A folder named by 1 or 2 is a project if it holds ``pilotfunnel.yml``, or, made by a kit older
than the marker, ``data/sources.csv``. Anything else raises ``ProjectNotFound``, one line that
names ``pilotfunnel new``: the kit never falls back to its own installed files as a project.
"""

from __future__ import annotations

import os
from pathlib import Path

from pilotfunnel.core.errors import Problem, ProjectNotFound

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # this file is core/paths.py
BRIEF_NOTEBOOK = "03-client-brief.ipynb"
MARKER = "pilotfunnel.yml"
HOME_VARIABLE = "PILOTFUNNEL_HOME"
NEW_HINT = "make a project with `pilotfunnel new DIR`, or name one with --project DIR"


def is_project(folder: Path) -> bool:
    """Whether ``folder`` is a project: its marker, or an older kit's data/sources.csv."""
    return (folder / MARKER).is_file() or (folder / "data" / "sources.csv").is_file()


def find_project(start: str | Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: the working folder) holding
    ``pilotfunnel.yml``; ``ProjectNotFound`` when none does."""
    here = Path(start if start is not None else os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    raise ProjectNotFound(
        problems=[
            Problem(
                str(here), "", f"is not inside a project (no {MARKER} here or above); {NEW_HINT}"
            )
        ]
    )


def named_project(folder: str | Path, named_by: str) -> Path:
    """``folder`` as the project, checked: ``named_by`` ("--project", "PILOTFUNNEL_HOME")
    says who named it in the error."""
    root = Path(folder).expanduser().resolve()
    if not root.is_dir():
        reason = "does not exist" if not root.exists() else "is not a folder"
        raise ProjectNotFound(problems=[Problem(str(root), named_by, f"{reason}; {NEW_HINT}")])
    if not is_project(root):
        raise ProjectNotFound(
            problems=[Problem(str(root), named_by, f"is not a project (no {MARKER}); {NEW_HINT}")]
        )
    return root


def project_root(start: str | Path | None = None) -> Path:
    """The project the kit works on: PILOTFUNNEL_HOME (which --project sets), else the nearest
    ``pilotfunnel.yml`` at or above ``start`` (default: the working folder)."""
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return named_project(override, HOME_VARIABLE)
    return find_project(start)


def starter_dir() -> Path:
    """The starter project ``pilotfunnel new`` copies: package data in an installed wheel
    (``pilotfunnel/starter``, written by the build), else the source checkout the package is
    installed from in editable mode (its own data/ and notebooks/). Read, never written."""
    packaged = PACKAGE_DIR / "starter"
    if (packaged / MARKER).is_file():
        return packaged
    checkout = PACKAGE_DIR.parents[1]
    if (checkout / MARKER).is_file() and (checkout / "src" / "pilotfunnel").is_dir():
        return checkout
    raise ProjectNotFound(
        problems=[
            Problem(
                str(packaged), "", "the kit's starter project is missing; reinstall pilotfunnel"
            )
        ]
    )


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
