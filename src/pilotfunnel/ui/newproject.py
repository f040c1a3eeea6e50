"""``pilotfunnel new DIR``: a project folder of its own for an engagement.

It copies the kit's starter (``paths.starter_dir``: the wheel's package data, or the source
checkout) into DIR: ``pilotfunnel.yml`` with the kit version that made it, ``data/`` (cited
sources, assumptions, evidence notes, rubric, brand, demo clients and jobs), ``notebooks/``,
empty ``exports/`` and ``figures/``, and a short README. A folder that is not empty is refused
unless ``force``; even then no file already there is replaced: each file is written to a
temporary name and linked into place, which fails rather than overwrite.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from pilotfunnel import __version__
from pilotfunnel.core import paths
from pilotfunnel.core.errors import InputError, Problem, display_path
from pilotfunnel.views.messages import project as words

# What a project takes from the starter; the demo's own files only without --no-demo.
STARTER_GLOBS = ("data/**/*", "notebooks/*.ipynb")
DEMO_FOLDERS = ("data/clients", "data/jobs")
EMPTY_FOLDERS = ("exports", "figures", "data/clients", "data/jobs")


@dataclass(frozen=True)
class NewProject:
    """What ``new_project`` did: the folder, the files it wrote and those it kept."""

    root: Path
    written: tuple[Path, ...]
    kept: tuple[Path, ...]


def starter_files(starter: Path, demo: bool = True) -> list[Path]:
    """The starter's files, relative to it, in a fixed order; hidden files and checkpoints
    left out."""
    found = set()
    for pattern in STARTER_GLOBS:
        for path in starter.glob(pattern):
            rel = path.relative_to(starter)
            if not path.is_file() or any(part.startswith(".") for part in rel.parts):
                continue
            if not demo and rel.as_posix().startswith(tuple(f + "/" for f in DEMO_FOLDERS)):
                continue
            found.add(rel)
    return sorted(found)


def project_settings(name: str) -> str:
    """The new project's pilotfunnel.yml: its name, the starter's firm and brand, this kit's
    version."""
    starter = yaml.safe_load((paths.starter_dir() / paths.MARKER).read_text("utf-8")) or {}
    settings = {
        "name": name,
        "firm": starter.get("firm", ""),
        "formats": starter.get("formats", ["pdf", "html"]),
        "brand": starter.get("brand", "data/brand/brand.yml"),
        "kit_version": __version__,
    }
    head = (
        "# This folder is a pilotfunnel project: the kit finds it by walking up to this file\n"
        "# (or from --project DIR, or PILOTFUNNEL_HOME). Made by `pilotfunnel new`.\n"
    )
    return head + yaml.safe_dump(settings, sort_keys=False, allow_unicode=True)


def new_project(target: str | Path, force: bool = False, demo: bool = True) -> NewProject:
    """Make the project ``target``; see the module's docstring for what it holds."""
    root = Path(target).expanduser().absolute()
    if root.exists() and not root.is_dir():
        raise InputError(problems=[Problem(display_path(root), "", "is not a folder")])
    if root.is_dir() and any(root.iterdir()) and not force:
        raise InputError(problems=[Problem(display_path(root), "", words.NOT_EMPTY)])
    starter = paths.starter_dir()
    files: dict[Path, bytes] = {
        rel: (starter / rel).read_bytes() for rel in starter_files(starter, demo)
    }
    files[Path(paths.MARKER)] = project_settings(root.name).encode("utf-8")
    readme = words.PROJECT_README.format(name=root.name, version=__version__)
    files[Path("README.md")] = readme.encode("utf-8")
    written, kept = [], []
    for folder in EMPTY_FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        (written if _create(root / rel, data) else kept).append(rel)
    return NewProject(root, tuple(written), tuple(kept))


def _create(path: Path, data: bytes) -> bool:
    """Write ``path`` whole, never over anything there: False when something already is."""
    if os.path.lexists(path):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        try:
            os.link(tmp, path)  # fails if a file appeared meanwhile: it is never replaced
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(tmp)
