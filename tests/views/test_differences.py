"""Sentences only when they say something, and differences that add up on the page.

Where a table or a sentence shows a, b and b - a, the three agree as written
(``formatting.change``); no sentence sets two figures the page writes alike against each other.
"""

import dataclasses

import pytest

from pilotfunnel.inputs.project import Project
from pilotfunnel.ui.present import panels
from pilotfunnel.views import brief, tables
from pilotfunnel.views import messages as msg
from pilotfunnel.views import record as record_words
from pilotfunnel.views.formatting import change, rate, written_value
from pilotfunnel.views.messages import brief as brief_words
from pilotfunnel.views.messages import present as present_words

from ..conftest import ROOT

DRAWS = 1000


@pytest.fixture(scope="module")
def project():
    return Project.load(ROOT)


@pytest.fixture(scope="module")
def ctx(project, demo):
    return brief.prepare(project, demo, as_of="2026-11-25", draws=DRAWS, seed=1)


@pytest.fixture(scope="module")
def unchanged(project, demo):
    """The demo with its target where it is today: nothing the five practices could change."""
    return brief.prepare(project, demo.replace(target=dict(demo.as_is)), draws=DRAWS, seed=1)


def _with_prior(result, prior: float):
    """The result with its readiness-based rate set to ``prior`` (the record's step kept)."""
    step = dataclasses.replace(result.calibration[0], prior_rate=prior)
    return dataclasses.replace(result, calibration=(step, *result.calibration[1:]))


# --- the at-a-glance table's change column -----------------------------------------------


def test_the_glance_change_is_the_written_target_minus_the_written_as_is(ctx):
    rows = dict(zip((r.metric for r in tables.KEY_NUMBERS), ctx.at_a_glance.rows, strict=True))
    for row in tables.KEY_NUMBERS:
        label, as_is, target, moved = rows[row.metric]
        if row.kind == "roi":
            assert moved == ""
            continue
        # The production row writes its share beside the count: "6.6 (9%)".
        first, second = (written_value(cell.split(" (")[0]) for cell in (as_is, target))
        assert written_value(moved) == second - first, (label, as_is, target, moved)


def test_a_key_number_the_practices_leave_as_it_is_reads_no_material_change(unchanged):
    changes = [row[3] for row in unchanged.at_a_glance.rows]
    assert changes == [msg.NO_MATERIAL_CHANGE] * 4 + [""]


def test_a_fall_reads_with_a_minus_not_a_plus(ctx):
    # Spend that never ships falls with the five practices in the demo.
    stalled = next(r for r in ctx.at_a_glance.rows if r[0] == msg.SPEND_NEVER_SHIPS)
    assert stalled[3].startswith("-$") and written_value(stalled[3]) < 0


def test_the_context_writes_a_change_in_the_scenarios_currency(project, demo):
    pounds = brief.prepare(project, demo.replace(currency="GBP"), draws=DRAWS, seed=1)
    assert pounds.change(18.04e6, 110.3e6, "money") == "+£92M"


# --- the record's sentences ------------------------------------------------------------------


def test_the_record_shift_is_in_the_points_the_two_rates_show(ctx):
    step = ctx.result.calibration[0]
    points = change(step.prior_rate, step.calibrated.mean, "rate")
    assert ctx.record_shift == msg.RECORD_SHIFT.format(
        prior=rate(step.prior_rate), calibrated=rate(step.calibrated.mean), points=points
    )


def test_a_record_that_moves_the_rate_less_than_the_page_shows_makes_no_material_change(ctx):
    # The bank: "moves the rate from 11% to 11%, +0.1 points".
    calibrated = ctx.result.calibration[0].calibrated.mean
    result = _with_prior(ctx.result, calibrated + 0.0004)
    assert rate(result.calibration[0].prior_rate) == rate(calibrated)
    shift = record_words.record_shift(result)
    assert shift == msg.RECORD_NO_SHIFT.format(rate=rate(calibrated))
    assert msg.NO_MATERIAL_CHANGE in shift and "points" not in shift


def test_without_a_record_there_is_no_shift(project, demo):
    bare = brief.prepare(project, demo.replace(record=None), draws=DRAWS, seed=1)
    assert bare.record_shift == ""


def _summary(result, baseline):
    text, values = record_words.summary_rates(result, baseline)
    return text, text.format(**values)


def test_the_summary_sets_three_different_rates_against_each_other(ctx):
    text, said = _summary(ctx.result, ctx.baseline_rate)
    assert text == brief_words.SUMMARY_CALIBRATED
    assert "9.2%" in said and "6.1%" in said and "12%" in said


def _with_rates(result, calibrated: float, prior: float):
    """The result with its as-is (calibrated) rate and its readiness-based rate set."""
    as_is = dataclasses.replace(result.as_is, rates=(calibrated, *result.as_is.rates[1:]))
    return dataclasses.replace(_with_prior(result, prior), as_is=as_is)


@pytest.mark.parametrize(
    ("calibrated", "prior", "baseline", "expected"),
    [
        (0.109, 0.112, 0.121, brief_words.SUMMARY_CALIBRATED_AS_READINESS),
        (0.2, 0.118, 0.121, brief_words.SUMMARY_CALIBRATED_READINESS_TYPICAL),
        (0.118, 0.06, 0.121, brief_words.SUMMARY_CALIBRATED_AS_TYPICAL),
        (0.118, 0.122, 0.121, brief_words.SUMMARY_CALIBRATED_ALL_ALIKE),
        (0.092, 0.061, 0.121, brief_words.SUMMARY_CALIBRATED),
    ],
)
def test_the_summary_never_sets_rates_written_alike_against_each_other(
    ctx, calibrated, prior, baseline, expected
):
    # The bank: "11% ... against 11% ... and 12%".
    text, said = _summary(_with_rates(ctx.result, calibrated, prior), baseline)
    assert text == expected
    written = [rate(calibrated), rate(prior), f"{baseline * 100:.0f}%"]
    for figure in set(written):  # each figure said once, however many rates it stands for
        assert said.count(figure) == 1, (figure, said)
    assert ("against" in said) == (len(set(written)) > 1)


def test_the_summary_without_a_record_says_when_the_rate_is_the_industrys(project, demo):
    bare = brief.prepare(project, demo.replace(record=None), draws=DRAWS, seed=1)
    text, said = _summary(bare.result, bare.baseline_rate)
    assert text == brief_words.SUMMARY_READINESS and "against" in said
    text, said = _summary(bare.result, bare.as_is.rates[0])
    assert text == brief_words.SUMMARY_READINESS_TYPICAL and "against" not in said


def test_the_brief_prints_the_summarys_rate_sentence(ctx):
    text, values = ctx.summary_rates
    page = brief.summary(ctx).html
    assert str(brief.say(text, **values)) in page


def test_the_summary_escapes_the_client_it_names(project, demo):
    hostile = brief.prepare(project, demo.replace(client="<b>Acme</b>"), draws=DRAWS, seed=1)
    page = brief.summary(hostile).html
    assert "<b>Acme</b>" not in page and "&lt;b&gt;Acme&lt;/b&gt;" in page


# --- the present mode's practices step -------------------------------------------------------


def test_the_practices_step_says_from_and_to_when_they_differ(ctx):
    assert panels.practices_summary(ctx) == present_words.PRACTICES_SUMMARY.format(
        as_is=ctx.n(ctx.as_is["production"]),
        target=ctx.n(ctx.target["production"]),
        years=ctx.years,
        value_as_is=ctx.m(ctx.as_is["value"]),
        value_target=ctx.m(ctx.target["value"]),
    )


def test_the_practices_step_says_no_material_change_when_nothing_changes(unchanged):
    said = panels.practices_summary(unchanged)
    assert said.startswith("The five practices make no material change")
    assert " to " not in said
