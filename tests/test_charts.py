import os

import pytest

from pilotfunnel.inputs.brand.load import load_brand
from pilotfunnel.model import funnel
from pilotfunnel.views import charts

from .conftest import FIXTURES, ROOT


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
    import subprocess
    import sys

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
