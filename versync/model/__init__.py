"""The repository model: packages with their version sources, groups, internal dependencies
and the lock entries that must follow them. Pure: records come in, nothing is read or printed
(files a build backend names are read through the `read_extra` callback)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from versync.model.cargo import CargoWorkspaces
from versync.model.config import Config
from versync.model.groups import assign_groups
from versync.model.intent import Baseline
from versync.model.links import LockMember, cargo_lock_members, dependencies, uv_lock_members
from versync.model.packages import PackageBuilder
from versync.model.parsed import Parsed, ReadExtra
from versync.model.requires import link_publish_requirements
from versync.records import Dependency, Finding, Note, Package, Span, replace

__all__ = ["Baseline", "Config", "LockMember", "Model", "ReadExtra", "build", "regroup"]


# The codes of findings made while reading rather than by a rule (see `versync.rules`).
FOUND_BY_THE_SCAN = (
    (
        "outside-root",
        "a path a manifest names is absolute, resolves outside the repository (symlinks "
        "included), or is a special file: it is not read",
    ),
    (
        "interrupted-bump",
        "a bump or fix was killed while writing (its journal remains): `versync recover`",
    ),
)


class Model(NamedTuple):
    """Everything the rules and the planner need to know about a repository."""

    packages: list[Package]
    groups: dict[str, list[Package]]
    dependencies: list[Dependency]
    lock_members: list[LockMember]
    dynamic_conflicts: dict[str, Span]  # package id -> a static version also listed dynamic
    notes: list[Note]  # what a user may want to know that is not a finding
    refused: list[Finding]  # `outside-root`: paths named but not read
    inferred: dict[str, str] | None = None  # inferred group name -> the commit releasing it
    baseline: Baseline | None = None  # the sources at HEAD or --base, to read intent from
    pins: str = "track"  # the configured pin policy: under "fix", upper bounds are raised too


def build(records: Mapping[str, Any], read_extra: ReadExtra, config: Config) -> Model:
    """The model of a repository from the records of its files (see `formats.read_manifest`)."""
    parsed = Parsed(records, config)
    cargo = CargoWorkspaces(parsed)
    builder = PackageBuilder(parsed, cargo, read_extra)
    drafts = builder.packages()
    links = dependencies(parsed, drafts, builder.crate_packages)
    link_publish_requirements(parsed, drafts, builder.crate_packages, builder.crate_manifests)
    draft_groups = assign_groups(drafts, config)
    every = [*drafts, *builder.crate_packages.values()]
    final = {id(draft): draft.freeze() for draft in every}
    packages = [final[id(draft)] for draft in drafts]
    groups = {name: [final[id(d)] for d in members] for name, members in draft_groups.items()}
    crates = {name: final[id(draft)] for name, draft in builder.crate_packages.items()}
    locks = cargo_lock_members(parsed, cargo, builder.crate_manifests, crates)
    locks += uv_lock_members(parsed, packages)
    return Model(
        packages,
        groups,
        links,
        locks,
        builder.dynamic_conflicts,
        [],
        builder.refused,
        pins=config.pins,
    )


def regroup(model: Model, groups: Mapping[str, list[str]], commits: Mapping[str, str]) -> Model:
    """The model with the inferred `groups` (name -> package ids), released in `commits`."""
    group_of = {package_id: name for name, ids in groups.items() for package_id in ids}
    packages = [replace(p, group=group_of[p.id]) if p.id in group_of else p for p in model.packages]
    by_id = {p.id: p for p in packages}
    return model._replace(
        packages=packages,
        groups={name: [by_id[i] for i in ids] for name, ids in groups.items()},
        lock_members=[
            m._replace(package=by_id.get(m.package.id, m.package)) for m in model.lock_members
        ],
        inferred=dict(commits),
    )
