"""What a release covers: the packages `order`, `check --published` and `check --since`
look at, chosen by group or package name."""

from __future__ import annotations

from collections.abc import Callable

from versync.errors import UsageError
from versync.model import Model
from versync.records import Package
from versync.rules import group_members


def release_scope(
    model: Model,
    find_package: Callable[[str], Package | None],
    group: str | None = None,
    package: str | None = None,
) -> list[Package]:
    """The publishable packages of the named package or group, or every publishable package
    when neither is named. `UsageError` for an unknown name, both names, or a package that is
    not published."""
    if group is not None and package is not None:
        raise UsageError("name a group or a package, not both")
    if package is not None:
        found = find_package(package)
        if found is None:
            raise UsageError(f"no package {package!r}")
        if not found.publishable:
            raise UsageError(f"{found.name} is not published (private or publish = false)")
        return [found]
    if group is not None:
        return [p for p in group_members(model.groups, group) if p.publishable]
    return [p for p in model.packages if p.publishable]
