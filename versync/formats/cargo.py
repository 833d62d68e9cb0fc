"""Cargo.toml: the crate's version (own or inherited from the workspace), the workspace's
members, and path dependencies with the version requirement cargo checks on every build."""

from __future__ import annotations

from typing import Any

from versync._fs.plain import cacheable
from versync.formats import Reader, register
from versync.records import Span, record
from versync.syntax.toml import TomlFile

_DEPENDENCY_TABLES = ("dependencies", "dev-dependencies", "build-dependencies")


@cacheable
@record
class PathDependency:
    """A dependency given by `path` (and `package` when renamed), with its version
    requirement when one is written."""

    name: str
    path: str
    version: Span | None


@cacheable
class CargoManifest:
    """What versync reads of a Cargo.toml."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.name: str | None = None
        self.version: Span | None = None
        self.inherits_version = False
        self.publish = True
        self.package_workspace: str | None = None
        self.is_workspace = False
        self.members: list[str] = []
        self.exclude: list[str] = []
        self.workspace_version: Span | None = None
        self.dependencies: list[PathDependency] = []
        self.workspace_dependencies: list[PathDependency] = []
        # Crates needed to build it, by path, version or workspace inheritance:
        # [dependencies] and [build-dependencies] (also per target), not [dev-dependencies].
        self.publish_requires: list[str] = []


def read(path: str, text: str) -> CargoManifest:
    toml = TomlFile(path, text)
    manifest = CargoManifest(path)
    package = toml.table("package")
    if package:
        _read_package(toml, package, manifest)
    workspace = toml.table("workspace")
    if "workspace" in toml.data:
        manifest.is_workspace = True
        manifest.members = _strings(toml, workspace, ("workspace", "members"))
        manifest.exclude = _strings(toml, workspace, ("workspace", "exclude"))
        if "version" in toml.table("workspace", "package"):
            manifest.workspace_version = toml.string("workspace", "package", "version")
        manifest.workspace_dependencies = _path_dependencies(toml, ("workspace", "dependencies"))
    manifest.dependencies = [
        dependency
        for table in _dependency_tables(toml)
        for dependency in _path_dependencies(toml, table)
    ]
    manifest.publish_requires = sorted(
        {
            name
            for table in _dependency_tables(toml)
            if table[-1] != "dev-dependencies"
            for name in _crate_names(toml.table(*table))
        }
    )
    return manifest


def _crate_names(table: dict[str, Any]) -> list[str]:
    """The crates a dependency table names (a renamed dependency by its `package`)."""
    names = []
    for key, spec in table.items():
        renamed = spec.get("package") if isinstance(spec, dict) else None
        names.append(renamed if isinstance(renamed, str) else key)
    return names


def _read_package(toml: TomlFile, package: dict[str, Any], manifest: CargoManifest) -> None:
    if "name" in package:
        name = toml.string("package", "name")
        manifest.name = name.text if name else None
    version = package.get("version")
    if isinstance(version, dict):
        manifest.inherits_version = version.get("workspace") is True
    elif version is not None:
        manifest.version = toml.string("package", "version")
    publish = package.get("publish", True)
    manifest.publish = publish is not False and publish != []
    if isinstance(package.get("workspace"), str):
        manifest.package_workspace = package["workspace"]


def _strings(toml: TomlFile, table: dict[str, Any], key: tuple[str, ...]) -> list[str]:
    value = table.get(key[-1], [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise toml.type_error(key, "an array of strings", value)
    return value


def _dependency_tables(toml: TomlFile) -> list[tuple[str, ...]]:
    tables: list[tuple[str, ...]] = [(name,) for name in _DEPENDENCY_TABLES]
    for target in toml.table("target"):
        tables += [("target", target, name) for name in _DEPENDENCY_TABLES]
    return tables


def _path_dependencies(toml: TomlFile, table: tuple[str, ...]) -> list[PathDependency]:
    found: list[PathDependency] = []
    for key, spec in toml.table(*table).items():
        if not isinstance(spec, dict) or not isinstance(spec.get("path"), str):
            continue
        name = spec.get("package", key)
        version = toml.string(*table, key, "version") if "version" in spec else None
        found.append(PathDependency(name=str(name), path=spec["path"], version=version))
    return found


READER = register(Reader("cargo", ("Cargo.toml",), read))
