"""Cargo.lock: the entries of workspace members and path dependencies (those with no `source`)."""

from __future__ import annotations

from versync.core import LockEntry
from versync.formats.toml import TomlFile


def read(path: str, text: str) -> list[LockEntry]:
    toml = TomlFile(path, text)
    packages = toml.get("package") or []
    entries: list[LockEntry] = []
    for index, package in enumerate(packages):
        if not isinstance(package, dict) or "source" in package:
            continue
        name = toml.string("package", index, "name")
        if name is not None:
            entries.append(LockEntry(name.text, toml.string("package", index, "version")))
    return entries
