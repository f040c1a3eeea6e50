"""Exporting briefs end to end: the real brief notebook, a real kernel, WeasyPrint."""

import datetime as dt
import itertools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from pilotfunnel.core import write
from pilotfunnel.core.errors import ExportError, ScenarioError
from pilotfunnel.export import pipeline
from pilotfunnel.export.nbconvert.exporters import BriefHTMLExporter, BriefPDFExporter
from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.scenario import load_scenario

from ..conftest import FIXTURES, ROOT, assert_same_bytes, pilotfunnel_command

pytestmark = pytest.mark.slow
AS_OF = dt.date(2026, 11, 25)


def export_brief(scenario_path, out, formats=("pdf", "html"), **kwargs):
    """What `pilotfunnel brief` does: the project as the environment names it, a kernel."""
    scenario = load_scenario(scenario_path)
    return pipeline.make_brief(Project.load(), scenario, out, formats, **kwargs)


@pytest.fixture(scope="module")
def demo_brief(tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    done = subprocess.run(
        [
            pilotfunnel_command(),
            "brief",
            "data/clients/demo.yaml",
            "--format",
            "pdf,html",
            "--out",
            str(out),
            "--date",
            AS_OF.isoformat(),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    # Nothing on stderr but, without HarfBuzz-Subset, the one line that says so.
    said = [line for line in done.stderr.splitlines() if "libharfbuzz-subset0" not in line]
    assert "Traceback" not in done.stderr and said == []
    stem = f"northwind-logistics-{AS_OF.isoformat()}"
    return out / f"{stem}.pdf", out / f"{stem}.html", done.stdout


def test_cli_prints_where_it_wrote(demo_brief):
    pdf, html, stdout = demo_brief
    assert f"pdf: {pdf}" in stdout and f"html: {html}" in stdout


def test_pdf_is_a_real_brief(demo_brief):
    pdf, _, _ = demo_brief
    reader = PdfReader(pdf)
    assert 8 <= len(reader.pages) <= 16
    assert reader.metadata.title == "AI pilot funnel brief: Northwind Logistics"
    assert reader.metadata.author == "Pilotfunnel Advisory"
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", " ", text)
    assert "Northwind Logistics" in flat
    for publisher in ("MIT NANDA", "IDC", "Gartner", "RAND", "Deloitte", "S&P Global"):
        assert publisher in flat, publisher
    model = json.loads(
        subprocess.run(
            [pilotfunnel_command(), "model", "data/clients/demo.yaml", "--json"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    production = model["as_is"]["production"]["expected"]
    assert f"{production:.1f}" in flat  # the CLI's figure, as the brief prints it
    assert "Page 2 of" in flat
    assert "Confidential. Prepared for Northwind Logistics" in flat


def test_pdf_embeds_fonts_is_tagged_and_cover_has_no_footer(demo_brief):
    pdf, _, _ = demo_brief
    reader = PdfReader(pdf)
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts") or [font]
            for item in descendants:
                descriptor = item.get_object().get("/FontDescriptor")
                if descriptor is not None:
                    descriptor = descriptor.get_object()
                    assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                    fonts.add(str(descriptor["/FontName"]))
    assert any("Source-Sans-3" in f for f in fonts), fonts
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged (PDF/UA)
    cover = reader.pages[0].extract_text()
    assert "Confidential" not in cover and "Page 1" not in cover


def _figure_alt_texts(node, found=None) -> list[str]:
    found = [] if found is None else found
    node = node.get_object()
    if isinstance(node, dict):
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt", "")))
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            _figure_alt_texts(kid, found)
    return found


def test_pdf_charts_are_figures_with_alt_text_and_real_text(demo_brief):
    pdf, _, _ = demo_brief
    reader = PdfReader(pdf)
    alts = _figure_alt_texts(reader.trailer["/Root"]["/StructTreeRoot"])
    for start in ("Dot chart of cited statistics", "Bar chart of Northwind Logistics"):
        assert any(alt.startswith(start) for alt in alts), (start, alts)
    # Charts are drawn as vectors with their labels as text, not pictures of text.
    flat = re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))
    assert "Northwind Logistics: where the pilots go" in flat
    assert "Use cases over 3 years (modelled)" in flat


def test_one_rendering_serves_both_formats_with_the_exporters_bytes():
    project = Project.load(ROOT)
    scenario = load_scenario(ROOT / "data" / "clients" / "demo.yaml")
    nb = pipeline.execute(project, scenario, AS_OF, pipeline.InProcessRunner(), draws=500)
    both = pipeline.render(project, nb, ("pdf", "html"))
    resources = {"metadata": {"name": "brief"}}
    html, _ = BriefHTMLExporter(project=project).from_notebook_node(nb, resources)
    pdf, _ = BriefPDFExporter(project=project).from_notebook_node(nb, resources)
    assert_same_bytes(both["html"], html.encode(), "HTML")
    assert_same_bytes(both["pdf"], pdf, "PDF")


def test_html_is_self_contained_and_has_no_code(demo_brief):
    _, html_path, _ = demo_brief
    html = html_path.read_text("utf-8")
    loads = re.findall(r'<(?:img|script|link|iframe|source)\b[^>]*?(?:src|href)="([^"]+)"', html)
    assert loads and all(url.startswith("data:") for url in loads)
    assert "<script" not in html and "@import" not in html
    assert "url(http" not in html
    visible = re.sub(r"data:[^\"')]+", "", html)
    for leak in ("In&nbsp;[", "In [", "Parameters injected", "brief.prepare", "import ", "ctx"):
        assert leak not in visible, leak
    svg_tags = [tag for tag in re.findall(r"<svg\b[^>]*>", html) if 'role="img"' in tag]
    labels = [re.search(r'aria-label="([^"]*)"', tag).group(1) for tag in svg_tags]
    # evidence, the record against the research (the demo has a record), funnel, stalling, practices
    assert len(labels) == 5 and all(len(label) > 40 for label in labels)
    assert all("viewBox=" in tag for tag in svg_tags)  # SVG's names as drawn, not lowercased
    assert re.search(r'<img [^>]*alt="[^"]+"', html)  # the logo
    headings = re.findall(r"<h([1-3])", html)
    assert headings[0] == "1" and all(int(b) - int(a) <= 1 for a, b in itertools.pairwise(headings))


def test_brand_change_reaches_html_and_pdf(project_copy, tmp_path):
    shutil.rmtree(project_copy / "data" / "brand")
    shutil.copytree(FIXTURES / "brand" / "alt", project_copy / "data" / "brand")
    shutil.copytree(ROOT / "notebooks", project_copy / "notebooks")
    files = export_brief(ROOT / "data" / "clients" / "demo.yaml", tmp_path, as_of=AS_OF, draws=500)
    html = files.files["html"].read_text("utf-8")
    assert "--pf-primary: #7A1F3D;" in html and "Crimson Ridge Partners" in html
    reader = PdfReader(files.files["pdf"])
    assert "strictly private for Northwind Logistics" in reader.pages[1].extract_text()
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (612, 792)  # US Letter, from the brand file


def test_hostile_names_give_safe_files_and_escaped_html(tmp_path):
    for fixture in ("hostile_name", "path_name"):
        files = export_brief(
            FIXTURES / "scenarios" / f"{fixture}.yaml",
            tmp_path,
            formats=("html",),
            as_of=AS_OF,
            draws=300,
        )
        path = files.files["html"]
        assert path.parent == tmp_path and re.fullmatch(r"[a-z0-9-]+\.html", path.name)
    html = (tmp_path / f"muller-son-script-alert-1-script-{AS_OF}.html").read_text("utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "Müller &amp; Søn &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_invalid_scenario_exports_nothing_and_exits_2(tmp_path):
    done = subprocess.run(
        [
            pilotfunnel_command(),
            "brief",
            str(FIXTURES / "scenarios" / "readiness_5.yaml"),
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "readiness.as_is.data" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()
    with pytest.raises(ScenarioError):
        export_brief(FIXTURES / "scenarios" / "readiness_5.yaml", tmp_path / "out")


def _with_brief_notebook(project_copy: Path, fixture: str) -> None:
    (project_copy / "notebooks").mkdir()
    shutil.copy(
        FIXTURES / "notebooks" / f"{fixture}.ipynb",
        project_copy / "notebooks" / "03-client-brief.ipynb",
    )


def test_failing_section_is_named_without_traceback(project_copy, tmp_path):
    _with_brief_notebook(project_copy, "brief_raises")
    with pytest.raises(ExportError) as caught:
        export_brief(ROOT / "data" / "clients" / "demo.yaml", tmp_path / "out", as_of=AS_OF)
    assert caught.value.section == "summary"
    message = str(caught.value)
    assert "section summary failed: ValueError: the summary cannot be computed" in message
    assert "Traceback" not in message and "\x1b[" not in message
    assert not (tmp_path / "out").exists()


def test_failing_section_exits_1_on_the_cli(project_copy, tmp_path):
    _with_brief_notebook(project_copy, "brief_raises")
    done = subprocess.run(
        [
            pilotfunnel_command(),
            "brief",
            str(ROOT / "data" / "clients" / "demo.yaml"),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PILOTFUNNEL_HOME": str(project_copy)},
    )
    assert done.returncode == 1
    assert "section summary failed" in done.stderr and "Traceback" not in done.stderr


def test_dead_kernel_is_reported_with_its_section(project_copy, tmp_path):
    _with_brief_notebook(project_copy, "brief_dies")
    with pytest.raises(ExportError, match="kernel died while running section evidence"):
        export_brief(ROOT / "data" / "clients" / "demo.yaml", tmp_path / "out", as_of=AS_OF)


def test_interrupted_write_leaves_no_half_written_file(tmp_path, monkeypatch):
    real_render = pipeline.render

    def explode(*args, **kwargs):
        real_render(*args, **kwargs)
        raise KeyboardInterrupt  # Ctrl-C after rendering, before anything is written

    monkeypatch.setattr(pipeline, "render", explode)
    with pytest.raises(KeyboardInterrupt):
        export_brief(ROOT / "data" / "clients" / "demo.yaml", tmp_path, as_of=AS_OF, draws=300)
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_cleans_up_after_a_failed_write(tmp_path, monkeypatch):
    target = tmp_path / "brief.pdf"
    target.write_bytes(b"the previous, complete brief")

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError):
        write.atomic_write_bytes(target, b"%PDF- half")
    assert target.read_bytes() == b"the previous, complete brief"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.pdf"]
