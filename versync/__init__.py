"""versync keeps every version in a monorepo in step.

The public names load on first use, so the command line can start `git ls-files` before the
rest of versync is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from versync.core import Dependency, Finding, Package, VersionSource
    from versync.errors import (
        ApplyError,
        ConfigError,
        InputError,
        PlanError,
        UsageError,
        VersyncError,
    )
    from versync.plan import Plan
    from versync.workspace import Workspace, scan

_HOMES = {
    "Dependency": "versync.core",
    "Finding": "versync.core",
    "Package": "versync.core",
    "VersionSource": "versync.core",
    "ApplyError": "versync.errors",
    "ConfigError": "versync.errors",
    "InputError": "versync.errors",
    "PlanError": "versync.errors",
    "UsageError": "versync.errors",
    "VersyncError": "versync.errors",
    "Plan": "versync.plan",
    "Workspace": "versync.workspace",
    "scan": "versync.workspace",
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
    "UsageError",
    "VersionSource",
    "VersyncError",
    "Workspace",
    "__version__",
    "scan",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'versync' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value
