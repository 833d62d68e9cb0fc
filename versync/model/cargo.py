"""Cargo workspaces: which workspace a crate belongs to, and what its Cargo.lock holds."""

from __future__ import annotations

import posixpath

from versync.formats.cargo import CargoManifest, PathDependency
from versync.model.parsed import Parsed, dirname, join
from versync.syntax.globs import matches_any


class CargoWorkspaces:
    """Answers about the Cargo manifests of one scan, each computed once.

    Modelled on cargo: a workspace's members are the crates its `members` globs list (less
    `exclude`) and, as cargo adds them, every crate inside the workspace's folder that a member
    reaches by a `path` dependency. A lock file holds the members, and every crate reached from
    them by path: by any dependency of a member (optional and `cfg(...)` ones too, as cargo
    resolves every feature and target), and by the normal and build dependencies of the crates
    outside the workspace (cargo never resolves their dev-dependencies). A `dep.workspace = true`
    dependency is the workspace's `[workspace.dependencies]` entry; an entry no crate uses is
    not locked.
    """

    def __init__(self, parsed: Parsed) -> None:
        self.parsed = parsed
        self._roots: dict[str, CargoManifest | None] = {}
        self._auto: dict[str, set[str]] = {}

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
            root_path = join(folder, "Cargo.toml")
            candidate = self.parsed.cargos.get(root_path)
            if candidate is not None and candidate.is_workspace:
                member = _below(dirname(path), folder)
                if is_member(candidate, member) or path in self._path_members(root_path):
                    return candidate
                return None
        return None

    def _path_members(self, root_path: str) -> set[str]:
        """The crates cargo makes members of the workspace at `root_path` because a member
        reaches them by a path dependency inside the workspace's folder."""
        if root_path not in self._auto:
            self._auto[root_path] = set()  # no recursion through a cycle of path dependencies
            root = self.parsed.cargos[root_path]
            folder = dirname(root_path)
            listed = {
                path
                for path in self.parsed.cargos
                if path == root_path
                or (_inside(path, folder) and is_member(root, _below(dirname(path), folder)))
            }
            reached = self._reach(root_path, root, listed, all_members=True)
            self._auto[root_path] = {
                path for path in reached - listed if self._inside_workspace(path, root_path, root)
            }
        return self._auto[root_path]

    def _reach(
        self, root_path: str, root: CargoManifest, start: set[str], *, all_members: bool
    ) -> set[str]:
        """The manifests reached from `start` by path dependencies, dev-dependencies only from
        members (when `all_members`, while members are being found: `start` and every crate
        reached inside the workspace's folder; else those `root_of` says)."""
        found = set(start)
        pending = list(start)
        while pending:
            path = pending.pop()
            manifest = self.parsed.cargos.get(path)
            if manifest is None:
                continue
            if all_members:  # finding the members: every crate reached inside the folder is one
                member = path in start or self._inside_workspace(path, root_path, root)
            else:
                member = self._member_of(path, manifest, root)
            for dep in manifest.dependencies:
                if dep.dev and not member:
                    continue
                target = self._target(path, dep, root_path, root)
                if target is not None and target not in found and target in self.parsed.cargos:
                    found.add(target)
                    pending.append(target)
        return found

    @staticmethod
    def _inside_workspace(path: str, root_path: str, root: CargoManifest) -> bool:
        folder = dirname(root_path)
        return _inside(path, folder) and not _excluded(_below(dirname(path), folder), root)

    def _member_of(self, path: str, manifest: CargoManifest, root: CargoManifest) -> bool:
        return root.is_workspace and self.root_of(path, manifest) is root

    @staticmethod
    def _target(path: str, dep: PathDependency, root_path: str, root: CargoManifest) -> str | None:
        if dep.path:
            return join(join(dirname(path), dep.path), "Cargo.toml")
        shared = next((d for d in root.workspace_dependencies if d.key == dep.key), None)
        if shared is None or not shared.path:
            return None
        return join(join(dirname(root_path), shared.path), "Cargo.toml")

    def crates_locked_by(self, lock_path: str, crate_manifests: dict[str, str]) -> set[str]:
        """Crate names whose entries cargo keeps in this lock file: the workspace's members (or
        the lone crate beside it) and the crates they reach by path (see the class)."""
        folder = dirname(lock_path)
        root_path = join(folder, "Cargo.toml")
        root = self.parsed.cargos.get(root_path)
        if root is None:
            return set()
        if not root.is_workspace and self.root_of(root_path, root) is not None:
            return set()  # a leftover lock inside a workspace member: cargo ignores it
        members = {root_path}
        if root.is_workspace:
            members |= {
                path
                for path, manifest in self.parsed.cargos.items()
                if self.root_of(path, manifest) is root
            }
        locked = self._reach(root_path, root, members, all_members=False)
        by_path = {path: name for name, path in crate_manifests.items()}
        return {by_path[path] for path in locked if path in by_path}


def _inside(path: str, folder: str) -> bool:
    return folder == "." or path.startswith(folder + "/")


def _below(path: str, folder: str) -> str:
    """`path` relative to `folder`, which is it or a folder above it (`posixpath.relpath`,
    without its absolute paths: asked once per crate)."""
    if path == folder:
        return "."
    return path if folder == "." else path[len(folder) + 1 :]


def _normal_all(paths: list[str]) -> tuple[tuple[str, ...], frozenset[str]]:
    """The paths normalised, in order and as a set. Asked once per crate of a workspace
    with as many members: normalised once per list (a workspace's `members`, `exclude`)."""
    found = _NORMALISED.get(id(paths))
    if found is None or found[0] is not paths:  # the list itself is kept: its id is not reused
        if len(_NORMALISED) >= 256:
            _NORMALISED.clear()
        normal = tuple(_normal(path) for path in paths)
        found = _NORMALISED[id(paths)] = (paths, normal, frozenset(normal))
    return found[1], found[2]


_NORMALISED: dict[int, tuple[list[str], tuple[str, ...], frozenset[str]]] = {}


def is_member(workspace: CargoManifest, member: str) -> bool:
    """Whether the folder `member` (relative to the workspace root) is one of its members:
    `members` are globs (Cargo's `glob` crate), `exclude` entries are paths whose folders
    are left out with everything below them, as cargo reads them (`./src/rust/` is
    `src/rust`)."""
    members, member_set = _normal_all(workspace.members)
    listed = member in member_set or matches_any(member, members)
    return listed and not _excluded(member, workspace)


def _excluded(folder: str, workspace: CargoManifest) -> bool:
    """Whether `exclude` leaves out the folder (relative to the workspace root): an entry
    is a path, and leaves out everything below it too."""
    return any(
        folder == path or folder.startswith(path + "/")
        for path in _normal_all(workspace.exclude)[0]
    )


def _normal(path: str) -> str:
    """A member or exclude path as cargo compares it: `./src/rust/` is `src/rust`."""
    return posixpath.normpath(path.rstrip("/")) if path.strip("/") else path
