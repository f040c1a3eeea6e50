"""The brief's charts as the page embeds them: inline SVG in the page's fonts, alt and note.

The charts are drawn once per brief (the evidence chart once per project, as it is the same
for every client); ``BriefContext.charts`` names them.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import markupsafe

from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.sources.load import Source
from pilotfunnel.views import charts


@dataclass(frozen=True)
class ChartView:
    """A chart as the brief embeds it: inline SVG in the page's fonts, alt text and note."""

    svg: markupsafe.Markup
    alt: str
    note: str


def chart_view(chart: charts.Chart) -> ChartView:
    """A drawn chart as the page embeds it; the figure is freed once its SVG is taken."""
    view = ChartView(_inline_svg(chart), chart.alt, chart.note)
    chart.figure.clear()
    return view


def evidence_view(project: Project, sources: list[Source]) -> ChartView:
    """The evidence chart, drawn once per project for the sources shown.

    It is the same for every client, and drawing it is a fifth of a brief's build time in a
    batch; the project is new whenever a source or the brand is edited, so an edit redraws it.
    """
    key = ("evidence-chart", tuple(s.id for s in sources))
    return project.cached(key, lambda: chart_view(charts.evidence_chart(sources, project.brand)))


def _inline_svg(chart: charts.Chart) -> markupsafe.Markup:
    """The chart's SVG element for inlining, labelled for screen readers by its alt text."""
    svg = chart.svg(with_note=False, text_as_text=True)
    svg = svg[svg.index("<svg") :]
    label = markupsafe.escape(chart.alt)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    return markupsafe.Markup(svg)


def drawn_charts(ctx: Any) -> SimpleNamespace:
    """The brief's charts by name, each drawn once (the evidence chart once per project)."""
    bundle = SimpleNamespace(evidence=evidence_view(ctx.project, ctx.evidence_sources))
    drawn = [
        charts.funnel_chart(ctx.result, ctx.brand),
        charts.stalling_chart(ctx.result, ctx.brand),
        charts.sensitivity_chart(ctx.result, ctx.brand),
    ]
    if ctx.result.calibrated:
        drawn.append(charts.record_chart(ctx.result, ctx.brand, ctx.headline_source))
    for chart in drawn:
        setattr(bundle, chart.name, chart_view(chart))
    return bundle
