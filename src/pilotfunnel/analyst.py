"""The analyst's views: the sources table with its problems, what changed since the last
export run, which briefs now cite changed figures, and a button to rebuild them."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from IPython.display import HTML

from . import paths
from .brand import load_brand
from .errors import SourceError
from .manifest import Manifest, source_rows
from .sources import check_sources, load_sources


def row_styles(root: Path) -> dict[str, str]:
    """Row backgrounds for errors and warnings: light tints of the brand's own roles."""
    brand = load_brand(paths.brand_yml(root))
    return {
        "error": f"background:{brand.tint('danger')}",
        "warning": f"background:{brand.tint('warning')}",
    }


@dataclass(frozen=True)
class SourceChange:
    source_id: str
    status: str  # "changed", "new", "removed"


@dataclass(frozen=True)
class StaleBrief:
    client: str
    scenario: Path
    files: tuple[str, ...]
    changed_sources: tuple[str, ...]


def review(root: Path) -> HTML:
    """The sources table of the project at ``root``, every error and warning next to its row."""
    path = paths.sources_csv(root)
    row_style = row_styles(root)
    problems = check_sources(path)
    by_id: dict[str, list] = {}
    for problem in problems:
        found = problem.where.split("(", 1)[1].split(")", 1)[0] if "(" in problem.where else ""
        by_id.setdefault(found, []).append(problem)
    try:
        sources = list(load_sources(path))
    except SourceError:  # the errors are listed above the table
        sources = []
    rows = []
    for s in sources:
        issues = by_id.get(s.id, [])
        worst = (
            "error" if any(p.severity == "error" for p in issues) else ("warning" if issues else "")
        )
        notes = "<br>".join(f"{p.severity}: {html.escape(p.message)}" for p in issues)
        rows.append(
            f"<tr style='{row_style.get(worst, '')}'><td><code>{s.id}</code></td>"
            f"<td>{html.escape(s.statistic)}</td><td>{s.evidence}</td>"
            f"<td>{s.accessed.isoformat()}</td><td>{notes or 'ok'}</td></tr>"
        )
    errors = [p for p in problems if p.severity == "error"]
    summary = (
        f"<p><b>{len(errors)} error(s), {len(problems) - len(errors)} warning(s)</b> in "
        f"<code>{html.escape(str(path))}</code>.</p>"
    )
    # Every problem is listed, so that one which stops the table loading is still seen.
    ordered = sorted(problems, key=lambda p: p.severity != "error")
    listed = "".join(
        f"<li style='{row_style[p.severity]}'>{p.severity}: {html.escape(str(p))}</li>"
        for p in ordered
    )
    return HTML(
        summary
        + (f"<ul class='pf-problems'>{listed}</ul>" if listed else "")
        + "<table class='pf-review'><tr><th>id</th><th>statistic</th><th>evidence</th>"
        "<th>accessed</th><th>problems</th></tr>" + "".join(rows) + "</table>"
    )


def changes(root: Path, out_dir: Path | None = None) -> list[SourceChange]:
    """Source rows that differ from what the briefs in ``out_dir`` were built with."""
    manifest = Manifest.load(Path(out_dir or paths.exports_dir(root)))
    current, _ = source_rows(paths.sources_csv(root))
    built: dict[str, set[str]] = {}
    for entry in manifest.entries.values():
        for source_id, digest in entry.sources.items():
            built.setdefault(source_id, set()).add(digest)
    found = []
    for source_id, digests in sorted(built.items()):
        if source_id not in current:
            found.append(SourceChange(source_id, "removed"))
        elif current[source_id] not in digests or len(digests) > 1:
            found.append(SourceChange(source_id, "changed"))
    if manifest.entries:
        found += [SourceChange(i, "new") for i in sorted(set(current) - set(built))]
    return found


def stale_briefs(root: Path, out_dir: Path | None = None) -> list[StaleBrief]:
    """Briefs in ``out_dir`` that cite a source row changed since they were built."""
    manifest = Manifest.load(Path(out_dir or paths.exports_dir(root)))
    current, _ = source_rows(paths.sources_csv(root))
    stale = []
    for entry in manifest.entries.values():
        changed = tuple(sorted(s for s, h in entry.sources.items() if current.get(s) != h))
        if changed:
            files = tuple(out["path"] for out in entry.outputs.values())
            stale.append(StaleBrief(entry.client, Path(entry.scenario), files, changed))
    return stale


def changes_view(root: Path, out_dir: Path | None = None) -> HTML:
    found = changes(root, out_dir)
    if not found:
        return HTML("<p>No source has changed since the last export run.</p>")
    items = "".join(f"<li><code>{c.source_id}</code>: {c.status}</li>" for c in found)
    return HTML(f"<ul class='pf-changes'>{items}</ul>")


def stale_view(root: Path, out_dir: Path | None = None) -> HTML:
    found = stale_briefs(root, out_dir)
    if not found:
        return HTML("<p>Every brief in the exports folder is up to date with sources.csv.</p>")
    items = "".join(
        f"<li><b>{html.escape(b.client)}</b> ({html.escape(', '.join(b.files))}): cites "
        f"{', '.join(b.changed_sources)}</li>"
        for b in found
    )
    return HTML(f"<ul class='pf-stale'>{items}</ul>")


def rebuild_button(root: Path, out_dir: Path | None = None):
    """A button that rebuilds exactly the out-of-date briefs, with a one-line report."""
    import ipywidgets as w

    from .batch import run_batch

    out = Path(out_dir or paths.exports_dir(root))
    button = w.Button(description="Rebuild out-of-date briefs", button_style="primary")
    status = w.HTML()

    def rebuild(_=None) -> None:
        scenarios = [b.scenario for b in stale_briefs(root, out) if b.scenario.exists()]
        if not scenarios:
            status.value = "Nothing to rebuild."
            return
        status.value = f"Rebuilding {len(scenarios)} brief(s)…"
        report = run_batch(scenarios, out_dir=out)
        failed = "".join(
            f"<li>{html.escape(f.key)}: {html.escape(f.reason)}</li>" for f in report.failed
        )
        status.value = (
            f"Built {len(report.built)}, up to date {len(report.up_to_date)}, failed "
            f"{len(report.failed)}." + (f"<ul>{failed}</ul>" if failed else "")
        )

    button.on_click(rebuild)
    box = w.VBox([button, status])
    box.rebuild = rebuild  # for tests and scripts: the same action without a click
    return box
