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
import datetime as dt
import errno
import fcntl
import hashlib
import io
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pilotfunnel import __version__
from pilotfunnel.batch.brief_code import brief_code
from pilotfunnel.core import paths
from pilotfunnel.core.errors import BatchError, InputError, Problem, SourceError, display_path
from pilotfunnel.core.fileinfo import special_file_kind
from pilotfunnel.core.files import read_input_bytes
from pilotfunnel.core.write import atomic_write_text
from pilotfunnel.export.formats import DEFAULT_FORMATS
from pilotfunnel.inputs.sources.read import read_raw

MANIFEST = "manifest.json"
LOCK = ".pilotfunnel.lock"
FORMAT = 1
# Far above any real manifest (10,000 briefs take about 15 MB) and far below a memory problem.
MAX_MANIFEST_BYTES = 64 * 2**20

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


# A brief's inputs and outputs are far smaller; the bound keeps a hostile file from being read
# whole (and a FIFO or device from being opened at all: read_input_bytes refuses them).
MAX_HASHED_BYTES = 256 * 2**20


def sha256_file(path: Path) -> str:
    return sha256_bytes(read_input_bytes(path, MAX_HASHED_BYTES))


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
    # Any bytes are hashed as they are (undecodable ones replaced): the loader says what is wrong.
    table = read_raw(path, errors="replace", error=SourceError)
    if table.broken is not None:  # a cell past csv's field limit, say; the loader names the line
        raise SourceError(
            problems=[
                Problem(display_path(path), "", f"cannot be read as CSV: {table.broken.reason}")
            ]
        )
    columns = [c.lower() for c in table.header]
    id_at = columns.index("id") if "id" in columns else 0
    hashes: dict[str, str] = {}
    cells: dict[str, dict[str, str]] = {}
    order = []
    for row in table.rows:
        source_id = row.cells[id_at].strip() if id_at < len(row.cells) else ""
        hashes[source_id] = sha256_bytes("\x1f".join(row.cells).encode("utf-8"))
        cells[source_id] = dict(zip(columns, (c.strip() for c in row.cells), strict=False))
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
    invalid: Problem | None = None  # why the file in the folder was not used, when it was not

    @property
    def path(self) -> Path:
        return self.out_dir / MANIFEST

    @classmethod
    def load(cls, out_dir: Path, strict: bool = False) -> Manifest:
        """The folder's manifest; empty when there is none.

        A manifest that cannot be read, is not JSON, or is not the kit's by type and form
        (``check_manifest``) is a problem: with ``strict`` (``sources diff``, which must not
        say "no change" for want of a record) an InputError naming the file and what is
        wrong; otherwise an empty manifest (everything rebuilds) whose ``invalid`` says why.
        """
        manifest = cls(Path(out_dir))
        try:
            data = _read_manifest(manifest.path)
        except _Invalid as exc:
            problem = Problem(display_path(manifest.path), "", exc.message)
            if strict:
                raise InputError(problems=[problem]) from None
            manifest.invalid = problem
            return manifest
        if data is None:
            return manifest
        for key, raw in data["briefs"].items():
            manifest.entries[key] = Entry(**raw)
        manifest.root = data["project_root"]
        manifest.table = dict(data["sources_table"])
        manifest.rows = dict(data["source_rows"])
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
            kind = special_file_kind(target)
            if kind is not None:  # never read: a FIFO would block, a device never end
                reasons.append(f"{out['path']} is {kind}, not the brief ({fmt})")
                continue
            try:
                if sha256_file(target) != out["sha256"]:
                    reasons.append(f"{out['path']} was modified")
            except InputError:  # missing, or no longer a file the kit would read
                reasons.append(f"{out['path']} is missing ({fmt})")
        absent = [fmt for fmt in formats if fmt not in entry.outputs]
        if absent:
            reasons.append(f"no {' or '.join(absent)} built yet")
        return reasons


# --- reading a manifest: by type and form, nothing trusted ----------------------------------
class _Invalid(Exception):
    """Why a manifest file is not one the kit wrote, in words for an error message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _read_manifest(path: Path) -> dict | None:
    """The checked contents of the manifest at ``path``; None when there is none."""
    kind = special_file_kind(path)
    if kind is not None:  # read, a FIFO would block the batch and a device never end
        raise _Invalid(f"is {kind}, not a manifest")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise _Invalid("is a folder, not a manifest") from None
    except OSError as exc:
        raise _Invalid(f"cannot be read: {exc.strerror or type(exc).__name__}") from None
    if len(raw) > MAX_MANIFEST_BYTES:
        raise _Invalid(f"is larger than {MAX_MANIFEST_BYTES // 2**20} MB; no manifest is")
    if not raw.strip():
        raise _Invalid("is not a pilotfunnel manifest (the file is empty)")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _Invalid("is not a pilotfunnel manifest (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise _Invalid(
            f"is not a pilotfunnel manifest (not valid JSON at line {exc.lineno}, "
            f"column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise _Invalid("is not a pilotfunnel manifest (nested too deeply)") from None
    try:
        check_manifest(data)
    except _Invalid as exc:
        raise _Invalid(f"is not a pilotfunnel manifest ({exc.message})") from None
    return data


def check_manifest(data: object) -> None:
    """Raise _Invalid, naming the field, unless ``data`` has the form ``Manifest.save`` writes.

    Every field is checked for its type, and file names for their form: an output's path is a
    plain name in the folder, since the manifest decides which files a batch reads and hashes.
    """
    top = _mapping(data, "the file")
    if not isinstance(top.get("generator"), str) or not top["generator"].startswith("pilotfunnel"):
        raise _Invalid("no 'generator': 'pilotfunnel ...' field; written by another tool?")
    if type(top.get("format")) is not int or top["format"] != FORMAT:
        raise _Invalid(f"field 'format' is {_cut(top.get('format'))}; this version reads {FORMAT}")
    _text(top.get("project_root", ""), "project_root")
    top.setdefault("project_root", "")
    briefs = _mapping(top.get("briefs", {}), "briefs")
    top["briefs"] = briefs
    for key, entry in briefs.items():
        _text(key, "a key of 'briefs'", empty=False)
        _entry_form(entry, f"briefs[{_key(key)}]")
    table = _mapping(top.get("sources_table", {}), "sources_table")
    top["sources_table"] = table
    for source_id, row_hash in table.items():
        _text(row_hash, f"sources_table[{_key(source_id)}]")
    rows = _mapping(top.get("source_rows", {}), "source_rows")
    top["source_rows"] = rows
    for row_hash, cells in rows.items():
        _strings(cells, f"source_rows[{_key(row_hash, 20)}]")


_ENTRY_TEXT = ("scenario", "scenario_sha256", "as_of", "client", "built_at", "failed")
_ENTRY_REQUIRED = ("scenario", "scenario_sha256", "as_of", "options", "inputs", "sources")
_ENTRY_FIELDS = frozenset(Entry.__dataclass_fields__)


def _entry_form(raw: object, where: str) -> None:
    entry = _mapping(raw, where)
    unknown = sorted(set(entry) - _ENTRY_FIELDS)
    if unknown:
        raise _Invalid(f"field '{where}' has unknown key {_cut(unknown[0])}")
    missing = [k for k in (*_ENTRY_REQUIRED, "outputs") if k not in entry]
    if missing:
        raise _Invalid(f"field '{where}' lacks '{missing[0]}'")
    for name in _ENTRY_TEXT:
        if name in entry:
            _text(entry[name], f"{where}.{name}")
    try:
        dt.date.fromisoformat(entry["as_of"])
    except ValueError:
        raise _Invalid(f"field '{where}.as_of' is {_cut(entry['as_of'])}, not a date") from None
    seconds = entry.get("seconds", 0.0)
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise _Invalid(f"field '{where}.seconds' is {_cut(seconds)}, not a number")
    if not 0 <= seconds < 1e9:  # also refuses NaN and infinity, which json.loads accepts
        raise _Invalid(f"field '{where}.seconds' is {_cut(seconds)}, out of range")
    options = _mapping(entry["options"], f"{where}.options")
    for name, value in options.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise _Invalid(f"field '{where}.options[{_key(name, 20)}]' is {_cut(value)}")
    _strings(entry["inputs"], f"{where}.inputs")
    _strings(entry["sources"], f"{where}.sources")
    outputs = _mapping(entry["outputs"], f"{where}.outputs")
    for fmt, out in outputs.items():
        place = f"{where}.outputs[{_key(fmt, 20)}]"
        out = _mapping(out, place)
        if set(out) != {"path", "sha256"}:
            raise _Invalid(f"field '{place}' must have exactly 'path' and 'sha256'")
        _text(out["sha256"], f"{place}.sha256")
        name = _text(out["path"], f"{place}.path", empty=False)
        if name in (".", "..") or any(c in name for c in "/\\\0") or name != name.strip():
            raise _Invalid(f"field '{place}.path' is {_cut(name)}, not a file name")


def _mapping(value: object, where: str) -> dict:
    if not isinstance(value, dict):
        raise _Invalid(f"{_field(where)} is {_type(value)}, not a mapping")
    return value


def _text(value: object, where: str, empty: bool = True) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"{_field(where)} is {_type(value)}, not text")
    if not empty and not value:
        raise _Invalid(f"{_field(where)} is empty")
    return value


def _strings(value: object, where: str) -> None:
    for key, item in _mapping(value, where).items():
        _text(item, f"{where}[{_key(key)}]")


def _field(where: str) -> str:
    return where if where.startswith(("the ", "a ")) else f"field '{where}'"


def _type(value: object) -> str:
    names = {dict: "a mapping", list: "a list", str: "text", bool: "true or false"}
    if value is None:
        return "null"
    return names.get(type(value), f"a number ({_cut(value)})")


def _key(key: object, limit: int = 40) -> str:
    """A mapping's key as a field name shows it: JSON-quoted (control characters escaped),
    cut short."""
    text = json.dumps(key) if isinstance(key, str) else _cut(key)
    return text if len(text) <= limit else text[: limit - 4] + '..."'


def _cut(value: object, limit: int = 30) -> str:
    """A value as an error shows it: its repr, cut short (never a whole hostile value)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


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
    handle = _open_lock(path)
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


def _open_lock(path: Path) -> io.TextIOWrapper:
    """The lock file, opened for reading and writing; an InputError unless it is a regular
    file. Opened without following a symlink and without blocking: a FIFO put there would
    hang the batch, and a link would have it truncate some other file."""

    def refused(what: str) -> InputError:
        message = f"{what}; the batch's lock file must be a regular file"
        return InputError(problems=[Problem(display_path(path), "", message)])

    kind = special_file_kind(path)
    if kind is not None:
        raise refused(f"is {kind}")
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as exc:
        if path.is_symlink():
            raise refused("is a symlink") from None
        raise refused(f"cannot be opened: {exc.strerror or type(exc).__name__}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise refused("is not a regular file")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "a+", encoding="utf-8")
