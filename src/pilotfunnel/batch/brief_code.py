"""The package code a brief is built from: the import closure of the brief's entry modules.

Read from the modules' source (nothing is imported), so the batch's parent can tell whether the
code changed without loading the model, nbconvert or WeasyPrint.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from pilotfunnel.core import paths

# The brief notebook imports ``brief``; ``pipeline`` runs and renders it. Every module these
# import, directly or not, is part of every brief, and a change to any of them rebuilds every
# brief. The explorer, the command line and other front ends are left out: they do not change
# a brief.
BRIEF_ENTRY_MODULES = ("views.brief", "export.pipeline")
BRIEF_TEMPLATES = ("views/templates", "export/nbconvert/templates")


@functools.cache
def brief_code(package_dir: Path = paths.PACKAGE_DIR) -> tuple[str, ...]:
    """The package files a brief is built from: the import closure of the brief's entry modules
    (read from their source, nothing imported), and the template folders."""
    package = package_dir.name
    found: set[Path] = set()
    queue = [_module_file(package_dir, name.split(".")) for name in BRIEF_ENTRY_MODULES]
    while queue:
        path = queue.pop()
        if path is None or path in found:
            continue
        found.add(path)
        parts = list(path.relative_to(package_dir).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        else:
            found.add(package_dir.joinpath(*parts[:-1], "__init__.py"))
        queue += _imported_files(package_dir, package, parts, path)
    files = sorted(str(p.relative_to(package_dir)) for p in found if p.is_file())
    return (*files, *BRIEF_TEMPLATES)


def _imported_files(package_dir: Path, package: str, parts: list[str], path: Path) -> list:
    """The package's own modules that one module imports, at any depth of its code."""
    here = parts if path.name == "__init__.py" else parts[:-1]  # the module's package
    imported = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            modules = [alias.name.split(".") for alias in node.names]
            imported += [_module_file(package_dir, m[1:]) for m in modules if m[0] == package]
            continue
        if not isinstance(node, ast.ImportFrom):
            continue
        named = node.module.split(".") if node.module else []
        if node.level:  # from . import x, from ..export import y
            module = [*here[: len(here) - node.level + 1], *named]
        elif named[:1] == [package]:
            module = named[1:]
        else:
            continue
        # "from .export import pdf" names a module; "from .brand import Brand" a name in one.
        imported.append(_module_file(package_dir, module))
        imported += [_module_file(package_dir, [*module, alias.name]) for alias in node.names]
    return imported


def _module_file(package_dir: Path, parts: list[str]) -> Path | None:
    """The file of module ``parts`` under the package, or None when it is not a module."""
    module = package_dir.joinpath(*parts)
    for candidate in (module.with_suffix(".py"), module / "__init__.py"):
        if parts and candidate.is_file():
            return candidate
    return package_dir / "__init__.py" if not parts else None
