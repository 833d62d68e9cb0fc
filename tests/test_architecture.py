"""The shape of versync: layers that import downward only, no cycles, no oversized module."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "versync"

# Lowest first. A module may import modules of its own layer or of layers below it.
LAYERS: list[tuple[str, ...]] = [
    ("versync.__about__", "versync.errors", "versync._typing"),
    ("versync.records",),
    ("versync.syntax",),
    ("versync._fs",),
    ("versync.formats",),
    ("versync.model",),
    ("versync.rules", "versync.expectation"),
    ("versync.change",),
    ("versync.workspace", "versync.verdict", "versync.history", "versync.scanning"),
    ("versync._output",),
    ("versync._cli", "versync.__main__"),
    ("versync",),  # the package itself: the public names, loaded lazily
]
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The versync modules `module` imports, at any depth of its code (lazy imports count)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            # `from pkg import mod` imports the module; `from mod import name`, the module.
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
    return targets


def _layer(module: str) -> int:
    best, depth = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > depth:
                best, depth = index, len(prefix)
    assert best >= 0, f"{module} is in no declared layer"
    return best


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {m: _imports(m, p, modules) for m, p in modules.items()}


def test_every_import_points_down_or_across() -> None:
    upward = [
        f"{module} (layer {_layer(module)}) imports {target} (layer {_layer(target)})"
        for module, targets in _graph().items()
        for target in targets
        if _layer(target) > _layer(module)
    ]
    assert upward == []


def test_there_is_no_import_cycle() -> None:
    graph = _graph()
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str], on_path: set[str], done: set[str]) -> None:
        for target in sorted(graph[node]):
            if target in on_path:
                cycles.append([*path[path.index(target) :], target])
            elif target not in done:
                on_path.add(target)
                visit(target, [*path, target], on_path, done)
                on_path.discard(target)
        done.add(node)

    done: set[str] = set()
    for start in sorted(graph):
        if start not in done:
            visit(start, [start], {start}, done)
    assert cycles == []


def test_no_module_is_over_the_size_limit() -> None:
    sizes = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in _modules().items()}
    assert {m: n for m, n in sizes.items() if n > MAX_LINES} == {}


def test_the_checker_sees_lazy_and_relative_imports() -> None:
    """The graph is built from every import statement, including those inside functions."""
    graph = _graph()
    assert "versync.change.bump" in graph["versync.workspace"]  # imported inside Workspace.bump
    assert "versync._fs.git" in graph["versync._fs.cache"]  # imported inside cache_dir
    assert _layer("versync.model.config") == _layer("versync.model") == 5
