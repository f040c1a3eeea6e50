import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pilotfunnel.inputs.brand.load import load_brand
from pilotfunnel.model import funnel
from pilotfunnel.views import brief, charts
from pilotfunnel.views import messages as msg
from pilotfunnel.views.charts import base
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
    assert "Which practice moves production most" in checked
    assert copies(Path(charts.__file__).parent, checked) == []


def test_axis_numbers_are_written_as_the_kit_writes_counts(brand):

    _figure, axes = base.figure(brand, 2.0)
    axes.barh([0, 1], [1200, 2500])
    base.count_axis(axes)
    labels = [axes.xaxis.get_major_formatter()(v, 0) for v in (0, 1000, 2.5, 2500)]
    assert labels == ["0", "1,000", "2.5", "2,500"]  # matplotlib alone writes 1000 and 2.50
