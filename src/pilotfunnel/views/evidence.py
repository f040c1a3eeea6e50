"""The evidence notebook's views: the cited statistics, their chart, and what each one says."""

from __future__ import annotations

import html
from pathlib import Path

from IPython.display import HTML, SVG

from pilotfunnel.core.errors import Problem, SourceError, display_path, shown_key
from pilotfunnel.core.files import read_yaml_mapping
from pilotfunnel.core.text import text_problem
from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.sources.load import SourceTable
from pilotfunnel.views import charts
from pilotfunnel.views import messages as msg
from pilotfunnel.views.citation import citation  # the one citation, for every surface
from pilotfunnel.views.messages import evidence as emsg

# How strongly each evidence level is flagged, as brand colour roles.
EVIDENCE_LEVEL_ROLE = {"verified": "success", "secondary": "warning", "unverified": "danger"}


# The longest note (characters): a reading is a sentence or two.
MAX_NOTE_CHARS = 2000


def load_notes(sources: SourceTable, path: Path) -> dict[str, dict[str, str]]:
    """Plain-language notes per source id; every id must exist in the sources table.

    Read as every YAML input is (size, aliases: files.read_yaml_mapping); each note is text
    without control characters, as it goes into the evidence notebook's page.
    """
    data = read_yaml_mapping(path, SourceError)
    name = display_path(path)
    problems = []
    for source_id, note in data.items():
        where = f"field '{shown_key(source_id)}'"
        if not isinstance(source_id, str) or source_id not in sources:
            problems.append(Problem(name, where, "is not a source id in sources.csv"))
        elif not isinstance(note, dict) or not note.get("says") or not note.get("does_not_say"):
            problems.append(Problem(name, where, "needs 'says' and 'does_not_say'"))
        else:
            for key in ("says", "does_not_say"):
                text = note[key]
                problem = (
                    text_problem(text, MAX_NOTE_CHARS, multiline=True)
                    if isinstance(text, str)
                    else "must be text"
                )
                if problem is not None:
                    problems.append(Problem(name, f"field '{shown_key(source_id)}.{key}'", problem))
    if problems:
        raise SourceError(problems=problems)
    return data


def table(project: Project) -> HTML:
    """The cited statistics as a styled table: publisher, date, sample, evidence, caveats."""
    sources = project.sources
    style = {
        level: f"background:{project.brand.tint(role)}"
        for level, role in EVIDENCE_LEVEL_ROLE.items()
    }
    rows = []
    for s in sorted(sources, key=lambda s: s.published, reverse=True):
        rows.append(
            "<tr>"
            f"<td><b>{html.escape(s.statistic)}</b><br><small>“{html.escape(s.quote)}”</small></td>"
            f"<td>{html.escape(citation(s))}<br><small>{html.escape(s.title)}</small></td>"
            f"<td>{s.published.isoformat()}</td>"
            f"<td>{html.escape(s.sample or msg.NOT_STATED)}"
            f"{f' (n = {s.sample_size:,})' if s.sample_size else ''}</td>"
            f"<td style='{style[s.evidence]}'>{s.evidence}</td>"
            f"<td><small>{html.escape(s.caveats)}</small></td>"
            "</tr>"
        )
    head = "".join(
        f"<th style='text-align:left'>{h}</th>"
        for h in (
            emsg.STATISTIC_AND_QUOTE,
            emsg.PUBLISHER,
            emsg.PUBLISHED,
            emsg.SAMPLE,
            emsg.EVIDENCE,
            emsg.CAVEATS,
        )
    )
    return HTML(
        "<table class='pf-evidence' style='border-collapse:collapse;font-size:90%'>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def chart(project: Project, include_unverified: bool = False) -> SVG:
    """The evidence chart with intervals, as in the brief."""
    shown = [s for s in project.sources if include_unverified or s.evidence != "unverified"]
    return SVG(charts.evidence_chart(shown, project.brand).svg())


def readings(project: Project) -> HTML:
    """What each figure does and does not say, in plain language."""
    sources = project.sources
    notes = load_notes(sources, project.evidence_notes)
    items = []
    for source_id, note in notes.items():
        s = sources[source_id]
        items.append(
            f"<li><b>{html.escape(citation(s))}</b> ({s.evidence}): "
            f"{html.escape(note['says'])}<br><i>{emsg.DOES_NOT_SAY}</i> "
            f"{html.escape(note['does_not_say'])}</li>"
        )
    return HTML(f"<ul class='pf-readings'>{''.join(items)}</ul>")
