"""The package's modules import one another one way: no import cycle anywhere in `extract/`, counting
the imports made inside functions (a lazy import hides a cycle until the day it is made eager)."""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "extract"


def _modules() -> dict[str, Path]:
    out = {}
    for f in PACKAGE.rglob("*.py"):
        parts = f.relative_to(ROOT).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = f
    return out


def _imported(module: str, node: ast.Import | ast.ImportFrom, modules: dict[str, Path]) -> set[str]:
    """The package's modules an import statement in `module` loads (a name imported from a package is
    its submodule when there is one)."""
    if isinstance(node, ast.Import):
        return {a.name for a in node.names if a.name in modules}
    package = module if modules[module].name == "__init__.py" else module.rpartition(".")[0]
    base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
    target = ".".join(base + ([node.module] if node.module else []))
    found = {f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in modules}
    return found or ({target} if target in modules else set())


def _import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {m: set() for m in modules}
    for m, f in modules.items():
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                # a submodule importing its own package's __init__ is the package being loaded
                graph[m] |= {t for t in _imported(m, node, modules) if t != m and not m.startswith(t + ".")}
    return graph


def _cycle_through(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        path.append(m)
        for t in sorted(graph[m]):
            if state.get(t) == 1:
                return path[path.index(t):] + [t]
            if t not in state and (found := visit(t)):
                return found
        state[m] = 2
        path.pop()
        return None

    return next((c for m in sorted(graph) if m not in state and (c := visit(m))), None)


def test_no_import_cycle_in_the_package():
    assert _cycle_through(_import_graph()) is None


# the walk itself: (graph, whether it has a cycle)
GRAPHS = [
    ({"a": {"b"}, "b": {"c"}, "c": set()}, False),
    ({"a": {"b"}, "b": {"a"}}, True),
    ({"a": {"b", "c"}, "b": {"c"}, "c": {"d"}, "d": {"b"}}, True),
    ({"a": set(), "b": {"a"}, "c": {"a", "b"}}, False),
]


def test_the_walk_finds_a_cycle_where_there_is_one():
    assert [_cycle_through(g) is not None for g, _ in GRAPHS] == [cyclic for _, cyclic in GRAPHS]


def test_the_walk_sees_lazy_and_relative_imports():
    graph = _import_graph()
    assert "extract.read.ocr_engines" in graph["extract.read.ink"]  # module level, relative
    assert "extract.read.pdf" in graph["extract.read"]  # inside a function
    assert "extract.db" in graph["extract.batch"]  # from . import db
