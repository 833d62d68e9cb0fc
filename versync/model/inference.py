"""Lockstep groups inferred from release history, the way a maintainer would read it.

Packages are lockstep exactly when they hold the same version at the baseline and that version
was set for all of them in one commit that changed it from an earlier one: they were released
together. Packages created together, or that merely share a version, are independent. The
history itself is read by the façade (`versync._fs.history`); this module only decides.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from versync.records import Package

_SEPARATORS = re.compile(r"[-_.]")


class Dated(NamedTuple):
    """How a package's primary version came to be: as written at the baseline, the commit
    that wrote it and the version it replaced (None when created with it)."""

    version: str
    commit: str
    previous: str | None


class Inferred(NamedTuple):
    """Inferred groups: each group's package ids, and the commit that released each group."""

    groups: dict[str, list[str]]
    commits: dict[str, str]


def infer(packages: list[Package], dated: Mapping[str, Dated]) -> Inferred:
    """The lockstep groups among `packages` (by id), given each one's `Dated` primary version.

    Only packages released (bumped) in the same commit to the same version are grouped."""
    released: dict[tuple[str, str], list[Package]] = {}
    for package in packages:
        when = dated.get(package.id)
        if when is None or when.previous is None or when.previous == when.version:
            continue
        released.setdefault((when.commit, when.version), []).append(package)
    groups: dict[str, list[str]] = {}
    commits: dict[str, str] = {}
    for (commit, _), members in sorted(released.items(), key=lambda kv: kv[1][0].path):
        if len(members) < 2:
            continue
        name = _unique(group_name([p.name for p in members]), groups)
        groups[name] = [p.id for p in members]
        commits[name] = commit
    return Inferred(groups, commits)


def group_name(names: list[str]) -> str:
    """The longest common prefix of the names, in whole `-`/`_`/`.`-separated words
    (`ryeos-core`, `ryeos-web` -> `ryeos`), else the first name."""
    split = [_SEPARATORS.split(name) for name in names]
    common: list[str] = []
    for words in zip(*split, strict=False):
        if len(set(words)) != 1:
            break
        common.append(words[0])
    if not common:
        return names[0]
    length = len("-".join(common))  # the separators are one character each
    return names[0][:length]


def _unique(name: str, groups: Mapping[str, object]) -> str:
    if name not in groups:
        return name
    number = 2
    while f"{name}-{number}" in groups:
        number += 1
    return f"{name}-{number}"
