"""The deck: native charts holding the model's numbers, notes with sources, same bytes."""

import io
import shutil
import subprocess
import time
import zipfile

import pytest
from pptx import Presentation

from pilotfunnel import brief, deck
from pilotfunnel.project import Project

from .conftest import ROOT, in_ci


@pytest.fixture(scope="module")
def ctx():
    return brief.prepare(Project.load(ROOT), ROOT / "data" / "clients" / "demo.yaml", "2026-11-25")


@pytest.fixture(scope="module")
def pptx(ctx):
    return deck.build_deck(ctx)


def slides(pptx: bytes):
    return list(Presentation(io.BytesIO(pptx)).slides)


def charts(slide):
    return [shape for shape in slide.shapes if shape.has_chart]


def test_the_deck_follows_the_brief(pptx):
    titles = [s.shapes.title.text for s in slides(pptx)]
    assert len(titles) == 8
    assert titles[0].startswith("Why Northwind Logistics's AI pilots stall")
    assert titles[1:] == [
        "Three numbers that matter",
        "The evidence: most pilots stall before they pay",
        "Your funnel: 72 proofs of concept over 3 years",
        "What stalling costs",
        "What changes with the five practices",
        "Where to start",
        "Sources",
    ]


def test_charts_are_native_and_hold_the_models_numbers(pptx, ctx):
    funnel_slide, stalling_slide, practices_slide = slides(pptx)[3:6]
    (frame,) = charts(funnel_slide)
    plot = frame.chart.plots[0]
    as_is, target = plot.series
    metrics = [metric for _, metric in ctx.stage_rows]
    assert list(as_is.values) == pytest.approx([ctx.as_is[m].expected for m in metrics])
    assert list(target.values) == pytest.approx([ctx.target[m].expected for m in metrics])
    assert list(plot.categories) == [label for label, _ in ctx.stage_rows]
    (frame,) = charts(stalling_slide)
    stalled = frame.chart.plots[0].series[0]
    assert list(stalled.values) == pytest.approx(
        [ctx.as_is["stalled_spend"].expected, ctx.target["stalled_spend"].expected]
    )
    (frame,) = charts(practices_slide)
    ranked = [e.production_gain for e in ctx.ranking if e.to_level > e.from_level]
    assert list(frame.chart.plots[0].series[0].values) == pytest.approx(ranked)
    # The data sheet behind each chart is there, so "Edit Data" works in PowerPoint.
    for slide in slides(pptx)[3:6]:
        assert charts(slide)[0].chart.part.chart_workbook.xlsx_part is not None
        assert len(charts(slide)[0]._element.nvGraphicFramePr.cNvPr.get("descr")) > 40


def test_every_slide_has_notes_and_cited_figures_name_their_source(pptx, ctx):
    for slide in slides(pptx):
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()
    evidence = slides(pptx)[2].notes_slide.notes_text_frame.text
    mit, idc = (
        ctx.sources["mit-nanda-2025-no-pnl-return"],
        ctx.sources["idc-2025-poc-to-production"],
    )
    assert "MIT NANDA" in evidence and mit.quote in evidence
    assert "IDC" in evidence and idc.quote in evidence and "Caveats" in evidence
    numbers = slides(pptx)[1].notes_slide.notes_text_frame.text
    assert (
        numbers.startswith("Modelled") and "Calibrated to Northwind Logistics's record" in numbers
    )


def test_the_same_inputs_and_date_give_the_same_bytes(ctx, pptx):
    time.sleep(1.1)  # a zip or a workbook stamped with the clock would differ now
    again = deck.build_deck(ctx)
    assert again == pptx
    with zipfile.ZipFile(io.BytesIO(pptx)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
        assert "2026-11-25T00:00:00Z" in core


def test_a_missing_layout_names_the_layouts_there_are():
    with pytest.raises(ValueError, match="no layout named 'Nope'; it has: Title Slide, "):
        deck._layout(Presentation(), "Nope")


def test_the_brief_command_writes_the_deck(tmp_path):
    from .conftest import pilotfunnel_command

    done = subprocess.run(
        [
            *(pilotfunnel_command(), "brief", "data/clients/demo.yaml", "--format", "pptx"),
            *("--out", str(tmp_path), "--date", "2026-11-25"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    written = tmp_path / "northwind-logistics-2026-11-25.pptx"
    assert written.read_bytes() == deck.build_deck(
        brief.prepare(Project.load(ROOT), ROOT / "data" / "clients" / "demo.yaml", "2026-11-25")
    )


@pytest.mark.slow
def test_libreoffice_renders_every_slide_with_content(pptx, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        message = "LibreOffice is needed: sudo apt-get install -y libreoffice-impress"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    from PIL import Image

    (tmp_path / "deck.pptx").write_bytes(pptx)
    profile = tmp_path / "profile"  # its own profile: no clash with a LibreOffice in use
    done = subprocess.run(
        [
            *(soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"),
            *("--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "deck.pptx")),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0 and (tmp_path / "deck.pdf").exists(), done.stderr
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", str(tmp_path / "deck.pdf"), str(tmp_path / "slide")],
        check=True,
        timeout=120,
    )
    pages = sorted(tmp_path.glob("slide-*.png"))
    assert len(pages) == 8
    for page in pages:
        grey = Image.open(page).convert("L")
        inked = sum(grey.histogram()[:200])  # pixels darker than the page
        assert inked > grey.width * grey.height * 0.01, page.name  # not blank
