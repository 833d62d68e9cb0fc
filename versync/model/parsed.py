"""The records of a scan sorted by kind, and the small helpers every model module shares."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from versync.errors import InputError
from versync.formats import reader_for
from versync.formats.cargo import CargoManifest
from versync.formats.pyproject import PyProject
from versync.model.config import Config
from versync.records import FileProblem, LockEntry, Span, VersionSource
from versync.syntax.globs import matches_any
from versync.syntax.pep440 import parse_pep440
from versync.syntax.python import BundleVersion
from versync.syntax.semver import is_semver, maturin_reading
from versync.syntax.setuptools import SetupInfo
from versync.syntax.text import FileText

ReadExtra = Callable[[str], FileText | None]


class Parsed:
    """The records of one scan, by kind; files the configuration excludes are left out."""

    def __init__(
        self, records: Mapping[str, Any], config: Config, problems: Iterable[FileProblem] = ()
    ) -> None:
        # Files that could not be read, and problems found while building the model.
        self.problems: list[FileProblem] = list(problems)
        self.pyprojects: dict[str, PyProject] = {}  # by folder
        self.cargos: dict[str, CargoManifest] = {}  # by path
        self.cargo_locks: dict[str, list[LockEntry]] = {}
        self.uv_locks: dict[str, list[LockEntry]] = {}
        self.bundles: dict[str, list[BundleVersion]] = {}
        self.vendor_markers: list[str] = []  # `.cargo-checksum.json` files
        self.setups: dict[str, SetupInfo] = {}  # setup.cfg and setup.py, by path
        self.package_jsons: dict[str, Span] = {}  # folder -> the "version" of its package.json
        for path, record in records.items():
            reader = reader_for(path)
            if config.excluded(path) or reader is None:
                continue
            if reader.kind == "pyproject":
                self.pyprojects[dirname(path)] = record
            elif reader.kind == "cargo":
                self.cargos[path] = record
            elif reader.kind == "cargo-lock":
                self.cargo_locks[path] = record
            elif reader.kind == "uv-lock":
                self.uv_locks[path] = record
            elif reader.kind == "bundle":
                self.bundles[path] = record
            elif reader.kind == "setuptools" and record is not None:
                self.setups[path] = record
            elif reader.kind == "package-json":
                if record.version is not None and not record.private:
                    self.package_jsons[dirname(path)] = record.version
            elif reader.kind == "vendored-crate":
                self.vendor_markers.append(path)


def dirname(path: str) -> str:
    """The folder of a repository-relative path, `.` for the root."""
    return posixpath.dirname(path) or "."


def join(folder: str, path: str) -> str:
    """`path` relative to `folder`, normalised (it may climb out with `..`)."""
    return posixpath.normpath(posixpath.join(folder, path))


def pep440_source(span: Span, kind: str) -> VersionSource:
    """A Python version source read from `span`."""
    version = parse_pep440(span.text)
    return VersionSource(
        literal=span, kind=kind, scheme="pep440", version=version, valid=version is not None
    )


def semver_source(span: Span, kind: str) -> VersionSource:
    """A Cargo version source read from `span`, with the PEP 440 reading maturin gives it."""
    return VersionSource(
        literal=span,
        kind=kind,
        scheme="semver",
        version=maturin_reading(span.text),
        valid=is_semver(span.text),
    )


def problem(error: InputError, package: str = "") -> FileProblem:
    """The problem an `InputError` describes, attributed to the package with id `package`."""
    return FileProblem(
        file=error.path,
        line=error.line,
        column=error.column,
        message=error.message,
        package=package,
    )


def uv_member(project: PyProject, member: str) -> bool:
    """Whether `member` (a folder relative to `project`'s) is one of the members its
    `[tool.uv.workspace]` lists (`members` globs, less the `exclude` ones)."""
    members = [m.rstrip("/") for m in project.uv_members or []]
    return matches_any(member, members) and not matches_any(member, project.uv_exclude)


def in_uv_workspace(parsed: Parsed, folder: str) -> bool:
    """Whether `folder` is a member of a uv workspace enclosing it (whose uv.lock holds it)."""
    current = folder
    while current != ".":
        current = dirname(current)
        project = parsed.pyprojects.get(current)
        if project is not None and project.uv_members is not None:
            return uv_member(project, posixpath.relpath(folder, current))
    return False
