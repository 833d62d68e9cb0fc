"""One reader per file kind. Each module of this package registers its reader in `READERS`
when imported, so a new format is one new module and nothing else.

A reader turns a file's text into a record (see `versync.records` and each module); the
records are what the scan cache keeps, so a file that did not change is not parsed again.
Readers do no I/O: text in, record out, `InputError` for a malformed file.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable

from versync._typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any


class Reader(NamedTuple):
    """How to read one kind of file: the file names it reads and what it makes of them."""

    kind: str  # what the model calls the record: "pyproject", "cargo", "cargo-lock", ...
    names: tuple[str, ...]  # file names (the last path segment) this reader reads
    read: Callable[[str, str], Any]  # (repository-relative path, text) -> record


READERS: dict[str, Reader] = {}  # file name -> reader
_loaded = False


def register(reader: Reader) -> Reader:
    """Add a reader to `READERS`; called by each format module as it is imported."""
    for name in reader.names:
        if READERS.get(name, reader) != reader:
            raise RuntimeError(f"two readers for {name}: {READERS[name].kind}, {reader.kind}")
        READERS[name] = reader
    return reader


def readers() -> dict[str, Reader]:
    """Every registered reader by file name, importing the format modules on first use."""
    global _loaded
    if not _loaded:
        folder = os.path.dirname(__file__)
        for entry in sorted(os.listdir(folder)):
            if entry.endswith(".py") and not entry.startswith("_"):
                importlib.import_module(f"{__name__}.{entry[:-3]}")
        _loaded = True
    return READERS


def manifest_names() -> frozenset[str]:
    """The file names versync reads wherever they are in a repository."""
    return frozenset(readers())


def reader_for(path: str) -> Reader | None:
    """The reader of the file at `path`, by its name; None when versync does not read it."""
    return readers().get(path.rpartition("/")[2])


def read_manifest(path: str, text: str) -> Any:
    """The record of the file at `path` with content `text`; `InputError` when malformed."""
    reader = reader_for(path)
    if reader is None:
        raise ValueError(f"{path}: no reader for this file")
    return reader.read(path, text)
