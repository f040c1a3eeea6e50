"""A project: its inputs loaded once and validated together, kept while they are unchanged."""

import pytest

from pilotfunnel.core.errors import AssumptionError, BrandError
from pilotfunnel.inputs.project import Project, inputs_digest
from pilotfunnel.model import funnel

from ..conftest import FIXTURES, ROOT


def test_a_project_holds_its_validated_inputs_and_places(project_copy):
    project = Project.load(project_copy)
    assert project.root == project_copy.resolve()
    assert project.brand.name == "Pilotfunnel Advisory"
    assert "idc-2025-poc-to-production" in project.sources
    assert project.assumptions.stages[1].baseline.rate == pytest.approx(4 / 33)
    assert project.brief_notebook == project_copy / "notebooks" / "03-client-brief.ipynb"
    assert funnel.model_of(project) is funnel.model_of(project)  # built once, kept


def test_unchanged_inputs_give_the_same_project_and_an_edit_a_new_one(project_copy):
    first = Project.load(project_copy)
    assert Project.load(project_copy) is first
    brand = project_copy / "data" / "brand" / "brand.yml"
    brand.write_text(brand.read_text("utf-8").replace("#1B3A5C", "#7A1F3D"), "utf-8")
    edited = Project.load(project_copy)
    assert edited is not first and edited.brand.colors["primary"] == "#7A1F3D"


def test_what_a_project_keeps_is_its_own(project_copy):
    one = Project.load(project_copy)
    made = []
    assert one.cached("chart", lambda: made.append(1) or "drawn") == "drawn"
    assert one.cached("chart", lambda: made.append(1) or "again") == "drawn"
    assert made == [1]


def test_the_default_root_comes_from_the_environment(project_copy):
    assert Project.load().root == project_copy.resolve()  # project_copy sets PILOTFUNNEL_HOME


def test_inputs_that_do_not_fit_together_are_refused(project_copy):
    assumptions = project_copy / "data" / "assumptions.yaml"
    assumptions.write_text((FIXTURES / "assumptions" / "unknown_source_id.yaml").read_text())
    with pytest.raises(AssumptionError, match="source"):
        Project.load(project_copy)


def test_a_bad_brand_is_refused_with_its_problems(project_copy):
    brand = project_copy / "data" / "brand" / "brand.yml"
    brand.write_text(brand.read_text("utf-8").replace("muted: slate", 'muted: "#DDDDDD"'))
    with pytest.raises(BrandError, match=r"WCAG AA needs 4\.5:1"):
        Project.load(project_copy)


def test_the_inputs_digest_follows_every_input_file(project_copy):
    before = inputs_digest(project_copy)
    assert inputs_digest(ROOT) != before or project_copy == ROOT
    (project_copy / "data" / "brand" / "logo.svg").write_text("<svg/>")
    assert inputs_digest(project_copy) != before
