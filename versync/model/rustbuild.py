"""Which Cargo.toml a Python project builds, as its backend finds it.

maturin reads `[tool.maturin] manifest-path`, else `Cargo.toml` beside pyproject.toml, else
`rust/Cargo.toml` when `python-source` is set or `src/<module>/__init__.py` exists (maturin's
`project_layout.rs`). setuptools-rust and scikit-build build the `Cargo.toml` beside them.
Any other backend (hatchling docs tooling, a test harness) leaves a Cargo.toml beside it a
crate of its own.

A crate a Python project builds whose version is a placeholder (cryptography's
`publish = false` crate at `0.1.0` next to a wheel at 45.0.1) is not part of the wheel's
version: maturin-precedence
applies only when the crate is publishable or its version has been maintained, that is, it
changed in git history in a commit that also changed the pyproject's version. Otherwise the
crate is listed on its own, with a `placeholder` note, and `fix` never writes it.
"""

from __future__ import annotations

from collections.abc import Callable

from versync.formats.cargo import CargoManifest
from versync.formats.pyproject import PyProject
from versync.model.cargo import CargoWorkspaces
from versync.model.parsed import Parsed, ReadExtra, join
from versync.records import Note, Span

# (the file holding the crate's version, the pyproject) -> whether the crate's version changed
# in git history together with the pyproject's version. Given by the façade (it runs git).
Maintained = Callable[[str, str], bool]


def is_virtual(project: PyProject) -> bool:
    """A project that is never built: rye's `virtual = true` or uv's `package = false` without
    a `[build-system]`, or one with neither a build system nor a version (a workspace root).
    With a `[build-system]` such a project is still built and published (granian and prek ship
    their maturin wheels with `package = false`, which only stops uv installing them)."""
    if project.virtual and not project.has_build_system:
        return True
    has_version = (
        project.version is not None or project.poetry_version is not None or project.dynamic_version
    )
    return not project.has_build_system and not has_version


class RustBuilds:
    """Finds the crate each Python project builds."""

    def __init__(
        self, parsed: Parsed, cargo: CargoWorkspaces, read_extra: ReadExtra, maintained: Maintained
    ) -> None:
        self.parsed = parsed
        self.cargo = cargo
        self.read_extra = read_extra
        self.maintained = maintained

    def manifest_of(self, folder: str, project: PyProject) -> str | None:
        """The Cargo.toml the project's backend builds, or None when it builds no crate."""
        if project.backend == "maturin":
            assert project.maturin_manifest is not None
            beside = join(folder, project.maturin_manifest)
            if project.maturin_manifest_explicit or beside in self.parsed.cargos:
                return beside
            rust = join(folder, "rust/Cargo.toml")
            if rust in self.parsed.cargos and self._python_first_layout(folder, project):
                return rust
            return beside
        if project.builds_rust:
            beside = join(folder, "Cargo.toml")
            return beside if beside in self.parsed.cargos else None
        return None

    def _python_first_layout(self, folder: str, project: PyProject) -> bool:
        if project.maturin_python_source:
            return True
        modules = [(project.name or "").replace("-", "_"), *project.maturin_python_packages]
        return any(
            self.read_extra(join(folder, f"src/{module}/__init__.py")) is not None
            for module in modules
            if module
        )

    def takes_over(
        self, folder: str, project: PyProject, manifest_path: str, notes: list[Note]
    ) -> bool:
        """Whether the crate's version is the wheel's (else the crate is a package of its own,
        with a `placeholder` note)."""
        manifest = self.parsed.cargos.get(manifest_path)
        if manifest is None or project.version is None:
            return True
        crate_version = self._version_literal(manifest_path, manifest)
        if crate_version is None or self.publishable(manifest_path, manifest):
            return True
        if crate_version.text == project.version.text:
            return True
        if self.maintained(crate_version.file, project.path):
            return True
        notes.append(
            Note(
                code="placeholder",
                message=(
                    f"{manifest.name} {crate_version.text} is a placeholder (publish = false, "
                    f"never bumped with {project.path}): the wheel's version is "
                    f"{project.version.text}, and versync leaves the crate's version alone"
                ),
                file=crate_version.file,
                line=crate_version.line,
            )
        )
        return False

    def _version_literal(self, path: str, manifest: CargoManifest) -> Span | None:
        if manifest.version is not None:
            return manifest.version
        if manifest.inherits_version:
            root = self.cargo.root_of(path, manifest)
            return root.workspace_version if root is not None else None
        return None

    def publishable(self, path: str, manifest: CargoManifest) -> bool:
        """Whether cargo may publish the crate (`publish`, or `publish.workspace = true`)."""
        if not manifest.inherits_publish:
            return manifest.publish
        root = self.cargo.root_of(path, manifest)
        return root.workspace_publish if root is not None else True
