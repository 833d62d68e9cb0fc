"""Lockstep groups: packages released together at one version."""

from __future__ import annotations

from versync.errors import ConfigError
from versync.model.config import Config
from versync.model.packages import Draft
from versync.records import Package
from versync.syntax.globs import matches_any


def assign_groups(packages: list[Draft], config: Config) -> dict[str, list[Draft]]:
    """Each configured group's packages, setting each package's `group`; `ConfigError` when
    a group matches nothing or a package twice. Without configured groups there are none
    here: the façade infers them from history (see `regroup`)."""
    groups: dict[str, list[Draft]] = {}
    if config.groups is None:
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


def inferable(package: Package, config: Config) -> bool:
    """Whether a package takes part in group inference: publishable, with a version it
    writes down (not one from git tags), and not named by `independent`."""
    return (
        config.groups is None
        and package.publishable
        and package.vcs is None
        and package.primary is not None
        and not (
            matches_any(package.name, config.independent)
            or matches_any(package.key, config.independent)
        )
    )


def _matches(package: Draft, patterns: tuple[str, ...]) -> bool:
    return matches_any(package.name, patterns) or matches_any(package.key, patterns)
