"""The analyst's views over a real batch: what changed, which briefs are stale, rebuild."""

import datetime as dt
import shutil

import pytest
import yaml

from pilotfunnel import analyst
from pilotfunnel.batch import run_batch

from .conftest import ROOT

pytestmark = pytest.mark.slow
UNVERIFIED = "gartner-2024-ai-projects-to-production"


@pytest.fixture
def built(project_copy, tmp_path):
    shutil.copytree(ROOT / "notebooks", project_copy / "notebooks")
    clients = project_copy / "data" / "clients"
    asks = yaml.safe_load((clients / "fernhill-foods.yaml").read_text())
    asks["include_unverified_sources"] = True
    (clients / "fernhill-foods.yaml").write_text(yaml.safe_dump(asks))
    scenarios = [clients / "demo.yaml", clients / "fernhill-foods.yaml"]
    out = project_copy / "exports"
    report = run_batch(scenarios, out_dir=out, as_of=dt.date(2026, 11, 25), workers=1, draws=300)
    assert report.ok and len(report.built) == 2
    return project_copy, out


def edit_row(project, source_id: str, old: str, new: str) -> None:
    path = project / "data" / "sources.csv"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    lines = [line.replace(old, new, 1) if line.startswith(source_id) else line for line in lines]
    path.write_text("".join(lines), "utf-8")


def test_nothing_changed_right_after_a_build(built):
    project, out = built
    assert analyst.changes(project, out) == []
    assert analyst.stale_briefs(project, out) == []
    assert "up to date" in analyst.stale_view(project, out).data


def test_a_changed_row_marks_exactly_the_briefs_that_cite_it(built):
    project, out = built
    edit_row(project, UNVERIFIED, "48", "47")
    assert [(c.source_id, c.status) for c in analyst.changes(project, out)] == [
        (UNVERIFIED, "changed")
    ]
    stale = analyst.stale_briefs(project, out)
    assert [b.client for b in stale] == ["Fernhill Foods"]
    assert stale[0].changed_sources == (UNVERIFIED,)
    assert "Fernhill Foods" in analyst.stale_view(project, out).data


def test_rebuild_button_rebuilds_the_stale_brief(built):
    project, out = built
    edit_row(project, UNVERIFIED, "48", "47")
    panel = analyst.rebuild_button(project, out)
    panel.rebuild()
    assert "Built 1" in panel.children[1].value
    assert analyst.stale_briefs(project, out) == []


def test_review_highlights_errors_and_warnings(project_copy):
    edit_row(project_copy, "idc-2025-poc-to-production", "2025-03-25", "2025-02-30")
    html = analyst.review(project_copy).data
    assert "1 error(s)" in html and "not a real date" in html
    assert "12 months" in html  # the stale access warning stays visible
