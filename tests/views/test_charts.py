import ast
import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotfunnel.inputs.assumptions import DRIVERS
from pilotfunnel.inputs.brand.load import load_brand
from pilotfunnel.inputs.scenario import load_scenario
from pilotfunnel.model import funnel
from pilotfunnel.views import brief, charts
from pilotfunnel.views import messages as msg
from pilotfunnel.views.charts import base, evidence
from pilotfunnel.views.formatting import net_as_written
from pilotfunnel.views.messages import charts as cmsg

from ..conftest import FIXTURES, ROOT
from .test_messages import checked_texts, copies


@pytest.fixture(scope="module")
def result(demo, model):
    return funnel.run(demo, model, draws=2000)


@pytest.fixture(scope="module")
def brand():
    return load_brand(ROOT / "data" / "brand" / "brand.yml")


def test_every_chart_has_title_axis_label_note_and_alt(result, brand, fixture_sources):
    made = [
        charts.funnel_chart(result, brand),
        charts.stalling_chart(result, brand),
        charts.sensitivity_chart(result, brand),
        charts.evidence_chart(list(fixture_sources), brand),
    ]
    for chart in made:
        axes = chart.figure.axes[0]
        assert axes.get_title(loc="left"), chart.name
        assert axes.get_xlabel(), chart.name
        assert chart.note and ("Modelled" in chart.note or "Sources" in chart.note)
        assert len(chart.alt) > 60
        assert chart.svg().startswith("<?xml")


def test_modelled_charts_say_so_and_quote_the_model(result, brand):
    chart = charts.funnel_chart(result, brand)
    assert "modelled" in chart.figure.axes[0].get_xlabel()
    production = result.as_is["production"].expected
    assert f"{production:.1f}".rstrip("0").rstrip(".") in chart.alt


def test_target_differs_by_hatching_for_greyscale_print(result, brand):
    axes = charts.funnel_chart(result, brand).figure.axes[0]
    hatches = {bar.get_hatch() for bar in axes.patches}
    assert None in hatches and "///" in hatches


def test_charts_follow_the_brand(result):
    alt = load_brand(FIXTURES / "brand" / "alt" / "brand.yml")
    svg = charts.sensitivity_chart(result, alt).svg()
    assert "#7a1f3d" in svg.lower()
    assert "#1b3a5c" not in svg.lower()


def test_svg_is_deterministic(result, brand):
    assert charts.funnel_chart(result, brand).svg() == charts.funnel_chart(result, brand).svg()


def test_save_writes_png_and_svg(tmp_path, result, brand):
    written = charts.stalling_chart(result, brand).save(tmp_path)
    assert sorted(p.name for p in written) == ["stalling.png", "stalling.svg"]
    assert written[0].read_bytes()[:4] == b"\x89PNG"


def test_importing_the_charts_leaves_the_kernels_backend_alone():
    # An analyst's kernel may use an interactive backend; the kit draws without pyplot.

    code = (
        "import matplotlib; before = matplotlib.get_backend();"
        "import pilotfunnel.views.charts, pilotfunnel.views.context;"
        "print(before, matplotlib.get_backend())"
    )
    env = {**os.environ, "MPLBACKEND": "svg"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["svg", "svg"]


def test_the_record_chart_sets_the_record_against_the_research(project, brand):

    ctx = brief.prepare(project, ROOT / "data" / "clients" / "demo.yaml", draws=2000)
    assert ctx.result.calibrated
    chart = charts.record_chart(ctx.result, brand, ctx.headline_source)
    axes = chart.figure.axes[0]
    assert chart.title == msg.RECORD_HEADING == axes.get_title(loc="left")
    assert axes.get_xlabel() == cmsg.RECORD_X_LABEL
    record = ctx.scenario.record
    labels = [tick.get_text() for tick in axes.get_yticklabels()]
    assert labels[1] == cmsg.RECORD_PRIOR and labels[3] == cmsg.RECORD_CALIBRATED
    assert f"Your record: {record.reached_production} of {record.pocs_started}" in labels[2]
    assert f"own record is {record.reached_production} of {record.pocs_started}" in chart.alt


def test_a_calibrated_result_says_so_in_each_modelled_note(project, brand, fixture_sources):

    ctx = brief.prepare(project, ROOT / "data" / "clients" / "demo.yaml", draws=2000)
    for make in (charts.funnel_chart, charts.stalling_chart, charts.sensitivity_chart):
        assert make(ctx.result, brand).note.startswith(f"Modelled, {charts.CALIBRATED}")
    # Cited, not modelled: the evidence chart's note is the same either way.
    assert charts.evidence_chart(list(fixture_sources), brand).note.startswith("Sources")


def test_modelled_notes_keep_their_punctuation():
    calibrated = type("R", (), {"calibrated": True})()
    uncalibrated = type("R", (), {"calibrated": False})()
    assert charts.modelled("Modelled: x.", calibrated) == f"Modelled, {charts.CALIBRATED}: x."
    assert charts.modelled("Modelled from y.", calibrated) == (
        f"Modelled, {charts.CALIBRATED}, from y."
    )
    assert charts.modelled("Sources: z.", calibrated) == "Sources: z."
    assert charts.modelled("Modelled: x.", uncalibrated) == "Modelled: x."


def test_the_charts_words_are_catalogue_messages_typed_nowhere_else():

    source = Path(cmsg.__file__)
    tree = ast.parse(source.read_text(encoding="utf-8"))
    names = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id.isupper():  # type: ignore[attr-defined]
            names.append(node.targets[0].id)  # type: ignore[attr-defined]
            call = node.value
            assert isinstance(call, ast.Call) and getattr(call.func, "id", None) == "_"
            assert len(call.args) == 1 and isinstance(call.args[0], ast.Constant)
    assert len(names) == len(set(names)) > 20
    texts = [getattr(cmsg, name) for name in names]
    shared = {v for k, v in vars(msg).items() if k.isupper() and isinstance(v, str)}
    assert not set(texts) & shared, "a chart sentence that is also a shared one"
    checked = [t for text in texts for t in checked_texts(text)]
    assert "Which practice is worth most, net of its cost" in checked
    assert copies(Path(charts.__file__).parent, checked) == []


def test_axis_numbers_are_written_as_the_kit_writes_counts(brand):

    _figure, axes = base.figure(brand, 2.0)
    axes.barh([0, 1], [1200, 2500])
    base.count_axis(axes)
    labels = [axes.xaxis.get_major_formatter()(v, 0) for v in (0, 1000, 2.5, 2500)]
    assert labels == ["0", "1,000", "2.5", "2,500"]  # matplotlib alone writes 1000 and 2.50


# --- honest charts (issue 22) -----------------------------------------------------------------
levels = st.integers(min_value=0, max_value=4)
readiness = st.fixed_dictionaries({d: levels for d in DRIVERS})


def bar_charts(result, brand):
    """Every bar chart, with the values its bars stand for (a bar's length is its value)."""
    currency = result.scenario.currency
    gains = [  # each net as the page writes it
        net_as_written(e.value_gain, e.spend_gain, e.change_cost, currency)
        for e in result.sensitivity
    ]
    return [
        (charts.funnel_chart(result, brand), [0.0]),
        (charts.stalling_chart(result, brand), [0.0]),
        (charts.sensitivity_chart(result, brand), gains),
    ]


def assert_value_axes_start_at_zero(result, brand):
    for chart, values in bar_charts(result, brand):
        axes = chart.figure.axes[0]
        # Set, not left to matplotlib: autoscaling no longer moves the left end.
        assert not axes.get_autoscalex_on(), chart.name
        low = min(0.0, *values)
        # Zero, or a loss's bar with a little room to its left (never cut at the frame).
        assert axes.get_xlim()[0] == (low * 1.15 if low < 0 else 0.0), chart.name
        chart.figure.clear()


@pytest.mark.parametrize("client", ["demo.yaml", "fernhill-foods.yaml"])
def test_every_bar_chart_value_axis_starts_at_zero(project, model, brand, client):
    scenario = load_scenario(ROOT / "data" / "clients" / client)
    assert_value_axes_start_at_zero(funnel.run(scenario, model, draws=400), brand)


@settings(max_examples=8, deadline=None)
@given(as_is=readiness, raised=readiness, seed=st.integers(0, 2**32 - 1))
def test_every_bar_chart_starts_at_zero_for_generated_scenarios(
    demo, model, brand, as_is, raised, seed
):
    target = {d: max(as_is[d], raised[d]) for d in DRIVERS}
    scenario = demo.replace(as_is=as_is, target=target)
    assert_value_axes_start_at_zero(funnel.run(scenario, model, draws=400, seed=seed), brand)


def test_the_dot_charts_start_at_zero_too(project, brand):
    ctx = brief.prepare(project, ROOT / "data" / "clients" / "demo.yaml", draws=400)
    for chart in (
        charts.record_chart(ctx.result, brand, ctx.headline_source),
        charts.evidence_chart(list(project.sources), brand),
    ):
        axes = chart.figure.axes[0]
        assert not axes.get_autoscalex_on() and axes.get_xlim()[0] == 0, chart.name


def test_each_source_is_read_as_the_kind_of_share_it_counts(project):
    kinds = {src.id: evidence.kind(src) for src in project.sources}
    assert kinds["mit-nanda-2025-no-pnl-return"] == evidence.FAILING
    assert kinds["rand-2024-ai-projects-fail"] == evidence.FAILING
    assert kinds["gartner-2024-genai-poc-abandonment-forecast"] == evidence.FAILING
    assert kinds["sp-global-2025-pocs-scrapped"] == evidence.FAILING
    # Names production, but counts the organisations that fall short of it.
    assert kinds["deloitte-2024-genai-experiments-to-production"] == evidence.FAILING
    assert kinds["idc-2025-poc-to-production"] == evidence.SUCCEEDING
    assert kinds["gartner-2024-ai-projects-to-production"] == evidence.SUCCEEDING
    other = dataclasses.replace(project.sources["rand-2024-ai-projects-fail"], statistic="x")
    assert evidence.kind(other) == evidence.FAILING  # the table's kind column, not the words
    assert evidence.kind(dataclasses.replace(other, kind="")) == evidence.OTHER


def test_the_kind_column_wins_over_the_wording_and_the_wording_serves_an_older_table(project):
    idc = project.sources["idc-2025-poc-to-production"]
    assert evidence.kind(dataclasses.replace(idc, kind="failed")) == evidence.FAILING
    assert evidence.kind(dataclasses.replace(idc, kind="other")) == evidence.OTHER
    # A table without the column: the statistic's words, as before the column.
    for src in project.sources:
        old = dataclasses.replace(src, kind="")
        assert evidence.kind(old) == evidence.kind(src), src.id


def test_opposite_kinds_of_share_are_grouped_and_named(project, brand):
    sources = list(project.sources)
    axes = charts.evidence_chart(sources, brand).figure.axes[0]
    texts = [t.get_text() for t in axes.texts]
    assert cmsg.EVIDENCE_KIND_SUCCEEDING in texts and cmsg.EVIDENCE_KIND_FAILING in texts
    assert cmsg.EVIDENCE_KIND_OTHER not in texts  # a group with no source is not drawn
    marks = [line for line in axes.lines if (line.get_gid() or "").startswith("evidence-")]
    assert len(marks) == sum(src.unit == "percent" for src in sources)
    # Top to bottom: every share that succeeded, then every share that failed, under their
    # headings, each kind in its own colour.
    order = [line.get_gid() for line in sorted(marks, key=lambda m: m.get_ydata()[0])]
    n = order.count("evidence-succeeding")
    assert order == ["evidence-succeeding"] * n + ["evidence-failing"] * (len(order) - n)
    assert len({line.get_color() for line in marks}) == 2
    # The alt text names each group before its sources, as the chart does.
    alt = charts.evidence_chart(sources, brand).alt
    assert (
        alt.index(cmsg.EVIDENCE_KIND_SUCCEEDING)
        < alt.index("IDC")
        < alt.index(cmsg.EVIDENCE_KIND_FAILING)
        < alt.index("RAND")
    )
    heading_y = {t.get_text(): t.get_position()[1] for t in axes.texts}
    first_failing = min(m.get_ydata()[0] for m in marks if m.get_gid() == "evidence-failing")
    last_succeeding = max(m.get_ydata()[0] for m in marks if m.get_gid() == "evidence-succeeding")
    assert heading_y[cmsg.EVIDENCE_KIND_SUCCEEDING] < n and (
        last_succeeding < heading_y[cmsg.EVIDENCE_KIND_FAILING] < first_failing
    )


def every_text(chart) -> list[str]:
    """Every word a chart draws: title, axis labels, tick labels, texts and the note."""
    axes = chart.figure.axes[0]
    ticks = [t.get_text() for t in [*axes.get_yticklabels(), *axes.get_xticklabels()]]
    drawn = [t.get_text() for t in [*axes.texts, *chart.figure.texts]]
    return [axes.get_title(loc="left"), axes.get_xlabel(), *ticks, *drawn]


def test_no_label_is_cut_for_the_sources(project, brand):
    sources = list(project.sources)
    chart = charts.evidence_chart(sources, brand)
    texts = every_text(chart)
    assert not [t for t in texts if "…" in t]
    labels = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]
    for src in (s for s in sources if s.unit == "percent"):
        # Every word of the statistic is in its label, wrapped onto lines, none longer than
        # the width.
        assert any(" ".join(label.split()).endswith(src.statistic) for label in labels), src.id
    assert max(len(line) for label in labels for line in label.splitlines()) <= base.LABEL_WIDTH


@settings(max_examples=12, deadline=None)
@given(
    words=st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=14), min_size=1, max_size=40)
)
def test_a_long_label_wraps_whole(project, brand, words):
    statistic = " ".join(words)
    src = dataclasses.replace(project.sources["idc-2025-poc-to-production"], statistic=statistic)
    label = base.short(src)
    assert "…" not in label and " ".join(label.split("\n")[1:]) == statistic
    assert all(len(line) <= base.LABEL_WIDTH for line in label.splitlines())
    chart = charts.evidence_chart([src], brand)
    assert not [t for t in every_text(chart) if t.endswith("…")]
    chart.figure.clear()
