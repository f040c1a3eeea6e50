"""The brief's sections, built from one client scenario.

The brief notebook (notebooks/03-client-brief.ipynb) calls ``prepare`` once and then one
function per section; each returns HTML that nbconvert's exporters place on the page. Every
figure shown is either cited (a footnote into the sources appendix) or labelled as modelled.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import jinja2
import markupsafe

from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.scenario import Scenario, load_scenario, scenario_from_dict
from pilotfunnel.model import funnel
from pilotfunnel.views import messages
from pilotfunnel.views.citation import citation, links
from pilotfunnel.views.context import BriefContext
from pilotfunnel.views.messages import brief as brief_msg

SECTIONS = (
    "cover",
    "summary",
    "evidence",
    "record",
    "funnel",
    "stalling",
    "practices",
    "next_steps",
    "sources_appendix",
    "assumptions_appendix",
)
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,  # client names and sources' text are shown, never interpreted
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
# The catalogue's sentences, one home for every surface: the template writes {{ msg.NAME }}.
_ENV.globals["msg"] = messages


def say(text: str, /, **values: object) -> markupsafe.Markup:
    """A catalogue sentence on the page: its own markup kept, each value filled in escaped
    (a value that is markup already, a footnote's mark, is kept as it is)."""
    return markupsafe.Markup(text).format(**values)


_ENV.globals["say"] = say
# A source as a client reads it, and the addresses a client may follow (views/citation).
_ENV.globals["citation"] = citation
_ENV.globals["links"] = links


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
    # The same scenario, draws and seed give the same result: the deck, made after the brief
    # notebook ran in the same process, reuses it.
    key = ("result", json.dumps(scenario.to_dict(), sort_keys=True), draws, seed)
    result = project.recent(
        key, lambda: funnel.run(scenario, funnel.model_of(project), draws=draws, seed=seed)
    )
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


def record(ctx: BriefContext) -> SectionHTML | None:
    """The client's record against the research; nothing when the scenario has no record."""
    return render_section("record", ctx) if ctx.calibrated else None


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
    scenario = ctx.scenario.to_dict()
    return {
        "client": ctx.client,
        "title": messages.TITLE.format(client=ctx.client),
        "author": ctx.prepared_by,
        "subject": messages.SUBJECT,
        "date": ctx.as_of.isoformat(),
        "sources": [s.id for s in ctx.cited_sources],
        # Enough to model the brief again for a format made from the model, not the page
        # (the deck): the same scenario, date, draws and seed give the same numbers.
        "scenario": scenario,
        # What the deck checks the scenario against (deck.recorded_scenario): it builds from
        # this mapping, never from a file the notebook names.
        "scenario_sha256": scenario_digest(scenario),
        "draws": ctx.result.draws,
        "seed": ctx.result.seed,
    }


def scenario_digest(scenario: dict) -> str:
    """The sha256 of a scenario mapping's canonical JSON (keys sorted, no spaces, ASCII):
    the same mapping gives the same digest after a notebook's JSON round trip, through Python
    or through JupyterLab, whose JavaScript writes 150000.0 as 150000."""
    text = json.dumps(_canonical(scenario), sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _canonical(value: object) -> object:
    # JavaScript has one number type: a whole float comes back from the browser as an int.
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


METADATA_MIMETYPE = "application/vnd.pilotfunnel.brief+json"


class _MetadataOutput:
    def __init__(self, metadata: dict) -> None:
        self.metadata = metadata

    def _repr_mimebundle_(self, include=None, exclude=None):
        text = brief_msg.READY.format(client=self.metadata["client"], date=self.metadata["date"])
        return {METADATA_MIMETYPE: self.metadata, "text/plain": text}


def metadata_output(ctx: BriefContext) -> _MetadataOutput:
    """An output the exporters read the brief's title, author and date from (not displayed)."""
    return _MetadataOutput(brief_metadata(ctx))
