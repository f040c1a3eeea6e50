"""Shared fixtures: paths to the fixture bank and the real project data."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]
# Fixture access dates are fixed, so "stale" must be judged against a fixed day too.
FIXTURE_TODAY = dt.date(2026, 11, 25)


def pytest_sessionfinish(session, exitstatus):
    """Fail the run if any process a test started outlived it (a server, a kernel, a browser).

    multiprocessing's own helpers (the fork server of the batch's pools, its resource tracker)
    live as long as the Python process that uses them, and end with it.
    """
    import psutil

    left = [
        child
        for child in psutil.Process().children(recursive=True)
        if not _is_multiprocessing_helper(child)
    ]
    if left:
        import sys

        lines = [f"  {c.pid} {' '.join(c.cmdline())[:150]}" for c in left if c.is_running()]
        if lines:
            print(
                "\nprocesses the tests started are still running:",
                *lines,
                sep="\n",
                file=sys.stderr,
            )
            session.exitstatus = 1


def _is_multiprocessing_helper(process) -> bool:
    import psutil

    try:
        command = " ".join(process.cmdline())
    except psutil.Error:
        return True  # gone already
    return "multiprocessing.forkserver" in command or "multiprocessing.resource_tracker" in command


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def fixture_sources():
    from pilotfunnel.inputs.sources.load import load_sources

    return load_sources(FIXTURES / "sources" / "valid.csv", today=FIXTURE_TODAY)


@pytest.fixture(scope="session")
def project():
    """The kit's own project (data/ as committed), loaded once."""
    from pilotfunnel.inputs.project import Project

    return Project.load(ROOT)


@pytest.fixture(scope="session")
def model(project):
    from pilotfunnel.model import funnel

    return funnel.model_of(project)


@pytest.fixture(scope="session")
def demo():
    from pilotfunnel.inputs.scenario import load_scenario

    return load_scenario(ROOT / "data" / "clients" / "demo.yaml")


@pytest.fixture
def project_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/ in a temporary project root, so a test may change it freely."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "pilotfunnel.yml", tmp_path / "pilotfunnel.yml")
    (tmp_path / "exports").mkdir()
    monkeypatch.setenv("PILOTFUNNEL_HOME", str(tmp_path))
    return tmp_path


def pilotfunnel_command() -> str:
    """The installed console script next to the running interpreter."""
    script = Path(sys.executable).with_name("pilotfunnel")
    assert script.exists(), f"console script not installed at {script}; run `make env`"
    return str(script)


def run_pilotfunnel(
    *args: str | Path, cwd: Path = ROOT, env: dict | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """The kit's command line as a user runs it, its output captured as text."""
    return subprocess.run(
        [pilotfunnel_command(), *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_nbconvert(
    notebook: Path, to: str, out: Path, *options: str, env: dict | None = None
) -> subprocess.CompletedProcess:
    """nbconvert's own command line on a notebook, its output captured as text."""
    jupyter = Path(sys.executable).with_name("jupyter")
    return subprocess.run(
        [str(jupyter), "nbconvert", "--to", to, str(notebook), "--output-dir", str(out), *options],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def assert_same_bytes(actual: bytes, expected: bytes, what: str = "the outputs") -> None:
    """Compare binary outputs by digest; on a difference, name the first differing offset.

    pytest's own diff of two large byte strings takes minutes and shows nothing useful.
    """
    import hashlib

    if actual == expected:
        return
    first = next(
        (i for i, (a, b) in enumerate(zip(actual, expected, strict=False)) if a != b),
        min(len(actual), len(expected)),
    )
    digests = [hashlib.sha256(x).hexdigest()[:16] for x in (actual, expected)]
    raise AssertionError(
        f"{what} differ: sha256 {digests[0]} != {digests[1]}, sizes {len(actual)} and "
        f"{len(expected)}, first difference at byte offset {first}"
    )


def assert_one_line_error(error: Exception, starts: str, says: str) -> None:
    """The kit's refusal of a hostile input: one short line, starting with the file (and
    place) it names, and saying what is wrong."""
    text = str(error)
    assert text.startswith(starts), text
    assert says in text, text
    assert len(text.splitlines()) == 1 and len(text) < 400, text
