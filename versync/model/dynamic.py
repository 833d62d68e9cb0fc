"""Versions a build backend computes: from git tags (hatch-vcs, setuptools-scm,
uv-dynamic-versioning, poetry-dynamic-versioning, pdm's scm source), and from setuptools'
setup.cfg and setup.py.

A version from git tags is not written in any file: the package is listed with a `vcs`
source holding what `git describe` gives (unknown in a shallow or tagless clone, with a note
saying to fetch tags), joins no group, and `bump` refuses it (the release is a tag).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from versync.errors import InputError
from versync.model.parsed import ReadExtra, join, pep440_source
from versync.records import Note, Span, VersionSource
from versync.syntax import python
from versync.syntax.pep440 import parse_pep440
from versync.syntax.setuptools import SetupInfo


class Tags(NamedTuple):
    """What git says of the release tags: the version of the nearest tag, or why unknown."""

    version: str | None
    reason: str = ""


DescribeTags = Callable[[], Tags]  # given by the façade (it runs git); called at most once


def no_tags() -> Tags:
    """The answer outside git."""
    return Tags(None, "not a git checkout")


def vcs_source(
    project_path: str, plugin: str, tags: Tags, notes: list[Note]
) -> VersionSource | None:
    """The version git tags give a package, or None (with a note) when git cannot say."""
    if tags.version is None:
        notes.append(
            Note(
                code="vcs",
                message=(
                    f"version from git tags ({plugin}) unknown: {tags.reason}; "
                    "fetch tags: git fetch --tags --unshallow"
                ),
                file=project_path,
            )
        )
        return None
    span = Span(file=project_path, line=1, column=1, start=0, end=0, text=tags.version)
    version = parse_pep440(tags.version)
    return VersionSource(
        literal=span, kind="vcs", scheme="pep440", version=version, valid=version is not None
    )


def setuptools_source(
    folder: str, info: SetupInfo, read_extra: ReadExtra, kind: str
) -> VersionSource | None:
    """The version setup.cfg or setup.py gives (literal, `attr:` or `file:`), or None."""
    if info.version is not None:
        return pep440_source(info.version, kind)
    if info.attr is not None:
        span = attr_version(folder, info.attr, read_extra)
        return pep440_source(span, "version-file") if span is not None else None
    if info.file is not None:
        return file_version(join(folder, info.file), read_extra)
    return None


def attr_version(folder: str, attr: str, read_extra: ReadExtra) -> Span | None:
    """The string a module-level name holds, for setuptools' `attr: pkg.module.NAME`."""
    module, _, name = attr.rpartition(".")
    stem = module.replace(".", "/")
    for base in ("", "src/"):
        for candidate in (f"{base}{stem}/__init__.py", f"{base}{stem}.py"):
            path = join(folder, candidate)
            file = read_extra(path)
            if file is not None:
                return python.assigned_string(path, file.text, name)
    return None


def file_version(path: str, read_extra: ReadExtra) -> VersionSource | None:
    """A `VERSION`-style file whose whole content (stripped) is the version."""
    file = read_extra(path)
    if file is None:
        raise InputError(path, 1, 1, "the version file setup.cfg names does not exist")
    text = file.text
    start = len(text) - len(text.lstrip())
    value = text.strip()
    if not value or "\n" in value:
        raise InputError(path, 1, 1, "a version file must hold only the version")
    line = text.count("\n", 0, start) + 1
    span = Span(file=path, line=line, column=1, start=start, end=start + len(value), text=value)
    return pep440_source(span, "version-file")


def tag_version(tag: str) -> str | None:
    """The version a release tag names (`v1.2.3`, `name-v1.2.3`, `1.2.3`), or None."""
    match = re.search(r"(?:^|[^0-9A-Za-z])[vV]?(\d+(?:\.\d+)*(?:[-._+]?[0-9A-Za-z.+-]*)?)$", tag)
    if match is None:
        return None
    version = parse_pep440(match[1])
    return str(version) if version is not None else None
