"""One set of numbers: the brief, the deck, the explorer and the present mode show the same
figures, written the same way, for a client with a record and one without."""

import html
import io
import re
import shutil

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pptx import Presentation as PptxPresentation

from pilotfunnel.inputs.project import Project
from pilotfunnel.model import funnel
from pilotfunnel.ui.explorer.explorer import Explorer
from pilotfunnel.ui.present.screen import Presentation
from pilotfunnel.views import brief, deck, report, tables
from pilotfunnel.views.formatting import axis_scale, count, excel_format, money, rate
from pilotfunnel.views.messages import deck as dmsg

from ..conftest import ROOT

CLIENTS = ("demo.yaml", "fernhill-foods.yaml")  # with a record, and without one


@pytest.fixture(scope="module")
def project():
    return Project.load(ROOT)


@pytest.fixture(scope="module", params=CLIENTS)
def surfaces(request, project, tmp_path_factory):
    """Every surface built for one client: the brief's context, deck, explorer, present mode."""
    clients = tmp_path_factory.mktemp("clients")
    path = shutil.copy(ROOT / "data" / "clients" / request.param, clients / request.param)
    ctx = brief.prepare(project, path, "2026-11-25")
    explorer = Explorer.from_file(project, path, exports_dir=clients / "exports")
    shown = Presentation.from_file(project, path, exports_dir=clients / "exports")
    shown.widget  # noqa: B018 - builds the layout, as displaying it does
    return ctx, deck.build_deck(ctx), explorer, shown


def test_every_surface_models_with_the_briefs_draws_and_seed(surfaces):
    ctx, _, explorer, shown = surfaces
    assert (ctx.result.draws, ctx.result.seed) == (funnel.DEFAULT_DRAWS, funnel.DEFAULT_SEED)
    for face in (explorer, shown):
        assert (face.result.draws, face.result.seed) == (ctx.result.draws, ctx.result.seed)
        for outcome in ("as_is", "target"):
            for metric, _, _ in tables.KEY_NUMBERS:
                assert getattr(face.result, outcome)[metric] == getattr(ctx.result, outcome)[metric]


def test_the_explorer_shows_the_briefs_key_numbers_and_ranges(surfaces):
    ctx, _, explorer, _ = surfaces
    glance = html.unescape(brief.summary(ctx).html)
    shown = html.unescape(explorer.form.numbers.value)
    for row in tables.KEY_NUMBERS:
        for outcome in (ctx.result.as_is, ctx.result.target):
            _, spread = report.format_range(outcome[row.metric], row.kind, ctx.scenario.currency)
            # The central figure as the brief's table writes it (net value from its parts).
            figure = ctx.figure_text(outcome, row)
            assert f">{figure}</td>" in shown and f"<td>{spread}</td>" in shown, row.metric
            if row.kind == "money":
                assert f"<td>{figure}</td>" in glance, row.metric
    # The brief's own summary shows the same production figure and range.
    production, spread = report.format_range(ctx.result.as_is["production"], "count")
    assert production in glance and spread in glance
    assert f"{funnel.DEFAULT_DRAWS:,} draws, seed {funnel.DEFAULT_SEED}" in shown


def _figures(ctx):
    """The brief's three key numbers as it writes them: (figure, P10 to P90) each."""
    c = ctx.scenario.currency
    a, gain = ctx.result.as_is, ctx.result.gain
    net = ctx.net_gain_text  # the at-a-glance table's change of net value
    return (
        report.format_range(a["production"], "count"),
        report.format_range(a["stalled_spend"], "money", c),
        (net, report.format_range(gain.net, "money", c)[1]),
    )


def test_the_present_mode_shows_the_briefs_three_numbers(surfaces):
    ctx, _, _, shown = surfaces
    numbers = html.unescape(shown.key_numbers.value)
    (production, production_range), (stalled, stalled_range), (gain, value_range) = _figures(ctx)
    pocs = ctx.scenario.pocs_per_year * ctx.scenario.horizon_years
    assert f">{production}</span> <small>of {pocs}</small>" in numbers
    assert f"P10 to P90: {production_range}" in numbers
    assert f">{stalled}</p>" in numbers and f"P10 to P90: {stalled_range}" in numbers
    assert f">{gain}</p>" in numbers and f"P10 to P90: {value_range}" in numbers


def test_the_decks_numbers_slide_says_what_the_brief_says(surfaces):
    ctx, pptx, _, _ = surfaces
    text = " ".join(
        shape.text_frame.text for shape in _slides(pptx)[1].shapes if shape.has_text_frame
    )
    (production, production_range), (stalled, _), (gain, _) = _figures(ctx)
    pocs = ctx.scenario.pocs_per_year * ctx.scenario.horizon_years
    assert f"{production} of {pocs}" in text and f"P10 to P90: {production_range}" in text
    assert stalled in text and gain in text


def test_each_chart_label_and_axis_tick_reads_as_the_brief_writes_it(surfaces):
    ctx, pptx, _, _ = surfaces
    currency = ctx.scenario.currency
    show = {"count": count, "money": lambda v: money(v, currency), "rate": rate}
    seen = []
    for slide in _slides(pptx):
        for frame in (shape for shape in slide.shapes if shape.has_chart):
            chart = frame.chart
            plot = chart.plots[0]
            kind = _kind(chart, ctx)
            for series in plot.series:
                labels = series._element.findall(f".//{_C}dLbl")
                assert len(labels) == len(series.values)
                for label, value in zip(labels, series.values, strict=True):
                    code = label.find(f"{_C}numFmt").get("formatCode")
                    assert _render(code, value) == show[kind](value), (kind, value, code)
                    seen.append(_render(code, value))
            axis = chart.value_axis
            assert not axis.tick_labels.number_format_is_linked
            top = max(v for series in plot.series for v in series.values)
            step = axis.major_unit
            low = axis.minimum_scale or 0  # below zero only for a loss, by whole steps
            ticks = [low + i * step for i in range(int((max(top, 0) - low) // step) + 2)]
            code = axis.tick_labels.number_format
            if kind == "rate":  # a scale, in one precision (test_a_rate_axis...)
                assert _uniform_rate_ticks(code, ticks), (code, step)
                continue
            for tick in ticks:
                assert _render(code, tick) == show[kind](tick), tick
    # The figures the issue found written the deck's own way now read as the brief's.
    target = ctx.result.target
    assert count(target["production"].expected) in seen
    assert money(target["value"].expected, currency) in seen


def test_a_label_format_writes_each_kind_as_the_formatter_does():
    for value in (0, 0.04, 5, 6.6, 9.96, 13.4, 40.53, 120, 1234.5):
        assert _render(excel_format(value, "count"), value) == count(value)
    for value in (0, 12, 999, 850e3, 7.8e6, 110.1e6, 1.5e9, -3.4e6):
        assert _render(excel_format(value, "money", "GBP"), value) == money(value, "GBP")
    for value in (0, 0.00001, 0.061, 0.097, 0.12, 1):
        assert _render(excel_format(value, "rate"), value) == rate(value)
    with pytest.raises(ValueError, match="no number format for 'roi'"):
        excel_format(1.5, "roi")
    with pytest.raises(ValueError, match="no axis scale for 'roi'"):
        axis_scale(1.5, "roi")


@pytest.mark.parametrize("kind", ["count", "money"])
@pytest.mark.parametrize("top", [0, 0.3, 0.8, 3.2, 43, 72, 850e3, 7.8e6, 110e6, 950e6, 4e9])
def test_an_axis_has_at_most_five_steps_each_tick_written_as_the_brief_writes(kind, top):
    step, code = axis_scale(top, kind, "EUR")
    show = {"count": count, "money": lambda v: money(v, "EUR")}[kind]
    ticks = [i * step for i in range(int(top // step) + 2)]
    assert len(ticks) <= 7 and ticks[-1] >= top
    for tick in ticks:
        assert _render(code, tick) == show(tick), (tick, code)


def _uniform_rate_ticks(code: str, ticks: list[float]) -> bool:
    """Every tick written with the same decimals, and each exactly (no tick rounded)."""
    shown = [_render(code, tick) for tick in ticks]
    decimals = {len(text.rstrip("%").partition(".")[2]) for text in shown}
    return len(decimals) == 1 and all(
        abs(float(text.rstrip("%")) - tick * 100) < 1e-6
        for text, tick in zip(shown, ticks, strict=True)
    )


@given(top=st.floats(min_value=0, max_value=1))
@example(top=0.121)  # the demo's record chart: 0.0%, 2.5%, ... 12.5%, never 0.0% beside 3%
@example(top=0.097)
@example(top=0.0)
def test_a_rate_axis_has_at_most_five_steps_each_tick_in_one_precision(top):
    # Before: "[<0.1]0.0%;0%" wrote 0.0%, 5.0% and then 10%, 15% on one axis.
    step, code = axis_scale(top, "rate")
    ticks = [i * step for i in range(int(top // step) + 2)]
    assert len(ticks) <= 7 and ticks[-1] >= top
    assert code in ("0%", "0.0%")
    assert _uniform_rate_ticks(code, ticks), (top, step, code)
    assert (code == "0%") == round(step * 100, 9).is_integer()  # no needless decimal


# --- a small reader of the number formats the deck writes (the test's own oracle) ----------
_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def _slides(pptx: bytes):
    return list(PptxPresentation(io.BytesIO(pptx)).slides)


def _kind(chart, ctx) -> str:
    values = [v for series in chart.plots[0].series for v in series.values]
    if max(values) <= 1 and chart.plots[0].series[0].name.startswith("Share"):
        return "rate"
    pocs = ctx.scenario.pocs_per_year * ctx.scenario.horizon_years
    if chart.plots[0].series[0].name == dmsg.PRACTICES_SERIES:  # net value: money, signed
        return "money"
    return "money" if max(values) > pocs else "count"


def _render(code: str, value: float) -> str:
    """What a spreadsheet shows for ``value`` in the formats the deck uses (not every format)."""
    sections = code.split(";")
    if len(sections) in (2, 3) and not sections[0].startswith("[") and "%" not in code:
        # By position: positive; negative (its own minus, none added); zero.
        if value == 0 and len(sections) == 3:
            return _render(sections[2], value)
        if value < 0:
            return "-" + _render(sections[1].replace("-", "", 1), -value)
        return _render(sections[0], value)
    for section in sections:
        condition = re.match(r"\[(<|=|>=)([-\d.e]+)\]", section)
        if condition is None:
            break
        op, limit = condition.groups()
        if {"<": value < float(limit), "=": value == float(limit), ">=": value >= float(limit)}[op]:
            section = section[condition.end() :]
            break
    else:
        raise AssertionError(f"no section of {code!r} for {value}")
    section = re.sub(r"^\[[^\]]*\]", "", section) if section.startswith("[") else section
    if section == "General":
        return f"{value:g}"
    literals = re.findall(r'"([^"]*)"', section)
    body = re.sub(r'"[^"]*"', "\x00", section)
    number = re.search(r"[#0][#,0]*(\.0+)?,*%?", body)
    if number is None:
        return "".join(literals)
    spec = number.group(0)
    scaled = abs(value) * (100 if spec.endswith("%") else 1)
    scaled /= 1000 ** (len(spec.rstrip("%")) - len(spec.rstrip("%").rstrip(",")))
    decimals = len(number.group(1) or ".") - 1
    text = f"{scaled:,.{decimals}f}" if "," in spec.split(".")[0] else f"{scaled:.{decimals}f}"
    text += "%" if spec.endswith("%") else ""
    before, after = body[: number.start()], body[number.end() :]
    parts = iter(literals)
    out = before.replace("\x00", "{}").format(*[next(parts) for _ in range(before.count("\x00"))])
    out += text + after.replace("\x00", "{}").format(*list(parts))
    negative = value < 0 and text.strip("0.,%")
    return ("-" if negative else "") + out
