"""The analyst's loop: review the sources table, see what changed since the briefs were built,
see which briefs cite a changed figure, and rebuild exactly those.

Every view is a pandas object (a Styler for the review, DataFrames for the rest), so an analyst
can filter, sort and take any of them to Excel; notebooks/04-update-sources.ipynb shows them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pilotfunnel.batch.fingerprint import source_rows
from pilotfunnel.batch.manifest import Manifest
from pilotfunnel.core import paths
from pilotfunnel.core.errors import InputError
from pilotfunnel.inputs.brand.load import load_brand
from pilotfunnel.inputs.project_file import brand_file
from pilotfunnel.inputs.sources.load import frame
from pilotfunnel.views import messages as msg
from pilotfunnel.views.messages import analyst as amsg

REVIEW_COLUMNS = (
    "id",
    "statistic",
    "value",
    "unit",
    "numerator",
    "denominator",
    "published",
    "accessed",
    "evidence",
    "kind",
    "reported_by",
    "analyst_notes",
)  # the quote, URL and caveats are long; a problem with them is named beside the row
# The analyst's working notes are shown here and nowhere a client reads (the brief, the deck,
# the present mode); a table without the column shows it empty, so the review's shape is one.
NOTES_COLUMN = "analyst_notes"
CHANGE_COLUMNS = ("source_id", "column", "then", "now", "change")
SEVERITY_ROLE = {"error": "danger", "warning": "warning"}


@dataclass(frozen=True)
class StaleBrief:
    """A brief that cites a source row changed since it was built."""

    client: str
    scenario: Path  # absolute: it works from any working directory
    files: tuple[str, ...]
    changed_sources: tuple[str, ...]


# --- review ---------------------------------------------------------------------------------
def review(root: Path):
    """The sources table with every row, bad cells in the brand's error and warning colours and
    each row's problems beside it; rows with errors first, then warnings. The analyst's working
    notes (``analyst_notes``) are shown here, the one place they are."""
    brand = load_brand(brand_file(root))
    table = frame(paths.sources_csv(root))
    problems = table.attrs["problems"]
    shown = table[[c for c in REVIEW_COLUMNS if c in table.columns]].copy()
    if NOTES_COLUMN not in shown.columns:
        shown[NOTES_COLUMN] = ""
    located = problems[problems["row"].notna()]
    notes = {
        row: "; ".join(
            f"{p.severity}: {p.column + ' ' if p.column else ''}{p.message}"
            for p in group.itertuples()
        )
        for row, group in located.groupby("row")
    }
    shown["problems"] = [notes.get(row, "") for row in shown.index]
    rank = {row: 2 for row in shown.index}
    for p in located.itertuples():
        rank[p.row] = min(rank[p.row], 0 if p.severity == "error" else 1)
    shown = shown.loc[sorted(shown.index, key=lambda row: (rank[row], row))]

    def colours(view: pd.DataFrame) -> pd.DataFrame:
        css = pd.DataFrame("", index=view.index, columns=view.columns)
        for p in located.sort_values("severity", ascending=False).itertuples():
            column = p.column if p.column in view.columns else "id"
            tint = brand.tint(SEVERITY_ROLE[p.severity], 0.2)
            css.loc[p.row, column] = f"background-color: {tint}; font-weight: 600"
        return css

    errors = int((problems["severity"] == "error").sum())
    unplaced = "; ".join(problems.loc[problems["row"].isna(), "message"])
    caption = f"{errors} error(s), {len(problems) - errors} warning(s) in data/sources.csv" + (
        f": {unplaced}" if unplaced else ""
    )
    return (
        shown.style.apply(colours, axis=None)
        .format(_cell, na_rep="")
        .set_caption(caption)
        .set_table_styles(_table_styles(brand, list(shown.columns)))
    )


def _cell(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _table_styles(brand, columns: list[str]) -> list[dict]:
    """The review's look: widths by column name, as a table may lack any optional column."""
    ink, light = brand.colors["foreground"], brand.colors["light"]

    def cells(*names: str) -> str:
        # Styler names a cell by its place ("col3"); "td.none" matches nothing.
        return ", ".join(f"td.col{columns.index(n)}" for n in names if n in columns) or "td.none"

    return [
        {
            "selector": "caption",
            "props": f"caption-side: top; text-align: left; color: {ink}; font-weight: 600",
        },
        {"selector": "th", "props": f"background-color: {light}; color: {ink}; text-align: left"},
        {"selector": "td, th", "props": "padding: 0.25em 0.6em; vertical-align: top"},
        {"selector": "td", "props": "font-variant-numeric: tabular-nums"},
        {"selector": cells("statistic"), "props": "min-width: 22em"},
        {"selector": cells(NOTES_COLUMN), "props": "min-width: 24em; font-size: 90%"},
        {"selector": cells("problems"), "props": "min-width: 20em"},
        {"selector": cells("id", "published", "accessed"), "props": "white-space: nowrap"},
    ]


# --- what changed -----------------------------------------------------------------------
def changes(root: Path, out_dir: Path | None = None) -> pd.DataFrame:
    """One line per cell of sources.csv that differs from the table the briefs were built from
    (source id, column, value then, value now), and a line per row added or removed.

    A corrupt or foreign manifest is an InputError: "nothing changed" would be a guess."""
    manifest = Manifest.load(Path(out_dir or paths.exports_dir(root)), strict=True)
    now = source_rows(paths.sources_csv(root))
    cited: dict[str, set[str]] = {}
    for entry in manifest.entries.values():
        for source_id, row_hash in entry.sources.items():
            cited.setdefault(source_id, set()).add(row_hash)
    lines = []
    if manifest.entries:
        as_built = list(manifest.table) + sorted(set(cited) - set(manifest.table))
        for source_id in [*as_built, *(i for i in now.hashes if i not in as_built)]:
            lines += _row_changes(manifest, cited, now, source_id)
    return pd.DataFrame(lines, columns=list(CHANGE_COLUMNS))


def kit_changes(root: Path) -> pd.DataFrame:
    """What the kit's starter sources table has that the project's differs from: a line per
    cell the kit words otherwise (the project's value, the kit's), and a line per source the
    kit cites that the project does not ("added"). A source only the project has is its own,
    not a change of the kit's. For the analyst to take, by hand: nothing is written."""
    kit = source_rows(paths.starter_dir() / "data" / "sources.csv")
    mine = source_rows(paths.sources_csv(root))
    lines = []
    for source_id, kit_hash in kit.hashes.items():
        if source_id not in mine.hashes:
            lines.append((source_id, "", "", kit.cells[source_id].get("statistic", ""), "added"))
        elif mine.hashes[source_id] != kit_hash:
            ours, theirs = mine.cells[source_id], kit.cells[source_id]
            lines += [
                (source_id, column, ours.get(column, ""), theirs.get(column, ""), "changed")
                for column in dict.fromkeys([*ours, *theirs])
                if ours.get(column, "") != theirs.get(column, "")
            ]
    return pd.DataFrame(lines, columns=list(CHANGE_COLUMNS))


def _row_changes(manifest: Manifest, cited: dict, now, source_id: str) -> list[tuple]:
    now_hash = now.hashes.get(source_id)
    # The version a brief cites when it differs from today's, else the table as last built.
    then_hash = next(
        (h for h in sorted(cited.get(source_id, ())) if h != now_hash),
        manifest.table.get(source_id),
    )
    if then_hash == now_hash:
        return []
    if then_hash is None:
        return [(source_id, "", "", now.cells[source_id].get("statistic", ""), "added")]
    then = manifest.rows.get(then_hash)
    if now_hash is None:
        return [(source_id, "", (then or {}).get("statistic", ""), "", "removed")]
    if then is None:  # built before the manifest kept cells
        return [(source_id, "", f"({msg.NOT_RECORDED})", "", "changed")]
    current = now.cells[source_id]
    return [
        (source_id, column, then.get(column, ""), current.get(column, ""), "changed")
        for column in dict.fromkeys([*then, *current])
        if then.get(column, "") != current.get(column, "")
    ]


def stale_briefs(root: Path, out_dir: Path | None = None) -> list[StaleBrief]:
    """Briefs in ``out_dir`` that cite a source row changed since they were built."""
    manifest = Manifest.load(Path(out_dir or paths.exports_dir(root)), strict=True)
    current = source_rows(paths.sources_csv(root)).hashes
    stale = []
    for key, entry in manifest.entries.items():
        changed = tuple(sorted(s for s, h in entry.sources.items() if current.get(s) != h))
        if changed:
            files = tuple(out["path"] for out in entry.outputs.values())
            scenario = manifest.scenario_path(key)
            stale.append(StaleBrief(entry.client, scenario, files, changed))
    return stale


def stale_frame(root: Path, out_dir: Path | None = None) -> pd.DataFrame:
    """The stale briefs as a table: client, files, and the source ids that changed."""
    rows = [
        (b.client, ", ".join(b.files), ", ".join(b.changed_sources), str(b.scenario))
        for b in stale_briefs(root, out_dir)
    ]
    return pd.DataFrame(rows, columns=["client", "files", "cites changed", "scenario"])


def changes_view(root: Path, out_dir: Path | None = None):
    """``changes`` for a notebook: the DataFrame, or a sentence when nothing changed."""
    try:
        found = changes(root, out_dir)
    except InputError as error:
        return _problem(error)
    return _or_sentence(found, amsg.NO_SOURCE_CHANGED)


def stale_view(root: Path, out_dir: Path | None = None):
    """``stale_frame`` for a notebook: the DataFrame, or a sentence when nothing is stale."""
    try:
        found = stale_frame(root, out_dir)
    except InputError as error:
        return _problem(error)
    return _or_sentence(found, amsg.ALL_UP_TO_DATE)


def _problem(error: InputError):
    """The error's one-line messages, for a notebook, in place of a traceback."""
    # IPython only where a notebook shows it: `sources diff` imports this module too.
    from IPython.display import HTML

    lines = "<br>".join(html.escape(line) for line in str(error).splitlines())
    return HTML(f"<p class='pf-error' role='alert'>{lines}</p>")


def _or_sentence(found: pd.DataFrame, sentence: str):
    from IPython.display import HTML  # as in _problem: for the notebook alone

    return found if not found.empty else HTML(f"<p class='pf-none'>{sentence}</p>")


# --- rebuild --------------------------------------------------------------------------------
def _inside(path: Path, root: Path) -> bool:
    """Whether ``path``, followed through symlinks and '..', is a file under ``root``."""
    try:
        return Path(path).resolve().is_relative_to(Path(root).resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return False


def rebuild_button(root: Path, out_dir: Path | None = None):
    """A button that rebuilds exactly the out-of-date briefs: a progress bar, then one line
    per brief built or failed."""
    # The notebook's button alone needs widgets and the batch (its scheduler and workers).
    import ipywidgets as w

    from pilotfunnel.batch import run_batch

    out = Path(out_dir or paths.exports_dir(root))
    button = w.Button(description=amsg.REBUILD, button_style="primary")
    bar = w.IntProgress(value=0, min=0, max=1, description=amsg.BRIEFS, layout={"display": "none"})
    status = w.HTML()

    def rebuild(_=None) -> None:
        try:
            stale = stale_briefs(root, out)
        except InputError as error:
            status.value = html.escape(str(error))
            return
        # The manifest names the scenario files; only those inside the project are read.
        inside = [b.scenario for b in stale if _inside(b.scenario, root)]
        scenarios = [path for path in inside if path.is_file()]
        outside = len(stale) - len(inside)
        lines: list[str] = []
        if outside:
            lines.append(amsg.NOT_REBUILT.format(briefs=outside))
        if not scenarios:
            lines.append(amsg.NOTHING_ELSE if lines else amsg.NOTHING_TO_REBUILD)
            status.value = "<br>".join(lines)
            return
        bar.value, bar.max, bar.layout.display = 0, len(scenarios), None

        def one_done(outcome) -> None:
            bar.value += 1
            name = html.escape(outcome.client or Path(outcome.key).name)
            lines.append(
                f"built: {name}" if outcome.ok else f"failed: {name}: {html.escape(outcome.reason)}"
            )
            status.value = "<br>".join(lines)

        report = run_batch(scenarios, out_dir=out, root=root, on_brief=one_done)
        counts = amsg.REBUILT.format(
            built=len(report.built), up_to_date=len(report.up_to_date), failed=len(report.failed)
        )
        lines.append(f"<b>{counts}</b>")
        status.value = "<br>".join(lines)

    button.on_click(rebuild)
    box = w.VBox([button, bar, status])
    box.rebuild = rebuild  # for tests and scripts: the same action without a click
    return box
