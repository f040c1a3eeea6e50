"""The nbconvert exporters, through nbconvert's own command line."""

import base64
import datetime as dt
import io
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbconvert.exporters import get_export_names, get_exporter
from pypdf import PdfReader

from pilotfunnel.core.errors import PilotfunnelError
from pilotfunnel.export.nbconvert import exporters
from pilotfunnel.export.nbconvert.csp import content_security_policy
from pilotfunnel.export.nbconvert.exporters import BriefHTMLExporter, BriefPDFExporter
from pilotfunnel.export.nbconvert.mathtex import render_markdown_math, tex_to_svg
from pilotfunnel.export.pipeline import KernelRunner, execute
from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.scenario import load_scenario
from pilotfunnel.views import brief, deck
from pilotfunnel.views.brief import METADATA_MIMETYPE
from pilotfunnel.views.messages import brief as brief_words
from pilotfunnel.views.messages import cli as cli_words
from pilotfunnel.views.theme import css

from ..conftest import FIXTURES, ROOT, run_nbconvert
from .test_pdf import every_byte, links_in
from .test_sanitise import hostile_fragments, problems_in

SMALL = FIXTURES / "notebooks" / "small.ipynb"


def test_entry_points_register_all_names():
    names = set(get_export_names())
    for fmt in ("html", "pdf", "pptx"):
        assert {f"pilotfunnel-{fmt}", f"pilotfunnel_{fmt}"} <= names
        assert get_exporter(f"pilotfunnel-{fmt}").export_from_notebook is None  # not listed twice
    assert get_exporter("pilotfunnel_pdf").export_from_notebook == "Pilotfunnel brief (PDF)"
    exporter = get_exporter("pilotfunnel_pptx")
    assert exporter.export_from_notebook == "Pilotfunnel deck (PowerPoint)"
    assert exporter().file_extension == ".pptx"


@pytest.fixture(scope="module")
def executed_brief(tmp_path_factory):
    """The client brief notebook for the demo client, run in a kernel and saved, as a
    consultant leaves it in JupyterLab."""

    project = Project.load(ROOT)
    scenario = load_scenario(ROOT / "data" / "clients" / "demo.yaml")
    executed = execute(project, scenario, dt.date(2026, 11, 25), KernelRunner(), draws=4000)
    path = tmp_path_factory.mktemp("brief") / "03-client-brief.ipynb"
    nbformat.write(executed, path)
    return path


@pytest.mark.slow
def test_nbconvert_to_pilotfunnel_pptx_makes_the_briefs_deck(executed_brief, tmp_path):

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


# --- client documents are inert (issue 20) ---------------------------------------------------
HOSTILE = FIXTURES / "hostile" / "notebooks"
HOSTILE_CLASSES = [
    "scripts",
    "handlers",
    "js_urls",
    "embedding",
    "network_refs",
    "attachments",
    "pdf_links",
    "not_an_image",
]
CSP = "<meta content=\"default-src 'none'; img-src data:;"


def export_in_process(nb, folder: Path, kind: str = "html", caplog=None, **traits):
    """The kit's exporter run here, as JupyterLab's menu runs it: the page (or PDF) and the
    warnings it logged."""

    if isinstance(nb, Path):
        nb = nbformat.read(nb, as_version=4)
    exporter = (BriefPDFExporter if kind == "pdf" else BriefHTMLExporter)(**traits)
    if caplog is not None:
        caplog.clear()
        caplog.set_level(logging.WARNING)
    output, _ = exporter.from_notebook_node(nb, {"metadata": {"name": "nb", "path": str(folder)}})
    said = [r.getMessage() for r in caplog.records] if caplog is not None else []
    return output, said


@pytest.fixture
def hostile_folder(tmp_path):
    folder = tmp_path / "client notebooks"
    shutil.copytree(HOSTILE, folder)
    return folder


@pytest.mark.parametrize("name", HOSTILE_CLASSES)
def test_each_hostile_notebook_gives_an_inert_page_and_pdf(hostile_folder, name, caplog):

    page, said = export_in_process(hostile_folder / f"{name}.ipynb", hostile_folder, caplog=caplog)
    assert problems_in(page) == []
    assert "<script" not in page.lower() and "javascript:" not in page.lower()
    assert "attacker.example" not in page and "Do not share" not in page  # notes.txt
    assert content_security_policy() in page.replace("&#x27;", "'")
    assert all(re.match(r"(cell \d+|the page|\.\.\. and)", line) for line in said), said
    pdf, _ = export_in_process(hostile_folder / f"{name}.ipynb", hostile_folder, "pdf")
    assert PdfReader(io.BytesIO(pdf)).attachments == {}
    assert all(link == "#" or link.startswith(("https:", "mailto:")) for link in links_in(pdf))
    everything = every_byte(pdf)
    for local in (hostile_folder, ROOT, Path.home()):
        assert str(local).encode() not in everything, local
    assert b"file:" not in everything and b"Do not share" not in everything


def test_refused_references_are_warnings_naming_their_cells(hostile_folder, caplog):
    _, said = export_in_process(
        hostile_folder / "network_refs.ipynb", hostile_folder, caplog=caplog
    )
    cells = {line.split(":")[0] for line in said}
    assert cells == {"cell 2", "cell 3", "cell 4", "cell 5", "cell 6"}, said
    assert any("srcset" not in line and "/a.png" in line for line in said)  # srcset's first
    assert "cell 5: not read: @import url(http://attacker.example/i.css)" in "\n".join(said)
    _, said = export_in_process(
        hostile_folder / "not_an_image.ipynb", hostile_folder, caplog=caplog
    )
    text = "\n".join(said)
    assert "cell 2: not read: notes.txt (not a PNG, JPEG, GIF, WebP or SVG image" in text
    assert "cell 2: not read: fake.png" in text and "cell 3: not read: laughs.svg" in text
    assert "real.png" not in text and "evil.svg" not in text  # real images, inlined


def test_only_real_images_are_inlined_and_an_svg_is_cleaned(hostile_folder):

    page, _ = export_in_process(hostile_folder / "not_an_image.ipynb", hostile_folder)
    for words in ("notes as an image", "text named png", "markdown notes", "passwd"):
        assert f"[{words}: not included]" in page
    assert page.count('src="data:image/png;base64,') == 2  # real.png, and with ?x=1#y
    svg = re.search(r'alt="an svg with a script" src="data:image/svg\+xml;base64,([^"]+)"', page)
    drawn = base64.b64decode(svg.group(1)).decode()
    assert "<rect" in drawn and "script" not in drawn and "onload" not in drawn
    assert "attacker" not in drawn and "foreignObject" not in drawn


@pytest.mark.slow
def test_nbconvert_in_the_notebooks_own_folder_with_a_relative_name(tmp_path):
    # The commonest way: `cd folder && jupyter nbconvert --to pilotfunnel-pdf nb.ipynb`.
    # nbconvert then gives the folder as '' and the picture next to it must be read.

    folder = tmp_path / "notebook5"
    shutil.copytree(FIXTURES / "notebooks" / "relative", folder)
    out = tmp_path / "out"
    jupyter = str(Path(sys.executable).with_name("jupyter"))
    for to in ("pilotfunnel-pdf", "pilotfunnel-html"):
        done = subprocess.run(
            [jupyter, "nbconvert", "--to", to, "picture.ipynb", "--output-dir", str(out)],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert "not read" not in done.stderr, done.stderr
    page = (out / "picture.html").read_text("utf-8")
    assert '<img alt="containerized deployments" src="data:image/jpeg;base64,' in page
    reader = PdfReader(out / "picture.pdf")
    assert sum(len(page.images) for page in reader.pages) == 1


def test_the_kits_own_script_is_allowed_by_its_hash(monkeypatch):
    # Today the kit puts no script on the page; a later live brief adds one and the page's
    # policy names its hash, so it runs and nothing else does.

    script = "document.documentElement.dataset.live = 'yes';"
    monkeypatch.setattr(exporters, "KIT_SCRIPTS", (script,))
    cell = nbformat.v4.new_markdown_cell("<script>alert(1)</script> notes")
    page, _ = exporters.BriefHTMLExporter().from_notebook_node(
        nbformat.v4.new_notebook(cells=[cell]), {"metadata": {"name": "live"}}
    )
    assert f"<script>{script}</script>" in page and page.count("<script") == 1
    assert content_security_policy([script]).split("; ")[5] in page.replace("&#x27;", "'")
    assert problems_in(page, kit_scripts=(script,)) == []


def _chromium_dom(page: Path) -> str:
    done = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Chromium")
def test_the_pages_policy_stops_a_script_in_chromium(tmp_path):
    # Were a script to reach the page, the Content-Security-Policy stops it: the same page
    # without the policy runs it. (The exported brief renders alike with and without it.)

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Page\n\ntext")])
    page, _ = BriefHTMLExporter().from_notebook_node(nb, {"metadata": {"name": "p"}})
    injected = page.replace("</body>", "<script>document.title = 'script ran'</script></body>")
    (tmp_path / "with.html").write_text(injected, "utf-8")
    policy = re.search(r"<meta content=\"[^\"]*\" http-equiv=\"Content-Security-Policy\"/>", page)
    (tmp_path / "without.html").write_text(injected.replace(policy.group(0), ""), "utf-8")
    assert "<title>script ran</title>" in _chromium_dom(tmp_path / "without.html")
    assert "<title>Page</title>" in _chromium_dom(tmp_path / "with.html")


# --- generated hostile notebooks ------------------------------------------------------------
def _hostile_notebooks():

    v4 = nbformat.v4
    fragments = st.lists(hostile_fragments(), min_size=1, max_size=3).map("".join)
    prose = st.sampled_from(["", "Some *notes* ", "# Heading\n\n", "- item\n- ", "> quote "])

    def cell(kind: str, text: str, fragment: str):
        if kind == "markdown":
            return v4.new_markdown_cell(text + fragment)
        if kind == "raw":
            return v4.new_raw_cell(fragment, metadata={"raw_mimetype": "text/html"})
        mimetype, data = {
            "html": ("text/html", fragment),
            "markdown output": ("text/markdown", text + fragment),
            "svg": ("image/svg+xml", f'<svg xmlns="http://www.w3.org/2000/svg">{fragment}</svg>'),
        }[kind]
        output = v4.new_output("display_data", data={mimetype: data, "text/plain": "x"})
        return v4.new_code_cell("show()", outputs=[output])

    kinds = st.sampled_from(["markdown", "html", "markdown output", "svg", "raw"])
    cells = st.lists(st.builds(cell, kinds, prose, fragments), min_size=1, max_size=4)
    return cells.map(lambda cells: v4.new_notebook(cells=cells))


def _export_generated(nb, tmp_path, kind: str):

    try:
        output = export_in_process(nb, tmp_path, kind, inline_fonts=False)[0]
    except PilotfunnelError as error:  # the kit's own error, on one line, is the one other end
        assert "\n" not in str(error) and len(str(error)) < 400, str(error)
        return None
    if kind == "html":  # the brand's fonts by path (as for WeasyPrint), quicker to check
        return output.replace(css.font_face_css(_brand(), inline=False), "")
    return output


def _brand():

    return Project.load(ROOT).brand


def test_generated_hostile_notebooks_export_inert_pages(tmp_path_factory):

    folder = tmp_path_factory.mktemp("generated")

    @settings(max_examples=40, deadline=None)
    @given(_hostile_notebooks())
    def check(nb):
        page = _export_generated(nb, folder, "html")
        if page is not None:
            assert problems_in(page) == []
            assert "<script" not in page.lower() and "javascript:" not in page.lower()
            assert 'http-equiv="Content-Security-Policy"' in page

    check()


def test_generated_hostile_notebooks_export_inert_pdfs(tmp_path_factory):

    folder = tmp_path_factory.mktemp("generated")

    @settings(max_examples=6, deadline=None)
    @given(_hostile_notebooks())
    def check(nb):
        # No error either: the PDF's own last check (check_pdf) finding anything would mean
        # the sanitiser let it through.
        pdf, _ = export_in_process(nb, folder, "pdf")
        assert PdfReader(io.BytesIO(pdf)).attachments == {}
        assert all(link == "#" or link.startswith("http") for link in links_in(pdf))
        assert str(folder).encode() not in every_byte(pdf)

    check()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["scripts", "network_refs"])
def test_the_serious_cases_on_nbconverts_command_line(hostile_folder, tmp_path, name):
    # Issue 20's two cases for the HTML a consultant emails: scripts kept, and network
    # references kept without a warning. Now: none on the page, a warning for each reference.

    done = export(hostile_folder / f"{name}.ipynb", "pilotfunnel-html", tmp_path)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / f"{name}.html").read_text("utf-8")
    assert problems_in(page) == [] and "<script" not in page.lower()
    assert "attacker.example" not in page
    if name == "network_refs":
        warned = re.findall(r"(cell \d+): not read: (\S*attacker\.example\S*)", done.stderr)
        assert {cell for cell, _ in warned} == {"cell 2", "cell 3", "cell 4", "cell 5", "cell 6"}
        assert len(warned) >= 20, done.stderr


@pytest.mark.parametrize(
    "metadata",
    [
        {"client": {"name": "x"}, "title": ["a"], "lang": 'en" onload="x', "date": 3},
        {"client": "<b>Acme</b>", "title": "T" * 5000, "author": 7, "lang": "de-CH"},
        "not a mapping",
        ["a", "list"],
    ],
)
def test_a_notebooks_own_brief_metadata_is_taken_only_as_short_text(tmp_path, metadata):
    """A notebook can write any output; its 'brief metadata' shapes the title, footer and
    language of the page only as text of a bounded length, never as markup or an attribute."""

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={METADATA_MIMETYPE: metadata}),
        nbformat.v4.new_output("display_data", data={"text/plain": "hello"}),
    ]
    nb.cells = [cell]
    nb.metadata["authors"] = [{"name": 5}, "Ann", {"name": ["x"]}]
    page, _ = export_in_process(nb, tmp_path)
    assert "hello" in page and "onload" not in page and "<b>Acme" not in page
    assert "T" * 301 not in page
    assert re.search(r'<html lang="(en|de-CH)">', page)


def test_the_pages_keywords_and_option_help_are_the_catalogues(tmp_path):
    # The words are the catalogue's (messages.brief, messages.cli), the page's bytes the same.
    page, _ = export_in_process(SMALL, tmp_path)
    meta = re.search(r'<meta [^>]*name="keywords"[^>]*>', page)
    assert meta and f'content="{brief_words.KEYWORDS}"' in meta.group(0)
    assert BriefHTMLExporter.allow_failed_cells.help == cli_words.HELP_ALLOW_FAILED_CELLS


def test_a_failed_cells_box_escapes_the_errors_name():
    # The failure path: an error's name is the notebook's text, so it is escaped in the note.
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("raise X")
    cell.outputs = [nbformat.v4.new_output("error", ename="<b>Bad</b>", evalue="", traceback=[])]
    nb.cells = [cell]
    shown = exporters.failed_cells_handled(nb, allow=True).cells[0].outputs[0]["data"]["text/html"]
    assert shown == (
        '<div class="pf-failed" role="note"><strong>This cell failed</strong> '
        "(&lt;b&gt;Bad&lt;/b&gt;); its output is not shown.</div>"
    )
    with pytest.raises(PilotfunnelError, match="cell 1 \\(raise X\\): <b>Bad</b>"):
        exporters.failed_cells_handled(nb, allow=False)
