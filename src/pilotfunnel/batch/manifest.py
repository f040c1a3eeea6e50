"""What each brief in an output folder was built from, and whether it is still up to date.

``manifest.json`` in the output folder records, per scenario file: its hash, the brief's date,
the hashes of the shared inputs (assumptions, brand folder, brief notebook, templates, the
package's brief-building code and version), the source ids the brief cites with a hash of each
cited row of sources.csv, the files written with their hashes, and when. A brief is up to date
when all of these still match, so changing one row of sources.csv rebuilds only the briefs that
cite it. Checking is hashing only: nothing here imports the model, nbconvert or WeasyPrint.
The hashes are batch.fingerprint's; reading the file by its form, batch.manifest_form's; the
folder's lock, batch.lock's.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from pilotfunnel import __version__
from pilotfunnel.batch.fingerprint import Inputs, sha256_file
from pilotfunnel.batch.manifest_form import FORMAT, InvalidManifest, read_manifest
from pilotfunnel.core.errors import InputError, Problem, display_path
from pilotfunnel.core.fileinfo import special_file_kind
from pilotfunnel.core.write import atomic_write_text
from pilotfunnel.export.formats import DEFAULT_FORMATS

MANIFEST = "manifest.json"
__all__ = ["MANIFEST", "SHARED_LABELS", "Entry", "Manifest", "now_iso"]

SHARED_LABELS = {
    "assumptions": "data/assumptions.yaml changed",
    "brand": "the brand folder changed",
    "notebook": "the brief notebook changed",
    "code": "the package's brief code or templates changed",
    "version": "the package version changed",
    "sources_table": "sources.csv gained, lost or reordered rows (the evidence lists them all)",
}


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
            data = read_manifest(manifest.path)
        except InvalidManifest as exc:
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


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
