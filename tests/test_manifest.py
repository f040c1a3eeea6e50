"""The manifest: what a brief was built from, why it is out of date, the output folder's lock."""

import datetime as dt
import json
import shutil
import subprocess
import sys

import pytest

from pilotfunnel import manifest, paths
from pilotfunnel.errors import BatchError
from pilotfunnel.manifest import Entry, Inputs, Manifest

from .conftest import ROOT

AS_OF = "2026-11-25"


@pytest.fixture
def project(project_copy):
    """A project copy with the brief notebook, and an output folder inside it."""
    (project_copy / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / paths.BRIEF_NOTEBOOK, project_copy / "notebooks")
    (project_copy / "out").mkdir()
    return project_copy


def _entry(out_dir, inputs: Inputs, sources=("idc-2025-poc-to-production",)) -> Entry:
    (out_dir / "acme.html").write_text("<html>", encoding="utf-8")
    return Entry(
        scenario="acme.yaml",
        scenario_sha256="abc",
        as_of=AS_OF,
        options={"draws": None, "seed": None},
        inputs=dict(inputs.shared),
        sources={s: inputs.source_rows[s] for s in sources},
        outputs={"html": {"path": "acme.html", "sha256": manifest.sha256_bytes(b"<html>")}},
    )


def _reasons(m: Manifest, inputs: Inputs, **changes) -> list[str]:
    args = {
        "scenario_sha256": "abc",
        "as_of": AS_OF,
        "options": {"draws": None, "seed": None},
        "formats": ("html",),
    }
    return m.stale_reasons("acme", **{**args, **changes}, inputs=inputs)


def test_an_entry_is_up_to_date_until_something_it_was_built_from_changes(project):
    tmp_path = project / "out"
    inputs = Inputs.current()
    m = Manifest(tmp_path)
    assert _reasons(m, inputs) == ["never built here"]
    m.entries["acme"] = _entry(tmp_path, inputs)
    assert _reasons(m, inputs) == []
    assert _reasons(m, inputs, formats=("html", "pdf", "pptx")) == ["no pdf or pptx built yet"]
    assert _reasons(m, inputs, scenario_sha256="def") == ["the scenario file changed"]
    assert "the brief date changed" in _reasons(m, inputs, as_of="2026-12-01")[0]
    (tmp_path / "acme.html").write_text("edited", encoding="utf-8")
    assert _reasons(m, inputs) == ["acme.html was modified"]
    (tmp_path / "acme.html").unlink()
    assert _reasons(m, inputs) == ["acme.html is missing (html)"]


def test_a_source_row_change_reaches_only_the_briefs_citing_it(project):
    tmp_path, project_copy = project / "out", project
    csv_path = project_copy / "data" / "sources.csv"
    before = Inputs.current()
    citing = Manifest(tmp_path)
    citing.entries["acme"] = _entry(tmp_path, before, sources=("rand-2024-ai-projects-fail",))
    other = Manifest(tmp_path)
    other.entries["acme"] = _entry(tmp_path, before, sources=("idc-2025-poc-to-production",))
    text = csv_path.read_text("utf-8")
    csv_path.write_text(text.replace("80%", "81%", 1), encoding="utf-8")
    after = Inputs.current()
    assert after.shared == before.shared  # same rows in the same order
    changed = [s for s in before.source_rows if before.source_rows[s] != after.source_rows[s]]
    assert changed == ["rand-2024-ai-projects-fail"]
    assert _reasons(citing, after) == ["cited source row(s) changed: rand-2024-ai-projects-fail"]
    assert _reasons(other, after) == []


def test_brand_template_and_row_order_changes_reach_every_brief(project):
    tmp_path, project_copy = project / "out", project
    before = Inputs.current()
    m = Manifest(tmp_path)
    m.entries["acme"] = _entry(tmp_path, before)
    (project_copy / "data" / "brand" / "brand.yml").write_text(
        (project_copy / "data" / "brand" / "brand.yml").read_text("utf-8") + "\n# edited\n",
        encoding="utf-8",
    )
    assert _reasons(m, Inputs.current()) == ["the brand folder changed"]
    csv_path = project_copy / "data" / "sources.csv"
    header, *rows = csv_path.read_text("utf-8").splitlines(keepends=True)
    csv_path.write_text(header + "".join(reversed(rows)), encoding="utf-8")
    assert manifest.SHARED_LABELS["sources_table"] in _reasons(m, Inputs.current())
    m.entries["acme"].inputs["version"] = "0.0.1"
    assert manifest.SHARED_LABELS["version"] in _reasons(m, Inputs.current())


def test_manifest_round_trips_and_a_corrupt_one_means_rebuild(tmp_path):
    inputs = Inputs.current()
    m = Manifest(tmp_path)
    m.entries["acme"] = _entry(tmp_path, inputs)
    m.save()
    data = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert data["format"] == 1 and "acme" in data["briefs"]
    assert Manifest.load(tmp_path).entries["acme"] == m.entries["acme"]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    (tmp_path / "manifest.json").write_text("{half a manif", encoding="utf-8")
    assert Manifest.load(tmp_path).entries == {}


def test_a_second_run_on_the_same_folder_is_refused(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from pilotfunnel.manifest import locked\n"
            "with locked(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with (
            pytest.raises(BatchError, match=rf"pid {holder.pid}\) is writing to"),
            manifest.locked(tmp_path),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()
    with manifest.locked(tmp_path):  # released when its holder ends, even by a kill
        pass


def test_now_is_utc_to_the_second():
    stamp = dt.datetime.fromisoformat(manifest.now_iso())
    assert stamp.utcoffset() == dt.timedelta(0) and stamp.microsecond == 0
