"""The one pipeline: parameters, the two runners, the format registry, nothing half-written."""

import datetime as dt
import shutil
import subprocess
import sys

import pytest
import yaml

from pilotfunnel.core.errors import BrandError, ExportError
from pilotfunnel.export import pipeline
from pilotfunnel.export.formats import exporter_for
from pilotfunnel.export.nbconvert.exporters import BriefHTMLExporter
from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.scenario import load_scenario

from ..conftest import FIXTURES, ROOT

AS_OF = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def project():
    return Project.load(ROOT)


@pytest.fixture(scope="module")
def demo():
    return load_scenario(ROOT / "data" / "clients" / "demo.yaml")


def test_the_notebook_gets_the_scenario_itself_not_a_path(project, demo):
    parameters = pipeline.brief_parameters(project, demo, AS_OF, draws=500, seed=7)
    assert parameters == {
        "scenario": demo.to_dict(),
        "as_of": "2026-11-25",
        "project_root": str(project.root),
        "draws": 500,
        "seed": 7,
    }
    assert "draws" not in pipeline.brief_parameters(project, demo, AS_OF)


def test_a_format_that_cannot_serve_stops_the_brief_before_its_notebook(project_copy, demo):
    brand = project_copy / "data" / "brand"
    shutil.copy(FIXTURES / "deck" / "not_a_deck.pptx", brand)
    data = yaml.safe_load((brand / "brand.yml").read_text())
    (brand / "brand.yml").write_text(yaml.safe_dump({**data, "pptx_template": "not_a_deck.pptx"}))

    class Unused:
        def execute(self, nb, cwd, on_cell_start=None):
            pytest.fail("the notebook ran although the deck could not be made")

    out = project_copy / "exports"
    with pytest.raises(BrandError, match=r"not_a_deck\.pptx cannot be read"):
        pipeline.make_brief(
            Project.load(project_copy), demo, out, ("html", "pptx"), AS_OF, runner=Unused()
        )
    assert list(out.iterdir()) == []


def test_the_kernel_runner_has_the_briefs_timeout():
    assert pipeline.KernelRunner().timeout == pipeline.BRIEF_TIMEOUT == 120


def test_an_unsaved_scenario_is_exported_without_a_file(project, demo, tmp_path):
    unsaved = demo.replace(client="Unsaved Client Ltd", path=None)
    files = pipeline.make_brief(
        project,
        unsaved,
        tmp_path,
        ("html",),
        as_of=AS_OF,
        runner=pipeline.InProcessRunner(),
        draws=300,
    )
    assert files.files["html"].name == "unsaved-client-ltd-2026-11-25.html"
    assert "Unsaved Client Ltd" in files.files["html"].read_text("utf-8")
    assert "idc-2025-poc-to-production" in files.sources
    assert len(files.sha256["html"]) == 64
    assert sorted(p.name for p in tmp_path.iterdir()) == ["unsaved-client-ltd-2026-11-25.html"]


def test_exporters_are_kept_per_project_and_thread(project):
    first = exporter_for(project, BriefHTMLExporter)
    assert exporter_for(project, BriefHTMLExporter) is first
    assert first.project is project


def test_a_runner_failure_writes_nothing(project, demo, tmp_path):
    class Failing:
        def execute(self, nb, cwd, on_cell_start=None):
            raise ExportError("section summary failed: ValueError: no", "summary")

    with pytest.raises(ExportError, match="section summary failed"):
        pipeline.make_brief(project, demo, tmp_path, as_of=AS_OF, runner=Failing())
    assert list(tmp_path.iterdir()) == []


def test_the_same_brief_made_in_another_folder_is_the_same_pdf(demo, tmp_path):
    # Found while checking digests: the PDF's identifier hashed the page with its linked
    # @font-face rules, which name the brand's font files by absolute path.
    made = []
    for folder in (tmp_path / "one", tmp_path / "elsewhere" / "two"):
        shutil.copytree(ROOT / "data", folder / "data")
        shutil.copytree(ROOT / "notebooks", folder / "notebooks")
        files = pipeline.make_brief(
            Project.load(folder),
            demo,
            folder / "exports",
            ("pdf",),
            as_of=AS_OF,
            runner=pipeline.InProcessRunner(),
            draws=300,
        )
        made.append(files.files["pdf"].read_bytes())
    assert made[0] == made[1]


def test_the_pipeline_imports_light_for_the_command_line():
    # The command line imports the pipeline for its defaults at every start; what runs and
    # renders a brief is imported only when a brief is made.
    heavy = ["nbformat", "nbclient", "nbconvert", "IPython", "weasyprint", "matplotlib", "pptx"]
    code = "import sys, pilotfunnel.export.pipeline\n"
    code += f"print([m for m in {heavy!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
