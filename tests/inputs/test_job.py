"""Job files (data/jobs/*.yaml): the shipped demo loads, each failure mode is one located line,
a scenario link cannot leave data/clients, and generated hostile values never escape."""

import dataclasses
import datetime as dt
import math
import os

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pilotfunnel.core.errors import InputError, JobError, display_path
from pilotfunnel.core.text import text_problem
from pilotfunnel.inputs.job import ANSWERS, find_jobs, job_from_dict, load_job, save_job
from pilotfunnel.inputs.rubric import load_rubric

from ..conftest import FIXTURES, ROOT, assert_one_line_error
from .test_hostile_inputs import (
    SETTINGS,
    YAML_FRAGMENTS,
    _strings,
    assert_one_line_each,
    characters,
    mutated,
)

JOBS = FIXTURES / "jobs"
SCENARIOS = FIXTURES / "scenarios"
RUBRIC = load_rubric(ROOT / "data" / "rubric.yaml")


def load(name: str):
    return load_job(JOBS / f"{name}.yaml", RUBRIC, SCENARIOS)


@pytest.mark.parametrize("path", find_jobs(ROOT / "data" / "jobs"))
def test_shipped_jobs_load_with_every_question_answered(path):
    job = load_job(path, RUBRIC, ROOT / "data" / "clients")
    assert job.job and job.number is not None and job.owner
    assert all(a.given for a in job.answers.values())  # a demo leaves nothing unknown by default
    assert job.scenario is not None and job.scenario.client == job.client


def test_a_demo_job_ships_for_the_demo_client():
    paths = find_jobs(ROOT / "data" / "jobs")
    assert [p.name for p in paths] == ["demo-claims-triage.yaml"]
    job = load_job(paths[0], RUBRIC, ROOT / "data" / "clients")
    assert job.scenario_path == (ROOT / "data" / "clients" / "demo.yaml").resolve()


def test_the_valid_fixture_reads_every_field():
    job = load("valid")
    assert job.client == "Northwind Logistics" and job.currency == "USD"
    assert job.number.yearly_value == 35 * 25_000 and job.number.improvement == 35
    assert job.number.by == dt.date(2027, 9, 30)
    assert (job.cost_poc, job.cost_to_production) == (90_000.0, 350_000.0)  # 90k, $350,000
    assert job.systems[0].name == "Claims portal" and job.systems[0].integrated is False
    assert job.data[0].state == "scanned PDFs before 2023"
    assert job.volume.cases == 180 and job.volume.per == "day"
    assert job.sourcing == "partner" and job.owner == "Dana Whitfield"
    # Every question has an answer; what the file leaves out is unknown, and scores as no.
    assert list(job.answers) == [q.id for q in RUBRIC.questions]
    assert job.answers["outcome-metric"].answer == "yes"  # YAML's bare yes is true: read back
    assert job.answers["data-quality"].answer == "no" and job.answers["data-quality"].given
    assert job.answers["volume-audit"].answer == "unknown"
    assert not job.answers["ownership-run"].given
    assert job.answers["ownership-run"].answer == "unknown"
    assert job.scores()["outcome"] == 1  # one yes of four: 4 x 1/4


def test_no_number_and_no_owner_load_and_say_so():
    assert load("no_number").number is None
    assert load("no_owner").owner is None


@pytest.mark.parametrize(
    ("name", "starts", "says"),
    [
        ("a_list", "", "must be a YAML mapping"),
        ("answer_not_allowed", "question 'data-quality'", "one of yes, partly, no, unknown"),
        ("answer_unknown_key", "question 'outcome-metric'", "(got 'source')"),
        ("empty", "", "is empty"),
        ("evidence_control_char", "question 'outcome-metric'", "U+001B"),
        ("missing_job", "field 'job'", "the job in one sentence"),
        ("money_unknown_suffix", "field 'costs.poc'", "(billion) (got '90x')"),
        ("money_wrong_currency", "field 'costs.poc'", "currency is USD"),
        ("not_yaml", "line 2", "is not valid YAML"),
        ("number_bad_date", "field 'number.by'", "(got 'next spring')"),
        ("number_both_values", "field 'number'", "exactly one of yearly_value_per_unit"),
        ("number_no_value", "field 'number'", "exactly one of yearly_value_per_unit"),
        ("number_not_a_mapping", "field 'number'", "(got 42)"),
        ("number_target_is_baseline", "field 'number.target'", "equals the baseline"),
        ("number_value_too_large", "field 'number.yearly_value_per_unit'", "(got '900bn')"),
        ("owner_missing", "field 'owner'", "or write none"),
        ("poc_free", "field 'costs.poc'", "must be at least 1"),
        ("scenario_absolute", "field 'scenario'", "is an absolute path"),
        ("scenario_not_yaml", "field 'scenario'", "(got '../scenarios/notes.txt')"),
        ("scenario_outside", "field 'scenario'", "leads outside the project's data/clients"),
        ("sourcing_not_allowed", "field 'sourcing'", "built, bought, partner (got 'outsourced')"),
        ("system_integrated_not_bool", "field 'systems[0].integrated'", "true or false"),
        ("too_many_systems", "field 'systems'", "at most 30 (got 31)"),
        ("volume_bad_period", "field 'volume.per'", "day, week, month, year (got 'shift')"),
        ("yes_without_evidence", "question 'data-quality'", "is yes without its evidence"),
    ],
)
def test_each_failure_is_one_line_naming_the_file_the_place_and_the_value(name, starts, says):
    with pytest.raises(JobError) as caught:
        load(name)
    file = display_path(JOBS / f"{name}.yaml")
    assert_one_line_error(caught.value, f"{file}: {starts}" if starts else file, says)


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("unknown_key", ["field 'jobb': is not a known key; did you mean 'job'?"]),
        ("unknown_question", ["'answers.outcome-metrik': is not a known key; did you mean"]),
        (
            "currency_differs",
            ["field 'currency': differs from the linked scenario's (USD)", "(got 'EUR')"],
        ),
        # A linked scenario's own problems name the scenario's file, not the job's.
        ("scenario_invalid", ["scenarios/readiness_5.yaml: field 'readiness.as_is.data'"]),
        ("scenario_missing", ["scenarios/no_such_client.yaml: does not exist"]),
    ],
)
def test_a_failure_in_several_parts_names_each(name, lines):
    with pytest.raises(JobError) as caught:
        load(name)
    for line in lines:
        assert line in str(caught.value)
    assert all(len(line) < 400 for line in str(caught.value).splitlines())


def test_every_fixture_is_tested():
    cases = set()
    for test in (
        test_each_failure_is_one_line_naming_the_file_the_place_and_the_value,
        test_a_failure_in_several_parts_names_each,
    ):
        cases |= {case[0] for case in test.pytestmark[0].args[1]}
    assert {p.stem for p in JOBS.glob("*.yaml")} == cases | {"valid", "no_number", "no_owner"}


# --- the scenario link stays inside data/clients ------------------------------------------------
def _project(tmp_path):
    clients = tmp_path / "data" / "clients"
    jobs = tmp_path / "data" / "jobs"
    clients.mkdir(parents=True)
    jobs.mkdir()
    (clients / "acme.yaml").write_bytes((SCENARIOS / "valid.yaml").read_bytes())
    outside = tmp_path / "elsewhere.yaml"
    outside.write_bytes((SCENARIOS / "valid.yaml").read_bytes())
    return clients, jobs, outside


def _job_linking(jobs, link: str):
    data = yaml.safe_load((JOBS / "valid.yaml").read_text())
    data["scenario"] = link
    path = jobs / "job.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_a_link_inside_the_clients_folder_loads(tmp_path):
    clients, jobs, _ = _project(tmp_path)
    job = load_job(_job_linking(jobs, "../clients/acme.yaml"), RUBRIC, clients)
    assert job.scenario_path == (clients / "acme.yaml").resolve()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_a_symlink_in_the_clients_folder_that_points_outside_is_refused(tmp_path):
    clients, jobs, outside = _project(tmp_path)
    (clients / "sneaky.yaml").symlink_to(outside)
    with pytest.raises(JobError) as caught:
        load_job(_job_linking(jobs, "../clients/sneaky.yaml"), RUBRIC, clients)
    assert "leads outside the project's data/clients folder" in str(caught.value)


def test_dot_dot_out_of_the_clients_folder_is_refused(tmp_path):
    clients, jobs, _ = _project(tmp_path)
    with pytest.raises(JobError, match="leads outside"):
        load_job(_job_linking(jobs, "../clients/../../elsewhere.yaml"), RUBRIC, clients)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_a_symlink_loop_is_one_line(tmp_path):
    clients, jobs, _ = _project(tmp_path)
    (clients / "loop.yaml").symlink_to(clients / "loop.yaml")
    with pytest.raises(InputError) as caught:
        load_job(_job_linking(jobs, "../clients/loop.yaml"), RUBRIC, clients)
    assert len(str(caught.value).splitlines()) == 1


# --- generated hostile values --------------------------------------------------------------------
VALID_JOB = yaml.safe_load((JOBS / "valid.yaml").read_text())
VALID_JOB.pop("scenario")  # no file system in the generated cases: the link is tested above


def _assert_representable(job) -> None:
    assert text_problem(job.job, 300) is None and text_problem(job.client, 120) is None
    for amount in (job.cost_poc, job.cost_to_production):
        assert math.isfinite(amount) and 0 <= amount <= 1e12
    if job.number is not None:
        assert math.isfinite(job.number.yearly_value) and 0 <= job.number.yearly_value <= 1e12
        assert job.number.baseline != job.number.target
    assert set(job.answers) == {q.id for q in RUBRIC.questions}
    for item in job.answers.values():
        assert item.answer in ANSWERS and text_problem(item.evidence, 300) is None
    assert all(0 <= s <= 4 for s in job.scores().values())


@SETTINGS
@given(data=mutated(VALID_JOB))
def test_generated_job_mappings_load_or_fail_in_one_line(data):
    try:
        job = job_from_dict(data, RUBRIC, "hostile.yaml")
    except JobError as error:
        assert_one_line_each(error, JobError, _strings(data))
    else:
        _assert_representable(job)


# --- saving (the notebook's form saves the job file, asking before overwriting) ------------------
@pytest.mark.parametrize("name", ["valid", "no_number", "no_owner"])
def test_save_then_load_gives_the_same_job(tmp_path, name):
    original = load(name)
    path = save_job(original, tmp_path / "job.yaml")
    again = load_job(path, RUBRIC, SCENARIOS)
    assert again == original
    assert again.answers["ownership-run"].given is False  # unanswered stays unanswered
    assert again.scenario_path == original.scenario_path  # the link, relative to tmp_path


def test_the_demo_job_saved_in_its_folder_keeps_its_link_and_writes_numbers(tmp_path):
    clients, jobs = tmp_path / "data" / "clients", tmp_path / "data" / "jobs"
    clients.mkdir(parents=True)
    jobs.mkdir()
    (clients / "demo.yaml").write_bytes((ROOT / "data" / "clients" / "demo.yaml").read_bytes())
    source = ROOT / "data" / "jobs" / "demo-claims-triage.yaml"
    (jobs / "demo.yaml").write_bytes(source.read_bytes())
    demo = load_job(jobs / "demo.yaml", RUBRIC, clients)
    written = yaml.safe_load(save_job(demo, jobs / "copy.yaml").read_text())
    assert written["scenario"] == "../clients/demo.yaml"
    assert written["costs"] == {"poc": 90_000.0, "to_production": 350_000.0}  # numbers, not 90k
    assert load_job(jobs / "copy.yaml", RUBRIC, clients) == demo


def test_save_never_overwrites_without_being_told(tmp_path):
    job = load("valid")
    path = save_job(job, tmp_path / "job.yaml")
    before = path.read_bytes()
    with pytest.raises(JobError, match="already exists"):
        save_job(dataclasses.replace(job, owner=None), path)
    assert path.read_bytes() == before
    save_job(dataclasses.replace(job, owner=None), path, overwrite=True)
    assert load_job(path, RUBRIC, SCENARIOS).owner is None
    assert [p.name for p in tmp_path.iterdir()] == ["job.yaml"]  # no temporary file left


@st.composite
def job_yaml(draw) -> str:
    """A job file's text: the valid one dumped, a line or two swapped for YAML a loader must
    survive (aliases, tags, deep nesting, long numbers, impossible dates)."""
    data = draw(mutated(VALID_JOB))
    try:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, ValueError):  # a key PyYAML cannot write, an int past str()
        text = yaml.safe_dump(VALID_JOB, sort_keys=False)
    lines = text.splitlines()
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(lines) - 1))
        fragment = draw(
            st.one_of(st.sampled_from(YAML_FRAGMENTS), st.text(characters, max_size=30))
        )
        key = lines[at].split(":")[0] if ":" in lines[at] else "job"
        lines[at] = f"{key}: {fragment}" if draw(st.booleans()) else fragment
    return "\n".join(lines) + "\n"


@SETTINGS
@given(text=job_yaml())
def test_generated_job_files_load_or_fail_in_one_line(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("jobs") / "hostile.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        job = load_job(path, RUBRIC, SCENARIOS)
    except JobError as error:
        assert_one_line_each(error, JobError, [text])
    else:
        _assert_representable(job)
