"""What a brief is built from, hashed: the shared inputs (assumptions, brand folder, brief
notebook, the package's brief code and version) and each row of the sources table, so the
manifest can tell which briefs an edit touches. Hashing only: nothing here imports the model,
nbconvert or WeasyPrint."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pilotfunnel import __version__
from pilotfunnel.batch.brief_code import brief_code
from pilotfunnel.core import paths
from pilotfunnel.core.errors import Problem, SourceError, display_path
from pilotfunnel.core.files import read_input_bytes
from pilotfunnel.inputs.sources.read import read_raw


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


# Columns no brief shows: the analyst's working notes. A change to them alone leaves every brief
# as it was, so it must not make one stale (the analyst's review still sees the change).
NOT_IN_BRIEFS = frozenset({"analyst_notes"})


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
        named = zip(row.cells, columns, strict=False)
        shown = [cell for cell, name in named if name not in NOT_IN_BRIEFS]
        shown += row.cells[len(columns) :]  # a row longer than the header: its extra cells too
        hashes[source_id] = sha256_bytes("\x1f".join(shown).encode("utf-8"))
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
