"""versync keeps every version in a monorepo in step."""

from __future__ import annotations

from versync.core import Dependency, Finding, Package, VersionSource
from versync.errors import ApplyError, ConfigError, InputError, PlanError, UsageError, VersyncError
from versync.workspace import Workspace, scan

__version__ = "0.1.0"

__all__ = [
    "ApplyError",
    "ConfigError",
    "Dependency",
    "Finding",
    "InputError",
    "Package",
    "PlanError",
    "UsageError",
    "VersionSource",
    "VersyncError",
    "Workspace",
    "__version__",
    "scan",
]
