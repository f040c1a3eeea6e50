import re

import tomllib
import yaml

from .conftest import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ]", requirement, maxsplit=1)[0].strip().lower()


def test_environment_yml_declares_the_same_runtime_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert conda == runtime
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert any(line.startswith("-e .") for line in pip_section)


def test_readme_setup_is_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make brief" in readme and "make test" in readme


def test_make_help_lists_documented_targets():
    import subprocess

    done = subprocess.run(["make", "help"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0
    for target in ("brief", "test", "lint", "bench"):
        assert f"make {target}" in done.stdout
