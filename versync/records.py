"""The records every layer shares: where a version is written, what depends on it, what is wrong.

Records are frozen, keyword-only and slotted, with `repr`s that fit on a line. They are made
by `record`, which gives a class the semantics of `@dataclass(frozen=True, kw_only=True,
slots=True)` without importing `dataclasses` (10 ms, a third of a hook run on a small
repository, because it imports `inspect`).

Offsets (`start`, `end`) index the file's text after decoding and after any BOM is removed;
`line` and `column` are 1-based and point at the first character of the literal.
"""

from __future__ import annotations

from collections.abc import Callable

from versync._typing import TYPE_CHECKING, dataclass_transform

if TYPE_CHECKING:
    from typing import Any, Literal, TypeVar

    from packaging.version import Version

    Scheme = Literal["pep440", "semver"]
    DependencyScheme = Literal["pep508", "cargo", "poetry"]
    LockTool = Literal["cargo", "uv"]
    Ecosystem = Literal["pypi", "cargo"]

    _R = TypeVar("_R")


@dataclass_transform(kw_only_default=True, frozen_default=True)
def record(cls: type[_R]) -> type[_R]:
    """`cls` remade as a frozen, keyword-only, slotted record of its annotated fields.

    A class attribute named like a field is that field's default. Methods and properties are
    kept; `__init__`, `__eq__`, `__hash__` and (unless the class defines one) `__repr__` are
    generated. Assigning to a field raises `AttributeError`; use `replace` for a changed copy.
    """
    fields = tuple(cls.__dict__.get("__annotations__", {}))  # noqa: RUF063 (inspect costs 9 ms)
    defaults = {name: cls.__dict__[name] for name in fields if name in cls.__dict__}
    namespace = {
        key: value
        for key, value in cls.__dict__.items()
        if key not in fields and key not in ("__dict__", "__weakref__")
    }
    namespace["__slots__"] = fields
    namespace["__record_fields__"] = fields
    namespace["__eq__"] = _eq
    namespace["__hash__"] = _hash
    namespace["__setattr__"] = _frozen
    namespace["__delattr__"] = _frozen
    namespace["__reduce__"] = _reduce
    namespace.setdefault("__repr__", _repr)
    made: type[_R] = type(cls.__name__, cls.__bases__, namespace)
    made.__init__ = _make_init(made, cls.__qualname__, fields, defaults)  # type: ignore[method-assign]
    return made


def _make_init(made: type, qualname: str, fields: tuple[str, ...], defaults: dict[str, Any]) -> Any:
    params = ", ".join(f"{name}=_default_{name}" if name in defaults else name for name in fields)
    body = "".join(f"    _set_{name}(self, {name})\n" for name in fields) or "    pass\n"
    # Each slot's own setter: a frozen record's `__setattr__` refuses, and going around it
    # through `object.__setattr__` costs a third more per record.
    scope: dict[str, Any] = {f"_set_{name}": getattr(made, name).__set__ for name in fields}
    scope.update({f"_default_{name}": value for name, value in defaults.items()})
    exec(f"def __init__(self, *, {params}):\n{body}", scope)  # as dataclasses does: fast inits
    init = scope["__init__"]
    init.__qualname__ = f"{qualname}.__init__"
    return init


def _values(self: Any) -> tuple[Any, ...]:
    return tuple(getattr(self, name) for name in self.__record_fields__)


def _eq(self: Any, other: object) -> Any:  # bool, or NotImplemented
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _values(self) == _values(other)


def _hash(self: Any) -> int:
    return hash(_values(self))


def _frozen(self: Any, name: str, *args: object) -> None:
    raise AttributeError(f"cannot assign to field {name!r}: {type(self).__name__} is frozen")


def _reduce(self: Any) -> tuple[Callable[..., Any], tuple[Any, ...]]:
    return _rebuild, (type(self), dict(zip(self.__record_fields__, _values(self), strict=True)))


def _rebuild(cls: type[_R], values: dict[str, Any]) -> _R:
    return cls(**values)


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_fields__)
    return f"{type(self).__name__}({shown})"


def replace(item: _R, **changes: Any) -> _R:
    """A copy of the record `item` with the given fields changed."""
    values = dict(zip(item.__record_fields__, _values(item), strict=True))  # type: ignore[attr-defined]
    unknown = set(changes) - set(values)
    if unknown:
        raise TypeError(f"{type(item).__name__} has no field {sorted(unknown)[0]!r}")
    return type(item)(**{**values, **changes})


@record
class Span:
    """A string literal in a file: its text as written and its exact place."""

    file: str
    line: int
    column: int
    start: int
    end: int
    text: str

    def __repr__(self) -> str:
        return f"Span({self.file}:{self.line}:{self.column} {self.text!r})"


@record
class VersionSource:
    """A place that states a package's version.

    `kind` says which (`pyproject`, `poetry`, `version-file`, `cargo`, `cargo-workspace`,
    `bundle`); `version` is the PEP 440 reading (for Cargo sources, the reading maturin would
    give), or None when the literal has none; `valid` says whether the literal is valid in its
    own scheme.
    """

    literal: Span
    kind: str
    scheme: Scheme
    version: Version | None
    valid: bool

    @property
    def file(self) -> str:
        """The file the version is written in."""
        return self.literal.file

    @property
    def line(self) -> int:
        """The 1-based line of the version literal."""
        return self.literal.line

    @property
    def text(self) -> str:
        """The version as written."""
        return self.literal.text

    def __repr__(self) -> str:
        return f"VersionSource({self.kind} {self.text!r} at {self.file}:{self.line})"


@record
class Dependency:
    """A requirement of one package on another package of the repository.

    `name` is the required package's name as requirements compare it (PEP 503 for Python,
    the crate name for Cargo); `target` is the `id` of the package of the repository it
    resolves to (set by the model; empty until then). `literal` holds the whole string the
    requirement is written in (a PEP 508 string, or the `version` value of a Cargo or Poetry
    dependency); `spec_offset` is where the version constraint starts inside it.
    """

    name: str
    literal: Span
    scheme: DependencyScheme
    specifier: str
    spec_offset: int
    owner: str
    target: str = ""

    def __repr__(self) -> str:
        return f"Dependency({self.owner} -> {self.name} {self.specifier!r} at {self.literal.file})"


@record
class LockEntry:
    """A locked package with no registry source: a workspace member or a path dependency."""

    name: str
    version: Span | None
    member_path: str | None = None


@record
class Finding:
    """One thing `check` reports: a rule's `code`, where, what was found and what was expected.

    `fixable` says whether `versync fix` can repair it without a decision from a person.
    """

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
        """`path:line:col`, as compilers and editors print it."""
        return f"{self.file}:{self.line}:{self.column}"

    def __repr__(self) -> str:
        return f"Finding({self.code} at {self.location()}: {self.package})"


@record
class Note:
    """Something a user may want to know that is not a finding: a package skipped as a
    template, groups not inferred in a shallow clone. Notes never change the exit code;
    `check` shows them with `-v`, `list` and the JSON always."""

    code: str
    message: str
    file: str | None = None
    line: int = 0

    def location(self) -> str:
        """`path:line` (or just `path`), or "" when the note concerns no one file."""
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

    def __repr__(self) -> str:
        return f"Note({self.code}: {self.message})"


@record
class Package:
    """A publishable unit: one folder, one name, one or more version sources.

    Its identity is its ecosystem and path (`id`): a wheel and a crate may share a name.
    `key` is the name normalised for lookups (PEP 503 for Python packages). `primary` is the
    source whose value the built artifact carries (for maturin: pyproject's static version).
    """

    ecosystem: Ecosystem
    name: str
    key: str
    path: str
    backend: str
    sources: tuple[VersionSource, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    crate_name: str | None = None
    python_name: str | None = None
    publishable: bool = True
    version_unknown: bool = False
    group: str | None = None
    primary: VersionSource | None = None
    requires: tuple[str, ...] = ()  # ids of the packages to publish first (see model/requires.py)
    vcs: str | None = None  # the plugin that takes the version from git tags, if one does

    @property
    def id(self) -> str:
        """`ecosystem:path`, unique in a repository."""
        return f"{self.ecosystem}:{self.path}"

    @property
    def published_version(self) -> Version | None:
        """The version the built artifact carries, or None when it is not known."""
        return self.primary.version if self.primary is not None else None

    @property
    def highest(self) -> Version | None:
        """The highest valid version among the package's sources, or None."""
        versions = [s.version for s in self.sources if s.valid and s.version is not None]
        return max(versions) if versions else None

    def __repr__(self) -> str:
        version = self.primary.text if self.primary is not None else "unknown"
        return f"Package({self.name} {version} at {self.path!r}, {self.backend})"


@record
class FileProblem:
    """A file versync could not read as its build tool would: malformed, unreadable, missing,
    or holding an invalid requirement on a package of the repository. Reported as a
    `manifest-error` finding on `file:line:column`; `package` is the `id` of the package the
    file belongs to, when known (a change to that package refuses to go ahead)."""

    file: str
    line: int
    column: int
    message: str
    package: str = ""

    def location(self) -> str:
        """`path:line:col`."""
        return f"{self.file}:{self.line}:{self.column}"
