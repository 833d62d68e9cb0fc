"""Release tags and commit messages: the templates `bump --commit --tag` fills, and the
reverse, the scope and version `check --expect TAG` reads back from a tag name."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal, NamedTuple

from versync.errors import UsageError, VersionError
from versync.model import Model
from versync.model.config import Config
from versync.records import Package
from versync.rules import group_members
from versync.syntax.pep440 import parse_pep440

ScopeKind = Literal["all", "group", "package"]
TAGS: dict[ScopeKind, str] = {
    "all": "v{version}",
    "group": "{group}-v{version}",
    "package": "{package}-v{version}",
}
MESSAGES: dict[ScopeKind, str] = {
    "all": "Release {version}",
    "group": "Release {group} {version}",
    "package": "Release {package} {version}",
}
_PLACEHOLDER = re.compile(r"\{(version|group|package)\}")


class Scope(NamedTuple):
    """What a release covers: every publishable package (`all`), a group, or a package;
    `name` is the group's or the package's name ("" for `all` with no single group)."""

    kind: ScopeKind
    name: str
    group: str  # the group's name, a package's group, or ""

    def fill(self, template: str, version: str) -> str:
        """`template` with {version}, {group} and {package} filled in."""
        values = {
            "version": version,
            "group": self.group or self.name,
            "package": self.name if self.kind == "package" else self.group,
        }
        return _PLACEHOLDER.sub(lambda m: values[m[1]], template)


def release_scope_of(
    model: Model, targets: list[Package], group: str | None, package: str | None
) -> Scope:
    """The scope of a bump of `targets` (asked for by `group` or `package` name, or neither):
    `all` when it covers every publishable package or is a group of the only group, else the
    package, else the group."""
    publishable = {p.id for p in model.packages if p.publishable}
    covered = {p.id for p in targets}
    only = next(iter(model.groups)) if len(model.groups) == 1 else ""
    if publishable <= covered:
        return Scope(kind="all", name=only, group=only)
    if package is not None:
        found = targets[0]
        return Scope(kind="package", name=found.name, group=found.group or "")
    name = group if group is not None else (targets[0].group or "")
    if len(model.groups) == 1:
        return Scope(kind="all", name=name, group=name)
    return Scope(kind="group", name=name, group=name)


def tag_name(config: Config, scope: Scope, version: str) -> str:
    """The release tag of `scope` at `version`, from the config's `tag` or the default."""
    return scope.fill(config.tag or TAGS[scope.kind], version)


def commit_message(config: Config, scope: Scope, version: str) -> str:
    """The release commit's message, from the config's `commit-message` or the default."""
    return scope.fill(config.commit_message or MESSAGES[scope.kind], version)


def expectation(
    model: Model,
    config: Config,
    find_package: Callable[[str], Package | None],
    text: str,
    group: str | None = None,
    package: str | None = None,
) -> tuple[str, list[Package]]:
    """What `check --expect TEXT` requires: a version and the packages that must be at it.

    `TEXT` is a version (a leading `v` is accepted) for the named group or package (every
    publishable package by default), or a release tag the templates make:
    `ryeos-core-v0.1.2` is package ryeos-core at 0.1.2, `core-v0.3.0` group core at 0.3.0.
    Raises `VersionError` when it is neither, `UsageError` when a tag reads two ways."""
    if group is not None and package is not None:
        raise UsageError("name a group or a package, not both")
    bare = text[1:] if text[:1] in ("v", "V") else text
    if parse_pep440(bare) is not None:
        if package is not None:
            found = find_package(package)
            if found is None:
                raise UsageError(f"no package {package!r}")
            return bare, [found]
        if group is not None:
            return bare, group_members(model.groups, group)
        return bare, [p for p in model.packages if p.publishable]
    readings = _tag_readings(model, config, text)
    if not readings:
        raise VersionError(
            f"{text!r} is not a valid PEP 440 version, nor a release tag of a group or a "
            f"package (tags look like {_examples(config)})"
        )
    widest = max(readings, key=lambda reading: len(reading[1]))
    if any(v != widest[0] or not set(ids) <= set(widest[1]) for v, ids, _ in readings):
        shown = "; ".join(f"{what} at {version}" for version, _, what in readings)
        raise UsageError(f"tag {text!r} reads several ways ({shown})")
    # A group named like one of its packages: the group's tag, which covers the package.
    members = [p for p in model.packages if p.id in widest[1]]
    return widest[0], members


Reading = tuple[str, tuple[str, ...], str]  # version, package ids, what (for messages)


def _tag_readings(model: Model, config: Config, text: str) -> list[Reading]:
    readings: list[Reading] = []
    template = config.tag or ""
    if template and "{group}" not in template and "{package}" not in template:
        return []  # a template for the whole repository names no group or package
    for name, members in model.groups.items():
        scope = Scope(kind="group", name=name, group=name)
        version = tag_version(template or TAGS["group"], scope, text)
        if version is not None:
            readings.append((version, tuple(p.id for p in members), f"group {name}"))
    for package in model.packages:
        scope = Scope(kind="package", name=package.name, group=package.group or "")
        version = tag_version(template or TAGS["package"], scope, text)
        if version is not None:
            readings.append((version, (package.id,), f"package {package.name}"))
    return readings


def tag_version(template: str, scope: Scope, text: str) -> str | None:
    """The version `text` carries when it is `template` filled for `scope`, else None."""
    marker = "\0"
    pattern = re.escape(scope.fill(template, marker)).replace(re.escape(marker), "(.+)")
    match = re.fullmatch(pattern, text)
    if match is None or len(set(match.groups())) != 1:
        return None
    version = match[1]
    return version if parse_pep440(version) is not None else None


def _examples(config: Config) -> str:
    if config.tag:
        return config.tag
    return ", ".join(TAGS.values())
