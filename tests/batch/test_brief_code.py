"""The brief's code is the import closure of brief and pipeline: a change to any of those
modules rebuilds every brief, and a front end's code rebuilds none."""

import importlib
import os
import shutil
import subprocess
import sys

import pytest

from pilotfunnel.batch import brief_code
from pilotfunnel.core import paths

from ..conftest import ROOT

AS_OF = "2026-11-25"


@pytest.fixture
def project(project_copy):
    shutil.copytree(ROOT / "notebooks", project_copy / "notebooks")
    (project_copy / "out").mkdir()
    return project_copy


def test_the_brief_code_is_the_import_closure_of_the_brief():
    code = brief_code.brief_code()
    # tables.py gives the brief its money labels; a hand-kept list once left it out.
    for module in (
        "views/brief.py",
        "export/pipeline.py",
        "views/tables.py",
        "views/messages/__init__.py",
        "core/errors.py",
        "core/files.py",
        "core/paths.py",
    ):
        assert module in code
    assert not [m for m in code if m.startswith("ui/")]  # the front ends: explorer, CLI, present
    assert "batch/worker.py" not in code
    assert "export/nbconvert/templates" in code and "views/templates" in code


def test_every_module_of_the_closure_is_a_file_that_imports_resolve_to():
    for relative in brief_code.brief_code():
        path = paths.PACKAGE_DIR / relative
        assert path.exists(), relative
        if relative.endswith(".py"):
            name = "pilotfunnel." + relative.removesuffix(".py").replace("/", ".")
            importlib.import_module(name.removesuffix(".__init__"))


@pytest.mark.slow
def test_a_comment_in_any_module_of_the_brief_makes_every_brief_out_of_date(project, tmp_path):
    # The package itself is copied, so that its modules can be edited; the copy comes first on
    # the path of every process the command starts.
    package = tmp_path / "src" / "pilotfunnel"
    shutil.copytree(paths.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "notebooks", project / "notebooks", dirs_exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src"), "PILOTFUNNEL_HOME": str(project)}
    clients = [str(project / "data" / "clients" / n) for n in ("demo.yaml", "fernhill-foods.yaml")]
    out = project / "out"

    def briefs(*args: str) -> subprocess.CompletedProcess:
        command = [
            sys.executable,
            "-m",
            "pilotfunnel.ui.cli",
            "briefs",
            *clients,
            "--out",
            str(out),
        ]
        command += ["--date", AS_OF, "--draws", "300", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)

    built = briefs()
    assert built.returncode == 0, built.stderr
    assert briefs("--check").returncode == 0
    for relative in brief_code.brief_code(package):
        if not relative.endswith(".py"):
            continue
        module = package / relative
        before = module.read_text("utf-8")
        module.write_text(before + "\n# an edit\n", "utf-8")
        try:
            check = briefs("--check")
        finally:
            module.write_text(before, "utf-8")
        assert check.returncode == 1, relative
        assert "2 of 2 brief(s) out of date" in check.stdout, (relative, check.stdout)
        assert "the package's brief code or templates changed" in check.stdout
    # A front end's code is not part of any brief.
    explorer = package / "ui" / "explorer" / "explorer.py"
    explorer.write_text(explorer.read_text() + "\n# x\n")
    assert briefs("--check").returncode == 0
