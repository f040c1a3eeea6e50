"""The brief's sections, built from one client scenario.

The brief notebook (notebooks/03-client-brief.ipynb) calls ``prepare`` once and then one
function per section; each returns HTML that nbconvert's exporters place on the page. Every
figure shown is either cited (a footnote into the sources appendix) or labelled as modelled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import jinja2
import markupsafe

from . import charts, funnel, report
from .assumptions import DRIVERS, Assumptions
from .brand import Brand
from .formatting import count, money, multiple, percent
from .funnel import Range, Result
from .project import Project
from .scenario import Scenario, load_scenario, scenario_from_dict
from .sources import Source, SourceTable

SECTIONS = (
    "cover",
    "summary",
    "evidence",
    "funnel",
    "stalling",
    "practices",
    "next_steps",
    "sources_appendix",
    "assumptions_appendix",
)
HEADLINE_SOURCE = "idc-2025-poc-to-production"
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,  # client names and notes are shown, never interpreted
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class ChartView:
    """A chart as the brief embeds it: inline SVG in the page's fonts, alt text and note."""

    svg: markupsafe.Markup
    alt: str
    note: str


@dataclass
class Ranked:
    label: str
    from_level: int
    to_level: int
    production_gain: float
    value_gain: float
    from_text: str
    to_text: str


@dataclass
class BriefContext:
    """Everything one brief shows, computed once and shared by the sections."""

    scenario: Scenario
    result: Result
    sources: SourceTable
    assumptions: Assumptions
    brand: Brand
    as_of: dt.date
    project: Project

    # --- what the sections read ----------------------------------------------------
    @property
    def client(self) -> str:
        return self.scenario.client

    @property
    def prepared_by(self) -> str:
        return self.scenario.prepared_by or self.brand.name

    @property
    def date_text(self) -> str:
        return f"{self.as_of.day} {self.as_of:%B %Y}"

    @property
    def years(self) -> int:
        return self.scenario.horizon_years

    @property
    def pocs_total(self) -> int:
        return self.scenario.pocs_per_year * self.scenario.horizon_years

    @property
    def as_is(self):
        return self.result.as_is

    @property
    def target(self):
        return self.result.target

    @property
    def value_gain(self) -> float:
        return self.target["value"].expected - self.as_is["value"].expected

    @property
    def as_is_rate(self) -> float:
        return self.as_is.rates[0]

    @property
    def baseline_rate(self) -> float:
        return self.assumptions.stages[1].baseline.rate

    @property
    def headline_source(self) -> Source:
        return self.sources[HEADLINE_SOURCE]

    @property
    def drivers(self):
        return [self.assumptions.drivers[d] for d in DRIVERS]

    @cached_property
    def ranking(self) -> list[Ranked]:
        ranked = []
        for effect in self.result.sensitivity:
            driver = self.assumptions.drivers[effect.driver]
            ranked.append(
                Ranked(
                    driver.label,
                    effect.from_level,
                    effect.to_level,
                    effect.production_gain,
                    effect.value_gain,
                    driver.levels[effect.from_level],
                    driver.levels[effect.to_level],
                )
            )
        return ranked

    @property
    def top(self) -> Ranked:
        return self.ranking[0]

    @cached_property
    def evidence_sources(self) -> list[Source]:
        """Sources shown in the evidence section: unverified ones only when the scenario asks."""
        allowed = [
            s
            for s in self.sources
            if s.evidence != "unverified" or self.scenario.include_unverified_sources
        ]
        return allowed

    @cached_property
    def cited_sources(self) -> list[Source]:
        """Every source the brief cites, in footnote order: the evidence, then the model's."""
        ids = [s.id for s in self.evidence_sources]
        ids += sorted(self.assumptions.cited_source_ids() - set(ids))
        return [self.sources[i] for i in ids]

    def footnote(self, source_id: str) -> int:
        return [s.id for s in self.cited_sources].index(source_id) + 1

    @cached_property
    def charts(self):
        class Charts:
            pass

        bundle = Charts()
        bundle.evidence = evidence_view(self.project, self.evidence_sources)
        for chart in (
            charts.funnel_chart(self.result, self.brand),
            charts.stalling_chart(self.result, self.brand),
            charts.sensitivity_chart(self.result, self.brand),
        ):
            setattr(bundle, chart.name, _chart_view(chart))
        return bundle

    @property
    def stage_rows(self) -> tuple[tuple[str, str], ...]:
        """(label, metric) per stage; labels from the assumptions, as the funnel chart's."""
        labels = (stage.label for stage in self.assumptions.stages)
        return tuple(zip(labels, funnel.STAGE_METRICS, strict=True))

    money_rows = report.MONEY_ROWS
    key_numbers = report.KEY_NUMBERS

    # --- formatting helpers the templates call -------------------------------------
    def n(self, figure: Range) -> str:
        return count(figure.expected)

    def n_range(self, figure: Range) -> str:
        return f"{count(figure.p10)} to {count(figure.p90)}"

    def m(self, figure: Range) -> str:
        return money(figure.expected, self.scenario.currency)

    def m_range(self, figure: Range) -> str:
        c = self.scenario.currency
        return f"{money(figure.p10, c)} to {money(figure.p90, c)}"

    def money(self, amount: float) -> str:
        return money(amount, self.scenario.currency)

    def fmt(self, figure: Range, kind: str) -> str:
        return multiple(figure.expected) if kind == "roi" else self.m(figure)

    def fmt_range(self, figure: Range, kind: str) -> str:
        if kind == "roi":
            return f"{multiple(figure.p10)} to {multiple(figure.p90)}"
        return self.m_range(figure)

    def pct(self, share: float, digits: int = 0) -> str:
        return percent(share, digits)

    def count(self, value: float) -> str:
        return count(value)

    def source_value(self, source: Source) -> str:
        if source.numerator is not None and source.denominator:
            return f"{source.numerator} of {source.denominator}"
        return f"{source.value:g}%" if source.unit == "percent" else f"{source.value:,.0f}"

    def stage_label(self, stage_id: str) -> str:
        return next(s.label for s in self.assumptions.stages if s.id == stage_id)

    def driver_label(self, driver_id: str) -> str:
        return self.assumptions.drivers[driver_id].label


def _chart_view(chart: charts.Chart) -> ChartView:
    view = ChartView(_inline_svg(chart), chart.alt, chart.note)
    chart.figure.clear()
    return view


def evidence_view(project: Project, sources: list[Source]) -> ChartView:
    """The evidence chart, drawn once per project for the sources shown.

    It is the same for every client, and drawing it is a fifth of a brief's build time in a
    batch; the project is new whenever a source or the brand is edited, so an edit redraws it.
    """
    key = ("evidence-chart", tuple(s.id for s in sources))
    return project.cached(key, lambda: _chart_view(charts.evidence_chart(sources, project.brand)))


def _inline_svg(chart: charts.Chart) -> markupsafe.Markup:
    """The chart's SVG element for inlining, labelled for screen readers by its alt text."""
    svg = chart.svg(with_note=False, text_as_text=True)
    svg = svg[svg.index("<svg") :]
    label = markupsafe.escape(chart.alt)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    return markupsafe.Markup(svg)


def prepare(
    project: Project,
    scenario: str | Path | dict | Scenario,
    as_of: dt.date | str | None = None,
    draws: int = funnel.DEFAULT_DRAWS,
    seed: int = funnel.DEFAULT_SEED,
) -> BriefContext:
    """Model everything one brief needs: a scenario file, its contents, or a Scenario."""
    if isinstance(scenario, dict):
        scenario = scenario_from_dict(scenario)
    elif not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    result = funnel.run(scenario, project.model, draws=draws, seed=seed)
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    return BriefContext(
        scenario=scenario,
        result=result,
        sources=project.sources,
        assumptions=project.assumptions,
        brand=project.brand,
        as_of=as_of or dt.date.today(),
        project=project,
    )


class SectionHTML:
    """HTML for one section; displays as text/html in a notebook."""

    def __init__(self, name: str, html: str) -> None:
        self.name, self.html = name, html

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<brief section {self.name!r}: {len(self.html)} characters of HTML>"


def render_section(name: str, context: BriefContext) -> SectionHTML:
    """Render one section of the brief by name."""
    if name not in SECTIONS:
        raise ValueError(f"unknown section {name!r}; sections are {', '.join(SECTIONS)}")
    macro = getattr(_ENV.get_template("sections.html.j2").module, name)
    return SectionHTML(name, str(macro(context)))


def cover(ctx: BriefContext) -> SectionHTML:
    return render_section("cover", ctx)


def summary(ctx: BriefContext) -> SectionHTML:
    return render_section("summary", ctx)


def evidence(ctx: BriefContext) -> SectionHTML:
    return render_section("evidence", ctx)


def funnel_section(ctx: BriefContext) -> SectionHTML:
    return render_section("funnel", ctx)


def stalling(ctx: BriefContext) -> SectionHTML:
    return render_section("stalling", ctx)


def practices(ctx: BriefContext) -> SectionHTML:
    return render_section("practices", ctx)


def next_steps(ctx: BriefContext) -> SectionHTML:
    return render_section("next_steps", ctx)


def sources_appendix(ctx: BriefContext) -> SectionHTML:
    return render_section("sources_appendix", ctx)


def assumptions_appendix(ctx: BriefContext) -> SectionHTML:
    return render_section("assumptions_appendix", ctx)


def brief_metadata(ctx: BriefContext) -> dict:
    """What the exporter needs beyond the sections: title, author, client, date."""
    return {
        "client": ctx.client,
        "title": f"AI pilot funnel brief: {ctx.client}",
        "author": ctx.prepared_by,
        "subject": "Why AI pilots stall before production, and what it takes to ship them",
        "date": ctx.as_of.isoformat(),
        "sources": [s.id for s in ctx.cited_sources],
    }


METADATA_MIMETYPE = "application/vnd.pilotfunnel.brief+json"


class _MetadataOutput:
    def __init__(self, metadata: dict) -> None:
        self.metadata = metadata

    def _repr_mimebundle_(self, include=None, exclude=None):
        text = f"Brief for {self.metadata['client']} ({self.metadata['date']}) is ready to export."
        return {METADATA_MIMETYPE: self.metadata, "text/plain": text}


def metadata_output(ctx: BriefContext) -> _MetadataOutput:
    """An output the exporters read the brief's title, author and date from (not displayed)."""
    return _MetadataOutput(brief_metadata(ctx))
