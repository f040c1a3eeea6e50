"""What each brief in an output folder was built from, and whether it is still up to date.

``manifest.json`` in the output folder records, per scenario file: its hash, the brief's date,
the hashes of the shared inputs (assumptions, brand folder, brief notebook, templates, the
package's brief-building code and version), the source ids the brief cites with a hash of each
cited row of sources.csv, the files written with their hashes, and when. A brief is up to date
when all of these still match, so changing one row of sources.csv rebuilds only the briefs that
cite it. Checking is hashing only: nothing here imports the model, nbconvert or WeasyPrint.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import errno
import fcntl
import hashlib
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from . import __version__, paths
from .brief_code import brief_code
from .errors import BatchError, display_path
from .files import atomic_write_text
from .naming import DEFAULT_FORMATS
from .sources import delimiter_of

MANIFEST = "manifest.json"
LOCK = ".pilotfunnel.lock"
FORMAT = 1

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


class SourceRows(NamedTuple):
    """The sources table as the manifest sees it."""

    hashes: dict[str, str]  # source id -> hash of its row
    order: str  # a hash of the ids and their evidence grades, in table order
    cells: dict[str, dict[str, str]]  # source id -> column -> the cell as written


def source_rows(path: Path) -> SourceRows:
    """A hash and the cells of each row of the sources table by id, and a hash of its order.

    The evidence section lists every (allowed) source in table order, so adding, removing,
    reordering or re-grading rows changes every brief; editing a row changes only the briefs
    that cite it. The cells let the analyst see what a changed row said when briefs were built.
    """
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    delimiter = delimiter_of(text.split("\n", 1)[0])
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        return SourceRows({}, sha256_bytes(b""), {})
    columns = [c.strip().lower() for c in rows[0]]
    id_at = columns.index("id") if "id" in columns else 0
    hashes: dict[str, str] = {}
    cells: dict[str, dict[str, str]] = {}
    order = []
    for row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        source_id = row[id_at].strip() if id_at < len(row) else ""
        hashes[source_id] = sha256_bytes("\x1f".join(row).encode("utf-8"))
        cells[source_id] = dict(zip(columns, (c.strip() for c in row), strict=False))
        order.append(f"{source_id}:{cells[source_id].get('evidence', '')}")
    return SourceRows(hashes, sha256_bytes("\n".join(order).encode("utf-8")), cells)


@dataclass(frozen=True)
class Inputs:
    """Hashes of everything a brief is built from except its own scenario file."""

    shared: dict[str, str]
    source_rows: dict[str, str]
    source_cells: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def current(cls, root: Path | None = None) -> Inputs:
        """Hash the inputs of the project at ``root`` (tens of milliseconds)."""
        table = source_rows(paths.sources_csv(root))
        shared = {
            "assumptions": sha256_file(paths.assumptions_yaml(root)),
            "brand": tree_hash(paths.brand_dir(root)),
            "notebook": sha256_file(paths.brief_notebook(root)),
            "code": tree_hash(paths.PACKAGE_DIR, brief_code(paths.PACKAGE_DIR)),
            "version": __version__,
            "sources_table": table.order,
        }
        return cls(shared, table.hashes, table.cells)


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
    root: str = ""  # the project root the briefs were built from
    table: dict[str, str] = field(default_factory=dict)  # the sources table as built: id -> hash
    rows: dict[str, dict] = field(default_factory=dict)  # row hash -> its cells, as built

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
            manifest.root = data.get("project_root", "")
            manifest.table = dict(data.get("sources_table", {}))
            manifest.rows = dict(data.get("source_rows", {}))
        except (OSError, ValueError, TypeError, AttributeError):
            manifest.entries, manifest.table, manifest.rows = {}, {}, {}
        return manifest

    def remember_sources(self, inputs: Inputs) -> None:
        """Keep the sources table as built: each row's hash by id, and each row's cells."""
        self.table = dict(inputs.source_rows)
        for source_id, row_hash in inputs.source_rows.items():
            self.rows[row_hash] = inputs.source_cells.get(source_id, {})

    def scenario_path(self, key: str) -> Path:
        """A recorded brief's scenario file, wherever the batch ran: the key is its absolute
        path; if the project moved, its path relative to the project root finds it."""
        path = Path(key)
        entry = self.entries.get(key)
        if path.exists() or entry is None or Path(entry.scenario).is_absolute():
            return path
        return Path(self.root or ".") / entry.scenario

    def save(self) -> None:
        """Write atomically: a batch killed at any moment leaves the previous or the new one."""
        cited = {h for e in self.entries.values() for h in e.sources.values()}
        kept = cited | set(self.table.values())
        data = {
            "format": FORMAT,
            "generator": f"pilotfunnel {__version__}",
            "project_root": self.root,
            "briefs": {k: self.entries[k].to_dict() for k in sorted(self.entries)},
            "sources_table": self.table,
            "source_rows": {h: self.rows[h] for h in sorted(self.rows) if h in kept},
        }
        atomic_write_text(self.path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")

    def stale_reasons(
        self,
        key: str,
        scenario_sha256: str,
        as_of: str,
        options: dict,
        inputs: Inputs,
        formats: tuple[str, ...] = DEFAULT_FORMATS,
    ) -> list[str]:
        """Why the brief for ``key`` must be (re)built in ``formats``; empty when it is up to
        date."""
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
        absent = [fmt for fmt in formats if fmt not in entry.outputs]
        if absent:
            reasons.append(f"no {' or '.join(absent)} built yet")
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
