"""The build's one step beyond pyproject.toml: the starter project as package data.

``pilotfunnel new`` copies a starter project (pilotfunnel.yml, data/, notebooks/) from
``pilotfunnel/starter`` inside the installed package. Their one home is the repository's own
project folder, so the build copies them in rather than keeping a second copy in src/. An
editable install reads them from the checkout instead (core.paths.starter_dir).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
STARTER = ("pilotfunnel.yml", "data", "notebooks")


def _wanted(path: Path) -> bool:
    rel = path.relative_to(HERE)
    hidden = any(part.startswith(".") or part == "__pycache__" for part in rel.parts)
    return path.is_file() and not hidden and not (rel.parts[0] == "notebooks" and path.suffix != ".ipynb")


class BuildWithStarter(build_py):
    """build_py, then the starter project into the built package's starter/ folder."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the checkout is the starter
        target = Path(self.build_lib) / "pilotfunnel" / "starter"
        shutil.rmtree(target, ignore_errors=True)
        for name in STARTER:
            source = HERE / name
            paths = [source] if source.is_file() else sorted(source.rglob("*"))
            for path in filter(_wanted, paths):
                destination = target / path.relative_to(HERE)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, destination)


setup(cmdclass={"build_py": BuildWithStarter})
