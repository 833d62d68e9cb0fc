"""The publish order as text, JSON, a GitHub Actions matrix and a Mermaid flowchart."""

from __future__ import annotations

import json
import re
from typing import Any

from versync.model.order import publish_edges
from versync.records import Package


def order_text(layers: list[list[Package]]) -> list[str]:
    """One line per layer: its number, two spaces, the names of its packages."""
    return [f"{number}  {' '.join(p.name for p in layer)}" for number, layer in _numbered(layers)]


def order_json(layers: list[list[Package]]) -> str:
    """`{"layers": [[{"name", "path", "backend", "version"}, ...], ...]}`, layer 1 first."""
    document = {"layers": [[_entry(p) for p in layer] for layer in layers]}
    return json.dumps(document, indent=2)


def order_github(layers: list[list[Package]]) -> str:
    """One line a GitHub Actions `strategy.matrix` takes through `fromJSON`:
    `{"include": [{"name", "path", "backend", "layer"}, ...]}`, in publish order."""
    include = [
        {"name": p.name, "path": p.path, "backend": p.backend, "layer": number}
        for number, layer in _numbered(layers)
        for p in layer
    ]
    return json.dumps({"include": include})


def order_mermaid(layers: list[list[Package]]) -> str:
    """A Mermaid flowchart: one subgraph per layer, an arrow from each package to each
    package that needs it published first, and each lockstep group a class."""
    ids = {p.id: f"p{index}" for index, p in enumerate(p for layer in layers for p in layer)}
    lines = ["flowchart TB"]
    for number, layer in _numbered(layers):
        lines.append(f'  subgraph layer{number}["Layer {number}"]')
        lines += [f'    {ids[p.id]}["{_label(p)}"]' for p in layer]
        lines.append("  end")
    every = [p for layer in layers for p in layer]
    lines += [f"  {ids[a.id]} --> {ids[b.id]}" for a, b in publish_edges(every)]
    groups: dict[str, list[str]] = {}
    for package in every:
        if package.group is not None:
            groups.setdefault(package.group, []).append(ids[package.id])
    for index, (group, members) in enumerate(sorted(groups.items())):
        name = _class_name(group)
        lines.append(f"  classDef {name} fill:{_PALETTE[index % len(_PALETTE)]},stroke:#333")
        lines.append(f"  class {','.join(members)} {name}")
    return "\n".join(lines)


_PALETTE = ("#dbeafe", "#dcfce7", "#fef3c7", "#fce7f3", "#ede9fe", "#e0f2fe", "#fee2e2")


def _numbered(layers: list[list[Package]]) -> list[tuple[int, list[Package]]]:
    return list(enumerate(layers, start=1))


def _entry(package: Package) -> dict[str, Any]:
    version = package.published_version
    return {
        "name": package.name,
        "path": package.path,
        "backend": package.backend,
        "version": str(version) if version is not None else None,
    }


def _label(package: Package) -> str:
    version = package.primary.text if package.primary is not None else "?"
    return f"{package.name} {version}".replace('"', "#quot;")


def _class_name(group: str) -> str:
    """A class name Mermaid accepts (and never its reserved `default`)."""
    return "group_" + re.sub(r"[^A-Za-z0-9_]", "_", group)
