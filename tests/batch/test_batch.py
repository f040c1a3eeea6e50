"""Batches of briefs: the in-process fast path, incremental rebuilds, failures one at a time."""

import csv
import datetime as dt
import json
import os
import shutil
import signal
import stat
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from pilotfunnel import batch
from pilotfunnel.batch import fingerprint, lock, manifest
from pilotfunnel.export.pipeline import make_brief
from pilotfunnel.inputs.project import Project
from pilotfunnel.inputs.scenario import load_scenario
from pilotfunnel.model import funnel

from ..conftest import FIXTURES, ROOT, assert_same_bytes, pilotfunnel_command, run_pilotfunnel

pytestmark = pytest.mark.slow
AS_OF = dt.date(2026, 11, 25)
BATCH = FIXTURES / "batch"
DRAWS = "2000"  # fewer Monte Carlo draws than a real brief: the tests are about the pipeline


@pytest.fixture
def project(project_copy):
    """A project copy with the real brief notebook (tests may swap it or edit the data)."""
    (project_copy / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "03-client-brief.ipynb", project_copy / "notebooks")
    return project_copy


def _briefs(*args, env_home=None, timeout=300):
    env = dict(os.environ)
    if env_home is not None:
        env["PILOTFUNNEL_HOME"] = str(env_home)
    return run_pilotfunnel(
        "briefs", *args, "--date", AS_OF.isoformat(), cwd=Path.cwd(), env=env, timeout=timeout
    )


def _client(folder: Path, name: str, client: str) -> Path:
    text = (BATCH / "alpha.yaml").read_text("utf-8").replace("Alpha Freight", client)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_fast_path_gives_the_same_brief_as_a_fresh_kernel(tmp_path, monkeypatch):
    monkeypatch.setenv("PILOTFUNNEL_HOME", str(ROOT))  # build_brief sets it; restore it after
    scenario = ROOT / "data" / "clients" / "demo.yaml"
    kernel = make_brief(
        Project.load(ROOT), load_scenario(scenario), tmp_path / "kernel", as_of=AS_OF, draws=3000
    )
    builds = []
    for name in ("fast", "again"):
        (tmp_path / name).mkdir()
        job = batch.BriefJob(
            str(scenario), str(tmp_path / name), AS_OF.isoformat(), str(ROOT), 3000
        )
        outcome = batch.build_brief(job)
        assert outcome.ok, outcome.reason
        builds.append({fmt: tmp_path / name / out["path"] for fmt, out in outcome.outputs.items()})
    fast, again = builds
    assert fast["html"].name == kernel.files["html"].name
    assert_same_bytes(fast["html"].read_bytes(), kernel.files["html"].read_bytes(), "HTML")
    # Deterministic: the same inputs give byte-identical HTML and PDF, run after run.
    assert_same_bytes(fast["html"].read_bytes(), again["html"].read_bytes(), "HTML")
    assert_same_bytes(fast["pdf"].read_bytes(), again["pdf"].read_bytes(), "PDF")
    assert_same_bytes(fast["pdf"].read_bytes(), kernel.files["pdf"].read_bytes(), "PDF")
    assert "idc-2025-poc-to-production" in outcome.sources


def test_briefs_in_threads_of_one_process_take_turns(tmp_path, monkeypatch):
    # A Dask worker runs a task per thread; briefs share the process's one IPython shell.
    monkeypatch.setenv("PILOTFUNNEL_HOME", str(ROOT))
    clients = [ROOT / "data" / "clients" / name for name in ("demo.yaml", "fernhill-foods.yaml")]
    jobs = {
        (client, run): batch.BriefJob(
            str(client), str(tmp_path / run), AS_OF.isoformat(), str(ROOT), 1000
        )
        for client in clients
        for run in ("alone", "together")
    }
    for client in clients:
        (tmp_path / "alone").mkdir(exist_ok=True)
        assert batch.build_brief(jobs[client, "alone"]).ok
    (tmp_path / "together").mkdir()
    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(batch.build_brief, [jobs[c, "together"] for c in clients]))
    for outcome in outcomes:
        assert outcome.ok, outcome.reason
        html = outcome.outputs["html"]["path"]
        alone = (tmp_path / "alone" / html).read_bytes()
        assert_same_bytes((tmp_path / "together" / html).read_bytes(), alone, html)


def test_a_batch_builds_then_rebuilds_nothing_then_only_what_a_source_row_changed(
    project, tmp_path
):
    out = tmp_path / "out"
    targets = [BATCH / "alpha.yaml", BATCH / "beta.yaml"]  # beta cites unverified sources too
    done = _briefs(*targets, "--out", out, "-j", "2", "--draws", DRAWS, env_home=project)
    assert done.returncode == 0, done.stderr
    assert "built 2, up to date 0, failed 0" in done.stdout
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        ".pilotfunnel.lock",
        f"alpha-freight-{AS_OF}.html",
        f"alpha-freight-{AS_OF}.pdf",
        f"beta-mills-{AS_OF}.html",
        f"beta-mills-{AS_OF}.pdf",
        "manifest.json",
    ]
    recorded = json.loads((out / "manifest.json").read_text("utf-8"))["briefs"]
    beta = recorded[str((BATCH / "beta.yaml").resolve())]
    assert "gartner-2024-ai-projects-to-production" in beta["sources"]
    pdf = out / f"beta-mills-{AS_OF}.pdf"
    assert beta["outputs"]["pdf"]["sha256"] == fingerprint.sha256_file(pdf)

    again = _briefs(*targets, "--out", out, "--draws", DRAWS, env_home=project)
    assert again.returncode == 0 and "nothing to build: all 2 brief(s)" in again.stdout

    sources = project / "data" / "sources.csv"
    text = sources.read_text("utf-8")
    sources.write_text(
        text.replace("(about 8 months prototype", "(about eight months prototype", 1), "utf-8"
    )
    check = _briefs(*targets, "--out", out, "--draws", DRAWS, "--check", env_home=project)
    assert check.returncode == 1
    assert "beta.yaml: cited source row(s) changed: gartner-2024-ai-projects-to-production" in (
        check.stdout
    )
    assert "alpha.yaml" not in check.stdout and "1 of 2 brief(s) out of date" in check.stdout
    rebuilt = _briefs(*targets, "--out", out, "--draws", DRAWS, env_home=project)
    assert rebuilt.returncode == 0 and "built 1, up to date 1, failed 0" in rebuilt.stdout


def test_a_batch_adds_the_deck_and_the_manifest_records_it(project, tmp_path):
    out = tmp_path / "out"
    alpha = BATCH / "alpha.yaml"
    done = _briefs(alpha, "--out", out, "--draws", DRAWS, env_home=project)
    assert done.returncode == 0, done.stderr
    check = _briefs(alpha, "--out", out, "--draws", DRAWS, "--format", "pdf,html,pptx", "--check")
    assert check.returncode == 1 and "alpha.yaml: no pptx built yet" in check.stdout
    done = _briefs(
        alpha, "--out", out, "--draws", DRAWS, "--format", "pdf,html,pptx", env_home=project
    )
    assert done.returncode == 0 and "built 1" in done.stdout, done.stderr
    deck = out / f"alpha-freight-{AS_OF}.pptx"
    entry = json.loads((out / "manifest.json").read_text("utf-8"))["briefs"][str(alpha.resolve())]
    assert set(entry["outputs"]) == {"pdf", "html", "pptx"}
    assert entry["outputs"]["pptx"] == {"path": deck.name, "sha256": fingerprint.sha256_file(deck)}
    # The same deck as the brief command's, through the same pipeline.
    single = tmp_path / "single"
    made = make_brief(
        Project.load(project),
        load_scenario(alpha),
        single,
        ("pptx",),
        as_of=AS_OF,
        draws=int(DRAWS),
    )
    assert_same_bytes(made.files["pptx"].read_bytes(), deck.read_bytes(), "the decks")
    again = _briefs(
        alpha, "--out", out, "--draws", DRAWS, "--format", "pdf,html,pptx", env_home=project
    )
    assert "nothing to build" in again.stdout
    assert _briefs(alpha, "--out", out, "--format", "pdf,docx").returncode == 2


def test_a_batch_with_a_template_that_cannot_serve_builds_nothing(project, tmp_path):
    brand = project / "data" / "brand"
    shutil.copy(FIXTURES / "deck" / "not_a_deck.pptx", brand)
    data = yaml.safe_load((brand / "brand.yml").read_text())
    (brand / "brand.yml").write_text(yaml.safe_dump({**data, "pptx_template": "not_a_deck.pptx"}))
    out = tmp_path / "out"
    done = _briefs(BATCH / "alpha.yaml", "--out", out, "--format", "pptx", env_home=project)
    assert done.returncode == 2 and "not_a_deck.pptx cannot be read" in done.stderr
    assert not list(out.glob("*.pptx"))


HANG_TIMEOUT = 40


def test_each_kind_of_failure_fails_its_brief_alone(project, tmp_path):
    shutil.copy(BATCH / "brief_misbehaves.ipynb", project / "notebooks" / "03-client-brief.ipynb")
    # The timeout must pass for the hanging brief only: a healthy brief, with its worker's
    # start-up, takes a few seconds, and several times that with both cores busy.
    report = batch.run_batch(
        [BATCH], tmp_path / "out", AS_OF, workers=2, timeout=HANG_TIMEOUT, draws=2000
    )
    assert sorted(Path(o.key).name for o in report.built) == ["alpha.yaml", "beta.yaml"]
    reasons = {Path(o.key).name: o.reason for o in report.failed}
    assert reasons["raises.yaml"] == (
        "section evidence failed: ValueError: the evidence cannot be shown"
    )
    assert reasons["dies.yaml"] == "the worker died while running section evidence"
    assert reasons["hangs.yaml"] == f"section evidence ran longer than {HANG_TIMEOUT} s"
    assert "field 'readiness.as_is.data'" in reasons["invalid.yaml"]
    assert reasons["alpha_again.yaml"].startswith("same client and date as")
    assert len(reasons) == 5 and all(
        "\n" not in r and "Traceback" not in r for r in reasons.values()
    )
    recorded = manifest.Manifest.load(tmp_path / "out").entries
    assert recorded[str((BATCH / "dies.yaml").resolve())].failed == reasons["dies.yaml"]


def test_a_killed_batch_leaves_a_valid_manifest_and_the_next_run_finishes(project, tmp_path):
    clients = tmp_path / "clients"
    clients.mkdir()
    for i, name in enumerate(("Ash", "Birch", "Cedar", "Damson")):
        _client(clients, f"c{i}", f"{name} Trading")
    out = tmp_path / "out"
    env = {**os.environ, "PILOTFUNNEL_HOME": str(project)}
    command = [pilotfunnel_command(), "briefs", str(clients), "--out", str(out), "-j", "1"]
    command += ["--date", AS_OF.isoformat(), "--draws", DRAWS]
    running = subprocess.Popen(command, env=env, start_new_session=True, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not manifest.Manifest.load(out).entries:
        time.sleep(0.05)
    os.killpg(running.pid, signal.SIGKILL)  # the batch and its workers, mid-brief
    running.wait()
    finished = manifest.Manifest.load(out).entries
    assert 1 <= len(finished) < 4
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    resumed = _briefs(clients, "--out", out, "--draws", DRAWS, env_home=project)
    assert resumed.returncode == 0, resumed.stderr
    assert f"built {4 - len(finished)}, up to date {len(finished)}, failed 0" in resumed.stdout


def test_a_second_batch_on_the_same_folder_is_told_and_exits_1(tmp_path):
    with lock.locked(tmp_path):
        done = _briefs(BATCH / "alpha.yaml", "--out", tmp_path)
    assert done.returncode == 1
    assert f"(pid {os.getpid()}) is writing to" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_cli_runs_a_batch_on_a_dask_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        done = subprocess.run(
            [
                pilotfunnel_command(),
                "briefs",
                str(BATCH / "alpha.yaml"),
                str(BATCH / "beta.yaml"),
                "--out",
                str(tmp_path),
                "--date",
                AS_OF.isoformat(),
                "--draws",
                "2000",
                "--scheduler",
                cluster.scheduler_address,
            ],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=ROOT,
        )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / f"beta-mills-{AS_OF}.pdf").read_bytes().startswith(b"%PDF-")
    assert (tmp_path / f"alpha-freight-{AS_OF}.html").exists()
    assert "built 2" in (done.stdout + done.stderr).lower()


def test_model_batch_writes_a_row_per_file_and_an_error_row_for_a_bad_one(tmp_path):
    out = tmp_path / "summary.csv"
    done = subprocess.run(
        [
            pilotfunnel_command(),
            "model",
            "--batch",
            str(ROOT / "data" / "clients"),
            str(BATCH / "invalid.yaml"),
            "--out",
            str(out),
            "--draws",
            "500",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    rows = {Path(r["file"]).name: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert "readiness.as_is.data" in rows["invalid.yaml"]["error"]
    demo = rows["demo.yaml"]
    assert demo["error"] == "" and demo["client"] == "Northwind Logistics"
    scenario = load_scenario(ROOT / "data" / "clients" / "demo.yaml")
    result = funnel.run(scenario, funnel.model_of(Project.load(ROOT)), draws=500)
    assert float(demo["as_is_production"]) == pytest.approx(result.as_is["production"].expected)
    assert float(demo["target_roi"]) == pytest.approx(result.target["roi"].expected)
    assert demo["top_driver"] == result.sensitivity[0].driver
    assert float(demo["as_is_production_p10"]) == result.as_is["production"].p10


def test_a_hostile_scenario_fails_alone_and_a_batch_replaces_no_scenario(project, tmp_path):
    # The clients folder is also the output folder: a brief's files (.pdf, .html, .pptx), the
    # manifest and the lock never share a name with a scenario (.yaml, .yml) found there.
    clients = tmp_path / "clients"
    clients.mkdir()
    _client(clients, "alpha", "Alpha Freight")
    _client(clients, "beta", "Beta Mills")
    hostile = _client(clients, "hostile", "Hostile Inc")
    hostile.write_text(
        hostile.read_text("utf-8").replace("pocs_per_year: 24", "pocs_per_year: .inf"), "utf-8"
    )
    os.mkfifo(clients / f"beta-mills-{AS_OF}.pdf")  # where beta's brief would go
    shutil.copy(FIXTURES / "hostile" / "manifest" / "truncated.json", clients / "manifest.json")
    scenarios = {p.name: p.read_bytes() for p in clients.glob("*.yaml")}
    done = _briefs(clients, "--out", clients, "-j", "2", "--draws", DRAWS, env_home=project)
    assert done.returncode == 1, done.stderr
    assert "built 1, up to date 0, failed 2 (of 3)" in done.stdout
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == (
        f"warning: {clients / 'manifest.json'}: is not a pilotfunnel manifest (not valid JSON "
        "at line 26, column 3: Expecting ',' delimiter): rebuilding every brief"
    )
    failed = sorted(line for line in lines if line.startswith("failed: "))
    assert failed == [
        f"failed: {clients / 'beta.yaml'}: {clients / f'beta-mills-{AS_OF}.pdf'} is a FIFO "
        "(named pipe); the kit writes only regular files",
        f"failed: {hostile}: field 'pocs_per_year': must be a whole number from 1 to 10,000 "
        "(got inf)",
    ]
    assert {p.name: p.read_bytes() for p in clients.glob("*.yaml")} == scenarios
    assert stat.S_ISFIFO((clients / f"beta-mills-{AS_OF}.pdf").lstat().st_mode)
    assert (clients / f"alpha-freight-{AS_OF}.pdf").read_bytes().startswith(b"%PDF-")
    assert manifest.Manifest.load(clients, strict=True).entries  # rewritten whole, valid
    check = _briefs(clients, "--out", clients, "--draws", DRAWS, "--check", env_home=project)
    assert "2 of 3 brief(s) out of date, 1 up to date" in check.stdout  # no manifest.json
