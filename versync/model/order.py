"""Publish order: layers of packages such that every package comes after the packages of the
repository it needs on the index (`Package.requires`). Pure: packages in, layers out."""

from __future__ import annotations

from collections.abc import Sequence

from versync.errors import VersyncError
from versync.records import Package


class DependencyCycle(VersyncError):
    """Packages that need each other published first: no order exists. `cycle` holds their
    names in dependency order, the first repeated at the end."""

    def __init__(self, cycle: Sequence[str]) -> None:
        self.cycle = tuple(cycle)
        super().__init__(
            f"dependency cycle: {' -> '.join(self.cycle)}; "
            "no publish order exists until one of these requirements is removed"
        )


def publish_layers(packages: Sequence[Package]) -> list[list[Package]]:
    """`packages` in layers: layer 1 needs none of the others, and every package sits in the
    layer after the highest layer of a package it needs. Requirements on packages outside
    `packages` are taken as already published. Each layer is sorted by name, then path.
    Raises `DependencyCycle` when packages need each other."""
    by_id = {p.id: p for p in packages}
    depth: dict[str, int] = {}
    for package in sorted(packages, key=_sort_key):
        _depth(package, by_id, depth, [])
    layers: list[list[Package]] = [[] for _ in range(max(depth.values(), default=0))]
    for package in packages:
        layers[depth[package.id] - 1].append(package)
    return [sorted(layer, key=_sort_key) for layer in layers]


def publish_edges(packages: Sequence[Package]) -> list[tuple[Package, Package]]:
    """Each (needed, needing) pair among `packages`: the first must be published before the
    second."""
    by_id = {p.id: p for p in packages}
    return [
        (by_id[needed], package)
        for package in sorted(packages, key=_sort_key)
        for needed in package.requires
        if needed in by_id
    ]


def _depth(
    package: Package, by_id: dict[str, Package], depth: dict[str, int], path: list[str]
) -> int:
    known = depth.get(package.id)
    if known is not None:
        return known
    if package.id in path:
        raise DependencyCycle(_cycle_names(path[path.index(package.id) :], by_id))
    path.append(package.id)
    needed = [by_id[i] for i in package.requires if i in by_id]
    level = 1 + max((_depth(n, by_id, depth, path) for n in needed), default=0)
    path.pop()
    depth[package.id] = level
    return level


def _cycle_names(ids: list[str], by_id: dict[str, Package]) -> list[str]:
    """The cycle's names, started at its smallest name so the message does not depend on
    where the search entered it."""
    names = [by_id[i].name for i in ids]
    start = names.index(min(names))
    rotated = names[start:] + names[:start]
    return [*rotated, rotated[0]]


def _sort_key(package: Package) -> tuple[str, str]:
    return (package.name, package.path)
