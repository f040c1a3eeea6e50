"""`pilotfunnel assess JOB.yaml [--json]`: one job's assessment on the command line, as a user
runs it (a subprocess), and in-process through ``cli.main`` where many cases are checked."""

import dataclasses
import json
import re

import pytest

from pilotfunnel.inputs.job import load_job
from pilotfunnel.inputs.rubric import load_rubric
from pilotfunnel.model.assess import assess_job
from pilotfunnel.ui import cli
from pilotfunnel.views import assessment
from pilotfunnel.views.messages import assess as words

from ..conftest import FIXTURES, ROOT, run_pilotfunnel
from .test_newproject import outside_env

DEMO = "data/jobs/demo-claims-triage.yaml"
DRAWS = "2000"


@pytest.fixture(scope="module")
def demo_text():
    done = run_pilotfunnel("assess", DEMO, "--draws", DRAWS, cwd=ROOT, timeout=180)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


@pytest.fixture(scope="module")
def demo_assessment(project):
    rubric = load_rubric(ROOT / "data" / "rubric.yaml")
    job = load_job(ROOT / DEMO, rubric, ROOT / "data" / "clients")
    return assess_job(job, project, draws=int(DRAWS))


def test_the_demo_jobs_text_shows_its_verdict_and_what_it_takes(demo_text, demo_assessment):
    lines = demo_text.splitlines()
    assert lines[0] == "Job assessment: Northwind Logistics"
    assert lines[1].startswith("The job: Sort incoming freight damage claims")
    assert "from 35 to 70 % of claims by 30 September 2027" in lines[2]
    assert "Chance of reaching production: " in demo_text
    chance = r"Chance of measurable impact: \d+% \(P10 to P90: [\d.]+% to \d+%\)"
    assert re.search(chance, demo_text)
    # Fix first, naming the blocking answers in the order the model chose them.
    verdict = next(line for line in lines if line.startswith("Verdict: "))
    assert verdict.startswith("Verdict: fix first. Before starting: change to yes ")
    named = re.findall(r"([a-z]+-[a-z]+) \(", verdict)
    assert tuple(named) == demo_assessment.blocking
    # Each driver's score with the evidence behind it.
    assert "Data ready: 2" in lines
    assert "  data-available — the claims history before 2023 is scanned PDFs (partly)" in lines
    assert "  data-pipeline — no evidence recorded (no)" in lines
    assert "  ownership-run — no evidence recorded (unknown, scored as no)" in lines
    # What it takes: one line per answer that raises the chance, with the new chance.
    start = lines.index(next(line for line in lines if line.startswith("What it takes: ")))
    takes = lines[start + 1 : start + 1 + len(demo_assessment.what_it_takes)]
    for line, change in zip(takes, demo_assessment.what_it_takes, strict=True):
        assert line.startswith(f"  {change.question} (")
        assert re.search(r"\): \d+%, \+\d+ points; ", line)
    assert lines[start + 1 + len(takes)] == ""
    # Value and cost.
    assert "Value and cost over 3 years, in present value" in lines
    assert "expected net value " in demo_text and "Return on spend " in demo_text


def test_the_text_is_the_view_models_and_every_sentence_the_catalogues(
    demo_text, demo_assessment, project
):
    view = assessment.build(demo_assessment, project.assumptions)
    assert demo_text == view.text() + "\n"
    assert words.DRIVERS_HEADING in demo_text


def test_json_equals_the_librarys_assessment_and_the_same_seed_gives_the_same_bytes(project):
    args = ("assess", DEMO, "--json", "--seed", "5", "--draws", DRAWS)
    done = run_pilotfunnel(*args, cwd=ROOT, timeout=180)
    assert done.returncode == 0, done.stderr
    rubric = load_rubric(ROOT / "data" / "rubric.yaml")
    job = load_job(ROOT / DEMO, rubric, ROOT / "data" / "clients")
    expected = assess_job(job, project, draws=int(DRAWS), seed=5).to_dict()
    assert json.loads(done.stdout) == json.loads(json.dumps(expected))
    again = run_pilotfunnel(*args, cwd=ROOT, timeout=180)
    assert again.stdout == done.stdout


def test_a_bad_job_file_exits_2_with_one_line_and_no_traceback():
    done = run_pilotfunnel("assess", FIXTURES / "jobs" / "not_yaml.yaml", cwd=ROOT, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: ") and "not_yaml.yaml" in done.stderr


@pytest.mark.parametrize(
    "fixture, where",
    [
        ("empty.yaml", "is empty"),
        ("a_list.yaml", "must be a YAML mapping"),
        ("answer_not_allowed.yaml", "question 'data-quality'"),
        ("unknown_question.yaml", "answers"),
        ("number_bad_date.yaml", "number.by"),
    ],
)
def test_each_bad_job_is_one_located_line(project_copy, capsys, fixture, where):
    # Copied into a project's data/jobs without the fixture's link to a test scenario, so the
    # one problem left is the fixture's own.
    text = (FIXTURES / "jobs" / fixture).read_text("utf-8")
    text = re.sub(r"(?m)^scenario:.*$", "", text)
    path = project_copy / "data" / "jobs" / fixture
    path.write_text(text, "utf-8")
    code = cli.main(["--project", str(project_copy), "assess", str(path), "--draws", "500"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert fixture in err and where in err


def test_a_job_without_an_owner_is_told_to_name_one(project_copy, capsys):
    path = project_copy / "data" / "jobs" / "no-owner.yaml"
    demo = (ROOT / DEMO).read_text("utf-8")
    path.write_text(re.sub(r"(?m)^owner: .*$", "owner: none", demo), "utf-8")
    code = cli.main(["--project", str(project_copy), "assess", str(path), "--draws", "500"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Owner: none named" in out.splitlines()
    verdict = next(line for line in out.splitlines() if line.startswith("Verdict: "))
    assert verdict.startswith("Verdict: fix first.") and verdict.endswith("name the job's owner.")


def test_a_missing_job_file_is_one_line(capsys):
    code = cli.main(["--project", str(ROOT), "assess", "data/jobs/no-such-job.yaml"])
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "no-such-job.yaml" in err


def test_outside_a_project_exits_2_in_one_line(tmp_path):
    done = run_pilotfunnel("assess", "job.yaml", cwd=tmp_path, env=outside_env(), timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "pilotfunnel new" in done.stderr and "not inside a project" in done.stderr
    assert not list(tmp_path.iterdir())


def test_the_help_names_the_command():
    shown = " ".join(cli.build_parser().format_help().split())  # as wrapped for the terminal
    assert f"assess {words.HELP_ASSESS}" in shown


@pytest.mark.parametrize(
    "verdict, reason, starts",
    [
        ("go", "ready", "Verdict: go. The chance of measurable impact ("),
        ("do_not_start", "no_number", "Verdict: do not start. No number is attached"),
        ("do_not_start", "stays_low", "Verdict: do not start. The chance of measurable impact "),
        ("do_not_start", "does_not_pay", "Verdict: do not start. The chance of measurable impact "),
    ],
)
def test_every_verdict_has_its_words(demo_assessment, project, verdict, reason, starts):
    shown = dataclasses.replace(
        demo_assessment,
        verdict=verdict,
        reason=reason,
        fixes=(),
        fixed_money=None,
        fixed_chance_impact=None,
    )
    view = assessment.build(shown, project.assumptions)
    assert len(view.verdict) == 1 and view.verdict[0].startswith(starts)
    assert "{" not in view.text()  # every placeholder filled
    if reason == "stays_low":
        assert "below 30% even with the 4 answers" in view.verdict[0]
    if reason == "does_not_pay":
        assert "stays below +0%" in view.verdict[0]
