"""One module per file format; each turns a file's text into records of `versync.core`.

`read_manifest` picks the reader by file name; the records it returns are what the scan cache
keeps, so a file that did not change is not parsed again.
"""

from __future__ import annotations

from typing import Any

from versync.core import LockEntry, Span
from versync.formats.cargo import CargoManifest
from versync.formats.pyproject import PyProject

Record = PyProject | CargoManifest | list[LockEntry] | list[Span] | dict[str, Any]


def read_manifest(path: str, text: str) -> Record:
    from versync.formats import cargo, cargolock, pyfile, pyproject, toml, uvlock

    name = path.rpartition("/")[2]
    if name == "pyproject.toml":
        return pyproject.read(path, text)
    if name == "Cargo.toml":
        return cargo.read(path, text)
    if name == "Cargo.lock":
        return cargolock.read(path, text)
    if name == "uv.lock":
        return uvlock.read(path, text)
    if name == "bundle.py":
        return pyfile.bundle_versions(path, text)
    return toml.parse(path, text)  # versync.toml
