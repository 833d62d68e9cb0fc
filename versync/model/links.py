"""What ties packages together: requirements on each other, and the lock entries that must
repeat their versions."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, NamedTuple

from versync.formats.pyproject import PyProject
from versync.model.cargo import CargoWorkspaces
from versync.model.packages import Draft
from versync.model.parsed import Parsed, dirname, in_uv_workspace, join, uv_member
from versync.records import (
    Dependency,
    FileProblem,
    LockEntry,
    Package,
    VersionSource,
    replace,
)
from versync.syntax.pep508 import parse_requirement

if TYPE_CHECKING:
    from versync.records import LockTool


def _pep508_dependencies(
    parsed: Parsed, project: PyProject, owner: Draft | None, python_names: dict[str, Draft]
) -> list[Dependency]:
    """The project's PEP 508 requirements on packages of the repository, parsed; one that
    does not parse is a problem on its file."""
    found: list[Dependency] = []
    for name, span, _ in project.requirements:
        if name not in python_names:
            continue
        try:
            requirement = parse_requirement(span.text)
        except ValueError as exc:
            parsed.problems.append(
                FileProblem(
                    file=span.file,
                    line=span.line,
                    column=span.column,
                    message=f"invalid requirement {span.text!r}: {exc}",
                    package=owner.id if owner is not None else "",
                )
            )
            continue
        if not requirement.url:
            dependency = Dependency(
                name=name,
                literal=span,
                scheme="pep508",
                specifier=requirement.specifier,
                spec_offset=requirement.offset,
                owner=project.name or project.path,
            )
            found.append(dependency)
    return found


class LockMember(NamedTuple):
    """A package a lock file must list, with the version source its entry must repeat."""

    lock: str
    tool: LockTool
    package: Package
    name: str
    expected: VersionSource
    entry: LockEntry | None
    orphans: tuple[str, ...] = ()


def dependencies(
    parsed: Parsed, packages: list[Draft], crate_packages: dict[str, Draft]
) -> list[Dependency]:
    """Every requirement of a package on another package of the repository; each is also
    added to its owner's `dependencies`."""
    python_names = {p.key: p for p in packages if p.python_name is not None}
    by_path = {p.path: p for p in python_names.values()}
    found: list[Dependency] = []
    for folder, project in parsed.pyprojects.items():
        owner = by_path.get(folder)
        internal = [
            replace(d, target=python_names[d.name].id)
            for d in [*_pep508_dependencies(parsed, project, owner, python_names),
                      *project.dependencies]
            if d.name in python_names and python_names[d.name] is not owner
        ]  # fmt: skip
        found += internal
        if owner is not None:
            owner.dependencies += internal
    for path, manifest in parsed.cargos.items():
        owner = crate_packages.get(manifest.name) if manifest.name else None
        for dep in manifest.dependencies + manifest.workspace_dependencies:
            target = crate_packages.get(dep.name)
            if target is None or dep.version is None or target is owner:
                continue
            pin = Dependency(
                name=dep.name,
                target=target.id,
                literal=dep.version,
                scheme="cargo",
                specifier=dep.version.text,
                spec_offset=0,
                owner=owner.name if owner else path,
            )
            found.append(pin)
            if owner is not None and dep in manifest.dependencies:
                owner.dependencies.append(pin)
    return found


def cargo_lock_members(
    parsed: Parsed,
    cargo: CargoWorkspaces,
    crate_manifests: dict[str, str],
    crate_packages: dict[str, Package],
) -> list[LockMember]:
    """The crates each Cargo.lock must list at their manifest's version."""
    members: list[LockMember] = []
    for lock_path, entries in parsed.cargo_locks.items():
        crates = cargo.crates_locked_by(lock_path, crate_manifests)
        by_name = {entry.name: entry for entry in entries}
        orphans = tuple(sorted(set(by_name) - crates)) if crates else ()
        for name in sorted(crates):
            package = crate_packages[name]
            source = next((s for s in package.sources if s.scheme == "semver"), None)
            if source is not None:
                members.append(
                    LockMember(
                        lock_path, "cargo", package, name, source, by_name.get(name), orphans
                    )
                )
    return members


def uv_lock_members(parsed: Parsed, packages: list[Package]) -> list[LockMember]:
    """The workspace members each uv.lock lists, with their pyproject.toml versions."""
    by_path = {p.path: p for p in packages if p.python_name is not None}
    members: list[LockMember] = []
    for lock_path, entries in parsed.uv_locks.items():
        folder = dirname(lock_path)
        if in_uv_workspace(parsed, folder):
            continue
        for entry in entries:
            package = by_path.get(join(folder, entry.member_path or "."))
            source = (
                next((s for s in package.sources if s.kind == "pyproject"), None)
                if package
                else None
            )
            if package is not None and source is not None and entry.version is not None:
                members.append(LockMember(lock_path, "uv", package, entry.name, source, entry))
        listed = {join(folder, entry.member_path or ".") for entry in entries}
        for member_folder in _uv_workspace_members(parsed, folder):
            package = by_path.get(member_folder)
            source = (
                next((s for s in package.sources if s.kind == "pyproject"), None)
                if package is not None
                else None
            )
            if member_folder not in listed and package is not None and source is not None:
                members.append(LockMember(lock_path, "uv", package, package.key, source, None))
    return members


def _uv_workspace_members(parsed: Parsed, folder: str) -> list[str]:
    """The folders of the projects uv locks in the uv.lock of `folder`: the project there
    and the members its `[tool.uv.workspace]` lists."""
    root = parsed.pyprojects.get(folder)
    if root is None:
        return []
    found = [folder]
    if root.uv_members is not None:
        for candidate in parsed.pyprojects:
            if candidate == folder or not (folder == "." or candidate.startswith(folder + "/")):
                continue
            if uv_member(root, posixpath.relpath(candidate, folder)):
                found.append(candidate)
    return found
