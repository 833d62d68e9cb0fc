"""versync keeps every version in a monorepo in step.

It finds every place a release's version is written (pyproject.toml, Cargo.toml, the member
entries of Cargo.lock and uv.lock, bundle.py, the files build backends take a version from),
reports the places that disagree, and rewrites versions changing only their literals.

Example, on a repository with one Python package (`root` is its folder)::

    >>> import versync
    >>> workspace = versync.scan(root)
    >>> workspace.packages
    [Package(demo 0.1.0 at '.', hatchling)]
    >>> workspace.check()
    []
    >>> plan = workspace.bump("0.2.0")
    >>> print(plan.diff())
    --- a/pyproject.toml
    +++ b/pyproject.toml
    @@ -1,6 +1,6 @@
     [project]
     name = "demo"
    -version = "0.1.0"
    +version = "0.2.0"
     [build-system]
     requires = ["hatchling"]
     build-backend = "hatchling.build"
    <BLANKLINE>
    >>> plan.apply()
    ['pyproject.toml']

Public names:

- `scan(root)` reads a repository into a `Workspace`; `Workspace.check()` returns
  `Finding`s, `Workspace.bump()` and `Workspace.fix()` return a `Plan`, which `apply()`
  writes all or nothing. `recover(root)` finishes (or rolls back) a write a killed run left.
- Records: `Package`, `VersionSource`, `Dependency`, `Span`, `Finding` (frozen, keyword-only).
- Errors: `VersyncError` is the root. `UsageError` (and `VersionError`, for a version that
  does not parse) are also `ValueError`s; `InputError` (a malformed file), `ConfigError`,
  `PlanError` and `ApplyError` come from the repository.

The public names load on first use, so the command line can start `git ls-files` before the
rest of versync is imported.
"""

from __future__ import annotations

from versync.__about__ import __version__
from versync._typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

    from versync.change.plan import Plan
    from versync.change.recover import recover
    from versync.errors import (
        ApplyError,
        ConfigError,
        InputError,
        PlanError,
        UsageError,
        VersionError,
        VersyncError,
    )
    from versync.records import Dependency, Finding, Package, Span, VersionSource
    from versync.workspace import Workspace, scan

_HOMES = {
    "Dependency": "versync.records",
    "Finding": "versync.records",
    "Package": "versync.records",
    "Span": "versync.records",
    "VersionSource": "versync.records",
    "ApplyError": "versync.errors",
    "ConfigError": "versync.errors",
    "InputError": "versync.errors",
    "PlanError": "versync.errors",
    "UsageError": "versync.errors",
    "VersionError": "versync.errors",
    "VersyncError": "versync.errors",
    "Plan": "versync.change.plan",
    "Workspace": "versync.workspace",
    "scan": "versync.workspace",
    "recover": "versync.change.recover",
}

__all__ = [
    "ApplyError",
    "ConfigError",
    "Dependency",
    "Finding",
    "InputError",
    "Package",
    "Plan",
    "PlanError",
    "Span",
    "UsageError",
    "VersionError",
    "VersionSource",
    "VersyncError",
    "Workspace",
    "__version__",
    "recover",
    "scan",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'versync' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)
