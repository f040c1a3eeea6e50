"""The layers import only downward: core -> inputs -> model -> views -> export -> batch -> ui.

Read from the source's syntax tree, not by importing, so a violation is found even in a module
that would not import cleanly, and the check costs no start-up.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "pilotfunnel"
LAYERS = ("core", "inputs", "model", "views", "export", "batch", "ui")

# Known violations while the round's other helpers finish: (importing module, imported module).
# The lead empties this list; an entry that no longer occurs fails the test, so it cannot go stale.
ALLOWED: set[tuple[str, str]] = set()


def layer_of(module: str) -> int | None:
    """The layer index of a ``pilotfunnel.<layer>...`` module; None for the package root."""
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "pilotfunnel" or parts[1] not in LAYERS:
        return None
    return LAYERS.index(parts[1])


def module_name(path: Path, package: Path = PACKAGE) -> str:
    rel = path.relative_to(package.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(tree: ast.Module, module: str, is_package: bool) -> list[str]:
    """The kit's modules this module imports: at module level, inside a top-level if/try
    (TYPE_CHECKING blocks count: they are the dependency graph too) and inside functions (a
    late import hides a dependency; it does not remove it)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = module.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.append(name)
    return [name for name in found if name.split(".")[0] == "pilotfunnel"]


def upward_imports(package: Path = PACKAGE) -> set[tuple[str, str]]:
    """Every (importer, imported) pair where a module imports from a layer above its own."""
    found = set()
    for path in sorted(package.rglob("*.py")):
        module = module_name(path, package)
        own = layer_of(module)
        if own is None:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for imported in imported_modules(tree, module, path.name == "__init__.py"):
            theirs = layer_of(imported)
            if theirs is not None and theirs > own:
                found.add((module, imported))
    return found


# Import cycles while the round's other helpers finish, each as the set of modules that import
# one another (a strongly connected component of the module-level graph). The lead empties it.
ALLOWED_CYCLES: list[set[str]] = []


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the kit's modules it imports at module level (TYPE_CHECKING blocks too): an
    ``from a.b import c`` counts as importing ``a.b.c`` when that is a module, else ``a.b``."""
    paths = {module_name(p, package): p for p in sorted(package.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        nodes: list[ast.AST] = []
        for top in tree.body:  # a top-level if/try (TYPE_CHECKING, a fallback) counts too
            nodes += ast.walk(top) if isinstance(top, (ast.If, ast.Try)) else [top]
        found = set()
        for node in nodes:
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name in paths}
            elif isinstance(node, ast.ImportFrom) and node.module in paths and not node.level:
                named = {f"{node.module}.{a.name}" for a in node.names} & set(paths)
                found |= named or {node.module}
        graph[module] = found - {module}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The graph's strongly connected components of more than one module (Tarjan's)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for step in graph.get(node, ()):
            if step not in index:
                visit(step)
                low[node] = min(low[node], low[step])
            elif step in stack:
                low[node] = min(low[node], index[step])
        if low[node] == index[node]:
            component = set()
            while True:
                top = stack.pop()
                component.add(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles():
    found = cycles(import_graph())
    assert [c for c in found if c not in ALLOWED_CYCLES] == [], "an import cycle"
    assert [c for c in ALLOWED_CYCLES if c not in found] == [], "allowed cycle gone: remove it"


def test_the_cycle_check_finds_a_cycle_and_nothing_else():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [{"a", "b", "c"}]


def test_layers_import_only_downward():
    found = upward_imports()
    assert found - ALLOWED == set(), "an import from a higher layer"
    assert ALLOWED - found == set(), "allowed violation gone: remove it from ALLOWED"


def test_the_check_finds_an_upward_import(tmp_path):
    package = tmp_path / "pilotfunnel"
    (package / "inputs").mkdir(parents=True)
    (package / "model").mkdir()
    (package / "inputs" / "late.py").write_text(
        "from pilotfunnel.core import paths\n"  # downward: fine
        "if True:\n    from pilotfunnel.model import funnel\n"  # upward, at module level
        "def f():\n    import pilotfunnel.ui.cli\n"  # upward, hidden in a function
    )
    (package / "model" / "rel.py").write_text("from ..views import charts\n")
    assert upward_imports(package) == {
        ("pilotfunnel.inputs.late", "pilotfunnel.model"),
        ("pilotfunnel.inputs.late", "pilotfunnel.ui.cli"),
        ("pilotfunnel.model.rel", "pilotfunnel.views"),
    }


@pytest.mark.parametrize(
    ("module", "layer"),
    [("pilotfunnel.core.files", 0), ("pilotfunnel.ui", 6), ("pilotfunnel", None), ("numpy", None)],
)
def test_layer_of(module, layer):
    assert layer_of(module) == layer


def unexplained_local_imports(package: Path = PACKAGE) -> list[str]:
    """Imports inside functions with no comment saying why: on the import's own lines, or in
    the comment just above its run of imports. A late import hides a dependency; it is kept
    only where it keeps a start-up light, and says so."""
    found = []
    for path in sorted(package.rglob("*.py")):
        lines = path.read_text("utf-8").splitlines()
        for function in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if not isinstance(node, (ast.Import, ast.ImportFrom)):
                    continue
                own = lines[node.lineno - 1 : node.end_lineno]
                if any("#" in line for line in own):
                    continue
                above = node.lineno - 2
                while above >= 0 and _part_of_an_import_run(lines[above]):
                    above -= 1
                if above < 0 or not lines[above].strip().startswith("#"):
                    found.append(f"{path.relative_to(package)}:{node.lineno}")
    return found


def _part_of_an_import_run(line: str) -> bool:
    text = line.strip()
    return text.startswith(("import ", "from ")) or text in ("", ")") or text.endswith(",")


def test_each_late_import_says_why():
    assert unexplained_local_imports() == []


def test_the_late_import_check_finds_a_silent_one(tmp_path):
    package = tmp_path / "pilotfunnel"
    package.mkdir()
    (package / "a.py").write_text(
        "def said():\n"
        "    # heavy: loaded only when drawn\n"
        "    import matplotlib\n"
        "    from pilotfunnel import b\n"
        "\n"
        "\n"
        "def inline():\n"
        "    import numpy  # heavy, see above\n"
        "\n"
        "\n"
        "def silent():\n"
        "    x = 1\n"
        "    import json\n",
        encoding="utf-8",
    )
    assert unexplained_local_imports(package) == ["a.py:13"]
