"""Sentences only when they say something, and differences that add up on the page.

Where a table or a sentence shows a, b and b - a, the three agree as written
(``formatting.change``); no sentence sets two figures the page writes alike against each other.
"""

import dataclasses
import functools
import html
import io
import re

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pptx import Presentation as PptxPresentation

from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.scenario import load_scenario
from pilotfunnel.ui.explorer import results
from pilotfunnel.ui.present import panels
from pilotfunnel.views import brief, deck, report, tables
from pilotfunnel.views import messages as msg
from pilotfunnel.views import record as record_words
from pilotfunnel.views.formatting import change, rate, written_step, written_value
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
        assert _adds_up(as_is.split(" (")[0], target.split(" (")[0], moved), (label, moved)


def test_a_key_number_the_practices_leave_as_it_is_reads_no_material_change(unchanged):
    changes = [row[3] for row in unchanged.at_a_glance.rows]
    assert changes == [msg.NO_MATERIAL_CHANGE] * len(tables.KEY_NUMBERS)


def test_a_fall_reads_with_a_minus_not_a_plus(ctx):
    # Spend that never ships falls with the five practices in the demo.
    a, t = ctx.as_is["stalled_spend"], ctx.target["stalled_spend"]
    fall = ctx.change(a.expected, t.expected, "money")
    assert fall.startswith("-$") and written_value(fall) < 0


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
        net=ctx.net_gain_text,
    )


def test_the_practices_step_says_no_material_change_when_nothing_changes(unchanged):
    said = panels.practices_summary(unchanged)
    assert said.startswith("The five practices make no material change")
    assert " to " not in said


# --- over generated scenarios, on every surface reachable without a browser -----------------
# Each generated scenario is the demo with other readiness, costs, pilots and record, modelled
# with few draws; every surface's text is read back as a reader reads it (tags stripped, cells
# of tables as rows, the deck through python-pptx) and checked: no sentence sets two figures
# written alike against each other, and every as is / target / change reads b - a = change.

_FIGURE = r"-?(?:A\$|C\$|CHF |\$|€|£)?\d[\d,]*(?:\.\d+)?[BMk]?%?"
# "from 6.1% (readiness-based) to 9.2% (calibrated)", "From 6.6 to 32 proofs of concept".
_FROM_TO = re.compile(
    rf"\bfrom ({_FIGURE})(?: \([^)]*\))? to ({_FIGURE})(?: \([^)]*\))?(?:, ([+-]{_FIGURE})"
    r" points)?",
    re.IGNORECASE,
)
_RATE_OR_MONEY = re.compile(r"-?(?:A\$|C\$|CHF |\$|€|£)\d[\d,.]*[BMk]?|\d[\d,.]*%")
_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+")


def _text(markup: str) -> str:
    """What a reader of a page reads: the tags gone, the entities read, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


_BLOCK = re.compile(r"</?(?:p|li|h[1-6]|div|section|figcaption|caption|ol|ul|br)\b[^>]*>")


def _html_units(markup: str) -> list[str]:
    """A page's paragraphs, list items and headings, as text: its tables are read as tables
    (``_html_tables``), and a heading never runs into the sentence after it."""
    markup = re.sub(r"<table.*?</table>", " ", markup, flags=re.DOTALL)
    markup = re.sub(r"<(svg|script|style)\b.*?</\1>", " ", markup, flags=re.DOTALL)
    return [text for text in map(_text, _BLOCK.split(markup)) if text]


def _html_tables(markup: str) -> list[list[list[str]]]:
    """Each table of a page as rows of cells' text."""
    return [
        [
            [_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.DOTALL)
        ]
        for table in re.findall(r"<table[^>]*>(.*?)</table>", markup, re.DOTALL)
    ]


def _deck_text(pptx: bytes) -> tuple[list[str], list[list[list[str]]]]:
    """The deck's text (each text frame and each slide's notes) and its tables' cells."""
    texts, grids = [], []
    for slide in PptxPresentation(io.BytesIO(pptx)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(" ".join(shape.text_frame.text.split()))
            if shape.has_table:
                grids.append([[cell.text for cell in row.cells] for row in shape.table.rows])
        if slide.has_notes_slide:
            texts.append(" ".join(slide.notes_slide.notes_text_frame.text.split()))
    return texts, grids


def _view_tables(ctx) -> list[list[list[str]]]:
    views = (ctx.at_a_glance, ctx.money_table, ctx.funnel_table, ctx.practices_table)
    views += (ctx.readiness_table, ctx.record_table)
    return [[list(view.columns), *map(list, view.rows)] for view in views if view is not None]


def _surfaces(ctx) -> dict[str, tuple[list[str], list[list[list[str]]]]]:
    """Every surface's text and tables: surface -> (texts, tables)."""
    sections = (
        brief.summary,
        brief.record,
        brief.funnel_section,
        brief.stalling,
        brief.practices,
        brief.next_steps,
        brief.assumptions_appendix,
    )
    page = "".join(section.html for section in (f(ctx) for f in sections) if section)
    present = "".join(
        f(ctx)
        for f in (
            panels.key_numbers_html,
            panels.funnel_html,
            panels.stalling_html,
            panels.practices_html,
            panels.where_to_start_html,
        )
    )
    explorer = results.record_line_html(ctx) + results.key_numbers_html(ctx, 1, 1)
    explorer += results.ranking_html(ctx)
    sentences = [ctx.record_shift, ctx.record_verdict, _rates(ctx)]
    sentences += [f"{h.value} {h.label}. {h.detail}" for h in ctx.headline]
    sentences += [f"{s.title} {s.text}" for s in ctx.next_steps]
    sentences.append(panels.practices_summary(ctx))
    cli = report.text_table(ctx)
    surfaces = {
        "view model": ([_text(s) for s in sentences], _view_tables(ctx)),
        "brief": (_html_units(page), _html_tables(page)),
        "present": (_html_units(present), _html_tables(present)),
        "explorer": (_html_units(explorer), _html_tables(explorer)),
        "cli": (cli.splitlines(), _cli_tables(cli)),
    }
    surfaces["deck"] = _deck_text(deck.build_deck(ctx))
    return surfaces


def _rates(ctx) -> str:
    text, values = ctx.summary_rates
    return str(brief.say(text, **values))


def _alike_compared(text: str) -> list[str]:
    """Each sentence of ``text`` that sets two figures written alike against each other."""
    found = []
    for sentence in _SENTENCE_END.split(text):
        for match in _FROM_TO.finditer(sentence):
            if match[1] == match[2]:
                found.append(sentence)
        if " against " in sentence:
            figures = _RATE_OR_MONEY.findall(sentence)
            if len(set(figures)) < len(figures):
                found.append(sentence)
    return found


def _cli_tables(text: str) -> list[list[list[str]]]:
    """The command line's tables: blocks of lines, columns two spaces or more apart."""
    return [
        [re.split(r"\s{2,}", line.strip()) for line in block.splitlines()]
        for block in text.split("\n\n")
    ]


def _triples(text: str, grids: list[list[list[str]]]) -> list[tuple[str, str, str]]:
    """Each a / b / change a surface shows: the rows under a heading row naming the change
    (the figures without the share beside a count, "6.6 (9%)"), and "from a to b, c points"."""
    triples = []
    for grid in grids:
        heading = next((i for i, row in enumerate(grid) if msg.CHANGE in row), None)
        if heading is None:
            continue
        column = grid[heading].index(msg.CHANGE)
        for row in grid[heading + 1 :]:
            if len(row) > column and row[column]:  # the return on spend shows no change
                triples.append(tuple(cell.split(" (")[0] for cell in row[column - 2 : column + 1]))
    for sentence in _SENTENCE_END.split(text):
        triples += [m.groups() for m in _FROM_TO.finditer(sentence) if m[3]]
    return triples


def _adds_up(first: str, second: str, moved: str) -> bool:
    """Whether a written a, b and change agree at the precision the coarser of a and b shows:
    the change within half that figure's last digit of b - a, "no material change" only when
    b - a is below it."""
    a, b = (written_value(x.replace("%", "")) for x in (first, second))
    steps = [written_step(x.replace("%", "")) for x in (first, second)]
    if None in (a, b, *steps):
        return False
    half = max(steps) / 2
    if moved == msg.NO_MATERIAL_CHANGE:
        return abs(b - a) <= half
    c = written_value(moved.replace("%", ""))
    # No digit finer than the figures show ("+£92.1M" from £18M and £110M claims one).
    whole = c is not None and c % max(steps) == 0
    return whole and abs(c - (b - a)) <= half and (c > 0) == (b > a)


def _not_adding_up(text: str, grids: list[list[list[str]]]) -> list[tuple[str, ...]]:
    """Each a / b / change that does not read b - a = change (or "no material change" when
    a and b are written alike)."""
    wrong = []
    for first, second, moved in _triples(text, grids):
        alike = first == second
        if not (moved == msg.NO_MATERIAL_CHANGE if alike else _adds_up(first, second, moved)):
            wrong.append((first, second, moved))
    return wrong


def test_the_checks_find_what_they_look_for():
    assert _alike_compared("It moves from 11% to 11%. Then 9% to 9%.") == [
        "It moves from 11% to 11%."
    ]
    assert _alike_compared("It expects 11% of them, against 11% and 12%.")
    assert not _alike_compared("It expects 9.2% of them, against 6.1% and 12%.")
    assert _not_adding_up("The rate moves from 11% (before) to 12% (after), +0.1 points.", [])
    assert not _not_adding_up("The rate moves from 6.1% (a) to 9.2% (b), +3.1 points.", [])
    glance = [["", msg.AS_IS, msg.FIVE_PRACTICES, msg.CHANGE]]
    assert _not_adding_up("", [[*glance, ["x", "£18M", "£110M", "+£92.1M"]]])
    assert _not_adding_up("", [[*glance, ["x", "13 (9%)", "41 (40%)", "+27"]]])
    assert _not_adding_up("", [[*glance, ["x", "13", "13", "+0"]]])
    assert not _not_adding_up("", [[*glance, ["x", "13 (9%)", "41 (40%)", "+28"]]])
    assert not _not_adding_up("", [[*glance, ["x", "13", "13", msg.NO_MATERIAL_CHANGE]]])
    cli = "Caption\nOver 3 years   As is  Five practices  Change\nA row    £18M   £110M   +£92.1M"
    assert _not_adding_up("", _cli_tables(cli)) == [("£18M", "£110M", "+£92.1M")]


_LEVEL = st.integers(0, 4)


@functools.cache
def _project_and_demo():
    return Project.load(ROOT), load_scenario(ROOT / "data" / "clients" / "demo.yaml")


@st.composite
def _scenarios(draw, demo):
    from pilotfunnel.inputs.assumptions import DRIVERS
    from pilotfunnel.inputs.scenario import CURRENCIES, Record

    as_is = {d: draw(_LEVEL) for d in DRIVERS}
    target = {d: draw(st.integers(as_is[d], 4)) for d in DRIVERS}
    record = None
    if draw(st.booleans()):
        started = draw(st.integers(1, 80))
        reached = draw(st.integers(0, started))
        impact = draw(st.none() | st.integers(0, reached))
        record = Record(started, reached, impact)
    return demo.replace(
        as_is=as_is,
        target=target,
        pocs_per_year=draw(st.integers(1, 60)),
        horizon_years=draw(st.integers(1, 5)),
        cost_per_poc=draw(st.floats(1e3, 2e6)),
        cost_to_production=draw(st.floats(0, 3e6)),
        annual_value_per_use_case=draw(st.floats(1e3, 5e7)),
        currency=draw(st.sampled_from(sorted(CURRENCIES))),
        record=record,
    )


# Without shrinking: each example models and draws every surface (about half a second), and a
# failure is reported as found, with the surface and the figures that do not agree.
@settings(
    max_examples=25,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_surface_compares_only_figures_written_differently_and_adds_up(data):
    # The project and the demo are not fixtures here: hypothesis would print their caches.
    project, demo = _project_and_demo()
    scenario = data.draw(_scenarios(demo))
    ctx = brief.prepare(project, scenario, as_of="2026-11-25", draws=200, seed=1)
    for surface, (units, grids) in _surfaces(ctx).items():
        assert [s for unit in units for s in _alike_compared(unit)] == [], surface
        assert _not_adding_up(" ".join(units), grids) == [], surface
        if surface in ("view model", "brief", "present", "cli"):
            # Each draws the at-a-glance table: its four changes were read and checked.
            assert len(_triples(" ".join(units), grids)) >= 4, surface


def test_the_deck_builds_when_the_target_raises_no_practice(unchanged):
    """No bar to draw: the practices slide is the table alone, saying "already at target"."""
    made = PptxPresentation(io.BytesIO(deck.build_deck(unchanged)))
    practices = next(
        s for s in made.slides if s.shapes.title and s.shapes.title.text == msg.PRACTICES_HEADING
    )
    assert not any(shape.has_chart for shape in practices.shapes)
    (table,) = [shape.table for shape in practices.shapes if shape.has_table]
    assert all(row.cells[3].text == msg.ALREADY_AT_TARGET for row in list(table.rows)[1:])
