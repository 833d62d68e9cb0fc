"""The records every layer shares: where a version is written, and what depends on it.

Offsets (`start`, `end`) index the file's text after decoding and after any BOM is removed;
`line` and `column` are 1-based and point at the first character of the literal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from packaging.version import Version

Scheme = Literal["pep440", "semver"]
DependencyScheme = Literal["pep508", "cargo", "poetry"]
LockTool = Literal["cargo", "uv"]


class Span(NamedTuple):
    """A string literal in a file: its text as written and its exact place."""

    file: str
    line: int
    column: int
    start: int
    end: int
    text: str


class VersionSource(NamedTuple):
    """A place that states a package's version.

    `version` is the PEP 440 reading (for Cargo sources, the reading maturin would give), or
    None when the literal has none.
    """

    literal: Span
    kind: str
    scheme: Scheme
    version: Version | None
    valid: bool

    @property
    def file(self) -> str:
        return self.literal.file

    @property
    def line(self) -> int:
        return self.literal.line

    @property
    def text(self) -> str:
        return self.literal.text


class Dependency(NamedTuple):
    """A requirement of one package on another package of the repository.

    `literal` holds the whole string the requirement is written in (a PEP 508 string, or the
    `version` value of a Cargo or Poetry dependency); `spec_offset` is where the version
    constraint starts inside it.
    """

    target: str
    literal: Span
    scheme: DependencyScheme
    specifier: str
    spec_offset: int
    owner: str


class LockEntry(NamedTuple):
    """A locked package with no registry source: a workspace member or a path dependency."""

    name: str
    version: Span | None
    member_path: str | None = None


class Finding(NamedTuple):
    code: str
    package: str
    file: str
    line: int
    column: int
    found: str
    expected: str
    message: str
    fixable: bool

    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Package:
    """A publishable unit: one folder, one name, one or more version sources."""

    __slots__ = (
        "backend",
        "crate_name",
        "dependencies",
        "group",
        "key",
        "name",
        "path",
        "primary",
        "publishable",
        "python_name",
        "sources",
        "version_unknown",
    )

    def __init__(self, name: str, key: str, path: str, backend: str) -> None:
        self.name = name
        self.key = key
        self.path = path
        self.backend = backend
        self.sources: list[VersionSource] = []
        self.dependencies: list[Dependency] = []
        self.crate_name: str | None = None
        self.python_name: str | None = None
        self.publishable = True
        self.version_unknown = False
        self.group: str | None = None
        # The source whose value the built artifact carries (maturin: pyproject's static version).
        self.primary: VersionSource | None = None

    def __repr__(self) -> str:
        return f"Package({self.name!r}, path={self.path!r})"

    @property
    def published_version(self) -> Version | None:
        return self.primary.version if self.primary is not None else None

    @property
    def highest(self) -> Version | None:
        versions = [s.version for s in self.sources if s.valid and s.version is not None]
        return max(versions) if versions else None
