"""Finding a package by what a user calls it: a name, a folder, or either with its ecosystem."""

from __future__ import annotations

import posixpath

from versync.errors import UsageError
from versync.records import Package
from versync.syntax.pep508 import canonical_name


def find_package(packages: list[Package], name: str) -> Package | None:
    """The package `name` names, or None: a name (compared as PEP 503 names), a folder, or
    either prefixed with its ecosystem (`pypi:NAME`, `cargo:NAME`). `UsageError`, listing
    the choices, when it names more than one (a wheel and a crate may share a name)."""
    ecosystem, _, rest = name.partition(":")
    wanted = packages
    if rest and ecosystem in ("pypi", "cargo"):
        wanted = [p for p in packages if p.ecosystem == ecosystem]
        name = rest
    key = canonical_name(name)
    folder = posixpath.normpath(name.rstrip("/") or ".")
    by_name = [p for p in wanted if p.key == key or p.name == name]
    found = [] if "/" in name or name.startswith(".") else by_name
    found = found or [p for p in wanted if p.path == folder]
    if len(found) > 1:
        choices = ", ".join(_choice(p, found) for p in found)
        raise UsageError(f"{name!r} names several packages: {choices}; name one of them")
    return found[0] if found else None


def _choice(package: Package, among: list[Package]) -> str:
    """How to name `package` unambiguously: `ecosystem:name`, else its folder (`./path`)."""
    if sum(p.ecosystem == package.ecosystem for p in among) == 1:
        return f"{package.ecosystem}:{package.name}"
    return "." if package.path == "." else f"./{package.path}"
