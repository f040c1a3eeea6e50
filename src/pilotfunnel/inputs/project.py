"""A project: its root and the inputs every view is built from, loaded once, validated together.

Command line, notebooks and batch workers load a ``Project`` and pass it down to the model,
charts and exporters, so a brief's charts and its page are styled by the same brand and cite the
same sources table. ``Project.load`` is the one place that falls back to the default root.
The project also owns what is worth keeping between briefs in a long-lived process (the
evidence chart, exporters with compiled templates): a process that loads the same inputs again
gets the same project back, and an edited input gives a new one.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pilotfunnel.core import paths
from pilotfunnel.core.errors import InputError
from pilotfunnel.core.files import read_input_bytes
from pilotfunnel.inputs.assumptions import Assumptions, load_assumptions
from pilotfunnel.inputs.brand.load import Brand, load_brand
from pilotfunnel.inputs.project_file import ProjectSettings, brand_file, load_settings
from pilotfunnel.inputs.sources.load import SourceTable, load_sources

T = TypeVar("T")
_LOADED: dict[tuple[str, str], Project] = {}  # (root, inputs digest) -> the project
_LOCK = threading.Lock()


@dataclass(eq=False)
class Project:
    """The project's root, sources, assumptions and brand, validated against each other."""

    root: Path
    sources: SourceTable
    assumptions: Assumptions
    brand: Brand
    settings: ProjectSettings = field(default_factory=ProjectSettings)
    _cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, root: str | Path | None = None) -> Project:
        """The project at ``root`` (default: the one ``paths.project_root`` finds)."""
        root = Path(root).resolve() if root is not None else paths.project_root()
        key = (str(root), inputs_digest(root))
        with _LOCK:
            if key not in _LOADED:
                if len(_LOADED) >= 4:  # a long-lived process sees few versions; stay bounded
                    _LOADED.clear()
                settings = load_settings(root)
                sources = load_sources(paths.sources_csv(root))
                _LOADED[key] = cls(
                    root=root,
                    sources=sources,
                    assumptions=load_assumptions(paths.assumptions_yaml(root), sources),
                    brand=load_brand(brand_file(root, settings)),
                    settings=settings,
                )
            return _LOADED[key]

    # --- where things are ----------------------------------------------------------------
    @property
    def clients_dir(self) -> Path:
        return paths.clients_dir(self.root)

    @property
    def exports_dir(self) -> Path:
        return paths.exports_dir(self.root)

    @property
    def figures_dir(self) -> Path:
        return paths.figures_dir(self.root)

    @property
    def notebooks_dir(self) -> Path:
        return paths.notebooks_dir(self.root)

    @property
    def brief_notebook(self) -> Path:
        return paths.brief_notebook(self.root)

    @property
    def evidence_notes(self) -> Path:
        return paths.evidence_notes_yaml(self.root)

    # --- derived, kept -------------------------------------------------------------------

    def cached(self, key: object, make: Callable[[], T]) -> T:
        """``make()`` once per key for this project (a chart, an exporter per thread)."""
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def recent(self, key: object, make: Callable[[], T], keep: int = 2) -> T:
        """``make()`` once per key among the last ``keep`` keys: a brief's model result, which
        its deck reuses in a warm worker, without holding every client's of a long batch."""
        recent = self._cache.setdefault("recent", {})
        if key in recent:
            recent[key] = recent.pop(key)  # now the newest
            return recent[key]
        value = make()
        recent[key] = value
        while len(recent) > keep:
            recent.pop(next(iter(recent)))
        return value


# Above every loader's own limit: a file that big is refused by its loader, not here.
MAX_DIGESTED_BYTES = 64 * 2**20


def inputs_digest(root: Path) -> str:
    """A digest of the files a project is loaded from: the same digest, the same project."""
    digest = hashlib.sha256()
    brand = paths.brand_dir(root)
    files = [root / paths.MARKER, paths.sources_csv(root), paths.assumptions_yaml(root)]
    files += sorted(p for p in brand.rglob("*") if p.is_file()) if brand.is_dir() else []
    for path in files:
        digest.update(str(path).encode("utf-8") + b"\0")
        if not path.exists() and path.name == paths.MARKER:
            continue  # a project from before the marker
        try:
            # Never read a FIFO (it would block) or an endless device, nor a huge file whole.
            digest.update(read_input_bytes(path, MAX_DIGESTED_BYTES))
        except InputError:
            digest.update(b"\0refused\0")  # the loaders will say what is wrong
    return digest.hexdigest()
