"""What an executed brief recorded, and its deck rebuilt from it (export/recorded.py): the
scenario the brief carries, checked by its digest; the recorded date, draws and seed, each checked
before the model runs; every refusal one line."""

import contextlib
import datetime as dt
import json
from pathlib import Path

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotfunnel.core.errors import InputError, PilotfunnelError, ScenarioError
from pilotfunnel.export import recorded
from pilotfunnel.export.nbconvert.exporters import BriefDeckExporter
from pilotfunnel.export.pipeline import KernelRunner, execute
from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.scenario import load_scenario
from pilotfunnel.views import brief, deck
from pilotfunnel.views.brief import METADATA_MIMETYPE, scenario_digest

from ..conftest import ROOT

DEMO = ROOT / "data" / "clients" / "demo.yaml"
NO_RECORD = ROOT / "data" / "clients" / "fernhill-foods.yaml"


# --- what the deck is built from ----------------------------------------------------------
@pytest.fixture(scope="module")
def executed_brief(tmp_path_factory):
    """The brief notebook for the demo client, run in a kernel and saved, as a consultant
    leaves it in JupyterLab."""
    project = Project.load(ROOT)
    executed = execute(
        project, load_scenario(DEMO), dt.date(2026, 11, 25), KernelRunner(), draws=2000
    )
    path = tmp_path_factory.mktemp("brief") / "03-client-brief.ipynb"
    nbformat.write(executed, path)
    return path


def export_deck(notebook) -> bytes:
    """nbconvert's own exporter class, as JupyterLab's menu and `jupyter nbconvert` run it."""
    exporter = BriefDeckExporter(project=Project.load(ROOT))
    if isinstance(notebook, Path):
        body, _ = exporter.from_filename(str(notebook))
    else:
        body, _ = exporter.from_notebook_node(nbformat.from_dict(notebook))
    return body


def with_metadata(path: Path, **changes) -> dict:
    """The saved brief notebook with its brief output's metadata changed (None removes)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    (meta,) = [
        output["data"][METADATA_MIMETYPE]
        for cell in nb["cells"]
        for output in cell.get("outputs", [])
        if METADATA_MIMETYPE in output.get("data", {})
    ]
    for key, value in changes.items():
        if value is None:
            meta.pop(key, None)
        else:
            meta[key] = value
    return nb


def test_the_deck_exporter_builds_from_the_scenario_the_brief_carries(executed_brief):
    ctx = brief.prepare(Project.load(ROOT), DEMO, "2026-11-25", 2000)
    assert export_deck(executed_brief) == deck.build_deck(ctx)


def test_a_brief_naming_another_clients_file_is_refused_alike_whatever_the_file(
    executed_brief, tmp_path
):
    # The first serious case: a notebook's brief output named a scenario path, and the deck
    # was built from it, wherever it pointed; a missing path and a non-YAML path gave
    # different errors. Now a path is never opened, and every refusal reads the same.
    other = load_scenario(NO_RECORD)
    digest = scenario_digest(other.to_dict())  # the attacker knows even the digest
    (tmp_path / "notes.txt").write_text("not YAML: {[")
    messages = set()
    for named in (
        str(NO_RECORD),  # another client's file, by absolute path
        "../data/clients/fernhill-foods.yaml",  # the same, relative to the notebook
        str(tmp_path / "missing.yaml"),  # a file that does not exist
        str(tmp_path / "notes.txt"),  # a file that is not YAML
        "missing.yaml",  # a file name the clients folder does not have
        "fernhill-foods.yaml\x00",  # not a plain file name
    ):
        with pytest.raises(ScenarioError) as caught:
            export_deck(with_metadata(executed_brief, scenario=named, scenario_sha256=digest))
        messages.add(str(caught.value))
    (message,) = messages  # one message for all: nothing tells which files exist
    assert "\n" not in message and len(message) < 400
    assert message.startswith("the brief notebook: field 'scenario': is refused")
    assert other.client not in message and "notes" not in message


def test_a_scenario_of_the_clients_folder_is_named_by_file_name_and_digest(executed_brief):
    digest = scenario_digest(load_scenario(NO_RECORD).to_dict())
    named = with_metadata(executed_brief, scenario=NO_RECORD.name, scenario_sha256=digest)
    ctx = brief.prepare(Project.load(ROOT), NO_RECORD, "2026-11-25", 2000)
    assert export_deck(named) == deck.build_deck(ctx)
    wrong = with_metadata(executed_brief, scenario=NO_RECORD.name, scenario_sha256="0" * 64)
    with pytest.raises(ScenarioError, match="field 'scenario': is refused"):
        export_deck(wrong)


@pytest.mark.parametrize(
    "changes",
    [
        {"scenario_sha256": None},  # no digest
        {"scenario_sha256": "abc"},  # not a digest
        {"scenario_sha256": "0" * 64},  # another digest
        {"scenario": {"client": "Edited after the brief ran"}},  # content without its digest
        {"scenario": ["not", "a", "mapping"]},
    ],
)
def test_a_carried_scenario_without_its_digest_is_refused(executed_brief, changes):
    with pytest.raises(ScenarioError, match="field 'scenario': is refused"):
        export_deck(with_metadata(executed_brief, **changes))


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("draws", 10**12, "1 to 1,000,000"),
        ("draws", "2000", "1 to 1,000,000"),
        ("seed", -1, "0 to 2**63 - 1"),
        ("seed", True, "0 to 2**63 - 1"),
        ("date", "2026-02-30", "YYYY-MM-DD"),
        ("date", ["2026-11-25"], "YYYY-MM-DD"),
    ],
)
def test_the_recorded_run_is_checked_before_the_model_runs(executed_brief, field, value, says):
    with pytest.raises(InputError) as caught:
        export_deck(with_metadata(executed_brief, **{field: value}))
    (line,) = str(caught.value).splitlines()
    assert f"the brief notebook: field '{field}'" in line and says in line


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=30),
        st.sampled_from(["../data/clients/demo.yaml", "/etc/passwd", "demo.yaml", "~/x.yml"]),
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=40, deadline=None)
@given(
    scenario=JSON_VALUES,
    digest=st.one_of(st.none(), st.just("computed"), st.text(max_size=70)),
    run=st.fixed_dictionaries(
        {}, optional={"date": JSON_VALUES, "draws": JSON_VALUES, "seed": JSON_VALUES}
    ),
)
def test_generated_brief_metadata_is_refused_in_one_line(project, scenario, digest, run):
    meta = {"scenario": scenario, "date": "2026-11-25", "draws": 500, "seed": 1, **run}
    if digest == "computed":
        with contextlib.suppress(TypeError, ValueError):  # no digest for what JSON cannot hold
            meta["scenario_sha256"] = scenario_digest(scenario)
    elif digest is not None:
        meta["scenario_sha256"] = digest
    output = nbformat.v4.new_output("display_data", data={METADATA_MIMETYPE: meta})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[output])])
    with pytest.raises(PilotfunnelError) as caught:
        recorded.deck_from_brief(project, nb)
    for line in str(caught.value).splitlines():
        assert len(line) < 400


def _as_javascript_saves_it(value):
    """What JupyterLab's JavaScript writes back for a kernel's JSON: one number type, so a
    whole float (150000.0) comes back as an int (150000)."""
    if isinstance(value, dict):
        return {k: _as_javascript_saves_it(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_javascript_saves_it(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def test_a_brief_saved_by_jupyterlab_still_makes_its_deck():
    # Seen in the lab test: the brief run and saved in JupyterLab had its whole floats written
    # as ints, so its digest no longer matched and the menu's deck was refused.
    ctx = brief.prepare(Project.load(ROOT), DEMO, "2026-11-25", 2000)
    meta = brief.brief_metadata(ctx)
    saved = _as_javascript_saves_it(meta)
    assert json.dumps(saved["scenario"]) != json.dumps(meta["scenario"])  # "150000.0" -> "150000"
    assert recorded.recorded_scenario(Project.load(ROOT), saved) == ctx.scenario


def test_a_brief_saved_before_the_package_moved_is_still_read_as_a_brief():
    # The media type is in every executed brief a consultant has saved; renaming it (as the
    # move to subpackages once did) would make those notebooks no briefs at all.
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    saved = {"scenario": {"client": "Acme"}, "as_of": "2026-11-25"}
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"application/vnd.pilotfunnel.brief+json": saved}
        )
    ]
    nb.cells.append(cell)
    assert recorded.find_brief_metadata(nb) == saved
    cell.outputs[0]["data"] = {"application/vnd.pilotfunnel.views.brief+json": saved}
    assert recorded.find_brief_metadata(nb) == {}
