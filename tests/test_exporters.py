"""The nbconvert exporters, through nbconvert's own command line."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from nbconvert.exporters import get_export_names, get_exporter
from pypdf import PdfReader

from .conftest import FIXTURES, run_nbconvert

SMALL = FIXTURES / "notebooks" / "small.ipynb"


def test_entry_points_register_all_names():
    names = set(get_export_names())
    for fmt in ("html", "pdf", "pptx"):
        assert {f"pilotfunnel-{fmt}", f"pilotfunnel_{fmt}"} <= names
        assert get_exporter(f"pilotfunnel-{fmt}").export_from_notebook is None  # not listed twice
    assert get_exporter("pilotfunnel_pdf").export_from_notebook == "Pilotfunnel brief (PDF)"
    deck = get_exporter("pilotfunnel_pptx")
    assert deck.export_from_notebook == "Pilotfunnel deck (PowerPoint)"
    assert deck().file_extension == ".pptx"


@pytest.fixture(scope="module")
def executed_brief(tmp_path_factory):
    """The client brief notebook for the demo client, run in a kernel and saved, as a
    consultant leaves it in JupyterLab."""
    import datetime as dt

    import nbformat

    from pilotfunnel.pipeline import KernelRunner, execute
    from pilotfunnel.project import Project
    from pilotfunnel.scenario import load_scenario

    from .conftest import ROOT

    project = Project.load(ROOT)
    scenario = load_scenario(ROOT / "data" / "clients" / "demo.yaml")
    executed = execute(project, scenario, dt.date(2026, 11, 25), KernelRunner(), draws=4000)
    path = tmp_path_factory.mktemp("brief") / "03-client-brief.ipynb"
    nbformat.write(executed, path)
    return path


@pytest.mark.slow
def test_nbconvert_to_pilotfunnel_pptx_makes_the_briefs_deck(executed_brief, tmp_path):
    from pilotfunnel import brief, deck
    from pilotfunnel.project import Project

    from .conftest import ROOT

    done = export(executed_brief, "pilotfunnel-pptx", tmp_path)
    assert done.returncode == 0, done.stderr
    ctx = brief.prepare(
        Project.load(ROOT), ROOT / "data" / "clients" / "demo.yaml", "2026-11-25", 4000
    )
    assert (tmp_path / "03-client-brief.pptx").read_bytes() == deck.build_deck(ctx)


def test_a_deck_of_a_notebook_that_is_not_a_brief_says_what_to_run(tmp_path):
    done = export(SMALL, "pilotfunnel-pptx", tmp_path)
    assert done.returncode == 1
    assert "a deck is made from the client brief notebook" in done.stderr
    assert not list(tmp_path.iterdir())  # nothing written


@pytest.mark.slow
def test_nbconvert_to_pilotfunnel_pdf(tmp_path):
    done = export(SMALL, "pilotfunnel-pdf", tmp_path)
    assert done.returncode == 0, done.stderr
    reader = PdfReader(tmp_path / "small.pdf")
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Small fixture" in text and "hello from the kernel" in text and "42" in text
    assert "UserWarning" not in text and "answer = 41" not in text and "print(" not in text
    assert "¶" not in text  # heading anchors are for screens
    assert reader.metadata.title == "Small fixture"  # its first heading (no title metadata)


@pytest.mark.slow
def test_nbconvert_to_pilotfunnel_html(tmp_path):
    done = export(SMALL, "pilotfunnel-html", tmp_path)
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "small.html").read_text("utf-8")
    assert "hello from the kernel" in html and "Pilotfunnel Advisory" in html
    for leak in ("UserWarning", "answer = 41", "print(", "In&nbsp;[", "<script"):
        assert leak not in html, leak
    assert 'class="anchor-link"' in html  # kept for screens, shown on hover or focus only
    assert ".anchor-link:focus { opacity: 1; }" in html


def test_inline_svg_reaches_the_page_with_its_names_as_drawn():
    # HTMLExporter's re-parse of the page would lowercase SVG names (viewBox -> viewbox);
    # the exporter keeps SVG out of it, cleans it and puts it back with its names intact,
    # nested SVG included.
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
    for name in ('viewBox="0 0 144 72"', "<clipPath id=", 'patternUnits="userSpaceOnUse"'):
        assert name in html, name
    assert "Value &lt; 5" in html and "data-pf-svg" not in html
    assert '<rect height="5" width="5">' in html  # the nested SVG's content is still there


@pytest.mark.slow
def test_any_notebook_exports_while_a_source_row_is_being_fixed(project_copy, tmp_path):
    # The exporters need the brand only: the analyst's own notebook must export even when
    # sources.csv has an error the analyst is about to fix.
    import os

    sources = project_copy / "data" / "sources.csv"
    sources.write_text(sources.read_text("utf-8").replace("2025-03-25", "2025-02-30", 1))
    env = {**os.environ, "PILOTFUNNEL_HOME": str(project_copy)}
    done = export(SMALL, "pilotfunnel-pdf", tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "small.pdf").read_bytes().startswith(b"%PDF-")


def test_an_untrusted_notebook_reads_nothing_outside_its_folder(tmp_path):
    """Client notebooks and shared servers: no local file, no network, no attachment."""
    folder = tmp_path / "nb"
    shutil.copytree(FIXTURES / "notebooks" / "untrusted", folder)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (folder / "escape.svg").symlink_to(outside / "secret.svg")
    done = export(folder / "untrusted.ipynb", "pilotfunnel-pdf", tmp_path)
    assert done.returncode == 0, done.stderr
    reader = PdfReader(tmp_path / "untrusted.pdf")
    assert reader.attachments == {}  # neither /etc/hostname nor /etc/passwd is embedded
    refused = re.findall(r"(cell \d+|the page): not read: (\S+)", done.stderr)
    urls = {url for _, url in refused}
    assert ("cell 3", "file:///etc/hostname") in refused  # the <img>
    assert ("cell 2", "file:///etc/hostname") in refused  # the <link rel=attachment>
    assert "cell 2: link removed: file:///etc/passwd" in done.stderr  # <a rel=attachment>
    assert "http://example.com/tracker.png" in urls
    assert "../outside/secret.svg" in urls  # a ".." out of the folder
    assert "escape.svg" in urls  # a symlink out of the folder
    assert not any(url.endswith("chart.png") for url in urls)  # its own folder is fine
    assert ("cell 3", "http://example.com/tracker.png") in refused
    images = sum(len(page.images) for page in reader.pages)
    assert images >= 1  # the chart from the notebook's folder is on the page


ANY = FIXTURES / "notebooks" / "any"


def export(
    notebook: str | Path, to: str, out: Path, *options: str, env: dict | None = None
) -> subprocess.CompletedProcess:
    """nbconvert's command line on a notebook: a path, or a name in the fixture bank ANY."""
    path = notebook if isinstance(notebook, Path) else ANY / f"{notebook}.ipynb"
    return run_nbconvert(path, to, out, *options, env=env)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.mark.parametrize("to", ["pilotfunnel-pdf", "pilotfunnel-html"])
def test_failed_cells_stop_the_export_and_are_named(tmp_path, to):
    done = export("failed_cells", to, tmp_path)
    assert done.returncode == 1
    assert "cell 2 (import pandas_missing as pd): ModuleNotFoundError" in done.stderr
    assert "cell 3 (ratio = 4 / 0): ZeroDivisionError" in done.stderr
    assert "allow_failed_cells=True" in done.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_failed_cells_can_be_exported_with_a_visible_box(tmp_path):
    option = "--BriefHTMLExporter.allow_failed_cells=True"
    done = export("failed_cells", "pilotfunnel-pdf", tmp_path, option)
    assert done.returncode == 0, done.stderr
    text = pdf_text(tmp_path / "failed_cells.pdf")
    assert "This cell failed (ModuleNotFoundError)" in text
    assert "This cell failed (ZeroDivisionError)" in text and "kept" in text
    assert "Traceback" not in text and "division by zero" not in text
    done = export("failed_cells", "pilotfunnel-html", tmp_path, option)
    assert done.returncode == 0, done.stderr
    assert 'class="pf-failed" role="note"' in (tmp_path / "failed_cells.html").read_text()


def test_a_widget_shows_its_saved_value_or_says_it_is_interactive(tmp_path):
    assert export("widget_saved", "pilotfunnel-pdf", tmp_path).returncode == 0
    assert "Readiness: outcome: 3 (from 0 to 4)" in pdf_text(tmp_path / "widget_saved.pdf")
    assert export("widget_unsaved", "pilotfunnel-html", tmp_path).returncode == 0
    html = (tmp_path / "widget_unsaved.html").read_text()
    assert "An interactive control is here in the notebook; it is not shown in print." in html


def test_title_authors_and_footer_come_from_the_notebook(tmp_path):
    for name in ("titled", "headed", "for_client", "widget_unsaved"):
        done = export(name, "pilotfunnel-pdf", tmp_path)
        assert done.returncode == 0, done.stderr
    titled = PdfReader(tmp_path / "titled.pdf")
    assert titled.metadata.title == "Pilot economics for the board"
    assert titled.metadata.author == "Ada Analyst, Ben Partner"
    assert PdfReader(tmp_path / "headed.pdf").metadata.title == "Data quality at Acme"
    client = pdf_text(tmp_path / "for_client.pdf")
    assert "Confidential. Prepared for Acme Foods; not for distribution." in client
    general = pdf_text(tmp_path / "widget_unsaved.pdf")
    assert "Confidential; not for distribution." in general and "Prepared for" not in general


def test_math_is_drawn_offline_and_money_stays_money(tmp_path):
    done = export("math", "pilotfunnel-pdf", tmp_path)
    assert done.returncode == 0, done.stderr
    text = pdf_text(tmp_path / "math.pdf")
    assert "\\frac" not in text and "$$" not in text and "\\Delta" not in text
    assert "$1.2M and $3M" in text  # not mistaken for math
    # What mathtext cannot draw keeps its TeX, visibly, and the export says which cell.
    assert "\\begin{pmatrix}" in text
    assert "cell 1: formula kept as TeX: \\begin{pmatrix}1\\end{pmatrix}" in done.stderr
    done = export("math", "pilotfunnel-html", tmp_path)
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "math.html").read_text()
    labels = {
        re.search(r'aria-label="([^"]*)"', tag).group(1)
        for tag in re.findall(r"<svg\b[^>]*>", html)
        if 'role="img"' in tag and "pf-math-svg" in tag
    }
    assert "\\frac{4}{33} \\approx 12.1\\%" in labels and "\\Delta R = 12\\%" in labels
    assert "\\displaystyle x^{2}" in labels  # a text/latex output, drawn
    assert "<style" not in html.split("<body", 1)[1]  # matplotlib's SVG style stays out


def test_mathtext_svg_is_the_same_every_time():
    from pilotfunnel.export.mathtex import render_markdown_math, tex_to_svg

    tex_to_svg.cache_clear()
    first = tex_to_svg(r"\frac{4}{33}", True)
    tex_to_svg.cache_clear()
    assert tex_to_svg(r"\frac{4}{33}", True) == first and "\n" not in first
    assert render_markdown_math("costs `$x$` and $5 or $6") == "costs `$x$` and $5 or $6"


def test_dataframes_become_brand_tables(tmp_path):
    done = export("dataframes", "pilotfunnel-html", tmp_path)
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "dataframes.html").read_text()
    assert "<style scoped>" not in html and 'border="1"' not in html
    # nbconvert's HTML pass sorts attributes; a focusable region, so the keyboard can scroll it
    assert html.count('<div aria-label="Table" class="pf-frame" role="region" tabindex="0">') == 1
    assert html.count('class="pf-frame pf-wide" role="region" tabindex="0">') == 1
    assert "font-variant-numeric: tabular-nums" in html
    done = export("dataframes", "pilotfunnel-pdf", tmp_path)
    assert done.returncode == 0, done.stderr
    reader = PdfReader(tmp_path / "dataframes.pdf")
    wide = reader.pages[-1]
    assert wide.mediabox.width > wide.mediabox.height  # the wide frame gets a landscape page
    assert "109870.5" in wide.extract_text()  # the last column is on the page, unbroken


def test_the_html_page_inlines_its_own_images_and_refuses_the_rest(tmp_path):
    folder = tmp_path / "nb"
    shutil.copytree(FIXTURES / "notebooks" / "untrusted", folder)
    (folder / "escape.svg").symlink_to("/etc/hostname")
    done = export(folder / "untrusted.ipynb", "pilotfunnel-html", tmp_path)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "untrusted.html").read_text()
    sources = re.findall(r'<img\b[^>]*\bsrc="([^"]*)"', page)
    assert sources and all(src.startswith("data:") for src in sources)  # opens offline
    assert '<img alt="chart" src="data:image/png;base64,' in page  # its own folder, inlined
    for words in ("local file", "tracker", "escape", "symlink out"):
        assert f"[{words}: not included]" in page
    assert "attachment" not in page
    assert "cell 3: not read: http://example.com/tracker.png" in done.stderr


@pytest.mark.parametrize(
    "name",
    ["math", "dataframes", "widget_saved", "widget_unsaved", "titled", "headed", "for_client"],
)
def test_every_fixture_exports_clean_in_both_formats(tmp_path, name):
    option = "--BriefHTMLExporter.allow_failed_cells=True"
    assert export(name, "pilotfunnel-pdf", tmp_path, option).returncode == 0
    text = pdf_text(tmp_path / f"{name}.pdf")
    assert "¶" not in text and "\\frac" not in text and "Traceback" not in text
    assert PdfReader(tmp_path / f"{name}.pdf").attachments == {}
    assert export(name, "pilotfunnel-html", tmp_path, option).returncode == 0
    page = (tmp_path / f"{name}.html").read_text()
    loads = re.findall(r'<(?:img|script|link|iframe|source)\b[^>]*?(?:src|href)="([^"]+)"', page)
    assert all(url.startswith("data:") for url in loads), loads
