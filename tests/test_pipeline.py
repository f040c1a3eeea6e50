"""The one pipeline: parameters, the two runners, the format registry, nothing half-written."""

import datetime as dt

import pytest

from pilotfunnel import pipeline
from pilotfunnel.errors import ExportError
from pilotfunnel.project import Project
from pilotfunnel.scenario import load_scenario

from .conftest import ROOT

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


def test_formats_are_one_registry(project):
    assert set(pipeline.FORMATS) == {"pdf", "html", "pptx"}
    assert pipeline.parse_formats(" PDF, html ") == ("pdf", "html")
    with pytest.raises(ValueError, match="unknown format docx"):
        pipeline.parse_formats("docx")
    with pytest.raises(ValueError, match=r"unknown format \(none\)"):
        pipeline.parse_formats(" , ")


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
    from pilotfunnel.export.exporters import BriefHTMLExporter

    first = pipeline.exporter_for(project, BriefHTMLExporter)
    assert pipeline.exporter_for(project, BriefHTMLExporter) is first
    assert first.project is project


def test_a_runner_failure_writes_nothing(project, demo, tmp_path):
    class Failing:
        def execute(self, nb, cwd, on_cell_start=None):
            raise ExportError("section summary failed: ValueError: no", "summary")

    with pytest.raises(ExportError, match="section summary failed"):
        pipeline.make_brief(project, demo, tmp_path, as_of=AS_OF, runner=Failing())
    assert list(tmp_path.iterdir()) == []
