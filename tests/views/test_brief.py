import datetime as dt
import re
from html import unescape

import pytest
from pypdf import PdfReader

from pilotfunnel.export import pipeline
from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.scenario import load_scenario
from pilotfunnel.views import brief
from pilotfunnel.views import context as brief_context

from ..conftest import FIXTURES, ROOT

AS_OF = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def ctx():
    project = Project.load(ROOT)
    return brief.prepare(
        project, ROOT / "data" / "clients" / "demo.yaml", as_of="2026-11-25", draws=2000
    )


def html(ctx, name):
    return brief.render_section(name, ctx).html


def test_cover_names_client_date_and_preparer(ctx):
    cover = html(ctx, "cover")
    assert "Northwind Logistics" in cover and "25 November 2026" in cover
    assert "Pilotfunnel Advisory" in cover and 'class="cover ' in cover


def test_summary_quotes_the_model_and_labels_it(ctx):
    summary = html(ctx, "summary")
    production = ctx.result.as_is["production"].expected
    assert f"{production:.1f}" in summary
    assert "of 72" in summary and "Modelled" in summary
    assert "4 reached production" in summary  # IDC's 4 of 33, cited
    assert 'href="#src-idc-2025-poc-to-production"' in summary


def test_mit_is_quoted_as_organisations_not_pilots(ctx):
    evidence = html(ctx, "evidence")
    assert "organisations report no measurable" in evidence
    assert "95% of pilots fail" not in evidence


def test_unverified_sources_stay_out_unless_asked(ctx):
    unverified = [s.id for s in ctx.sources if s.evidence == "unverified"]
    assert unverified, "the shipped table should keep one unverified row to exercise this"
    assert not set(unverified) & {s.id for s in ctx.cited_sources}
    asked = brief.prepare(
        ctx.project, ctx.scenario.replace(include_unverified_sources=True), draws=500
    )
    evidence = html(asked, "evidence")
    assert any(f"src-{i}" in evidence for i in unverified)
    assert '<span class="flag">Unverified</span>' in evidence


def test_every_footnote_has_an_appendix_entry(ctx):
    text = "".join(html(ctx, n) for n in brief.SECTIONS)
    targets = set(re.findall(r'href="#(src-[a-z0-9-]+)"', text))
    anchors = set(re.findall(r'id="(src-[a-z0-9-]+)"', text))
    assert targets and targets <= anchors


def test_appendix_has_quotes_samples_caveats_and_access_dates(ctx):
    appendix = html(ctx, "sources_appendix")
    for source in ctx.cited_sources:
        assert source.caveats.split(";")[0][:30].replace("&", "&amp;") in appendix.replace(
            "&#39;", "'"
        )
        assert source.accessed.isoformat() in appendix


def test_the_scenarios_notes_are_the_consultants_and_never_on_the_page(ctx):
    """A scenario's notes ("CFO sceptical of AI spend") are for the consultant: no section
    of the brief prints them, nor says 'Notes:'."""
    marked = ctx.scenario.replace(notes="ZQX private: CFO sceptical of AI spend")
    noted = brief.prepare(ctx.project, marked, draws=500)
    text = "".join(html(noted, n) for n in brief.SECTIONS)
    assert "ZQX private" not in text and "Notes:" not in text


@pytest.fixture(scope="module")
def every_source_cited(ctx):
    """The brief as if it cited every row of the table, unverified ones too."""
    asked = brief.prepare(
        ctx.project, ctx.scenario.replace(include_unverified_sources=True), draws=500
    )
    asked.cited_sources = list(ctx.project.sources)  # every row reaches the appendix
    return asked


@pytest.mark.parametrize("source_id", [s.id for s in Project.load(ROOT).sources])
def test_the_appendix_shows_caveats_and_never_an_analysts_note(every_source_cited, source_id):
    source = every_source_cited.sources[source_id]
    assert source.analyst_notes, "every shipped row keeps its working notes apart"
    appendix = unescape(html(every_source_cited, "sources_appendix"))
    entry = appendix.split(f'id="src-{source_id}"', 1)[1].split("</li>", 1)[0]
    assert source.caveats in entry
    for sentence in re.split(r"(?<=[.;:])\s+", source.analyst_notes):
        assert sentence.strip(" .;:") not in appendix, sentence


def test_assumptions_appendix_labels_every_assumption(ctx):
    appendix = html(ctx, "assumptions_appendix")
    assert "Assumption" in appendix
    assert appendix.count("<tr>") >= len(ctx.assumptions.effects)
    # The simulation's draws and seed are the analyst's (the explorer, the CLI), not the client's.
    assert f"seed {ctx.result.seed}" not in appendix and "draws" not in appendix


def test_hostile_client_name_is_escaped(ctx):
    scenario = load_scenario(FIXTURES / "scenarios" / "hostile_name.yaml")
    hostile = brief.prepare(Project.load(ROOT), scenario, draws=500)
    cover = html(hostile, "cover")
    assert "<script>" not in cover
    assert "Müller &amp; Søn &lt;script&gt;" in cover


def test_unknown_section_is_an_error(ctx):
    with pytest.raises(ValueError, match="unknown section"):
        brief.render_section("epilogue", ctx)


def test_the_evidence_chart_is_drawn_once_per_project(project_copy, monkeypatch):
    drawn = []
    charts = brief_context.chartviews.charts
    real = charts.evidence_chart
    monkeypatch.setattr(charts, "evidence_chart", lambda *a: drawn.append(a) or real(*a))
    project = Project.load(project_copy)
    sources = list(project.sources)
    first = brief_context.evidence_view(project, sources)
    assert brief_context.evidence_view(Project.load(project_copy), list(sources)) is first
    assert len(drawn) == 1
    # An analyst's edit to a figure, or a brand change, makes a new project: drawn again.
    csv = project_copy / "data" / "sources.csv"
    csv.write_text(csv.read_text("utf-8").replace(",48,", ",47,", 1), "utf-8")
    edited = Project.load(project_copy)
    assert edited is not project
    assert brief_context.evidence_view(edited, list(edited.sources)).svg != first.svg
    brand = project_copy / "data" / "brand" / "brand.yml"
    brand.write_text(brand.read_text("utf-8").replace("#1B3A5C", "#7A1F3D"), "utf-8")
    recoloured = Project.load(project_copy)
    redrawn = brief_context.evidence_view(recoloured, list(recoloured.sources))
    assert "#7a1f3d" in redrawn.svg.lower()
    assert len(drawn) == 3


def test_an_analysts_stage_label_reaches_the_table_and_the_chart(project_copy):
    assumptions = project_copy / "data" / "assumptions.yaml"
    text = assumptions.read_text("utf-8").replace("label: Reached production", "label: Went live")
    assumptions.write_text(text, encoding="utf-8")
    relabelled = brief.prepare(
        Project.load(project_copy),
        project_copy / "data" / "clients" / "demo.yaml",
        as_of="2026-11-25",
        draws=500,
    )
    funnel_section = html(relabelled, "funnel")
    assert '<th scope="row">Went live</th>' in funnel_section
    assert "Reached production" not in funnel_section  # neither in the table nor the chart


@pytest.fixture(scope="module")
def without_record():
    project = Project.load(ROOT)
    scenario = load_scenario(ROOT / "data" / "clients" / "demo.yaml").replace(record=None)
    return brief.prepare(project, scenario, as_of="2026-11-25", draws=2000)


def test_record_section_sets_the_record_against_the_research(ctx):
    section = html(ctx, "record")
    assert "Your record against the research" in section
    assert "31 proofs of concept (2024-01 to 2025-12)" in section
    assert "9.7% of proofs of concept reached production" in section
    assert "4 of 33" in section and 'href="#src-idc-2025-poc-to-production"' in section
    step = ctx.result.calibration[0]
    assert f"research expects {ctx.rate(step.prior_rate)}" in section
    assert 'aria-label="Dot chart of the share of proofs of concept reaching production' in section
    assert "outweighs the research" in section and "Calibrated" in section
    assert "3 of 31 (9.7%)" in section and "1 of 3 (33%)" in section


def test_a_small_record_says_so_in_plain_words():
    from pilotfunnel.inputs.scenario import Record

    project = Project.load(ROOT)
    scenario = load_scenario(ROOT / "data" / "clients" / "demo.yaml").replace(record=Record(4, 1))
    section = html(brief.prepare(project, scenario, draws=1000), "record")
    assert "A record of 4 proofs of concept is too small to say much" in section
    assert "not recorded" in section  # the record is silent on impact


def test_every_figure_the_record_shapes_says_it_is_calibrated(ctx):
    summary = html(ctx, "summary")
    assert summary.count("Modelled, calibrated to the client&#39;s record") == 3
    assert "Calibrated to Northwind Logistics's own record (3 of 31" in summary
    assert "modelled, calibrated to the record" in summary
    for name in ("funnel", "stalling", "practices"):
        assert "calibrated to" in html(ctx, name).lower(), name
    assert "worth 10 of the client" in html(ctx, "assumptions_appendix")


def test_next_steps_promise_only_what_the_kit_does(ctx, without_record):
    with_one = html(ctx, "next_steps")
    assert "Share how the next pilots finish" in with_one and "3 of 31" in with_one
    assert "(2024-01 to 2025-12)" in with_one
    assert "Replace the assumed rates" not in with_one
    without = html(without_record, "next_steps")
    assert "Share your record of pilots" in without
    assert "calibrated to Northwind Logistics's own pilots" in unescape(without)


@pytest.mark.parametrize("which", ["ctx", "without_record"])
def test_next_steps_speak_to_the_client_not_the_consultant(which, request):
    """Editing the scenario and re-running is the consultant's job: the CLI and notes say it."""
    view = request.getfixturevalue(which)
    section = html(view, "next_steps")
    for consultant_word in ("re-run", "<code>", "scenario", "record block"):
        assert consultant_word not in section.lower(), consultant_word
    assert "re-run" in view.consultant_note and "record block" in view.consultant_note


def test_next_steps_have_one_home_the_page_renders(ctx, without_record):
    """The page shows the view model's steps in order: the raised practices, then the rest."""
    for view in (ctx, without_record):
        steps = view.next_steps
        section = html(view, "next_steps")
        items = re.findall(r"<li><strong>(.*?)</strong> (.*?)</li>", section, re.S)
        assert [(unescape(t), unescape(x)) for t, x in items] == [(s.title, s.text) for s in steps]
        practices = steps[: len(view.where_to_start)]
        assert [s.text for s in practices] == [e.to_text for e in view.where_to_start]
        assert all(e.raised for e in view.where_to_start) and len(steps) <= 5
        assert steps[-2] == brief_context.PILOT_STEP


def test_a_practice_already_at_target_is_no_next_step():
    project = Project.load(ROOT)
    demo = load_scenario(ROOT / "data" / "clients" / "demo.yaml")
    flat = demo.replace(target={**demo.target, "integration": demo.as_is["integration"]})
    view = brief.prepare(project, flat, as_of="2026-11-25", draws=500)
    at_target = [e for e in view.ranking if e.label == "Wired into real systems"]
    assert at_target and not at_target[0].raised and at_target[0] not in view.raised
    titles = [s.title for s in view.next_steps]
    assert not any(t.startswith("Wired into real systems") for t in titles)
    assert "already at target" in html(view, "practices")


def test_without_a_record_there_is_no_record_section_or_calibration(without_record):
    assert brief.record(without_record) is None
    assert not hasattr(without_record.charts, "record")
    assert "calibrated" not in html(without_record, "summary").lower()
    assert "worth 10 of the client" not in html(without_record, "assumptions_appendix")


def test_the_brief_records_its_scenario_with_a_digest_that_survives_json(ctx):
    import json

    meta = brief.brief_metadata(ctx)
    assert meta["scenario"] == ctx.scenario.to_dict()
    assert meta["scenario_sha256"] == brief.scenario_digest(ctx.scenario.to_dict())
    # What the kernel sends and nbformat saves is JSON: the digest holds after the round trip.
    carried = json.loads(json.dumps(meta))
    assert brief.scenario_digest(carried["scenario"]) == meta["scenario_sha256"]
    # Canonical: key order does not matter; any change of content does.
    reordered = dict(reversed(list(ctx.scenario.to_dict().items())))
    assert brief.scenario_digest(reordered) == meta["scenario_sha256"]
    changed = ctx.scenario.replace(pocs_per_year=ctx.scenario.pocs_per_year + 1)
    assert brief.scenario_digest(changed.to_dict()) != meta["scenario_sha256"]
    with pytest.raises(ValueError):
        brief.scenario_digest({"client": float("nan")})  # no non-JSON number gets a digest


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The PDFs of the demo brief (with a record) and of Harbourview Bank's (without one)."""
    out = tmp_path_factory.mktemp("printed")
    project = Project.load(ROOT)
    found = {}
    for name in ("demo", "harbourview-bank"):
        scenario = load_scenario(ROOT / "data" / "clients" / f"{name}.yaml")
        files = pipeline.make_brief(project, scenario, out, ("pdf",), as_of=AS_OF)
        view = brief.prepare(project, scenario, as_of=AS_OF)
        found[name] = (PdfReader(files.files["pdf"]), view)
    return found


@pytest.mark.parametrize("name", ["demo", "harbourview-bank"])
def test_no_printed_page_holds_only_a_stray_item(printed, name):
    """Every page after the cover carries real content, not one item spilled from the last."""
    reader, _ = printed[name]
    for number, page in enumerate(reader.pages[1:], start=2):
        text = page.extract_text()
        assert len(text) > 600, f"page {number} holds only: {text!r}"


@pytest.mark.parametrize("name", ["demo", "harbourview-bank"])
def test_every_table_prints_whole_on_one_page(printed, name):
    """A table never splits (no row left alone on a page): all its rows are on one page."""
    reader, view = printed[name]
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    tables = [view.at_a_glance, view.funnel_table, view.money_table, view.readiness_table]
    tables += [view.record_table] if view.record_table is not None else []
    for table in tables:
        rows = [" ".join(" ".join(row).split()) for row in table.rows]
        assert any(all(row in page for row in rows) for page in pages), table.caption or rows[0]


@pytest.mark.parametrize("name", ["demo", "harbourview-bank"])
def test_the_next_steps_print_on_one_page_without_the_consultants_notes(printed, name):
    reader, view = printed[name]
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    [page] = [p for p in pages if "Next steps" in p and view.next_steps[0].title in p]
    for step in view.next_steps:
        assert step.title in page, step.title
    assert view.scenario.notes, "the demo scenarios keep notes to exercise this"
    printed_text = " ".join(pages)
    assert " ".join(view.scenario.notes.split())[:40] not in printed_text
