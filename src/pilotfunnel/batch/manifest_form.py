"""Reading a manifest file by type and form, trusting nothing in it: the manifest decides which
files a batch reads and hashes, so a foreign or corrupted one is refused, naming the field."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pilotfunnel.core.fileinfo import special_file_kind

FORMAT = 1  # the manifest's format: what Manifest.save writes and this version reads
# Far above any real manifest (10,000 briefs take about 15 MB) and far below a memory problem.
MAX_MANIFEST_BYTES = 64 * 2**20


class InvalidManifest(Exception):
    """Why a manifest file is not one the kit wrote, in words for an error message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_manifest(path: Path) -> dict | None:
    """The checked contents of the manifest at ``path``; None when there is none."""
    kind = special_file_kind(path)
    if kind is not None:  # read, a FIFO would block the batch and a device never end
        raise InvalidManifest(f"is {kind}, not a manifest")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise InvalidManifest("is a folder, not a manifest") from None
    except OSError as exc:
        raise InvalidManifest(f"cannot be read: {exc.strerror or type(exc).__name__}") from None
    if len(raw) > MAX_MANIFEST_BYTES:
        raise InvalidManifest(f"is larger than {MAX_MANIFEST_BYTES // 2**20} MB; no manifest is")
    if not raw.strip():
        raise InvalidManifest("is not a pilotfunnel manifest (the file is empty)")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidManifest("is not a pilotfunnel manifest (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise InvalidManifest(
            f"is not a pilotfunnel manifest (not valid JSON at line {exc.lineno}, "
            f"column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise InvalidManifest("is not a pilotfunnel manifest (nested too deeply)") from None
    try:
        check_manifest(data)
    except InvalidManifest as exc:
        raise InvalidManifest(f"is not a pilotfunnel manifest ({exc.message})") from None
    return data


def check_manifest(data: object) -> None:
    """Raise InvalidManifest, naming the field, unless ``data`` has the form that
    ``Manifest.save`` writes.

    Every field is checked for its type, and file names for their form: an output's path is a
    plain name in the folder, since the manifest decides which files a batch reads and hashes.
    """
    top = _mapping(data, "the file")
    if not isinstance(top.get("generator"), str) or not top["generator"].startswith("pilotfunnel"):
        raise InvalidManifest("no 'generator': 'pilotfunnel ...' field; written by another tool?")
    if type(top.get("format")) is not int or top["format"] != FORMAT:
        raise InvalidManifest(
            f"field 'format' is {_cut(top.get('format'))}; this version reads {FORMAT}"
        )
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
# The fields of manifest.Entry (tests/test_manifest.py checks they agree).
ENTRY_FIELDS = frozenset((*_ENTRY_REQUIRED, "outputs", "client", "built_at", "seconds", "failed"))


def _entry_form(raw: object, where: str) -> None:
    entry = _mapping(raw, where)
    unknown = sorted(set(entry) - ENTRY_FIELDS)
    if unknown:
        raise InvalidManifest(f"field '{where}' has unknown key {_cut(unknown[0])}")
    missing = [k for k in (*_ENTRY_REQUIRED, "outputs") if k not in entry]
    if missing:
        raise InvalidManifest(f"field '{where}' lacks '{missing[0]}'")
    for name in _ENTRY_TEXT:
        if name in entry:
            _text(entry[name], f"{where}.{name}")
    try:
        dt.date.fromisoformat(entry["as_of"])
    except ValueError:
        raise InvalidManifest(
            f"field '{where}.as_of' is {_cut(entry['as_of'])}, not a date"
        ) from None
    seconds = entry.get("seconds", 0.0)
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise InvalidManifest(f"field '{where}.seconds' is {_cut(seconds)}, not a number")
    if not 0 <= seconds < 1e9:  # also refuses NaN and infinity, which json.loads accepts
        raise InvalidManifest(f"field '{where}.seconds' is {_cut(seconds)}, out of range")
    options = _mapping(entry["options"], f"{where}.options")
    for name, value in options.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise InvalidManifest(f"field '{where}.options[{_key(name, 20)}]' is {_cut(value)}")
    _strings(entry["inputs"], f"{where}.inputs")
    _strings(entry["sources"], f"{where}.sources")
    outputs = _mapping(entry["outputs"], f"{where}.outputs")
    for fmt, out in outputs.items():
        place = f"{where}.outputs[{_key(fmt, 20)}]"
        out = _mapping(out, place)
        if set(out) != {"path", "sha256"}:
            raise InvalidManifest(f"field '{place}' must have exactly 'path' and 'sha256'")
        _text(out["sha256"], f"{place}.sha256")
        name = _text(out["path"], f"{place}.path", empty=False)
        if name in (".", "..") or any(c in name for c in "/\\\0") or name != name.strip():
            raise InvalidManifest(f"field '{place}.path' is {_cut(name)}, not a file name")


def _mapping(value: object, where: str) -> dict:
    if not isinstance(value, dict):
        raise InvalidManifest(f"{_field(where)} is {_type(value)}, not a mapping")
    return value


def _text(value: object, where: str, empty: bool = True) -> str:
    if not isinstance(value, str):
        raise InvalidManifest(f"{_field(where)} is {_type(value)}, not text")
    if not empty and not value:
        raise InvalidManifest(f"{_field(where)} is empty")
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
