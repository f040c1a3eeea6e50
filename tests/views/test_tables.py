"""The view model's shared shapes (views/tables): the headline numbers and the tables every
surface draws, each cell formatted once, and the brief's template drawing exactly them."""

import dataclasses
from html import unescape

import pytest

from pilotfunnel.inputs.project import Project
from pilotfunnel.views import brief
from pilotfunnel.views import messages as msg
from pilotfunnel.views.context import headline_source_id
from pilotfunnel.views.tables import Headline

from ..conftest import ROOT


@pytest.fixture(scope="module")
def project():
    return Project.load(ROOT)


@pytest.fixture(scope="module")
def ctx(project, demo):
    return brief.prepare(project, demo, as_of="2026-11-25", draws=2000, seed=1)


@pytest.fixture(scope="module")
def bare(project, demo):
    return brief.prepare(project, dataclasses.replace(demo, record=None), draws=2000, seed=1)


def test_the_headline_reads_as_the_brief_words_it(ctx):
    production, stalled, gain = ctx.headline
    assert [h.key for h in ctx.headline] == ["production", "stalled_spend", "net_gain"]
    assert [h.tone for h in ctx.headline] == ["neutral", "danger", "success"]
    assert production.value == f"{ctx.n(ctx.as_is['production'])} of {ctx.pocs_total}"
    assert (production.figure, production.unit) == (ctx.n(ctx.as_is["production"]), "of 72")
    assert production.label == msg.HEADLINE_PRODUCTION.format(years=ctx.years)
    assert stalled.label == "spent on proofs of concept that never ship, over 3 years"
    # The headline is the net gain; its gross parts, which add up to it, stand beside it.
    g = ctx.gain
    glance = {row[0]: row[-1] for row in ctx.at_a_glance.rows}
    assert gain.value == glance[msg.NET_VALUE_ROW] and gain.figure == gain.value  # one figure
    assert g.net.expected == pytest.approx(g.value.expected - g.spend.expected - g.change_cost)
    assert gain.label == msg.HEADLINE_NET
    for part in (glance[msg.VALUE_DELIVERED], glance[msg.SPEND_ROW]):
        assert part in gain.detail
    assert ctx.money(g.change_cost) in gain.detail and ctx.m_range(g.net) in gain.detail
    assert ctx.payback_text in gain.detail and "present values at 8% a year" in gain.detail
    assert production.detail.startswith(f"{ctx.modelled}; P10 to P90: ")


def test_a_headline_without_a_unit_is_all_figure():
    h = Headline("stalled_spend", "$7.8M", "spent", "Modelled.", "danger")
    assert h.figure == "$7.8M" and h.unit == ""


def test_the_summary_draws_the_headline_and_the_glance_table_cell_for_cell(ctx):
    page = unescape(brief.summary(ctx).html)
    for h in ctx.headline:
        assert h.label in page and h.detail in page and h.figure in page
    table = ctx.at_a_glance
    assert f"<h3>{table.caption}</h3>" in page
    for column in table.columns:
        assert f'<th scope="col">{column}</th>' in page
    for label, *cells in table.rows:
        row = f'<th scope="row">{label}</th>' + "".join(f"<td>{c}</td>" for c in cells)
        assert row in page


def test_the_record_table_is_there_only_with_a_record(ctx, bare):
    assert bare.record_table is None
    table = ctx.record_table
    assert len(table.rows) == len(ctx.record_steps) and table.caption == msg.RECORD_HEADING
    first = table.rows[0]
    assert first[1] == "3 of 31 (9.7%)" and first[-1].endswith("%")
    assert " to " in first[2] and " to " in first[3]
    page = unescape(brief.record(ctx).html)
    assert all(cell in page for row in table.rows for cell in row)


def test_the_practices_table_ranks_every_practice(project, demo):
    scenario = dataclasses.replace(demo, target={**demo.target, "data": demo.as_is["data"]})
    table = brief.prepare(project, scenario, draws=2000, seed=1).practices_table
    assert len(table.rows) == 5 and table.columns[0] == msg.PRACTICE
    at_target = [row for row in table.rows if row[3] == msg.ALREADY_AT_TARGET]
    assert len(at_target) == 1 and at_target[0][1] == at_target[0][2]
    assert table.rows[-1] is at_target[0]  # nothing to start: last
    raised = [row for row in table.rows if row not in at_target]
    assert all(row[7].startswith("+") for row in raised)  # use cases in production
    assert all(row[3].startswith(("+", "-")) for row in raised)  # net value, signed
    ranked = [e.net_value_gain for e in brief.prepare(project, scenario, 2000, 1).raised]
    assert ranked == sorted(ranked, reverse=True)


def test_the_money_and_funnel_tables_hold_each_central_figure_in_its_range(ctx):
    for table in (ctx.money_table, ctx.funnel_table):
        for row in table.rows:
            if row[0] == msg.CHANGE_COST_ROW:  # an assumption, with no uncertainty drawn
                assert row[2] == row[4] == msg.NO_RANGE, row
                continue
            assert " to " in row[2] and " to " in row[4], row


def test_the_evidence_items_carry_their_footnotes(ctx):
    items = ctx.evidence
    assert [i.source_id for i in items] == [s.id for s in ctx.evidence_sources]
    assert all(i.footnote == ctx.footnote(i.source_id) for i in items)
    page = brief.evidence(ctx).html
    for item in items:
        assert f'<a href="#src-{item.source_id}">{item.footnote}</a>' in page


def test_say_keeps_the_sentences_markup_and_escapes_what_fills_it():
    shown = brief.say("<strong>{label}</strong> it's {n}", label="R&D <b>", n=3)
    assert shown == "<strong>R&amp;D &lt;b&gt;</strong> it's 3"


def test_the_brief_gives_the_consultant_no_instructions(ctx, bare):
    # Keeping the record and re-running are the consultant's: the CLI, the explorer, notes.
    for view in (ctx, bare):
        page = "".join(brief.render_section(name, view).html for name in brief.SECTIONS)
        assert "re-run" not in page and "record block" not in page
        assert view.consultant_note in (msg.KEEP_RECORD_CURRENT, msg.ADD_A_RECORD)


def test_the_headline_source_is_the_one_assumptions_yaml_cites_for_production(project):
    assert headline_source_id(project.assumptions) == (
        project.assumptions.stages[1].baseline.source_id
    )
    assumed = dataclasses.replace(
        project.assumptions.stages[1],
        baseline=dataclasses.replace(project.assumptions.stages[1].baseline, source_id=None),
    )
    stages = (project.assumptions.stages[0], assumed, *project.assumptions.stages[2:])
    with pytest.raises(ValueError, match="no cited source"):
        headline_source_id(dataclasses.replace(project.assumptions, stages=stages))


@pytest.mark.parametrize("client", ["demo", "fernhill-foods", "harbourview-bank"])
def test_net_value_adds_up_from_its_parts_down_the_page(project, client):
    """Value less spend less the cost of the change is the net value the page writes, in
    each column, at the coarsest precision of the three; the headline's gain is its change."""
    from pilotfunnel.inputs.scenario import load_scenario
    from pilotfunnel.views.formatting import written_step, written_value

    ctx = brief.prepare(project, load_scenario(ROOT / "data" / "clients" / f"{client}.yaml"))
    rows = {row[0]: row for row in ctx.at_a_glance.rows}
    parts = [rows[label] for label in (msg.VALUE_DELIVERED, msg.SPEND_ROW, msg.CHANGE_COST_ROW)]
    net = rows[msg.NET_VALUE_ROW]
    for column in (1, 2):
        value, spend, cost = (written_value(row[column]) for row in parts)
        step = max(written_step(row[column]) for row in parts)
        assert abs(written_value(net[column]) - (value - spend - cost)) <= step / 2, column
    assert ctx.headline[2].figure == net[3] == ctx.net_gain_text
    money_rows = {row[0]: row for row in ctx.money_table.rows}
    assert money_rows[msg.NET_VALUE_ROW][1] == net[1] and money_rows[msg.NET_VALUE_ROW][3] == net[2]


def test_where_no_practice_pays_alone_the_brief_says_so_and_recommends_none(project):
    """Fernhill Foods: every practice costs more than it returns alone, and the five together
    lose money over the horizon. The brief says so; it never recommends a loss."""
    from pilotfunnel.inputs.scenario import load_scenario

    ctx = brief.prepare(project, load_scenario(ROOT / "data" / "clients" / "fernhill-foods.yaml"))
    assert all(e.net_value_gain < 0 for e in ctx.raised) and ctx.gain.net.expected < 0
    assert ctx.where_to_start == []
    assert ctx.next_steps[0].title == msg.NONE_PAYS_TITLE
    net = ctx.headline[2]
    assert net.label == msg.HEADLINE_NET_LOSS and net.tone == "danger"
    assert net.figure.startswith("-") and msg.NO_PAYBACK.format(years=3) in net.detail
    page = unescape(brief.summary(ctx).html) + unescape(brief.practices(ctx).html)
    assert msg.brief.SUMMARY_NONE_PAYS.format(client="Fernhill Foods") in page
    assert msg.NONE_PAYS_TITLE in page
    assert "worth most" not in page.split("<h2>")[1]  # no practice is called worth most
    assert "together they gain" not in page


def test_where_practices_pay_the_brief_starts_with_those_that_do(ctx):
    assert ctx.where_to_start and all(e.net_value_gain > 0 for e in ctx.where_to_start)
    titles = [s.title for s in ctx.next_steps[: len(ctx.where_to_start)]]
    assert titles == [
        msg.START_STEP.format(label=e.label, from_level=e.from_level, to_level=e.to_level)
        for e in ctx.where_to_start
    ]
    assert ctx.together_pays_more and ctx.headline[2].label == msg.HEADLINE_NET
