"""The kit as a user installs it: the wheel, built from the sdist, installed with the lock
into a fresh virtual environment outside the repository, used on a project `pilotfunnel new`
makes in a temporary folder. Nothing it does may write into site-packages."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT
from .servers import free_port, stop, wait_for_http

pytestmark = [pytest.mark.slow, pytest.mark.server, pytest.mark.timeout(1800)]
UV = Path(sys.executable).with_name("uv")


def sh(*args, cwd: Path, env: dict | None = None, timeout: float = 600):
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The wheel and sdist, built (as `python -m build` does: the wheel from the sdist) from a
    copy of the checkout's files, so the build writes nothing into the repository."""
    tree = tmp_path_factory.mktemp("tree")
    listed = sh("git", "ls-files", "-co", "--exclude-standard", "-z", cwd=ROOT).stdout
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            (tree / name).write_bytes(source.read_bytes())
    dist = tmp_path_factory.mktemp("dist")
    sh(UV, "build", "--quiet", "--out-dir", dist, tree, cwd=tree)
    return dist


@pytest.fixture(scope="module")
def venv(built, tmp_path_factory) -> Path:
    """A fresh environment with the lock's versions and the wheel, its bytecode compiled at
    install (so an import later writes nothing there)."""
    root = tmp_path_factory.mktemp("venv") / "env"
    sh(UV, "venv", "--quiet", "--python", sys.executable, root, cwd=root.parent)
    python = root / "bin" / "python"
    lock = ROOT / "requirements.lock"
    sh(UV, "pip", "install", "--quiet", "--compile-bytecode", "--python", python, "-r", lock,
       cwd=root.parent, timeout=1200)  # fmt: skip
    (wheel,) = built.glob("*.whl")
    sh(UV, "pip", "install", "--quiet", "--compile-bytecode", "--no-deps", "--python", python,
       wheel, cwd=root.parent)  # fmt: skip
    return root


def user_env(venv: Path, home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PILOTFUNNEL_HOME", "PYTHONPATH")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    env["JUPYTER_CONFIG_DIR"] = str(home / ".jupyter")  # not this machine's own settings
    return env


def site_packages(venv: Path) -> dict[str, tuple[int, int]]:
    (folder,) = (venv / "lib").glob("python3*/site-packages")
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def project_files(project: Path) -> dict[str, bytes]:
    """The project's files but what the kit may write (exports/, figures/)."""
    return {
        str(p.relative_to(project)): p.read_bytes()
        for p in project.rglob("*")
        if p.is_file() and p.relative_to(project).parts[0] not in ("exports", "figures")
    }


def test_the_wheel_carries_the_package_its_data_and_the_starter(built):
    (wheel,) = built.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    tracked = sh("git", "ls-files", "src/pilotfunnel", cwd=ROOT).stdout.split()
    for name in tracked:  # every file of the package: code, templates, the Voila template
        assert name.removeprefix("src/") in names, name
    starter = {n.removeprefix("pilotfunnel/starter/") for n in names if "/starter/" in n}
    for name in ("pilotfunnel.yml", "data/sources.csv", "data/assumptions.yaml",
                 "data/brand/brand.yml", "data/clients/demo.yaml",
                 "notebooks/03-client-brief.ipynb"):  # fmt: skip
        assert name in starter, name
    assert any(n.startswith("pilotfunnel/starter/data/brand/fonts/") for n in names)
    ext = "pilotfunnel-0.1.0.data/data/share/jupyter/labextensions/pilotfunnel-export-menu/"
    assert ext + "package.json" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    (sdist,) = built.glob("*.tar.gz")
    assert sdist.stat().st_size > 0


def test_installed_from_the_wheel_it_works_on_a_new_project_anywhere(venv, tmp_path):
    env = user_env(venv, tmp_path)
    bin_ = venv / "bin"
    before = site_packages(venv)
    made = sh(bin_ / "pilotfunnel", "new", "acme", cwd=tmp_path, env=env)
    assert "Made the project acme" in made.stdout
    project = tmp_path / "acme"
    starter = project_files(project)

    # 1-2: a brief and a batch, from the project's folder (found by walking up).
    sh(bin_ / "pilotfunnel", "brief", "data/clients/demo.yaml", cwd=project, env=env)
    pdfs = list((project / "exports").glob("northwind-*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF-")
    batch = sh(bin_ / "pilotfunnel", "briefs", "data/clients", "--out", "exports/batch",
               cwd=project, env=env)  # fmt: skip
    clients = len(list((project / "data" / "clients").glob("*.yaml")))
    assert len(list((project / "exports" / "batch").glob("*.pdf"))) == clients, batch.stdout

    # 3: JupyterLab's menu exporter, on a notebook of that project, from a nested folder.
    out = tmp_path / "nbconvert"
    notebook = "03-client-brief.ipynb"
    sh(bin_ / "jupyter", "nbconvert", "--to", "pilotfunnel-pdf", "--execute", notebook,
       "--output-dir", out, cwd=project / "notebooks", env=env)  # fmt: skip
    (pdf,) = out.glob("*.pdf")
    text = sh("pdftotext", pdf, "-", cwd=tmp_path).stdout
    assert "Northwind Logistics" in text and "Page 1 of " in text

    # 4: present mode starts on this project and stops with everything it started.
    port = free_port()
    server = subprocess.Popen(
        [str(bin_ / "pilotfunnel"), "present", "--port", str(port)],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", server, seconds=180)
    finally:
        stop(server)
    assert server.returncode is not None

    # 5: nothing the kit did wrote into site-packages; it wrote into the project only.
    assert site_packages(venv) == before
    assert project_files(project) == starter
