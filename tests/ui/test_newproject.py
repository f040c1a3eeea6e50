"""`pilotfunnel new`, `doctor`, `sources diff --against-kit`, and every command outside a
project, as a user runs them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pilotfunnel import __version__
from pilotfunnel.core import paths
from pilotfunnel.ui.newproject import new_project, starter_files

from ..conftest import ROOT, run_pilotfunnel


def outside_env() -> dict:
    env = dict(os.environ)
    env.pop(paths.HOME_VARIABLE, None)
    return env


def run(*args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_pilotfunnel(*args, cwd=cwd, env=env or outside_env(), timeout=180)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("new") / "acme"
    done = run("new", str(root), cwd=root.parent)
    assert done.returncode == 0, done.stderr
    return root


def test_new_writes_a_project_with_its_marker_data_and_notebooks(made):
    settings = yaml.safe_load((made / paths.MARKER).read_text("utf-8"))
    assert settings["name"] == "acme" and settings["kit_version"] == __version__
    for rel in (
        "data/sources.csv",
        "data/assumptions.yaml",
        "data/evidence-notes.yaml",
        "data/brand/brand.yml",
        "data/clients/demo.yaml",
        "notebooks/" + paths.BRIEF_NOTEBOOK,
        "README.md",
    ):
        assert (made / rel).is_file(), rel
    assert (made / "exports").is_dir() and (made / "figures").is_dir()
    assert not list((made / "exports").iterdir())
    # The starter's files, byte for byte (the marker and README are the project's own).
    starter = paths.starter_dir()
    for rel in starter_files(starter):
        assert (made / rel).read_bytes() == (starter / rel).read_bytes(), rel
    assert "pilotfunnel brief data/clients/demo.yaml" in (made / "README.md").read_text("utf-8")


def test_new_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    done = run("new", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 2 and "--force" in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_force_adds_what_is_missing_and_never_overwrites(tmp_path):
    (tmp_path / "data").mkdir()
    mine = {"data/sources.csv": b"my own sources\n", paths.MARKER: b"name: mine\n"}
    for rel, data in mine.items():
        (tmp_path / rel).write_bytes(data)
    done = run("new", str(tmp_path), "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "2 files already there were kept" in done.stdout
    for rel, data in mine.items():
        assert (tmp_path / rel).read_bytes() == data
    assert (tmp_path / "data/assumptions.yaml").is_file()
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_a_file_that_appears_meanwhile_is_kept(tmp_path, monkeypatch):
    # The race: the check saw nothing, then a file appeared before the write. os.link refuses.
    from pilotfunnel.ui import newproject

    real = os.path.lexists

    def late(path):
        if str(path).endswith("assumptions.yaml") and not real(path):
            Path(path).write_text("appeared\n", encoding="utf-8")
            return False
        return real(path)

    monkeypatch.setattr(newproject.os.path, "lexists", late)
    made = new_project(tmp_path / "p")
    assert (tmp_path / "p/data/assumptions.yaml").read_text("utf-8") == "appeared\n"
    assert Path("data/assumptions.yaml") in made.kept


def test_no_demo_leaves_clients_and_jobs_empty(tmp_path):
    done = run("new", str(tmp_path / "p"), "--no-demo", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not list((tmp_path / "p/data/clients").iterdir())
    assert (tmp_path / "p/data/sources.csv").is_file()
    assert "add a client file" in done.stdout


def test_new_is_the_same_bytes_twice(tmp_path):
    a, b = new_project(tmp_path / "a"), new_project(tmp_path / "b")
    assert a.written == b.written
    for rel in a.written:
        if rel.name not in (paths.MARKER, "README.md"):
            assert (a.root / rel).read_bytes() == (b.root / rel).read_bytes()


COMMANDS = [
    ["sources", "check"],
    ["sources", "diff"],
    ["sources", "diff", "--against-kit"],
    ["brand", "check"],
    ["model", "data/clients/demo.yaml"],
    ["model", "--batch", "data/clients", "--out", "summary.csv"],
    ["brief", "data/clients/demo.yaml"],
    ["briefs", "data/clients"],
    ["figures"],
    ["present"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_outside_a_project_says_so_in_one_line(tmp_path, command):
    done = run(*command, cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "pilotfunnel new" in done.stderr and "not inside a project" in done.stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("how", ["--project", "PILOTFUNNEL_HOME"])
@pytest.mark.parametrize("command", [["sources", "diff"], ["model", "x.yaml"], ["figures"]])
def test_a_named_folder_that_is_not_a_project_is_one_line(tmp_path, how, command):
    env = outside_env()
    if how == "--project":
        args = ["--project", str(tmp_path), *command]
    else:
        env[paths.HOME_VARIABLE] = str(tmp_path)
        args = command
    done = run(*args, cwd=ROOT, env=env)  # the kit's own project here is not used instead
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert str(tmp_path) in done.stderr and how in done.stderr


def test_project_after_the_command_works_too(made, tmp_path):
    done = run("sources", "check", "--project", str(made), cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_a_nested_folder_of_a_project_finds_it(made):
    nested = made / "notebooks" / "drafts"
    nested.mkdir(exist_ok=True)
    done = run("model", "../../data/clients/demo.yaml", "--draws", "500", cwd=nested)
    assert done.returncode == 0, done.stderr
    assert "Northwind Logistics" in done.stdout
    check = run("sources", "check", cwd=nested)
    assert check.returncode == 0 and check.stdout.startswith("ok: ")


def test_against_kit_names_what_the_project_changed(made):
    done = run("sources", "diff", "--against-kit", cwd=made)
    assert done.returncode == 0, done.stderr
    assert "has every source" in done.stdout
    sources = made / "data" / "sources.csv"
    before = sources.read_text("utf-8")
    lines = before.splitlines(keepends=True)
    try:
        sources.write_text(lines[0] + "".join(lines[2:]), encoding="utf-8")
        changed = run("sources", "diff", "--against-kit", cwd=made)
        assert changed.returncode == 1, changed.stderr  # as diff(1) does: 1 when they differ
        row_id = lines[1].split(",")[0]
        assert row_id in changed.stdout and "has every source" not in changed.stdout
    finally:
        sources.write_text(before, encoding="utf-8")


def test_doctor_shows_the_project_and_what_the_machine_has(made):
    done = run("doctor", cwd=made)
    out = done.stdout
    assert f"Project: {made}" in out and f"pilotfunnel {__version__}" in out
    for what in ("Pango", "HarfBuzz", "Chromium", "LibreOffice", "pdftoppm", "exporters"):
        assert what in out, what
    can = "The kit can make briefs here." in out
    assert done.returncode == (0 if can else 1)
    assert len(out.splitlines()) <= 24  # one screen


def test_doctor_outside_a_project_says_so_and_exits_1(tmp_path):
    done = run("doctor", cwd=tmp_path)
    assert done.returncode == 1 and "Project: none found" in done.stdout
    assert "Traceback" not in done.stderr


def test_doctor_names_the_debian_package_of_what_is_missing(made, tmp_path):
    # A PATH with only the kit's own programs: Chromium, LibreOffice and pdftoppm are missing,
    # which the kit can do without for a brief.
    env = outside_env()
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    env["PATH"] = str(bin_)
    done = subprocess.run(
        [str(Path(sys.executable).with_name("pilotfunnel")), "doctor"],
        cwd=made, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    out = done.stdout
    assert "missing  Chromium (present-mode tests) (Debian package: chromium)" in out
    assert "missing  LibreOffice (deck rendering) (Debian package: libreoffice-impress)" in out
    assert "missing  pdftoppm (page images) (Debian package: poppler-utils)" in out
    assert done.returncode == 0 and "The kit can make briefs here." in out
