"""What each brief in an output folder was built from, and whether it is still up to date.

``manifest.json`` in the output folder records, per scenario file: its hash, the brief's date,
the hashes of the shared inputs (assumptions, brand folder, brief notebook, templates, the
package's brief-building code and version), the source ids the brief cites with a hash of each
cited row of sources.csv, the files written with their hashes, and when. A brief is up to date
when all of these still match, so changing one row of sources.csv rebuilds only the briefs that
cite it. Checking is hashing only: nothing here imports the model, nbconvert or WeasyPrint.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import datetime as dt
import errno
import fcntl
import functools
import hashlib
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, paths
from .errors import BatchError, display_path
from .files import atomic_write_text
from .sources import delimiter_of

MANIFEST = "manifest.json"
LOCK = ".pilotfunnel.lock"
FORMAT = 1
# Where a brief's content comes from in the package: the brief notebook imports ``brief``, and
# ``pipeline`` runs and renders it. Every module these import, directly or not, is part of every
# brief, and a change to any of them rebuilds every brief (brief_code() follows the imports).
# The explorer, the command line and other front ends are left out: they do not change a brief.
BRIEF_ENTRY_MODULES = ("brief", "pipeline")
BRIEF_TEMPLATES = ("templates", "export/templates")
SHARED_LABELS = {
    "assumptions": "data/assumptions.yaml changed",
    "brand": "the brand folder changed",
    "notebook": "the brief notebook changed",
    "code": "the package's brief code or templates changed",
    "version": "the package version changed",
    "sources_table": "sources.csv gained, lost or reordered rows (the evidence lists them all)",
}


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256_bytes(path.read_bytes())


def tree_hash(root: Path, names: tuple[str, ...] | None = None) -> str:
    """One hash over files (and folders, recursively) under ``root``, by relative path."""
    digest = hashlib.sha256()
    items = [root / n for n in names] if names is not None else [root]
    for item in items:
        found = sorted(p for p in item.rglob("*") if p.is_file()) if item.is_dir() else [item]
        for path in found:
            if path.suffix == ".pyc" or "__pycache__" in path.parts or not path.exists():
                continue
            digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def source_rows(path: Path) -> tuple[dict[str, str], str]:
    """A hash per row of the sources table by id, and a hash of its ids in order.

    The evidence section lists every (allowed) source in table order, so adding, removing,
    reordering or re-grading rows changes every brief; editing a row changes only the briefs
    that cite it.
    """
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    delimiter = delimiter_of(text.split("\n", 1)[0])
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        return {}, sha256_bytes(b"")
    columns = [c.strip().lower() for c in rows[0]]
    id_at = columns.index("id") if "id" in columns else 0
    evidence_at = columns.index("evidence") if "evidence" in columns else None
    hashes: dict[str, str] = {}
    order = []
    for row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        source_id = row[id_at].strip() if id_at < len(row) else ""
        hashes[source_id] = sha256_bytes("\x1f".join(row).encode("utf-8"))
        grade = (
            row[evidence_at].strip() if evidence_at is not None and evidence_at < len(row) else ""
        )
        order.append(f"{source_id}:{grade}")
    return hashes, sha256_bytes("\n".join(order).encode("utf-8"))


@functools.cache
def brief_code(package_dir: Path = paths.PACKAGE_DIR) -> tuple[str, ...]:
    """The package files a brief is built from: the import closure of the brief's entry modules
    (read from their source, nothing imported), and the template folders."""
    package = package_dir.name
    found: set[Path] = set()
    queue = [_module_file(package_dir, name.split(".")) for name in BRIEF_ENTRY_MODULES]
    while queue:
        path = queue.pop()
        if path is None or path in found:
            continue
        found.add(path)
        parts = list(path.relative_to(package_dir).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        else:
            found.add(package_dir.joinpath(*parts[:-1], "__init__.py"))
        queue += _imported_files(package_dir, package, parts, path)
    files = sorted(str(p.relative_to(package_dir)) for p in found if p.is_file())
    return (*files, *BRIEF_TEMPLATES)


def _imported_files(package_dir: Path, package: str, parts: list[str], path: Path) -> list:
    """The package's own modules that one module imports, at any depth of its code."""
    here = parts if path.name == "__init__.py" else parts[:-1]  # the module's package
    imported = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            modules = [alias.name.split(".") for alias in node.names]
            imported += [_module_file(package_dir, m[1:]) for m in modules if m[0] == package]
            continue
        if not isinstance(node, ast.ImportFrom):
            continue
        named = node.module.split(".") if node.module else []
        if node.level:  # from . import x, from ..export import y
            module = [*here[: len(here) - node.level + 1], *named]
        elif named[:1] == [package]:
            module = named[1:]
        else:
            continue
        # "from .export import pdf" names a module; "from .brand import Brand" a name in one.
        imported.append(_module_file(package_dir, module))
        imported += [_module_file(package_dir, [*module, alias.name]) for alias in node.names]
    return imported


def _module_file(package_dir: Path, parts: list[str]) -> Path | None:
    """The file of module ``parts`` under the package, or None when it is not a module."""
    module = package_dir.joinpath(*parts)
    for candidate in (module.with_suffix(".py"), module / "__init__.py"):
        if parts and candidate.is_file():
            return candidate
    return package_dir / "__init__.py" if not parts else None


@dataclass(frozen=True)
class Inputs:
    """Hashes of everything a brief is built from except its own scenario file."""

    shared: dict[str, str]
    source_rows: dict[str, str]

    @classmethod
    def current(cls) -> Inputs:
        """Hash the project's current inputs (tens of milliseconds)."""
        rows, table = source_rows(paths.sources_csv())
        shared = {
            "assumptions": sha256_file(paths.assumptions_yaml()),
            "brand": tree_hash(paths.brand_dir()),
            "notebook": sha256_file(paths.brief_notebook()),
            "code": tree_hash(paths.PACKAGE_DIR, brief_code(paths.PACKAGE_DIR)),
            "version": __version__,
            "sources_table": table,
        }
        return cls(shared, rows)


@dataclass
class Entry:
    """One brief as the manifest records it."""

    scenario: str
    scenario_sha256: str
    as_of: str
    options: dict
    inputs: dict[str, str]
    sources: dict[str, str]  # cited source id -> hash of its row when built
    outputs: dict[str, dict]  # format -> {"path": name in the out folder, "sha256": ...}
    client: str = ""
    built_at: str = ""
    seconds: float = 0.0
    failed: str = ""  # the reason, when the last attempt failed

    def to_dict(self) -> dict:
        data = dict(vars(self))
        if not self.failed:
            data.pop("failed")
        return data


@dataclass
class Manifest:
    """The manifest of one output folder."""

    out_dir: Path
    entries: dict[str, Entry] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.out_dir / MANIFEST

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """The folder's manifest; empty when missing or unreadable (everything rebuilds)."""
        manifest = cls(Path(out_dir))
        try:
            data = json.loads(manifest.path.read_text("utf-8"))
            for key, raw in data.get("briefs", {}).items():
                manifest.entries[key] = Entry(**raw)
        except (OSError, ValueError, TypeError, AttributeError):
            manifest.entries = {}
        return manifest

    def save(self) -> None:
        """Write atomically: a batch killed at any moment leaves the previous or the new one."""
        data = {
            "format": FORMAT,
            "generator": f"pilotfunnel {__version__}",
            "briefs": {k: self.entries[k].to_dict() for k in sorted(self.entries)},
        }
        atomic_write_text(self.path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")

    def stale_reasons(
        self, key: str, scenario_sha256: str, as_of: str, options: dict, inputs: Inputs
    ) -> list[str]:
        """Why the brief for ``key`` must be (re)built; empty when it is up to date."""
        entry = self.entries.get(key)
        if entry is None:
            return ["never built here"]
        if entry.failed:
            return [f"the last build failed: {entry.failed}"]
        reasons = []
        if entry.scenario_sha256 != scenario_sha256:
            reasons.append("the scenario file changed")
        if entry.as_of != as_of:
            reasons.append(f"the brief date changed ({entry.as_of} -> {as_of})")
        if entry.options != options:
            reasons.append("the Monte Carlo settings changed")
        for name, label in SHARED_LABELS.items():
            if entry.inputs.get(name) != inputs.shared.get(name):
                reasons.append(label)
        changed = [s for s, h in entry.sources.items() if inputs.source_rows.get(s) != h]
        if changed:
            reasons.append(f"cited source row(s) changed: {', '.join(sorted(changed))}")
        for fmt, out in entry.outputs.items():
            target = self.out_dir / out["path"]
            try:
                if sha256_file(target) != out["sha256"]:
                    reasons.append(f"{out['path']} was modified")
            except OSError:
                reasons.append(f"{out['path']} is missing ({fmt})")
        return reasons


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


@contextlib.contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold the output folder's lock, or raise BatchError at once if another run holds it.

    A second run fails fast rather than waiting: the first may take many minutes, and a user
    who started two by mistake learns it immediately.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held for the whole block)
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise BatchError(
                f"another `pilotfunnel briefs` run (pid {holder}) is writing to "
                f"{display_path(out_dir)}; wait for it to finish, or use another --out"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock
