import csv
import json
import subprocess
import sys

import pytest

from ..conftest import FIXTURES, ROOT, pilotfunnel_command, run_pilotfunnel


def run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return run_pilotfunnel(*args, cwd=cwd, timeout=120)


def test_sources_check_ok_on_project_data():
    done = run("sources", "check")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: ")


def test_sources_check_reports_errors_with_exit_2_and_no_traceback():
    done = run("sources", "check", str(FIXTURES / "sources" / "bad_date.csv"))
    assert done.returncode == 2
    assert "row 2" in done.stderr and "published" in done.stderr
    assert "Traceback" not in done.stderr


def test_sources_check_warnings_still_exit_0():
    done = run("sources", "check", str(FIXTURES / "sources" / "stale_access.csv"))
    assert done.returncode == 0
    assert "warning:" in done.stderr and "12 months" in done.stderr


def test_model_table_shows_as_is_target_and_ranking():
    done = run("model", "data/clients/demo.yaml", "--draws", "2000")
    assert done.returncode == 0, done.stderr
    for text in (
        "Northwind Logistics",
        "As is",
        "Five practices",
        "P10 to P90",
        "Proofs of concept reaching production",
    ):
        assert text in done.stdout
    assert "\nWhat changes with the five practices\nPractice " in done.stdout


def test_model_json_matches_the_library(demo, model):
    from pilotfunnel.model import funnel

    done = run("model", "data/clients/demo.yaml", "--json", "--seed", "5", "--draws", "3000")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    expected = funnel.run(demo, model, draws=3000, seed=5).to_dict()
    assert data == json.loads(json.dumps(expected))


def test_invalid_scenario_exits_2_with_the_field():
    done = run("model", str(FIXTURES / "scenarios" / "readiness_5.yaml"))
    assert done.returncode == 2
    assert "readiness.as_is.data" in done.stderr and "Traceback" not in done.stderr


def test_usage_errors_exit_2():
    assert run("model").returncode == 2
    assert run("model", "data/clients/demo.yaml", "--draws", "-4").returncode == 2
    assert run("frobnicate").returncode == 2


def test_missing_assumptions_file_exits_2(tmp_path):
    import os
    import shutil

    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "data" / "assumptions.yaml").unlink()
    done = subprocess.run(
        [pilotfunnel_command(), "model", "data/clients/demo.yaml"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PILOTFUNNEL_HOME": str(tmp_path)},
        timeout=120,
    )
    assert done.returncode == 2
    assert "assumptions.yaml" in done.stderr and "does not exist" in done.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["brief", "data/clients/demo.yaml", "--out"],
        ["briefs", "data/clients/demo.yaml", "--out"],
        ["briefs", "data/clients/demo.yaml", "--check", "--out"],
        ["figures", "--out"],
    ],
)
def test_out_that_is_a_file_is_one_line_and_exit_2(tmp_path, command):
    existing = tmp_path / "demo.pdf"
    existing.write_bytes(b"a brief already")
    done = run(*command, str(existing))
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"error: --out: {existing} is a file, not a folder\n"
    assert existing.read_bytes() == b"a brief already"


@pytest.mark.parametrize("command", [["brief", "data/clients/demo.yaml"], ["figures"]])
def test_out_that_cannot_be_created_is_one_line_and_exit_2(tmp_path, command):
    blocker = tmp_path / "blocker"
    blocker.write_bytes(b"")
    done = run(*command, "--out", str(blocker / "briefs"))
    assert done.returncode == 2
    assert done.stderr.startswith(
        f"error: --out: the folder {blocker / 'briefs'} cannot be created"
    )
    assert done.stderr.count("\n") == 1


def test_model_batch_out_that_is_a_folder_is_one_line_and_exit_2(tmp_path):
    done = run("model", "--batch", "data/clients", "--out", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr == f"error: --out: {tmp_path} is a folder; give a file name\n"


def test_model_batch_csv_is_safe_to_open_in_a_spreadsheet(tmp_path):
    out = tmp_path / "summary.csv"
    done = run(
        "model", "--batch", str(FIXTURES / "scenarios" / "formula_name.yaml"), "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0]["client"] == '\'=HYPERLINK("http://x","y")'
    assert float(rows[0]["as_is_production"]) > 0  # numbers stay numbers


def test_brand_check_passes_the_project_brand():
    done = run("brand", "check")
    assert done.returncode == 0, done.stderr
    assert "text colours meet WCAG AA contrast" in done.stdout


def test_brand_check_names_each_faint_colour_with_exit_2():
    done = run("brand", "check", str(FIXTURES / "brand" / "low_contrast.yml"))
    assert done.returncode == 2
    assert "field 'color.muted': muted #9AA5AE on background #FFFFFF" in done.stderr
    assert "WCAG AA needs 4.5:1" in done.stderr and "Traceback" not in done.stderr


def test_model_batch_writes_an_excel_workbook(tmp_path):
    out = tmp_path / "summary.xlsx"
    done = run("model", "--batch", "data/clients", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:2] == b"PK"  # a zip, as .xlsx is


def test_model_shows_the_record_against_the_research():
    done = run("model", "data/clients/demo.yaml", "--draws", "2000")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Calibrated to the client's record of 31 proofs of concept." in out
    assert "\nYour record against the research\nStep, as is " in out
    assert "3 of 31 (9.7%)" in out and "1 of 3 (33%)" in out
    assert "Research at your readiness (P10 to P90)" in out and "Calibrated (P10 to P90)" in out
    assert "The record moves the production rate from 6.1% (readiness-based)" in out


def test_model_without_a_record_has_no_record_block():
    done = run("model", "data/clients/fernhill-foods.yaml", "--draws", "500")
    assert done.returncode == 0, done.stderr
    # No record block; only the consultant's advice, last, names the record it lacks.
    *table, advice = done.stdout.strip().splitlines()
    assert "record" not in "\n".join(table).lower()
    assert advice.startswith("No record yet: add a record block to the scenario")
    data = json.loads(run("model", "data/clients/fernhill-foods.yaml", "--json").stdout)
    assert data["record"] is None


def test_model_json_has_the_record_and_calibrated_rates():
    data = json.loads(run("model", "data/clients/demo.yaml", "--json", "--draws", "4000").stdout)
    record = data["record"]
    assert (record["pocs_started"], record["reached_production"]) == (31, 3)
    production = record["steps"][0]
    assert set(production) >= {"prior_rate", "observed_rate", "calibrated"}
    assert set(production["calibrated"]) == {"mean", "p10", "p90"}
    assert data["as_is"]["rates"][0] == pytest.approx(production["calibrated"]["mean"], rel=1e-12)


def test_invalid_record_exits_2_naming_the_field():
    done = run("model", str(FIXTURES / "scenarios" / "record_reached_above_started.yaml"))
    assert done.returncode == 2
    assert "record.reached_production" in done.stderr and "got 15" in done.stderr


def test_model_batch_has_record_columns_matching_model(tmp_path):
    out = tmp_path / "summary.csv"
    done = run(
        "model",
        "--batch",
        "data/clients/demo.yaml",
        "data/clients/fernhill-foods.yaml",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    demo, fernhill = csv.DictReader(out.open())
    single = json.loads(run("model", "data/clients/demo.yaml", "--json").stdout)
    assert float(demo["as_is_production"]) == pytest.approx(
        single["as_is"]["production"]["expected"], abs=1e-6
    )
    assert demo["record_pocs_started"] == "31" and demo["record_period"] == "2024-01 to 2025-12"
    step = single["record"]["steps"][0]
    assert float(demo["production_calibrated_rate"]) == pytest.approx(
        step["calibrated"]["mean"], abs=1e-6
    )
    assert float(demo["production_observed_rate"]) == pytest.approx(3 / 31, abs=1e-6)
    assert float(demo["production_prior_rate"]) == pytest.approx(step["prior_rate"], abs=1e-6)
    assert fernhill["record_pocs_started"] == "" and fernhill["production_calibrated_rate"] == ""
    assert fernhill["production_prior_rate"] != ""


def test_figures_include_the_record_chart_when_the_client_has_a_record(tmp_path):
    done = run("figures", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "record.png" in names and "record.svg" in names
    assert "Your record against the research" in (tmp_path / "record.svg").read_text()


# --- outputs never replace what is not the kit's --------------------------------------------
AS_OF = "2026-11-25"
DEMO_STEM = f"northwind-logistics-{AS_OF}"


def _fifo(path):
    import os

    os.mkfifo(path)
    return path


def _still_a_fifo(path) -> bool:
    import stat

    return stat.S_ISFIFO(path.lstat().st_mode)


@pytest.mark.parametrize(
    "command, target",
    [
        (["model", "--batch", "data/clients", "--out", "{out}/summary.csv"], "summary.csv"),
        (
            ["brief", "data/clients/demo.yaml", "--date", AS_OF, "--out", "{out}"],
            f"{DEMO_STEM}.pdf",
        ),
        (["brief", "data/clients/demo.yaml", "--format", "html", "--out", "{out}"], None),
        (["briefs", "data/clients/demo.yaml", "--out", "{out}"], "manifest.json"),
        (["briefs", "data/clients/demo.yaml", "--out", "{out}"], ".pilotfunnel.lock"),
        (["figures", "--out", "{out}"], "stalling.svg"),
    ],
)
def test_out_never_replaces_a_fifo_and_stops_before_any_work(tmp_path, command, target):
    import datetime as dt

    if target is None:  # the brief's name when no date is given: today's
        target = f"northwind-logistics-{dt.date.today().isoformat()}.html"
    fifo = _fifo(tmp_path / target)
    done = run(*(part.format(out=tmp_path) for part in command))
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        f"error: --out: {fifo} is a FIFO (named pipe); the kit writes only regular files\n"
    )
    assert _still_a_fifo(fifo)
    assert [p.name for p in tmp_path.iterdir()] == [target]  # nothing else was written


def test_out_that_links_to_a_device_is_refused():
    link = FIXTURES / "hostile" / "outputs" / "link_to_device.csv"
    done = run("model", "--batch", "data/clients", "--out", str(link))
    assert done.returncode == 2
    assert done.stderr == (
        f"error: --out: {link} is a symlink to a character device; the kit writes only "
        "regular files\n"
    )


def test_model_batch_never_overwrites_a_scenario(tmp_path):
    clients = tmp_path / "clients"
    clients.mkdir()
    scenario = (ROOT / "data" / "clients" / "demo.yaml").read_bytes()
    (clients / "some.yaml").write_bytes(scenario)
    (clients / "named.csv").write_bytes(scenario)  # a scenario named directly, any suffix
    done = run("model", "--batch", str(clients), "--out", str(clients / "some.yaml"))
    assert done.returncode == 2
    assert done.stderr == (
        f"error: --out: {clients / 'some.yaml'} must end in .csv or .xlsx (got '.yaml')\n"
    )
    named = clients / "named.csv"
    done = run("model", "--batch", str(clients), str(named), "--out", str(named))
    assert done.returncode == 2
    assert done.stderr == (
        f"error: --out: {named} is an input of this run ({named}); give another file name\n"
    )
    assert (clients / "some.yaml").read_bytes() == scenario == named.read_bytes()


def test_model_batch_never_overwrites_the_project_inputs(project_copy):
    sources = project_copy / "data" / "sources.csv"
    before = sources.read_bytes()
    env = {**__import__("os").environ, "PILOTFUNNEL_HOME": str(project_copy)}
    done = run_pilotfunnel(
        "model", "--batch", "data/clients", "--out", "data/sources.csv", cwd=project_copy, env=env
    )
    assert done.returncode == 2
    assert done.stderr == (
        "error: --out: data/sources.csv is an input of this run (data/sources.csv); "
        "give another file name\n"
    )
    assert sources.read_bytes() == before


def test_a_brief_never_overwrites_its_own_scenario(tmp_path):
    # A scenario named as its brief will be: the brief would replace it.
    scenario = tmp_path / f"{DEMO_STEM}.html"
    scenario.write_bytes((ROOT / "data" / "clients" / "demo.yaml").read_bytes())
    done = run("brief", str(scenario), "--format", "html", "--date", AS_OF, "--out", str(tmp_path))
    assert done.returncode == 2
    assert "is an input of this run" in done.stderr and done.stderr.count("\n") == 1
    assert scenario.read_bytes() == (ROOT / "data" / "clients" / "demo.yaml").read_bytes()


@pytest.mark.parametrize("name", [".pilotfunnel.lock", "manifest.json"])
def test_a_batch_never_overwrites_a_scenario_with_its_own_files(tmp_path, name):
    scenario = tmp_path / name
    scenario.write_bytes((ROOT / "data" / "clients" / "demo.yaml").read_bytes())
    done = run("briefs", str(scenario), "--out", str(tmp_path), "--date", AS_OF)
    assert done.returncode == 2
    assert done.stderr == (
        f"error: --out: {scenario} is an input of this run ({scenario}); give another file name\n"
    )
    assert scenario.read_bytes() == (ROOT / "data" / "clients" / "demo.yaml").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


# --- the manifest -----------------------------------------------------------------------------
@pytest.mark.parametrize("fixture", ["truncated.json", "wrong_type.json", "foreign.json"])
def test_sources_diff_with_a_corrupt_or_foreign_manifest_exits_2_naming_it(tmp_path, fixture):
    import shutil

    shutil.copy(FIXTURES / "hostile" / "manifest" / fixture, tmp_path / "manifest.json")
    for extra in ([], ["--json"]):
        done = run("sources", "diff", "--out-dir", str(tmp_path), *extra)
        assert done.returncode == 2
        assert done.stdout == ""
        assert done.stderr.startswith(
            f"error: {tmp_path / 'manifest.json'}: is not a pilotfunnel manifest ("
        )
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_briefs_check_with_a_corrupt_manifest_says_why_everything_is_out_of_date(tmp_path):
    import shutil

    shutil.copy(FIXTURES / "hostile" / "manifest" / "truncated.json", tmp_path / "manifest.json")
    done = run("briefs", "data/clients/demo.yaml", "--check", "--out", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr.startswith(
        f"warning: {tmp_path / 'manifest.json'}: is not a pilotfunnel manifest (not valid JSON"
    )
    assert done.stderr.rstrip().endswith("): every brief is out of date")
    assert "1 of 1 brief(s) out of date" in done.stdout


@pytest.mark.parametrize("command", ["model", "brief", "briefs"])
def test_draws_past_what_any_surface_runs_are_refused_before_any_work(tmp_path, command):
    done = run(command, "data/clients/demo.yaml", "--draws", "1000001", "--out", str(tmp_path))
    assert done.returncode == 2
    assert "--draws: must be from 1 to 1,000,000, got 1000001" in done.stderr
    assert "Traceback" not in done.stderr and not list(tmp_path.iterdir())


def test_defaults_come_from_their_one_home_and_the_cli_starts_without_them():
    # Run apart: whether the batch or present mode is imported depends on this process only.
    code = """
import sys
from pilotfunnel.ui.cli import build_parser
parser = build_parser()
assert "pilotfunnel.batch" not in sys.modules and "pilotfunnel.ui.present.server" not in sys.modules
from pilotfunnel import batch
from pilotfunnel.export import pipeline
from pilotfunnel.ui.present import server as present
args = parser.parse_args(["briefs", "x"])
assert args.jobs == batch.DEFAULT_WORKERS and args.timeout == pipeline.BRIEF_TIMEOUT
assert args.format is None  # the project's formats, else the kit's: commands._formats
assert parser.parse_args(["briefs", "x", "-j", "3"]).jobs == 3
assert parser.parse_args(["present"]).port == present.DEFAULT_PORT
assert parser.parse_args(["present", "--port", "9000"]).port == 9000
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_help_names_the_registrys_formats_and_the_homes_defaults():
    from pilotfunnel import batch
    from pilotfunnel.export.formats import FORMATS
    from pilotfunnel.ui.present import server as present

    briefs = run("briefs", "--help")
    assert f"{', '.join(FORMATS)}, comma-separated (default pdf,html)" in briefs.stdout
    assert f"workers (default {batch.DEFAULT_WORKERS})" in briefs.stdout
    assert "seconds per brief (default 120)" in briefs.stdout
    assert f"port on 127.0.0.1 ({present.DEFAULT_PORT})" in run("present", "--help").stdout
    assert "export a client's branded brief (PDF and HTML)" in run("--help").stdout
