"""Lockstep groups: packages released together at one version."""

from __future__ import annotations

from versync.errors import ConfigError
from versync.model.config import Config
from versync.model.packages import Draft
from versync.syntax.globs import matches_any

DEFAULT_GROUP = "default"


def assign_groups(packages: list[Draft], config: Config) -> dict[str, list[Draft]]:
    """Each group's packages, setting each package's `group`; `ConfigError` when a group
    matches nothing or a package twice."""
    groups: dict[str, list[Draft]] = {}
    if config.groups is None:
        for package in packages:
            if (
                package.publishable
                and package.joins_groups
                and not _matches(package, config.independent)
            ):
                package.group = DEFAULT_GROUP
                groups.setdefault(DEFAULT_GROUP, []).append(package)
        return groups
    for name, patterns in config.groups.items():
        members = [p for p in packages if (p.joins_groups or p.vcs) and _matches(p, patterns)]
        if not members:
            raise ConfigError(f"{config.origin}: group {name!r} matches no package")
        for package in members:
            if package.vcs is not None:
                raise ConfigError(
                    f"{config.origin}: group {name!r} names {package.name!r}, whose version "
                    f"comes from git tags ({package.vcs}): it cannot be bumped with a group"
                )
            if package.group is not None:
                raise ConfigError(
                    f"{config.origin}: package {package.name!r} "
                    f"is in groups {package.group!r} and {name!r}"
                )
            if _matches(package, config.independent):
                raise ConfigError(
                    f"{config.origin}: package {package.name!r} "
                    f"is in group {name!r} and independent"
                )
            package.group = name
        groups[name] = members
    return groups


def _matches(package: Draft, patterns: tuple[str, ...]) -> bool:
    return matches_any(package.name, patterns) or matches_any(package.key, patterns)
