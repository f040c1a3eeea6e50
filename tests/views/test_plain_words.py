"""Client text is plain language: the method is explained in plain words once, in the brief's
"How the model works" paragraph, which gives each technical name once and in passing; no
other sentence of the brief or the deck uses one, and no source's row id or the simulation's
seed reaches the client."""

import io
import re
import zipfile
from html import unescape

import pytest

from pilotfunnel.inputs.project import Project
from pilotfunnel.views import brief, deck
from pilotfunnel.views.messages import brief as bmsg

from ..conftest import ROOT

DEMO = ROOT / "data" / "clients" / "demo.yaml"
NO_RECORD = ROOT / "data" / "clients" / "fernhill-foods.yaml"
# The technical names a client is given once, in passing, and nowhere else.
JARGON = ("Beta posterior", "Jeffreys prior", "log-odds", "weight of the record", "Monte Carlo")


def text_of(html: str) -> str:
    """What a reader sees of the page: its text, tags (and the ids in them) left out."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture(scope="module", params=["demo", "no record"])
def made(request):
    ctx = brief.prepare(
        Project.load(ROOT), DEMO if request.param == "demo" else NO_RECORD, "2026-11-25"
    )
    sections = {
        name: section.html
        for name in brief.SECTIONS
        if (section := brief.render_section(name, ctx)) is not None
    }
    with zipfile.ZipFile(io.BytesIO(deck.build_deck(ctx))) as pptx:
        xml = "".join(
            pptx.read(name).decode("utf-8") for name in pptx.namelist() if name.endswith(".xml")
        )
    return ctx, sections, unescape(xml)


def method_paragraph(sections: dict[str, str]) -> str:
    [paragraph] = re.findall(r'<p class="method">(.*?)</p>', sections["assumptions_appendix"], re.S)
    return text_of(paragraph)


def test_the_method_is_one_plain_paragraph_naming_each_technical_term_once(made):
    ctx, sections, _xml = made
    method = method_paragraph(sections)
    assert bmsg.METHOD_HEADING in text_of(sections["assumptions_appendix"])
    for term in ("Beta posterior", "Jeffreys prior", "log-odds", "Monte Carlo"):
        assert method.count(term) == 1, term
    assert ("own record" in method) == ctx.calibrated  # the record's part only with a record


def test_no_technical_term_appears_outside_the_method_paragraph(made):
    _ctx, sections, _xml = made
    page = text_of("".join(sections.values()))
    method = method_paragraph(sections)
    for term in JARGON:
        assert page.lower().count(term.lower()) <= 1, term
        assert page.lower().count(term.lower()) == method.lower().count(term.lower()), term
    rest = page.replace(method, "")
    for word in ("posterior", "Jeffreys", "log-odds", "Monte Carlo", "binomial", "prior strength"):
        assert word.lower() not in rest.lower(), word


def test_the_deck_and_its_notes_use_no_technical_term(made):
    _ctx, _sections, xml = made
    for term in (*JARGON, "prior strength", "posterior"):
        assert term.lower() not in xml.lower(), term


def test_no_row_id_draws_or_seed_reaches_the_client(made):
    ctx, sections, xml = made
    page = text_of("".join(sections.values()))
    for source in ctx.sources:
        assert source.id not in page, source.id  # the anchors stay, as markup only
        assert source.id not in re.sub(r'"[^"]*"', "", xml), source.id
    assert f"seed {ctx.result.seed}" not in page and f"seed {ctx.result.seed}" not in xml
    assert "draws" not in page.lower()
    # The anchors a footnote follows are still there.
    assert 'id="src-idc-2025-poc-to-production"' in sections["sources_appendix"]
