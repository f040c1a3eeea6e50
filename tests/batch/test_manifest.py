"""The manifest: what a brief was built from, why it is out of date, the output folder's lock."""

import csv
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilotfunnel.batch import fingerprint, lock, manifest, manifest_form
from pilotfunnel.batch.fingerprint import Inputs
from pilotfunnel.batch.manifest import Entry, Manifest
from pilotfunnel.core import paths
from pilotfunnel.core.errors import BatchError, InputError

from ..conftest import FIXTURES, ROOT

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
        outputs={"html": {"path": "acme.html", "sha256": fingerprint.sha256_bytes(b"<html>")}},
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
            "import sys, time; from pathlib import Path\n"
            "from pilotfunnel.batch.lock import locked\n"
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
            lock.locked(tmp_path),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()
    with lock.locked(tmp_path):  # released when its holder ends, even by a kill
        pass


def test_now_is_utc_to_the_second():
    stamp = dt.datetime.fromisoformat(manifest.now_iso())
    assert stamp.utcoffset() == dt.timedelta(0) and stamp.microsecond == 0


# --- a manifest is read by type and form ----------------------------------------------------
HOSTILE = FIXTURES / "hostile" / "manifest"
INVALID = sorted(p.name for p in HOSTILE.iterdir() if p.name != "valid.json")


@pytest.mark.parametrize("name", INVALID)
def test_a_hostile_manifest_is_named_in_one_line_and_never_trusted(tmp_path, name):
    shutil.copy(HOSTILE / name, tmp_path / manifest.MANIFEST)
    lenient = Manifest.load(tmp_path)
    assert lenient.entries == {} and lenient.table == {} and lenient.rows == {}
    message = str(lenient.invalid)
    assert message.startswith(f"{tmp_path / manifest.MANIFEST}: ")
    assert "\n" not in message and len(message) < 300
    assert "rm -rf" not in message  # a value is named by its key, not shown whole
    with pytest.raises(InputError) as raised:
        Manifest.load(tmp_path, strict=True)
    assert str(raised.value) == message


def test_each_class_of_hostile_manifest_says_what_is_wrong(tmp_path):
    said = {}
    for name in INVALID:
        shutil.copy(HOSTILE / name, tmp_path / manifest.MANIFEST)
        said[name] = str(Manifest.load(tmp_path).invalid).split(": ", 1)[1]
    assert said["truncated.json"].startswith("is not a pilotfunnel manifest (not valid JSON")
    assert "written by another tool" in said["foreign.json"]
    assert "field 'format' is 2; this version reads 1" in said["newer_format.json"]
    assert "'../../../../dev/zero', not a file name" in said["output_path_escape.json"]
    assert ".sha256' is a number (5), not text" in said["wrong_type.json"]
    assert "field 'briefs' is a list, not a mapping" in said["briefs_a_list.json"]
    assert ".seconds' is nan, out of range" in said["not_finite.json"]
    assert "has unknown key 'run_this'" in said["unknown_entry_key.json"]


def test_the_valid_fixture_loads_and_a_missing_manifest_is_no_problem(tmp_path):
    assert Manifest.load(tmp_path, strict=True).invalid is None
    shutil.copy(HOSTILE / "valid.json", tmp_path / manifest.MANIFEST)
    loaded = Manifest.load(tmp_path, strict=True)
    assert loaded.invalid is None and loaded.root == "/srv/project"
    assert loaded.entries["/srv/project/data/clients/acme.yaml"].client == "Acme"


def test_a_manifest_that_is_a_fifo_or_too_large_is_not_read(tmp_path, monkeypatch):
    os.mkfifo(tmp_path / manifest.MANIFEST)  # read, it would block the batch for ever
    assert "is a FIFO (named pipe), not a manifest" in str(Manifest.load(tmp_path).invalid)
    (tmp_path / manifest.MANIFEST).unlink()
    shutil.copy(HOSTILE / "valid.json", tmp_path / manifest.MANIFEST)
    monkeypatch.setattr(manifest_form, "MAX_MANIFEST_BYTES", 100)
    assert "is larger than" in str(Manifest.load(tmp_path).invalid)


def test_an_output_that_became_a_fifo_is_out_of_date_without_being_read(tmp_path):
    inputs = Inputs({}, {})
    m = Manifest(tmp_path)
    m.entries["acme"] = Entry(
        "acme.yaml",
        "abc",
        AS_OF,
        {"draws": None, "seed": None},
        {},
        {},
        {"html": {"path": "acme.html", "sha256": "0" * 64}},
    )
    os.mkfifo(tmp_path / "acme.html")
    reasons = m.stale_reasons(
        "acme", "abc", AS_OF, {"draws": None, "seed": None}, inputs, ("html",)
    )
    assert reasons == ["acme.html is a FIFO (named pipe), not the brief (html)"]


def test_the_lock_is_never_a_fifo_nor_a_link(tmp_path):
    os.mkfifo(tmp_path / lock.LOCK)
    fifo = pytest.raises(InputError, match=r"is a FIFO \(named pipe\); the batch's lock file")
    with fifo, lock.locked(tmp_path):
        pass
    (tmp_path / lock.LOCK).unlink()
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    (tmp_path / lock.LOCK).symlink_to(precious)
    link = pytest.raises(InputError, match="is a symlink; the batch's lock file")
    with link, lock.locked(tmp_path):
        pass
    assert precious.read_text("utf-8") == "keep me"


# Generated: any value at any place of a real manifest gives a manifest whose entries can be
# used as they are, or one named invalid; never another exception.
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def _places(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*path, key))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_generated_manifests_load_as_usable_or_named_invalid(tmp_path, data):
    document = json.loads((HOSTILE / "valid.json").read_text("utf-8"))
    place = data.draw(st.sampled_from(list(_places(document))))
    replacement = data.draw(JSON)
    if place:
        holder = document
        for key in place[:-1]:
            holder = holder[key]
        if data.draw(st.booleans()):
            holder[place[-1]] = replacement
        else:
            del holder[place[-1]]
    else:
        document = replacement
    (tmp_path / manifest.MANIFEST).write_text(json.dumps(document), encoding="utf-8")
    loaded = Manifest.load(tmp_path)
    if loaded.invalid is not None:
        assert loaded.entries == {} and "\n" not in str(loaded.invalid)
        return
    options = {"draws": None, "seed": None}
    for key in loaded.entries:  # everything a batch does with an entry works
        loaded.stale_reasons(key, "abc", AS_OF, options, Inputs({}, {}), ("pdf",))
        loaded.scenario_path(key)
    loaded.save()
    assert Manifest.load(tmp_path).entries == loaded.entries


def test_a_source_rows_hash_is_of_its_cells_as_written_whatever_excel_saved(tmp_path):
    """The hashes in every manifest already written: changing them would make every brief
    stale. A row's hash is of its cells as csv reads them, joined by the unit separator."""
    valid = (FIXTURES / "sources" / "valid.csv").read_bytes()
    cells = list(csv.reader(io.StringIO(valid.decode("utf-8"), newline="")))
    expected = {
        row[0]: hashlib.sha256("\x1f".join(row).encode("utf-8")).hexdigest() for row in cells[1:]
    }
    for saved in (valid, b"\xef\xbb\xbf" + valid.replace(b"\n", b"\r\n")):
        path = tmp_path / "sources.csv"
        path.write_bytes(saved)
        rows = fingerprint.source_rows(path)
        assert rows.hashes == expected
        assert list(rows.cells) == list(expected)
        assert rows.cells[cells[1][0]]["evidence"] == cells[1][cells[0].index("evidence")]


def test_the_form_check_knows_every_field_of_an_entry():
    assert set(Entry.__dataclass_fields__) == manifest_form.ENTRY_FIELDS


def test_an_analysts_note_alone_leaves_a_row_and_so_its_briefs_as_they_were(tmp_path):
    # The analyst's working notes are shown in the review only: no brief changes with them.
    valid = (FIXTURES / "sources" / "valid.csv").read_text("utf-8")
    header, *rows = valid.splitlines()
    first = rows[0].split(",")[0]
    path = tmp_path / "sources.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    without = fingerprint.source_rows(path)

    def with_notes(note: str) -> fingerprint.SourceRows:
        lines = [header + ",analyst_notes"]
        for row in rows:
            lines.append(row + f",{note}" if row.startswith(first) else row + ",")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return fingerprint.source_rows(path)

    assert with_notes("traced via a summary").hashes == without.hashes
    assert with_notes("another note").hashes == without.hashes
    assert with_notes("another note").cells[first]["analyst_notes"] == "another note"
    edited = tmp_path / "edited.csv"
    edited.write_text(valid.replace(rows[0], rows[0] + " (edited)", 1), encoding="utf-8")
    assert fingerprint.source_rows(edited).hashes[first] != without.hashes[first]
