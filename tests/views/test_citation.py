"""A source as a client reads it: the primary publisher first, "reported by" the report it is
known through, the report's address named as the report's, and never a blog as the source."""

import dataclasses
import io
import re
import zipfile
from html import unescape

import pytest

from pilotfunnel.inputs.project import Project
from pilotfunnel.views import brief, deck, evidence
from pilotfunnel.views.citation import citation, links

from ..conftest import ROOT

DEMO = ROOT / "data" / "clients" / "demo.yaml"
NO_RECORD = ROOT / "data" / "clients" / "fernhill-foods.yaml"


@pytest.fixture(scope="module")
def project():
    return Project.load(ROOT)


@pytest.fixture(scope="module", params=["demo", "no record"])
def made(request, project):
    """A brief's HTML and its deck's XML, for the demo and a client without a record."""
    ctx = brief.prepare(project, DEMO if request.param == "demo" else NO_RECORD, "2026-11-25")
    page = "".join(
        section.html
        for name in brief.SECTIONS
        if (section := brief.render_section(name, ctx)) is not None
    )
    with zipfile.ZipFile(io.BytesIO(deck.build_deck(ctx))) as pptx:
        xml = "".join(
            pptx.read(name).decode("utf-8") for name in pptx.namelist() if name.endswith(".xml")
        )
    return ctx, unescape(page), unescape(xml)


def test_the_citation_names_the_primary_first_and_the_report_after(project):
    idc = project.sources["idc-2025-poc-to-production"]
    assert citation(idc) == "IDC, 2025, reported by CIO.com"
    assert evidence.citation is citation  # the evidence notebook's name for the same function
    direct = dataclasses.replace(idc, publisher="IDC (with Lenovo)", reported_by="")
    assert citation(direct) == "IDC (with Lenovo), 2025"
    assert citation(project.sources["rand-2024-ai-projects-fail"]) == "RAND Corporation, 2024"


def test_the_reports_address_is_labelled_as_the_reports(project):
    mit = project.sources["mit-nanda-2025-no-pnl-return"]
    [link] = links(mit)
    assert link.label == "Reported by Fortune:" and "fortune.com" in link.url
    assert links(project.sources["idc-2024-poc-to-production"]) == ()  # no address known
    [own] = links(project.sources["rand-2024-ai-projects-fail"])
    assert own.label == "" and "rand.org" in own.url
    both = dataclasses.replace(mit, url="https://mitnanda.example/report.pdf")
    assert [link.label for link in links(both)] == ["", "Reported by Fortune:"]


def test_the_evidence_items_name_each_source_by_its_citation(made):
    ctx, _page, _xml = made
    for item in ctx.evidence:
        assert item.source == citation(ctx.sources[item.source_id])


def test_no_client_surface_shows_a_blog_or_a_report_as_the_source(made):
    ctx, page, xml = made
    blogs = [
        re.search(r"https://\S*aidoos\S*", s.analyst_notes).group(0).rstrip(";)")
        for s in ctx.sources
        if "aidoos" in s.analyst_notes
    ]
    assert blogs, "the shipped table keeps the blog a quote was traced through, for the analyst"
    for surface in (page, xml):
        assert "aidoos" not in surface.lower()
        for blog in blogs:
            assert blog not in surface
    reported = [s for s in ctx.cited_sources if s.reported_url]
    assert reported, "the shipped brief cites a source known through a report"
    for s in reported:
        for name, surface in (("brief", page), ("deck", xml)):
            at = [m.start() for m in re.finditer(re.escape(s.reported_url), surface)]
            assert at, (name, s.id)
            for start in at:  # every time: right after the words that make it the report's
                before = surface[max(0, start - 200) : start]
                assert f"Reported by {s.reported_by}:" in before, (name, s.id, before[-80:])
    for s in ctx.cited_sources:
        assert citation(s) in page and citation(s) in xml, s.id
        assert "reported by" not in s.publisher.lower()
