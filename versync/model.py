"""The repository model: packages with their version sources, groups, internal dependencies and
the lock entries that must follow them. Pure: file contents come in, nothing is read or printed."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from typing import NamedTuple, cast

from versync.config import Config, matches_any
from versync.core import Dependency, LockEntry, LockTool, Package, Span, VersionSource
from versync.errors import ConfigError, InputError
from versync.formats import Record, pyfile
from versync.formats.cargo import CargoManifest
from versync.formats.pyproject import PyProject
from versync.pep508 import canonical_name
from versync.text import FileText
from versync.versions import is_semver, maturin_reading, parse_pep440

ReadExtra = Callable[[str], FileText | None]
DEFAULT_GROUP = "default"


class LockMember(NamedTuple):
    """A package a lock file must list, with the version source its entry must repeat."""

    lock: str
    tool: LockTool
    package: Package
    name: str
    expected: VersionSource
    entry: LockEntry | None
    orphans: tuple[str, ...] = ()


class Model(NamedTuple):
    packages: list[Package]
    groups: dict[str, list[Package]]
    dependencies: list[Dependency]
    lock_members: list[LockMember]
    dynamic_conflicts: dict[str, Span]


class _Parsed:
    def __init__(self) -> None:
        self.pyprojects: dict[str, PyProject] = {}
        self.cargos: dict[str, CargoManifest] = {}
        self.cargo_locks: dict[str, list[LockEntry]] = {}
        self.uv_locks: dict[str, list[LockEntry]] = {}
        self.bundles: dict[str, list[Span]] = {}


def dirname(path: str) -> str:
    return posixpath.dirname(path) or "."


def join(folder: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(folder, path))


def pep440_source(span: Span, kind: str) -> VersionSource:
    version = parse_pep440(span.text)
    return VersionSource(span, kind, "pep440", version, version is not None)


def semver_source(span: Span, kind: str) -> VersionSource:
    return VersionSource(span, kind, "semver", maturin_reading(span.text), is_semver(span.text))


def build(records: Mapping[str, Record], read_extra: ReadExtra, config: Config) -> Model:
    """The model of a repository from the records of its files (see `formats.read_manifest`)."""
    parsed = _sort_records(records, config)
    builder = _Builder(parsed, read_extra)
    packages = builder.packages()
    groups = _assign_groups(packages, config)
    dependencies = builder.dependencies(packages)
    lock_members = builder.lock_members(packages)
    return Model(packages, groups, dependencies, lock_members, builder.dynamic_conflicts)


def _sort_records(records: Mapping[str, Record], config: Config) -> _Parsed:
    parsed = _Parsed()
    for path, record in records.items():
        if config.excluded(path):
            continue
        name = path.rpartition("/")[2]
        if isinstance(record, PyProject):
            parsed.pyprojects[dirname(path)] = record
        elif isinstance(record, CargoManifest):
            parsed.cargos[path] = record
        elif name == "Cargo.lock":
            parsed.cargo_locks[path] = cast(list[LockEntry], record)
        elif name == "uv.lock":
            parsed.uv_locks[path] = cast(list[LockEntry], record)
        elif name == "bundle.py":
            parsed.bundles[path] = cast(list[Span], record)
    return parsed


class _Builder:
    def __init__(self, parsed: _Parsed, read_extra: ReadExtra) -> None:
        self.parsed = parsed
        self.read_extra = read_extra
        self.crate_packages: dict[str, Package] = {}
        self.crate_manifests: dict[str, str] = {}
        self.dynamic_conflicts: dict[str, Span] = {}
        self.workspace_roots: dict[str, CargoManifest | None] = {}

    # --- packages -------------------------------------------------------------------------

    def packages(self) -> list[Package]:
        packages: dict[str, Package] = {}
        claimed: set[str] = set()
        for folder, project in self.parsed.pyprojects.items():
            if project.name is None:
                continue
            package = self._python_package(folder, project, claimed)
            packages[folder] = package
        for path, manifest in self.parsed.cargos.items():
            if path in claimed or manifest.name is None:
                continue
            package = Package(manifest.name, manifest.name, dirname(path), "cargo")
            package.crate_name = manifest.name
            package.publishable = manifest.publish
            self._attach_crate(package, path, manifest)
            packages.setdefault(package.path, package)
        self._attach_bundles(packages)
        for package in packages.values():
            package.primary = _primary(package)
        return sorted(packages.values(), key=lambda p: (p.path, p.key))

    def _python_package(self, folder: str, project: PyProject, claimed: set[str]) -> Package:
        assert project.name is not None
        package = Package(project.name, canonical_name(project.name), folder, project.backend)
        package.python_name = project.name
        package.publishable = not project.private
        if project.version is not None:
            package.sources.append(pep440_source(project.version, "pyproject"))
            if project.dynamic_version:
                self.dynamic_conflicts[package.key] = project.version
        if project.poetry_version is not None:
            package.sources.append(pep440_source(project.poetry_version, "poetry"))
        if project.maturin_manifest is not None:
            manifest_path = join(folder, project.maturin_manifest)
            self._attach_maturin_crate(package, project, manifest_path)
            claimed.add(manifest_path)
        elif project.dynamic_version and project.version is None:
            self._attach_dynamic_source(package, project)
        return package

    def _attach_maturin_crate(
        self, package: Package, project: PyProject, manifest_path: str
    ) -> None:
        manifest = self.parsed.cargos.get(manifest_path)
        if manifest is None:
            if project.version is None:
                raise InputError(project.path, 1, 1, f"maturin manifest {manifest_path} not found")
            return
        package.crate_name = manifest.name
        self._attach_crate(package, manifest_path, manifest)

    def _attach_crate(self, package: Package, path: str, manifest: CargoManifest) -> None:
        if manifest.name is not None:
            self.crate_packages[manifest.name] = package
            self.crate_manifests[manifest.name] = path
        source = self._crate_version(path, manifest)
        if source is not None:
            package.sources.append(source)

    def _crate_version(self, path: str, manifest: CargoManifest) -> VersionSource | None:
        if manifest.version is not None:
            return semver_source(manifest.version, "cargo")
        if manifest.inherits_version:
            root = self._workspace_root(path, manifest)
            if root is None or root.workspace_version is None:
                raise InputError(
                    path,
                    1,
                    1,
                    "version.workspace = true, but no [workspace.package] version was found",
                )
            return semver_source(root.workspace_version, "cargo-workspace")
        return None

    def _attach_dynamic_source(self, package: Package, project: PyProject) -> None:
        if project.hatch_path is not None:
            path = join(package.path, project.hatch_path.text)
            file = self.read_extra(path)
            if file is None:
                where = project.hatch_path
                message = f"[tool.hatch.version] path {path} does not exist"
                raise InputError(where.file, where.line, where.column, message)
            span = pyfile.pattern_version(path, file.text, project.hatch_pattern)
            if span is None:
                raise InputError(path, 1, 1, "no version found by the [tool.hatch.version] pattern")
            package.sources.append(pep440_source(span, "version-file"))
        elif project.setuptools_attr is not None and (
            span := self._setuptools_attr(package.path, project.setuptools_attr)
        ):
            package.sources.append(pep440_source(span, "version-file"))
        else:
            package.version_unknown = True

    def _setuptools_attr(self, folder: str, attr: str) -> Span | None:
        module, _, name = attr.rpartition(".")
        stem = module.replace(".", "/")
        for base in ("", "src/"):
            for candidate in (f"{base}{stem}/__init__.py", f"{base}{stem}.py"):
                path = join(folder, candidate)
                file = self.read_extra(path)
                if file is not None:
                    return pyfile.assigned_string(path, file.text, name)
        return None

    def _attach_bundles(self, packages: dict[str, Package]) -> None:
        for path, spans in self.parsed.bundles.items():
            owner = _nearest_package(packages, dirname(path))
            if owner is not None:
                owner.sources += [pep440_source(span, "bundle") for span in spans]

    # --- Cargo workspaces ------------------------------------------------------------------

    def _workspace_root(self, path: str, manifest: CargoManifest) -> CargoManifest | None:
        if path not in self.workspace_roots:
            self.workspace_roots[path] = self._find_workspace_root(path, manifest)
        return self.workspace_roots[path]

    def _find_workspace_root(self, path: str, manifest: CargoManifest) -> CargoManifest | None:
        if manifest.is_workspace:
            return manifest
        if manifest.package_workspace is not None:
            return self.parsed.cargos.get(
                join(join(dirname(path), manifest.package_workspace), "Cargo.toml")
            )
        folder = dirname(path)
        while folder != ".":
            folder = dirname(folder)
            candidate = self.parsed.cargos.get(join(folder, "Cargo.toml"))
            if candidate is not None and candidate.is_workspace:
                member = posixpath.relpath(dirname(path), folder)
                if _is_member(candidate, member):
                    return candidate
                return None
        return None

    # --- dependencies ----------------------------------------------------------------------

    def dependencies(self, packages: list[Package]) -> list[Dependency]:
        python_names = {p.key: p for p in packages if p.python_name is not None}
        by_path = {p.path: p for p in python_names.values()}
        found: list[Dependency] = []
        for folder, project in self.parsed.pyprojects.items():
            owner = by_path.get(folder)
            internal = [
                d
                for d in project.dependencies
                if d.target in python_names and d.target != (owner.key if owner else None)
            ]
            found += internal
            if owner is not None:
                owner.dependencies += internal
        for path, manifest in self.parsed.cargos.items():
            owner_name = manifest.name
            owner = self.crate_packages.get(owner_name) if owner_name else None
            for dep in manifest.dependencies + manifest.workspace_dependencies:
                target = self.crate_packages.get(dep.name)
                if target is None or dep.version is None or target is owner:
                    continue
                pin = Dependency(
                    target.key,
                    dep.version,
                    "cargo",
                    dep.version.text,
                    0,
                    owner.name if owner else path,
                )
                found.append(pin)
                if owner is not None and dep in manifest.dependencies:
                    owner.dependencies.append(pin)
        return found

    # --- lock files ------------------------------------------------------------------------

    def lock_members(self, packages: list[Package]) -> list[LockMember]:
        return self._cargo_lock_members() + self._uv_lock_members(packages)

    def _cargo_lock_members(self) -> list[LockMember]:
        members: list[LockMember] = []
        for lock_path, entries in self.parsed.cargo_locks.items():
            crates = self._crates_locked_by(lock_path)
            if not crates:
                continue
            by_name = {entry.name: entry for entry in entries}
            orphans = tuple(sorted(set(by_name) - set(crates)))
            for name in sorted(crates):
                package = self.crate_packages[name]
                source = next((s for s in package.sources if s.scheme == "semver"), None)
                if source is not None:
                    members.append(
                        LockMember(
                            lock_path, "cargo", package, name, source, by_name.get(name), orphans
                        )
                    )
        return members

    def _crates_locked_by(self, lock_path: str) -> set[str]:
        """Crate names whose entries cargo keeps in this lock file: the workspace's members (or
        the lone crate beside it) and, transitively, their path dependencies."""
        folder = dirname(lock_path)
        root = self.parsed.cargos.get(join(folder, "Cargo.toml"))
        if root is None:
            return set()
        if (
            not root.is_workspace
            and self._workspace_root(join(folder, "Cargo.toml"), root) is not None
        ):
            return set()  # a leftover lock inside a workspace member: cargo ignores it
        names: set[str] = set()
        for name, path in self.crate_manifests.items():
            manifest = self.parsed.cargos[path]
            if path == join(folder, "Cargo.toml") or (
                root.is_workspace and self._workspace_root(path, manifest) is root
            ):
                names.add(name)
        pending = list(names)
        while pending:
            manifest = self.parsed.cargos[self.crate_manifests[pending.pop()]]
            for dep in manifest.dependencies + (
                root.workspace_dependencies if root.is_workspace else []
            ):
                if dep.name in self.crate_manifests and dep.name not in names:
                    names.add(dep.name)
                    pending.append(dep.name)
        return names

    def _uv_lock_members(self, packages: list[Package]) -> list[LockMember]:
        by_path = {p.path: p for p in packages if p.python_name is not None}
        members: list[LockMember] = []
        for lock_path, entries in self.parsed.uv_locks.items():
            folder = dirname(lock_path)
            if self._inside_uv_workspace(folder):
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
        return members

    def _inside_uv_workspace(self, folder: str) -> bool:
        """A uv.lock in a member of an enclosing uv workspace is one uv does not read."""
        current = folder
        while current != ".":
            current = dirname(current)
            project = self.parsed.pyprojects.get(current)
            if project is not None and project.uv_members is not None:
                member = posixpath.relpath(folder, current)
                return matches_any(member, project.uv_members) and not matches_any(
                    member, project.uv_exclude
                )
        return False


def _is_member(workspace: CargoManifest, member: str) -> bool:
    listed = member in workspace.members or matches_any(member, workspace.members)
    return listed and not matches_any(member, workspace.exclude)


def _nearest_package(packages: dict[str, Package], folder: str) -> Package | None:
    while True:
        if folder in packages:
            return packages[folder]
        if folder == ".":
            return None
        folder = dirname(folder)


def _primary(package: Package) -> VersionSource | None:
    order = ("pyproject", "poetry", "version-file", "cargo", "cargo-workspace")
    ranked = sorted(
        (order.index(s.kind), i) for i, s in enumerate(package.sources) if s.kind in order
    )
    return package.sources[ranked[0][1]] if ranked else None


def _assign_groups(packages: list[Package], config: Config) -> dict[str, list[Package]]:
    groups: dict[str, list[Package]] = {}
    if config.groups is None:
        for package in packages:
            if package.publishable and not _independent(package, config):
                package.group = DEFAULT_GROUP
                groups.setdefault(DEFAULT_GROUP, []).append(package)
        return groups
    for name, patterns in config.groups.items():
        members = [p for p in packages if _matches(p, patterns)]
        if not members:
            raise ConfigError(f"{config.origin}: group {name!r} matches no package")
        for package in members:
            if package.group is not None:
                raise ConfigError(
                    f"{config.origin}: package {package.name!r} "
                    f"is in groups {package.group!r} and {name!r}"
                )
            if _independent(package, config):
                raise ConfigError(
                    f"{config.origin}: package {package.name!r} "
                    f"is in group {name!r} and independent"
                )
            package.group = name
        groups[name] = members
    return groups


def _independent(package: Package, config: Config) -> bool:
    return _matches(package, config.independent)


def _matches(package: Package, patterns: tuple[str, ...]) -> bool:
    return matches_any(package.name, patterns) or matches_any(package.key, patterns)
