"""The repository model: packages with their version sources, groups, internal dependencies
and the lock entries that must follow them. Pure: records come in, nothing is read or printed
(files a build backend names are read through the `read_extra` callback)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from versync.model.cargo import CargoWorkspaces
from versync.model.config import Config
from versync.model.dynamic import DescribeTags, no_tags
from versync.model.files import FindFiles, attach_files
from versync.model.groups import assign_groups
from versync.model.intent import Baseline
from versync.model.links import LockMember, cargo_lock_members, dependencies, uv_lock_members
from versync.model.packages import PackageBuilder
from versync.model.parsed import Parsed, ReadExtra, dirname
from versync.model.requires import link_publish_requirements
from versync.model.rustbuild import Maintained
from versync.model.skipped import skip_non_packages
from versync.records import Dependency, FileProblem, Finding, Note, Package, Span, replace
from versync.syntax.pep508 import parse_requirement

__all__ = ["Baseline", "Config", "LockMember", "Model", "ReadExtra", "build", "regroup"]


class Model(NamedTuple):
    """Everything the rules and the planner need to know about a repository."""

    packages: list[Package]
    groups: dict[str, list[Package]]
    dependencies: list[Dependency]
    lock_members: list[LockMember]
    dynamic_conflicts: dict[str, Span]  # package id -> a static version also listed dynamic
    notes: list[Note]  # what a user may want to know that is not a finding
    problems: tuple[FileProblem, ...] = ()  # files that could not be read (`manifest-error`)
    inferred: dict[str, str] | None = None  # inferred group name -> the commit releasing it
    baseline: Baseline | None = None  # the sources at HEAD or --base, to read intent from
    pins: str = "track"  # the configured pin policy: under "fix", upper bounds are raised too
    refused: tuple[Finding, ...] = ()  # `outside-root`: paths named but never read


def build(
    records: Mapping[str, Any],
    read_extra: ReadExtra,
    config: Config,
    problems: Iterable[FileProblem] = (),
    notes: Iterable[Note] = (),
    maintained: Maintained = lambda cargo_file, python_file: False,
    describe: DescribeTags = no_tags,
    find: FindFiles = lambda glob: [],
) -> Model:
    """The model of a repository from the records of its files (see `formats.read_manifest`);
    `problems` are the files that could not be read, `notes` what the scan noticed, and
    `maintained` and `describe` answer from git (see `versync.model.rustbuild` and
    `versync.model.dynamic`); `find` lists the files a `[[files]]` glob matches."""
    try:
        return _build(records, read_extra, config, problems, notes, maintained, describe, find)
    finally:
        parse_requirement.cache_clear()  # what a scan parsed is not kept past its model


def _build(
    records: Mapping[str, Any],
    read_extra: ReadExtra,
    config: Config,
    problems: Iterable[FileProblem],
    notes: Iterable[Note],
    maintained: Maintained,
    describe: DescribeTags,
    find: FindFiles,
) -> Model:
    parsed = Parsed(records, config, problems)
    cargo = CargoWorkspaces(parsed)
    noted = [*notes, *skip_non_packages(parsed, cargo, read_extra)]
    builder = PackageBuilder(parsed, cargo, read_extra, maintained, describe)
    drafts = builder.packages()
    links = dependencies(parsed, drafts, builder.crate_packages)
    link_publish_requirements(parsed, drafts, builder.crate_packages, builder.crate_manifests)
    draft_groups = assign_groups(drafts, config)
    attach_files(config, drafts, draft_groups, read_extra, find, parsed.problems)
    every = [*drafts, *builder.crate_packages.values()]
    final = {id(draft): draft.freeze() for draft in every}
    packages = [final[id(draft)] for draft in drafts]
    groups = {name: [final[id(d)] for d in members] for name, members in draft_groups.items()}
    crates = {name: final[id(draft)] for name, draft in builder.crate_packages.items()}
    locks = cargo_lock_members(parsed, cargo, builder.crate_manifests, crates)
    locks += uv_lock_members(parsed, packages)
    found = _attributed(parsed.problems, packages)
    noted += builder.notes
    noted += [
        Note(
            code="unknown-version",
            message=f"{p.name} ({p.path}): version not determined (computed at build time; "
            "versync reads no source of it statically)",
        )
        for p in packages
        if p.version_unknown and p.vcs is None and not any(x.package == p.id for x in found)
    ]
    return Model(
        packages=packages,
        groups=groups,
        dependencies=links,
        lock_members=locks,
        dynamic_conflicts=builder.dynamic_conflicts,
        notes=noted,
        problems=found,
        refused=tuple(builder.refused),
        pins=config.pins,
    )


def _attributed(problems: list[FileProblem], packages: list[Package]) -> tuple[FileProblem, ...]:
    """Each problem, with the package whose folder holds its file when none was named."""
    by_id = {p.id: p for p in packages}
    result = []
    for found in problems:
        folder = dirname(found.file)
        ecosystems = ("cargo", "pypi") if "/Cargo." in f"/{found.file}" else ("pypi", "cargo")
        owner = next((by_id[f"{e}:{folder}"] for e in ecosystems if f"{e}:{folder}" in by_id), None)
        if not found.package and owner is not None:
            found = replace(found, package=owner.id)
        result.append(found)
    return tuple(sorted(set(result), key=lambda p: (p.file, p.line, p.column, p.message)))


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
