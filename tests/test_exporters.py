"""The nbconvert exporters, through nbconvert's own command line."""

import subprocess
import sys
from pathlib import Path

import pytest
from nbconvert.exporters import get_export_names, get_exporter
from pypdf import PdfReader

from .conftest import FIXTURES

SMALL = FIXTURES / "notebooks" / "small.ipynb"


def nbconvert(to: str, out: Path) -> subprocess.CompletedProcess:
    jupyter = Path(sys.executable).with_name("jupyter")
    return subprocess.run(
        [str(jupyter), "nbconvert", "--to", to, str(SMALL), "--output-dir", str(out)],
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_entry_points_register_all_names():
    names = set(get_export_names())
    assert {"pilotfunnel-html", "pilotfunnel-pdf", "pilotfunnel_html", "pilotfunnel_pdf"} <= names
    assert get_exporter("pilotfunnel_pdf").export_from_notebook == "Pilotfunnel brief (PDF)"
    assert get_exporter("pilotfunnel-pdf").export_from_notebook is None  # not listed twice


@pytest.mark.slow
def test_nbconvert_to_pilotfunnel_pdf(tmp_path):
    done = nbconvert("pilotfunnel-pdf", tmp_path)
    assert done.returncode == 0, done.stderr
    reader = PdfReader(tmp_path / "small.pdf")
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Small fixture" in text and "hello from the kernel" in text and "42" in text
    assert "UserWarning" not in text and "answer = 41" not in text and "print(" not in text
    assert reader.metadata.title == "small"


@pytest.mark.slow
def test_nbconvert_to_pilotfunnel_html(tmp_path):
    done = nbconvert("pilotfunnel-html", tmp_path)
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "small.html").read_text("utf-8")
    assert "hello from the kernel" in html and "Pilotfunnel Advisory" in html
    for leak in ("UserWarning", "answer = 41", "print(", "In&nbsp;[", "<script"):
        assert leak not in html, leak


def test_inline_svg_reaches_the_page_as_drawn():
    # HTMLExporter's re-parse of the page would lowercase SVG names (viewBox -> viewbox);
    # the exporter keeps SVG out of it and puts it back unchanged, nested SVG included.
    import nbformat

    from pilotfunnel.export.exporters import BriefHTMLExporter

    chart = (FIXTURES / "svg" / "lowercased.html").read_text("utf-8").replace("viewbox", "viewBox")
    nested = (FIXTURES / "svg" / "nested.html").read_text("utf-8")
    cell = nbformat.v4.new_code_cell("charts()")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": chart + nested}),
    ]
    nb = nbformat.v4.new_notebook(cells=[cell])
    html, _ = BriefHTMLExporter().from_notebook_node(nb, {"metadata": {"name": "charts"}})
    assert chart.strip() in html
    assert 'viewBox="0 0 144 72"' in html and "data-pf-svg" not in html
    assert "<rect " in html.split(chart.strip())[1]  # the nested SVG's content is still there


@pytest.mark.slow
def test_any_notebook_exports_while_a_source_row_is_being_fixed(project_copy, tmp_path):
    # The exporters need the brand only: the analyst's own notebook must export even when
    # sources.csv has an error the analyst is about to fix.
    import os

    sources = project_copy / "data" / "sources.csv"
    sources.write_text(sources.read_text("utf-8").replace("2025-03-25", "2025-02-30", 1))
    jupyter = Path(sys.executable).with_name("jupyter")
    done = subprocess.run(
        [
            str(jupyter),
            "nbconvert",
            "--to",
            "pilotfunnel-pdf",
            str(SMALL),
            "--output-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "PILOTFUNNEL_HOME": str(project_copy)},
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "small.pdf").read_bytes().startswith(b"%PDF-")
