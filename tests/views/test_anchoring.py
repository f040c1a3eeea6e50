"""Where the client's record anchors the rates, raising today's readiness score can lower the
target's result. The model does this (tested below, so the sentence stays true), and one
catalogue sentence says why, in the brief's record section and the explorer's results, exactly
when the result is calibrated."""

from html import unescape

import pytest

from pilotfunnel.inputs.project import Project
from pilotfunnel.ui.explorer import results
from pilotfunnel.views import brief
from pilotfunnel.views import messages as msg

from ..conftest import ROOT

DEMO = ROOT / "data" / "clients" / "demo.yaml"
NO_RECORD = ROOT / "data" / "clients" / "fernhill-foods.yaml"
DRAWS = 2000


@pytest.fixture(scope="module")
def project():
    return Project.load(ROOT)


def prepared(project, path, **as_is):
    ctx = brief.prepare(project, path, "2026-11-25", draws=DRAWS)
    if not as_is:
        return ctx
    raised = ctx.scenario.replace(as_is={**ctx.scenario.as_is, **as_is})
    return brief.prepare(project, raised, "2026-11-25", draws=DRAWS)


def test_raising_todays_integration_lowers_the_target_where_the_record_anchors_it(project):
    today = prepared(project, DEMO)
    assert today.calibrated and today.scenario.as_is["integration"] == 1
    assert today.scenario.target["integration"] == 3
    raised = prepared(project, DEMO, integration=3)
    for metric in ("production", "value"):
        assert raised.target[metric].expected < today.target[metric].expected, metric
    # Without the record the target is reached from the research's rates alone: today's
    # score leaves it where it is.
    free = today.scenario.replace(record=None)
    free_today = brief.prepare(project, free, "2026-11-25", draws=DRAWS)
    free_raised = brief.prepare(
        project,
        free.replace(as_is={**free.as_is, "integration": 3}),
        "2026-11-25",
        draws=DRAWS,
    )
    assert not free_today.calibrated
    assert free_raised.target["production"].expected == pytest.approx(
        free_today.target["production"].expected
    )


@pytest.mark.parametrize("path", [DEMO, NO_RECORD], ids=["demo", "no record"])
def test_the_sentence_shows_exactly_when_the_result_is_calibrated(project, path):
    ctx = prepared(project, path)
    sentence = msg.ANCHORED.format(client=ctx.client)
    record = unescape(brief.render_section("record", ctx).html)
    explorer = unescape(results.record_line_html(ctx))
    page = unescape("".join(brief.render_section(name, ctx).html for name in brief.SECTIONS))
    if ctx.calibrated:
        assert ctx.anchoring == sentence
        assert sentence in record and page.count(sentence) == 1
        assert sentence in explorer
    else:
        assert ctx.anchoring == "" and record == ""
        assert "record fixes today" not in page and explorer == ""
