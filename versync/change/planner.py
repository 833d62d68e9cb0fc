"""The planner: the edits a change makes, collected per literal, with internal pins and lock
entries following the versions they name; `plan()` turns them into a verified `Plan`."""

from __future__ import annotations

from packaging.version import Version

from versync.change.context import Context
from versync.change.pins import PinError, PinMode, pin_updates
from versync.change.plan import Edit, Plan, build_plan
from versync.change.versions import NewVersion
from versync.errors import PlanError
from versync.model import LockMember
from versync.records import Dependency, Package, Span
from versync.syntax.clauses import Clause
from versync.syntax.pep440 import parse_pep440


class Planner:
    """Collects edits; `set_version` moves a package, `repair_pin` and `resync_locks` repair."""

    def __init__(self, context: Context, *, repair_only: bool = False) -> None:
        self.context = context
        self.repair_only = repair_only
        self.edits: list[Edit] = []
        self.notes: list[str] = []
        self.changed: dict[str, tuple[set[Version], NewVersion]] = {}
        model = context.model
        self.by_id = {p.id: p for p in model.packages}
        self.pins_on: dict[str, list[Dependency]] = {}
        for dependency in model.dependencies:
            self.pins_on.setdefault(dependency.target, []).append(dependency)
        self.locks_of: dict[str, list[LockMember]] = {}
        for member in model.lock_members:
            self.locks_of.setdefault(member.package.id, []).append(member)

    def set_version(self, package: Package, new: NewVersion) -> None:
        """Write `new` into every source of `package`; when bumping, pins and locks follow."""
        old = {s.version for s in package.sources if s.version is not None}
        self.changed[package.id] = (old, new)
        for source in package.sources:
            if source.kind == "vcs":
                continue  # a version from git tags is written in no file
            if self.repair_only and (not source.valid or source.version is None):
                continue  # an unreadable version needs a decision: `check` keeps reporting it
            pattern = self._file_pattern(source.file) if source.kind == "file" else ""
            self._edit(source.literal, new.literal_for(source.scheme), pattern)
        if not self.repair_only:
            for dependency in self.pins_on.get(package.id, []):
                self._update_pin(dependency, PinMode.BUMP)
            for member in self.locks_of.get(package.id, []):
                self._sync_lock(member)

    def repair_pin(self, dependency: Dependency) -> None:
        """Raise the clauses of `dependency` that exclude its target's (new) version."""
        self._update_pin(dependency, PinMode.REPAIR)

    def resync_locks(
        self, skip: frozenset[tuple[str, int]] | set[tuple[str, int]] = frozenset()
    ) -> None:
        """Make every lock entry repeat its package's (new) version, except the entries at
        the (file, line) places in `skip`."""
        for member in self.context.model.lock_members:
            entry = member.entry.version if member.entry else None
            if entry is None or (entry.file, entry.line) not in skip:
                self._sync_lock(member)

    def plan(self) -> Plan:
        """The verified plan of every edit collected; `PlanError` when a file the change must
        edit could not be read (a `manifest-error`)."""
        context = self.context
        self._refuse_unreadable()
        return build_plan(context.root, context.read, self.edits, self.notes, context.proving_stamp)

    def _refuse_unreadable(self) -> None:
        edited = {edit.path for edit in self.edits}
        folders = [self.by_id[i].path for i in self.changed if i in self.by_id]
        for found in self.context.model.problems:
            if (
                found.file in edited
                or found.package in self.changed
                or _lock_over(found.file, folders)
            ):
                raise PlanError(
                    f"{found.location()}: {found.message}; this change must edit it: "
                    "repair the file first (nothing was written)"
                )

    def _edit(self, literal: Span, new: str, pattern: str = "") -> None:
        if literal.text != new:
            owner = (literal.start, literal.end)
            self.edits.append(
                Edit(
                    literal.file,
                    literal.start,
                    literal.end,
                    literal.text,
                    new,
                    literal.line,
                    owner,
                    pattern,
                )
            )

    def _file_pattern(self, path: str) -> str:
        """The search pattern of the `[[files]]` entry that matched `path`."""
        from versync.model.files import search_pattern
        from versync.syntax.globs import glob

        for rule in self.context.config.files:
            if glob(rule.path.removeprefix("./")).fullmatch(path):
                return search_pattern(rule.search).pattern
        return ""

    def _update_pin(self, dependency: Dependency, mode: PinMode) -> None:
        target = self._target_version(dependency.target)
        if target is None:
            return
        old, new = target
        track = self.context.config.pins == "track"
        try:
            updates = pin_updates(dependency, old, new, track=track, mode=mode)
        except PinError as exc:
            literal = dependency.literal
            edit = (
                f'the smallest edit that admits it: "{literal.text}" -> "{exc.suggestion}"'
                if exc.suggestion is not None
                else "change it by hand"
            )
            raise PlanError(
                f"{literal.file}:{literal.line}:{literal.column}: requirement {literal.text!r} of "
                f'{dependency.owner} would exclude {new.pep440}; {edit} (or set pins = "fix" '
                "in versync.toml to let versync raise such bounds); nothing was written"
            ) from exc
        self._edit_clauses(dependency, updates)

    def _target_version(self, package_id: str) -> tuple[set[Version], NewVersion] | None:
        if package_id in self.changed:
            return self.changed[package_id]
        package = self.by_id[package_id]
        current = package.published_version
        if current is None:
            return None
        semver = next((s.text for s in package.sources if s.scheme == "semver"), None)
        return {current}, NewVersion(str(current), current, semver)

    def _edit_clauses(self, dependency: Dependency, updates: dict[Clause, str]) -> None:
        literal = dependency.literal
        owner = (literal.start, literal.end)
        for clause, new in updates.items():
            if clause.version != new:
                start = literal.start + clause.start
                end = start + len(clause.version)
                self.edits.append(
                    Edit(literal.file, start, end, clause.version, new, literal.line, owner)
                )

    def _sync_lock(self, member: LockMember) -> None:
        entry = member.entry.version if member.entry else None
        target = self._target_version(member.package.id)
        if entry is None or target is None:
            return
        new = target[1]
        if member.tool == "cargo":
            self._edit(entry, new.semver or new.pep440)
        elif parse_pep440(entry.text) != new.version:
            self._edit(entry, str(new.version))


def _lock_over(path: str, folders: list[str]) -> bool:
    """Whether `path` is a lock file that may hold an entry of a package in one of `folders`."""
    folder, _, name = path.rpartition("/")
    if name not in ("Cargo.lock", "uv.lock"):
        return False
    return any(not folder or f == folder or f.startswith(folder + "/") for f in folders)
