"""Packages: a pyproject.toml or a Cargo.toml with a name, and every file that repeats its
version (maturin's Cargo.toml, a hatch or setuptools version file, bundle.py)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from versync.errors import InputError, OutsideRoot
from versync.formats.cargo import CargoManifest
from versync.formats.pyproject import PyProject
from versync.model.cargo import CargoWorkspaces
from versync.model.dynamic import (
    DescribeTags,
    Tags,
    attr_version,
    no_tags,
    setuptools_source,
    vcs_source,
)
from versync.model.parsed import (
    Parsed,
    ReadExtra,
    dirname,
    join,
    pep440_source,
    problem,
    semver_source,
)
from versync.model.rustbuild import Maintained, RustBuilds, is_virtual
from versync.model.skipped import under_fixture_folder
from versync.records import (
    Dependency,
    Finding,
    Note,
    Package,
    Span,
    VersionSource,
    replace,
)
from versync.syntax import python
from versync.syntax.pep508 import canonical_name
from versync.syntax.text import FileText

if TYPE_CHECKING:
    from versync.records import Ecosystem

_LOOKS_LIKE_VERSION = re.compile(r"[vV]?\d[0-9A-Za-z.+!_-]*\Z")
_PRIMARY_ORDER = (
    "pyproject", "poetry", "version-file", "setup.cfg", "setup.py", "vcs", "cargo",
    "cargo-workspace",
)  # fmt: skip


class Draft:
    """A package while the model is being built; `freeze` makes the record."""

    def __init__(self, ecosystem: Ecosystem, name: str, key: str, path: str, backend: str) -> None:
        self.ecosystem: Ecosystem = ecosystem
        self.name = name
        self.key = key
        self.path = path
        self.backend = backend
        self.sources: list[VersionSource] = []
        self.dependencies: list[Dependency] = []
        self.crate_name: str | None = None
        self.python_name: str | None = None
        self.publishable = True
        self.version_unknown = False
        self.group: str | None = None
        self.requires: list[str] = []  # see Package.requires
        self.joins_groups = True  # False for a virtual project, or a version from git tags
        self.vcs: str | None = None  # the plugin that takes the version from git tags

    @property
    def id(self) -> str:
        """See `Package.id`."""
        return f"{self.ecosystem}:{self.path}"

    def primary_source(self) -> VersionSource | None:
        """The source the package's version is read from, so far."""
        return _primary(self.sources)

    def freeze(self) -> Package:
        return Package(
            ecosystem=self.ecosystem,
            name=self.name,
            key=self.key,
            path=self.path,
            backend=self.backend,
            sources=tuple(self.sources),
            dependencies=tuple(self.dependencies),
            crate_name=self.crate_name,
            python_name=self.python_name,
            publishable=self.publishable,
            version_unknown=self.version_unknown,
            group=self.group,
            primary=_primary(self.sources),
            requires=tuple(self.requires),
            vcs=self.vcs,
        )


class PackageBuilder:
    """Finds the packages of one scan and attaches each version source to its package."""

    def __init__(
        self,
        parsed: Parsed,
        cargo: CargoWorkspaces,
        read_extra: ReadExtra,
        maintained: Maintained = lambda cargo_file, python_file: False,
        describe: DescribeTags = no_tags,
    ) -> None:
        self.parsed = parsed
        self.cargo = cargo
        self._read_raw = read_extra  # may raise `OutsideRoot`: see `_read_inside`
        self.read_extra = _outside_as_input_error(read_extra)
        self.notes: list[Note] = []
        self.describe = describe
        self._tags: Tags | None = None
        self.rust = RustBuilds(parsed, cargo, self.read_extra, maintained)
        self.crate_packages: dict[str, Draft] = {}  # crate name -> the package that builds it
        self.crate_manifests: dict[str, str] = {}  # crate name -> its Cargo.toml
        self.dynamic_conflicts: dict[str, Span] = {}  # package id -> its static version
        self.refused: list[Finding] = []  # paths that resolve outside the root: not read

    def packages(self) -> list[Draft]:
        """Every package, sorted by path; a wheel and a crate may share a folder."""
        packages: dict[str, Draft] = {}
        claimed: set[str] = set()
        for folder, project in self.parsed.pyprojects.items():
            if project.name is not None:
                package = self._python_package(folder, project, claimed)
                packages[package.id] = package
        taken = {p.path for p in packages.values()}
        packages.update({p.id: p for p in self.setup_only_packages(taken)})
        for path, manifest in self.parsed.cargos.items():
            if path in claimed or manifest.name is None:
                continue
            package = Draft("cargo", manifest.name, manifest.name, dirname(path), "cargo")
            package.crate_name = manifest.name
            package.publishable = self.rust.publishable(path, manifest)
            self._attach_crate(package, path, manifest)
            packages[package.id] = package
        self._attach_bundles(packages)
        self._attach_package_jsons(packages)
        return sorted(packages.values(), key=lambda p: (p.path, p.ecosystem != "pypi", p.key))

    def _python_package(self, folder: str, project: PyProject, claimed: set[str]) -> Draft:
        assert project.name is not None
        package = Draft("pypi", project.name, canonical_name(project.name), folder, project.backend)
        package.python_name = project.name
        package.publishable = not project.private
        if is_virtual(project):
            package.publishable = package.joins_groups = False
            self.notes.append(
                Note(
                    code="virtual",
                    message=f"{project.name} is a virtual project (never built): it joins no group",
                    file=project.path,
                )
            )
        if project.version is not None:
            package.sources.append(pep440_source(project.version, "pyproject"))
            if project.dynamic_version:
                self.dynamic_conflicts[package.id] = project.version
        if project.poetry_version is not None and project.vcs != "poetry-dynamic-versioning":
            package.sources.append(pep440_source(project.poetry_version, "poetry"))
        if project.vcs == "poetry-dynamic-versioning":
            self._attach_vcs(package, project.path, project.vcs)
        try:
            manifest_path = self.rust.manifest_of(folder, project)
            if manifest_path is not None and self.rust.takes_over(
                folder, project, manifest_path, self.notes
            ):
                claimed.add(manifest_path)
                self._attach_rust_crate(package, project, manifest_path)
            elif project.dynamic_version and project.version is None:
                self._attach_dynamic_source(package, project)
        except InputError as exc:
            self.parsed.problems.append(problem(exc, package.id))
            package.version_unknown = package.primary_source() is None
        return package

    def _attach_rust_crate(self, package: Draft, project: PyProject, manifest_path: str) -> None:
        manifest = self.parsed.cargos.get(manifest_path)
        if manifest is None:
            if self._unreadable(manifest_path, package):
                return
            if project.version is None:
                raise InputError(project.path, 1, 1, f"maturin manifest {manifest_path} not found")
            return
        package.crate_name = manifest.name
        self._attach_crate(package, manifest_path, manifest)
        package.version_unknown = not package.sources  # a crate without a version (cargo: 0.0.0)

    def _attach_crate(self, package: Draft, path: str, manifest: CargoManifest) -> None:
        if manifest.name is not None:  # two pyprojects may build one crate: the first owns it
            self.crate_packages.setdefault(manifest.name, package)
            self.crate_manifests.setdefault(manifest.name, path)
        try:
            source = self._crate_version(path, manifest)
        except InputError as exc:
            self.parsed.problems.append(problem(exc, package.id))
            return
        if source is not None:
            package.sources.append(source)

    def _unreadable(self, path: str, package: Draft) -> bool:
        """Whether `path` is a file that could not be read (a problem already reported); the
        problem is then attributed to `package`."""
        for index, found in enumerate(self.parsed.problems):
            if found.file == path:
                self.parsed.problems[index] = replace(found, package=package.id)
                return True
        return False

    def _crate_version(self, path: str, manifest: CargoManifest) -> VersionSource | None:
        if manifest.version is not None:
            return semver_source(manifest.version, "cargo")
        if manifest.inherits_version:
            root = self.cargo.root_of(path, manifest)
            if root is None or root.workspace_version is None:
                raise InputError(
                    path,
                    1,
                    1,
                    "version.workspace = true, but no [workspace.package] version was found",
                )
            return semver_source(root.workspace_version, "cargo-workspace")
        return None

    def _attach_dynamic_source(self, package: Draft, project: PyProject) -> None:
        if project.hatch_path is not None:
            path = join(package.path, project.hatch_path.text)
            try:
                file = self._read_inside(package, path, project.hatch_path, project.path)
            except OutsideRoot:
                return
            if file is None:
                where = project.hatch_path
                message = f"[tool.hatch.version] path {path} does not exist"
                raise InputError(where.file, where.line, where.column, message)
            span = python.pattern_version(path, file.text, project.hatch_pattern)
            if span is None:
                raise InputError(path, 1, 1, "no version found by the [tool.hatch.version] pattern")
            package.sources.append(pep440_source(span, "version-file"))
        elif project.setuptools_attr is not None and (
            span := self._setuptools_attr(package, project)
        ):
            package.sources.append(pep440_source(span, "version-file"))
        elif any(f.package == package.name for f in self.refused):
            return  # the file `attr` names is outside the root: an `outside-root` finding
        elif project.vcs is not None:
            self._attach_vcs(package, project.path, project.vcs)
        elif not self._attach_setuptools(package):
            package.version_unknown = True

    def _attach_vcs(self, package: Draft, project_path: str, plugin: str) -> None:
        package.vcs = plugin
        package.joins_groups = False
        if self._tags is None:
            self._tags = self.describe()
        source = vcs_source(project_path, plugin, self._tags, self.notes)
        if source is None:
            package.version_unknown = True
        else:
            package.sources.append(source)

    def _attach_setuptools(self, package: Draft) -> bool:
        """Attach the version setup.cfg or setup.py gives; False when neither gives one."""
        for name, kind in (("setup.cfg", "setup.cfg"), ("setup.py", "setup.py")):
            info = self.parsed.setups.get(join(package.path, name))
            if info is None:
                continue
            source = setuptools_source(package.path, info, self.read_extra, kind)
            if source is not None:
                package.sources.append(source)
                return True
        return False

    def setup_only_packages(self, taken: set[str]) -> list[Draft]:
        """Python packages with a setup.cfg or setup.py and no pyproject.toml."""
        found: dict[str, Draft] = {}
        for path, info in sorted(self.parsed.setups.items()):
            folder = dirname(path)
            if folder in taken or folder in found or info.name is None:
                continue
            if under_fixture_folder(folder):
                continue
            package = Draft("pypi", info.name, canonical_name(info.name), folder, "setuptools")
            package.python_name = info.name
            try:
                if not self._attach_setuptools(package):
                    package.version_unknown = True
            except InputError as exc:
                self.parsed.problems.append(problem(exc, package.id))
                package.version_unknown = True
            found[folder] = package
        return list(found.values())

    def _attach_package_jsons(self, packages: dict[str, Draft]) -> None:
        """A package.json beside a crate of its own repeats its version (napi-rs bindings).
        Beside a Python project it is usually test or docs tooling: `[[files]]` takes it in."""
        for folder, span in self.parsed.package_jsons.items():
            owner = None if f"pypi:{folder}" in packages else packages.get(f"cargo:{folder}")
            if owner is not None:
                owner.sources.append(semver_source(span, "package.json"))

    def _setuptools_attr(self, package: Draft, project: PyProject) -> Span | None:
        """The version `attr` names, read only inside the root (else an `outside-root`
        finding and None)."""
        assert project.setuptools_attr is not None

        def read_inside(path: str) -> FileText | None:
            return self._read_inside(package, path, project.setuptools_attr_at, project.path)

        try:
            return attr_version(package.path, project.setuptools_attr, read_inside)
        except OutsideRoot:
            return None

    def _read_inside(
        self, package: Draft, path: str, where: Span | None, manifest: str
    ) -> FileText | None:
        """The file a build backend names, read through `read_extra`; a path that is not a
        regular file inside the root is an `outside-root` finding on the manifest's line (the
        package's version is then unknown) and re-raised."""
        try:
            return self._read_raw(path)
        except OutsideRoot as exc:
            line, column = (where.line, where.column) if where is not None else (1, 1)
            self.refused.append(
                Finding(
                    code="outside-root",
                    package=package.name,
                    file=manifest,
                    line=line,
                    column=column,
                    found=exc.path,
                    expected="a file inside the repository",
                    message=f"{where.text if where is not None else exc.path}: {exc.reason}",
                    fixable=False,
                )
            )
            package.version_unknown = True
            raise

    def _attach_bundles(self, packages: dict[str, Draft]) -> None:
        by_folder: dict[str, Draft] = {}
        for package in packages.values():  # a Python package before a crate in one folder
            if package.ecosystem == "pypi" or package.path not in by_folder:
                by_folder[package.path] = package
        by_name: dict[str, Draft] = {}
        for package in sorted(packages.values(), key=lambda p: p.ecosystem != "pypi"):
            by_name.setdefault(package.key, package)
        for path, versions in self.parsed.bundles.items():
            nearest = _nearest_package(by_folder, dirname(path))
            for found in versions:
                if not _LOOKS_LIKE_VERSION.match(found.span.text):
                    continue  # a "version" that holds no version ("latest", a schema) is not one
                named = (by_name.get(canonical_name(n)) for n in found.names)
                owner = next((p for p in named if p is not None), nearest)
                if owner is not None:
                    owner.sources.append(pep440_source(found.span, "bundle"))


def _nearest_package(packages: dict[str, Draft], folder: str) -> Draft | None:
    while True:
        if folder in packages:
            return packages[folder]
        if folder == ".":
            return None
        folder = dirname(folder)


def _primary(sources: list[VersionSource]) -> VersionSource | None:
    ranked = sorted(
        (_PRIMARY_ORDER.index(s.kind), i) for i, s in enumerate(sources) if s.kind in _PRIMARY_ORDER
    )
    return sources[ranked[0][1]] if ranked else None


def _outside_as_input_error(read_extra: ReadExtra) -> ReadExtra:
    """`read_extra` for the files read without a manifest line to report on: a path outside
    the root is then an error on that file (a `manifest-error`), never read."""

    def read(path: str) -> FileText | None:
        try:
            return read_extra(path)
        except OutsideRoot as exc:
            raise InputError(path, 1, 1, exc.reason) from exc

    return read
