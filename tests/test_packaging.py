import re

import tomllib
import yaml

from .conftest import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ]", requirement, maxsplit=1)[0].strip().lower()


def _locked() -> dict[str, str]:
    """requirements.lock's exact version for each package on this Python and platform."""
    from packaging.requirements import Requirement

    versions = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if not line or line.startswith(("#", " ")):
            continue
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate():
            (pinned,) = requirement.specifier
            assert pinned.operator == "==", line
            versions[requirement.name.lower()] = pinned.version
    return versions


def test_the_lock_pins_every_dependency_of_pyproject_within_its_range():
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    locked = _locked()
    for line in project["dependencies"] + project["optional-dependencies"]["dev"]:
        requirement = Requirement(line)
        name = requirement.name.lower()
        assert name in locked, f"{name} is not in requirements.lock: run `make lock`"
        assert requirement.specifier.contains(locked[name]), (
            f"requirements.lock has {name}=={locked[name]}, outside {requirement}: run `make lock`"
        )


def test_the_installed_versions_are_the_locked_ones():
    from importlib.metadata import PackageNotFoundError, version

    mismatched = {}
    for name, pinned in _locked().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pinned:
            mismatched[name] = (installed, pinned)
    assert not mismatched, f"installed != locked (run `make env`): {mismatched}"


def test_environment_yml_installs_from_the_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert {_name(d) for d in conda} == {"python", "pip"}  # every package comes from the lock
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section[0] == "-r requirements.lock"
    assert any(line.startswith("-e .") for line in pip_section)


def test_the_licence_is_an_spdx_expression():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert isinstance(project["license"], str)


def test_readme_setup_is_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make brief" in readme and "make test" in readme


def test_make_help_lists_documented_targets():
    import subprocess

    done = subprocess.run(["make", "help"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0
    for target in ("brief", "test", "lint", "bench"):
        assert f"make {target}" in done.stdout
