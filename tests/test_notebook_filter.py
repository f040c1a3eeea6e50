"""Notebooks stay clean in git: `make nbfilter` (run by `make env` and `make lab`) declares
scripts/nbclean.py as the clean filter .gitattributes names, so what git stores has no outputs
and a notebook that a session filled with outputs shows no change in `git status`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from pilotfunnel.ui.notebook_clean import clean_text

from .conftest import ROOT

pytestmark = pytest.mark.skipif(
    not (shutil.which("git") and shutil.which("make")), reason="needs git and make"
)
NOTEBOOK = "notebooks/02-client-explorer.ipynb"
NBCLEAN = ROOT / "scripts" / "nbclean.py"


def run(*args: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=True)


@pytest.fixture
def env(tmp_path) -> dict:
    """No GIT_* from outside, and a home of its own: the test's git sees only its repository."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "MAKE"))}
    home = tmp_path / "home"
    home.mkdir()
    clean |= {"HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "PYTHONPATH": str(ROOT / "src")}
    return clean


def kit_repo(path: Path, env: dict) -> Path:
    """A git repository holding what the filter needs: the Makefile, .gitattributes, the script
    and one of the kit's notebooks, as committed."""
    path.mkdir()
    for name in (
        "Makefile",
        ".gitattributes",
        ".gitignore",
        "scripts/nbclean.py",
        "scripts/nbclean.sh",
        NOTEBOOK,
    ):
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, path / name)
    # The checkout's .venv, as `make env` leaves it: a Python with the kit's dependencies.
    venv_python = path / ".venv" / "bin" / "python"
    venv_python.parent.mkdir(parents=True)
    venv_python.write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n')
    venv_python.chmod(0o755)
    run("git", "init", "-q", cwd=path, env=env)
    run("git", "config", "user.email", "kit@example.com", cwd=path, env=env)
    run("git", "config", "user.name", "Kit", cwd=path, env=env)
    return path


def fill_with_outputs(path: Path, text: str) -> None:
    """What a JupyterLab session saves: outputs, counts, timings, widget state, kernel details."""
    notebook = nbformat.read(path, as_version=4)
    for number, cell in enumerate(c for c in notebook.cells if c.cell_type == "code"):
        cell.execution_count = number + 1
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"{text} {number}\n")]
        cell.metadata["execution"] = {"iopub.status.idle": "2026-12-02T16:00:00.000Z"}
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    notebook.metadata["language_info"] = {"name": "python", "version": "3.12.3"}
    nbformat.write(notebook, path)


def test_git_add_stores_the_notebook_without_outputs_and_status_stays_clean(tmp_path, env):
    repo = kit_repo(tmp_path / "repo", env)
    made = run(
        "make", "--no-print-directory", "nbfilter", f"PY={sys.executable}", cwd=repo, env=env
    )
    assert "stored without outputs" in made.stdout
    config = run("git", "config", "filter.nbclean.clean", cwd=repo, env=env).stdout.strip()
    assert config == "sh scripts/nbclean.sh"  # no path of this machine's: any tree can run it

    committed = (ROOT / NOTEBOOK).read_text(encoding="utf-8")
    fill_with_outputs(repo / NOTEBOOK, "first run")
    assert "first run" in (repo / NOTEBOOK).read_text(encoding="utf-8")
    run("git", "add", ".", cwd=repo, env=env)
    stored = run("git", "show", f":{NOTEBOOK}", cwd=repo, env=env).stdout
    assert stored == committed  # no outputs, no counts, no session metadata: the file as shipped
    run("git", "commit", "-qm", "kit", cwd=repo, env=env)
    # The working file keeps its outputs, and git sees nothing to commit.
    assert "first run" in (repo / NOTEBOOK).read_text(encoding="utf-8")
    assert run("git", "status", "--porcelain", cwd=repo, env=env).stdout == ""

    fill_with_outputs(repo / NOTEBOOK, "second run")  # a later session autosaves again
    assert "second run" in (repo / NOTEBOOK).read_text(encoding="utf-8")
    # Through the filter the file is what was committed: no diff, from a subfolder too (git
    # runs the filter at the top of the work tree, where its relative paths hold).
    for where in (repo, repo / "notebooks"):
        assert run("git", "diff", "--stat", cwd=where, env=env).stdout == ""
    # git status trusts a changed file size without reading the file, so it lists the notebook
    # until `git add` refreshes the index; that add stages nothing and the status is clean.
    run("git", "add", ".", cwd=repo, env=env)
    assert run("git", "diff", "--cached", "--stat", cwd=repo, env=env).stdout == ""
    assert run("git", "status", "--porcelain", cwd=repo, env=env).stdout == ""


def test_a_linked_worktree_without_a_venv_uses_the_main_checkouts(tmp_path, env):
    # `git worktree add` shares the filter setting but not .venv: the launcher falls back to the
    # main checkout's, where a path relative to the work tree would fail ("filter failed 127").
    repo = kit_repo(tmp_path / "repo", env)
    run("make", "--no-print-directory", "nbfilter", cwd=repo, env=env)
    run("git", "add", ".", cwd=repo, env=env)
    run("git", "commit", "-qm", "kit", cwd=repo, env=env)
    tree = tmp_path / "tree"
    run("git", "worktree", "add", "-q", str(tree), cwd=repo, env=env)
    assert not (tree / ".venv").exists()
    fill_with_outputs(tree / NOTEBOOK, "worktree run")
    run("git", "add", ".", cwd=tree, env=env)
    assert run("git", "status", "--porcelain", cwd=tree, env=env).stdout == ""
    stored = run("git", "show", f":{NOTEBOOK}", cwd=tree, env=env).stdout
    assert "worktree run" not in stored


def test_without_the_filter_git_stores_the_outputs(tmp_path, env):
    # The control: the test above passes because of the filter, not by accident.
    repo = kit_repo(tmp_path / "repo", env)
    fill_with_outputs(repo / NOTEBOOK, "first run")
    run("git", "add", ".", cwd=repo, env=env)
    assert "first run" in run("git", "show", f":{NOTEBOOK}", cwd=repo, env=env).stdout


def test_outside_a_git_checkout_the_setting_is_skipped(tmp_path, env):
    folder = tmp_path / "unpacked"
    folder.mkdir()
    shutil.copy(ROOT / "Makefile", folder / "Makefile")
    made = run(
        "make", "--no-print-directory", "nbfilter", f"PY={sys.executable}", cwd=folder, env=env
    )
    assert "not a git checkout" in made.stdout
    assert not (folder / ".git").exists()


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_each_committed_notebook_is_already_what_git_stores(path):
    # Else `git status` would show every notebook changed as soon as the filter is set up.
    text = path.read_text(encoding="utf-8")
    assert clean_text(text) == text


def test_text_that_is_not_a_notebook_passes_through_with_a_warning():
    text = "<<<<<<< HEAD\n{ not json\n"
    done = subprocess.run(
        [sys.executable, str(NBCLEAN)],
        input=text.encode(),
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert done.stdout.decode() == text
    assert b"not a notebook, stored as it is" in done.stderr
