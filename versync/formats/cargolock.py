"""Cargo.lock: the entries of workspace members and path dependencies (those with no `source`)."""

from __future__ import annotations

from versync.formats import Reader, register
from versync.records import LockEntry
from versync.syntax.toml import TomlFile


def read(path: str, text: str) -> list[LockEntry]:
    toml = TomlFile(path, text)
    packages = toml.get("package") or []
    entries: list[LockEntry] = []
    for index, package in enumerate(packages):
        if not isinstance(package, dict) or "source" in package:
            continue
        name = toml.text_at("package", index, "name")
        if name is not None:
            version = toml.string("package", index, "version")
            entries.append(LockEntry(name=name, version=version))
    return entries


READER = register(Reader("cargo-lock", ("Cargo.lock",), read))
