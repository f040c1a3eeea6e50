"""The analyst's loop on a real batch: what changed, which briefs are stale, rebuild exactly those,
from any working directory, as the README's steps run it."""

import csv
import io
import json
import os
import subprocess

import pytest
import yaml

from pilotfunnel.batch.manifest import Manifest
from pilotfunnel.core.errors import InputError
from pilotfunnel.ui import analyst

from ..conftest import ROOT, pilotfunnel_command

pytestmark = pytest.mark.slow
UNVERIFIED = "gartner-2024-ai-projects-to-production"  # cited by Fernhill Foods only
AS_OF = "2026-11-25"


@pytest.fixture
def built(project_copy, monkeypatch):
    """A project whose briefs were built by `pilotfunnel briefs` run from the project root."""
    import shutil

    shutil.copytree(ROOT / "notebooks", project_copy / "notebooks")
    clients = project_copy / "data" / "clients"
    asks = yaml.safe_load((clients / "fernhill-foods.yaml").read_text())
    asks["include_unverified_sources"] = True
    (clients / "fernhill-foods.yaml").write_text(yaml.safe_dump(asks))
    done = subprocess.run(
        [
            *(pilotfunnel_command(), "briefs"),
            *("data/clients/demo.yaml", "data/clients/fernhill-foods.yaml"),
            *("--out", "exports", "--date", AS_OF, "--draws", "300", "-j", "1"),
        ],
        cwd=project_copy,
        env={**os.environ, "PILOTFUNNEL_HOME": str(project_copy)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    # The analyst's notebook runs in notebooks/: nothing may depend on the folder the batch ran in.
    monkeypatch.chdir(project_copy / "notebooks")
    return project_copy


def edit_cell(project, source_id: str, old: str, new: str) -> None:
    path = project / "data" / "sources.csv"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    lines = [line.replace(old, new, 1) if line.startswith(source_id) else line for line in lines]
    path.write_text("".join(lines), "utf-8")


def test_nothing_changed_right_after_a_build(built):
    assert analyst.changes(built).empty
    assert analyst.stale_briefs(built) == []
    assert analyst.stale_frame(built).empty


def test_each_changed_cell_is_a_line_with_the_value_then_and_now(built):
    edit_cell(built, UNVERIFIED, ",48,", ",47,")
    edit_cell(built, UNVERIFIED, "2025-11-20", "2026-11-26")
    found = analyst.changes(built)
    assert list(found.columns) == ["source_id", "column", "then", "now", "change"]
    assert found.values.tolist() == [
        [UNVERIFIED, "value", "48", "47", "changed"],
        [UNVERIFIED, "accessed", "2025-11-20", "2026-11-26", "changed"],
    ]


def test_added_and_removed_rows_are_listed(built):
    path = built / "data" / "sources.csv"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    removed = next(line for line in lines if line.startswith("rand-2024"))
    added = removed.replace("rand-2024-ai-projects-fail", "rand-2025-ai-projects-fail", 1)
    path.write_text("".join(line for line in lines if line is not removed) + added, "utf-8")
    found = analyst.changes(built)
    assert set(map(tuple, found[["source_id", "change"]].values.tolist())) == {
        ("rand-2024-ai-projects-fail", "removed"),
        ("rand-2025-ai-projects-fail", "added"),
    }


def test_a_changed_row_marks_exactly_the_briefs_that_cite_it(built):
    edit_cell(built, UNVERIFIED, ",48,", ",47,")
    stale = analyst.stale_briefs(built)
    assert [b.client for b in stale] == ["Fernhill Foods"]
    assert stale[0].changed_sources == (UNVERIFIED,)
    assert stale[0].scenario == built / "data" / "clients" / "fernhill-foods.yaml"
    assert analyst.stale_frame(built)["client"].tolist() == ["Fernhill Foods"]


def test_rebuild_from_the_notebooks_folder_rebuilds_that_brief_and_no_other(built):
    manifest = Manifest.load(built / "exports")
    demo_built_at = next(
        e.built_at for e in manifest.entries.values() if e.client != "Fernhill Foods"
    )
    edit_cell(built, UNVERIFIED, ",48,", ",47,")
    panel = analyst.rebuild_button(built)
    panel.rebuild()
    _, bar, status = panel.children
    assert status.value.startswith("built: Fernhill Foods<br><b>Built 1, up to date 0, failed 0.")
    assert (bar.value, bar.max) == (1, 1)
    assert analyst.stale_briefs(built) == []
    assert analyst.changes(built).empty
    after = Manifest.load(built / "exports")
    assert demo_built_at in {e.built_at for e in after.entries.values()}  # demo was not rebuilt
    panel.rebuild()
    assert status.value.startswith("Nothing to rebuild")


def test_the_manifest_keeps_paths_from_the_project_root(built):
    manifest = Manifest.load(built / "exports")
    assert manifest.root == str(built)
    assert sorted(e.scenario for e in manifest.entries.values()) == [
        "data/clients/demo.yaml",
        "data/clients/fernhill-foods.yaml",
    ]


def test_review_shows_every_row_with_errors_first_in_the_brands_colours(project_copy):
    edit_cell(project_copy, "idc-2025-poc-to-production", "2025-03-25", "2025-02-30")
    styled = analyst.review(project_copy)
    shown = styled.data
    assert len(shown) == 9  # the invalid row stays, next to the others
    assert shown["id"].iloc[0] == "idc-2025-poc-to-production"  # errors first
    assert "error: published is not a real date" in shown["problems"].iloc[0]
    assert shown["published"].iloc[0] == "2025-02-30"  # the bad cell, kept as text
    html = styled.to_html()
    danger_tint = analyst.load_brand(project_copy / "data" / "brand" / "brand.yml").tint(
        "danger", 0.2
    )
    assert f"background-color: {danger_tint}" in html
    assert "1 error(s), 2 warning(s)" in html  # the stale access and the unverified row


def test_review_shows_the_analysts_working_notes(project_copy):
    styled = analyst.review(project_copy)
    notes = styled.data.set_index("id")["analyst_notes"]
    assert "could not be located" in notes["idc-2024-poc-to-production"]
    assert "could not be located" not in styled.data.get("caveats", "")  # caveats not shown
    html = styled.to_html()
    assert "analyst_notes" in html and "traced via AIDOOS summary" in html


def test_review_shows_what_each_share_counts_and_the_report_it_is_known_through(project_copy):
    data = analyst.review(project_copy).data.set_index("id")
    assert data.loc["mit-nanda-2025-no-pnl-return", "kind"] == "failed"
    assert data.loc["idc-2025-poc-to-production", "kind"] == "reached"
    assert data.loc["idc-2024-poc-to-production", "reported_by"] == "CIO.com"


def test_review_of_a_table_without_analyst_notes_shows_the_column_empty(project_copy):
    path = project_copy / "data" / "sources.csv"
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))
    kept = rows[0].index("analyst_notes")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:kept] + r[kept + 1 :] for r in rows])
    path.write_text(out.getvalue(), "utf-8")
    styled = analyst.review(project_copy)
    assert len(styled.data) == 9 and set(styled.data["analyst_notes"]) == {""}
    assert "0 error(s)" in styled.to_html()


def test_review_of_an_unreadable_table_says_why(project_copy):
    (project_copy / "data" / "sources.csv").write_bytes("id;caf\xe9\n".encode("cp1252"))
    caption = analyst.review(project_copy).caption
    assert "is not UTF-8 text" in caption


def _sources_diff(project, *args):
    return subprocess.run(
        [pilotfunnel_command(), "sources", "diff", *args],
        cwd=project,
        env={**os.environ, "PILOTFUNNEL_HOME": str(project)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_sources_diff_on_the_command_line_gates_on_change(built):
    unchanged = _sources_diff(built)
    assert unchanged.returncode == 0 and unchanged.stdout.startswith("no change in")
    edit_cell(built, UNVERIFIED, ",48,", ",47,")
    changed = _sources_diff(built)
    assert changed.returncode == 1
    assert f"{UNVERIFIED}: value '48' -> '47'" in changed.stdout
    as_json = _sources_diff(built, "--json")
    assert as_json.returncode == 1
    assert yaml.safe_load(as_json.stdout) == [
        {"source_id": UNVERIFIED, "column": "value", "then": "48", "now": "47", "change": "changed"}
    ]


def test_notebook_04_in_its_own_folder_rebuilds_the_stale_brief(built):
    import nbformat
    from nbclient import NotebookClient

    edit_cell(built, UNVERIFIED, ",48,", ",47,")
    nb = nbformat.read(built / "notebooks" / "04-update-sources.ipynb", as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "panel = analyst.rebuild_button(root)\npanel.rebuild()\nprint(panel.children[2].value)"
        )
    )
    client = NotebookClient(
        nb, timeout=300, resources={"metadata": {"path": str(built / "notebooks")}}
    )
    client.execute()
    shown = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    assert shown.startswith("built: Fernhill Foods"), shown
    changes_html = nb.cells[5].outputs[0]["data"]["text/html"]
    assert UNVERIFIED in changes_html and ">48<" in changes_html and ">47<" in changes_html
    assert analyst.stale_briefs(built) == []


def test_a_corrupt_manifest_is_named_in_the_notebook_not_read_as_no_change(built):
    (built / "exports" / "manifest.json").write_text('{"generator": "pilotfunnel", "entr', "utf-8")
    with pytest.raises(InputError, match=r"manifest\.json"):
        analyst.changes(built)
    for view in (analyst.changes_view(built), analyst.stale_view(built)):
        assert "manifest.json" in view.data and "No source has changed" not in view.data
        assert "Traceback" not in view.data
    panel = analyst.rebuild_button(built)
    panel.rebuild()
    assert "manifest.json" in panel.children[2].value


def test_rebuild_never_reads_a_scenario_the_manifest_names_outside_the_project(
    built, tmp_path_factory
):
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "other-client.yaml"
    elsewhere.write_bytes((built / "data" / "clients" / "fernhill-foods.yaml").read_bytes())
    path = built / "exports" / "manifest.json"
    data = json.loads(path.read_text("utf-8"))
    key = next(k for k, e in data["briefs"].items() if e["client"] == "Fernhill Foods")
    entry = data["briefs"].pop(key)
    entry["scenario"] = str(elsewhere)
    data["briefs"][str(elsewhere)] = entry
    path.write_text(json.dumps(data), "utf-8")
    edit_cell(built, UNVERIFIED, ",48,", ",47,")
    before = elsewhere.stat().st_mtime_ns
    panel = analyst.rebuild_button(built)
    panel.rebuild()
    status = panel.children[2].value
    assert status.startswith("Not rebuilt: 1 brief(s) whose scenario the manifest names outside")
    assert "Nothing else to rebuild." in status
    assert elsewhere.stat().st_mtime_ns == before
    assert not list((built / "exports").glob("*other*"))
