"""uv.lock: the entries of workspace members (`source = { editable = ... }` or `{ virtual }`)."""

from __future__ import annotations

from versync.formats import Reader, register
from versync.records import LockEntry
from versync.syntax.pep508 import canonical_name
from versync.syntax.toml import TomlFile

_MEMBER_SOURCES = ("editable", "virtual")


def read(path: str, text: str) -> list[LockEntry]:
    toml = TomlFile(path, text)
    packages = toml.get("package") or []
    entries: list[LockEntry] = []
    for index, package in enumerate(packages):
        member_path = _member_path(package)
        name = None if member_path is None else toml.text_at("package", index, "name")
        if member_path is None or name is None:
            continue
        version = toml.string("package", index, "version")
        entries.append(
            LockEntry(name=canonical_name(name), version=version, member_path=member_path)
        )
    return entries


def _member_path(package: object) -> str | None:
    """The folder of a workspace member, relative to the lock; None for any other package."""
    source = package.get("source") if isinstance(package, dict) else None
    if not isinstance(source, dict):
        return None
    path = next((source[kind] for kind in _MEMBER_SOURCES if kind in source), None)
    return path if isinstance(path, str) else None


READER = register(Reader("uv-lock", ("uv.lock",), read))
