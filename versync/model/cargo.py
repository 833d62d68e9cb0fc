"""Cargo workspaces: which workspace a crate belongs to, and what its Cargo.lock holds."""

from __future__ import annotations

import posixpath

from versync.formats.cargo import CargoManifest
from versync.model.parsed import Parsed, dirname, join
from versync.syntax.globs import matches_any


class CargoWorkspaces:
    """Answers about the Cargo manifests of one scan, each computed once."""

    def __init__(self, parsed: Parsed) -> None:
        self.parsed = parsed
        self._roots: dict[str, CargoManifest | None] = {}

    def root_of(self, path: str, manifest: CargoManifest) -> CargoManifest | None:
        """The manifest of the workspace the crate at `path` is a member of (itself, for a
        workspace root), else None."""
        if path not in self._roots:
            self._roots[path] = self._find_root(path, manifest)
        return self._roots[path]

    def _find_root(self, path: str, manifest: CargoManifest) -> CargoManifest | None:
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
                return candidate if is_member(candidate, member) else None
        return None

    def crates_locked_by(self, lock_path: str, crate_manifests: dict[str, str]) -> set[str]:
        """Crate names whose entries cargo keeps in this lock file: the workspace's members (or
        the lone crate beside it) and, transitively, their path dependencies."""
        folder = dirname(lock_path)
        root_path = join(folder, "Cargo.toml")
        root = self.parsed.cargos.get(root_path)
        if root is None:
            return set()
        if not root.is_workspace and self.root_of(root_path, root) is not None:
            return set()  # a leftover lock inside a workspace member: cargo ignores it
        names = {
            name
            for name, path in crate_manifests.items()
            if path == root_path
            or (root.is_workspace and self.root_of(path, self.parsed.cargos[path]) is root)
        }
        pending = list(names)
        while pending:
            manifest = self.parsed.cargos[crate_manifests[pending.pop()]]
            for dep in manifest.dependencies + (
                root.workspace_dependencies if root.is_workspace else []
            ):
                if dep.name in crate_manifests and dep.name not in names:
                    names.add(dep.name)
                    pending.append(dep.name)
        return names


def is_member(workspace: CargoManifest, member: str) -> bool:
    """Whether the folder `member` (relative to the workspace root) is one of its members."""
    members = [_normal(path) for path in workspace.members]
    listed = member in members or matches_any(member, members)
    return listed and not matches_any(member, [_normal(path) for path in workspace.exclude])


def _normal(path: str) -> str:
    """A member or exclude path as cargo compares it: `./src/rust/` is `src/rust`."""
    return posixpath.normpath(path.rstrip("/")) if path.strip("/") else path
