"""Planning changes: `bump` sets a version on a target, `fix` repairs what `check` found.
Both end in a verified `Plan`; internal pins and lock entries follow the versions they name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from packaging.version import Version

from versync import rules
from versync.core import Dependency, Package, Span
from versync.errors import PlanError, UsageError
from versync.model import LockMember
from versync.pins import RAISABLE, Clause, clause_version, clauses, safe_admits
from versync.plan import Edit, Plan, build_plan
from versync.versions import bump_version, parse_pep440, to_semver

if TYPE_CHECKING:
    from versync.workspace import Workspace


class NewVersion(NamedTuple):
    """A package's new version: as the user wrote it (Python files) and in Cargo's form."""

    pep440: str
    version: Version
    semver: str | None

    def literal_for(self, scheme: str) -> str:
        if scheme == "semver":
            assert self.semver is not None
            return self.semver
        return self.pep440


def relative_version(
    workspace: Workspace, part: str, pre: str | None, *, group: str | None, package: str | None
) -> str:
    """`major`, `minor` or `patch` (with an optional pre-release kind) applied to the target."""
    if part not in ("major", "minor", "patch"):
        raise UsageError("--pre goes with major, minor or patch, not with an explicit version")
    targets = _targets(workspace, group, package)
    versions = {s.version for p in targets for s in p.sources if s.valid and s.version is not None}
    if len(versions) != 1:
        shown = ", ".join(sorted(str(v) for v in versions)) or "none"
        raise UsageError(
            f"cannot bump {part}: the target's versions disagree ({shown}); "
            "give an explicit version, or run `versync fix` first"
        )
    return bump_version(str(versions.pop()), part, pre)


def plan_bump(
    workspace: Workspace,
    version: str,
    *,
    group: str | None,
    package: str | None,
    allow_downgrade: bool,
) -> Plan:
    targets = _targets(workspace, group, package)
    parsed = parse_pep440(version)
    if parsed is None:
        raise UsageError(f"{version!r} is not a valid PEP 440 version")
    needs_semver = any(s.scheme == "semver" for p in targets for s in p.sources)
    new = NewVersion(version, parsed, _semver_for(version, targets) if needs_semver else None)
    if not allow_downgrade:
        _refuse_downgrade(targets, parsed)
    planner = _Planner(workspace)
    for target in targets:
        planner.set_version(target, new)
    return planner.plan()


def plan_fix(workspace: Workspace) -> Plan:
    goals = rules.targets(workspace.model)
    planner = _Planner(workspace, repair_only=True)
    for package in workspace.packages:
        goal = goals.get(package.key)
        if goal is None:
            continue
        if any(s.valid and s.version is not None and s.version != goal for s in package.sources):
            planner.set_version(package, _new_version_for_fix(workspace, package, goal))
    for dependency in workspace.model.dependencies:
        planner.repair_pin(dependency)
    planner.resync_locks()
    planner.notes += [
        f"{f.location()}: {f.message} [{f.code}]" for f in workspace.check() if not f.fixable
    ]
    return planner.plan()


def _targets(workspace: Workspace, group: str | None, package: str | None) -> list[Package]:
    if package is not None:
        found = workspace.package(package)
        if found is None:
            raise UsageError(f"no package {package!r}")
        return [found]
    return rules.group_members(workspace.groups, group)


def _semver_for(version: str, targets: list[Package]) -> str:
    try:
        return to_semver(version)
    except UsageError as exc:
        crates = ", ".join(p.name for p in targets if any(s.scheme == "semver" for s in p.sources))
        raise UsageError(f"cannot write {version} into Cargo.toml ({crates}): {exc}") from exc


def _refuse_downgrade(targets: list[Package], version: Version) -> None:
    for package in targets:
        if package.highest is not None and version < package.highest:
            raise UsageError(
                f"{package.name} is at {package.highest}; {version} would go backwards "
                "(use --allow-downgrade)"
            )


def _new_version_for_fix(workspace: Workspace, package: Package, goal: Version) -> NewVersion:
    """The goal written as the source that holds it writes it (`1.45.0.dev` stays as typed)."""
    candidates = [package] + [
        p for p in workspace.groups.get(package.group or "", []) if p is not package
    ]
    holder = next(
        (s for p in candidates for s in p.sources if s.scheme == "pep440" and s.version == goal),
        None,
    )
    pep440 = holder.text if holder is not None else str(goal)
    needs_semver = any(s.scheme == "semver" for s in package.sources)
    return NewVersion(pep440, goal, _semver_for(pep440, [package]) if needs_semver else None)


class _Planner:
    def __init__(self, workspace: Workspace, *, repair_only: bool = False) -> None:
        self.workspace = workspace
        self.repair_only = repair_only
        self.edits: list[Edit] = []
        self.notes: list[str] = []
        self.changed: dict[str, tuple[set[Version], NewVersion]] = {}
        model = workspace.model
        self.by_key = {p.key: p for p in model.packages}
        self.pins_on: dict[str, list[Dependency]] = {}
        for dependency in model.dependencies:
            self.pins_on.setdefault(dependency.target, []).append(dependency)
        self.locks_of: dict[str, list[LockMember]] = {}
        for member in model.lock_members:
            self.locks_of.setdefault(member.package.key, []).append(member)

    def set_version(self, package: Package, new: NewVersion) -> None:
        old = {s.version for s in package.sources if s.version is not None}
        self.changed[package.key] = (old, new)
        for source in package.sources:
            if self.repair_only and (not source.valid or source.version is None):
                continue  # an unreadable version needs a decision: `check` keeps reporting it
            self._edit(source.literal, new.literal_for(source.scheme))
        if not self.repair_only:
            self._follow_pins(package.key)
            self._follow_locks(package.key)

    def plan(self) -> Plan:
        workspace = self.workspace
        return build_plan(
            workspace.root, workspace.file, self.edits, self.notes, workspace.proving_stamp
        )

    def _edit(self, literal: Span, new: str) -> None:
        if literal.text != new:
            owner = (literal.start, literal.end)
            self.edits.append(
                Edit(
                    literal.file, literal.start, literal.end, literal.text, new, literal.line, owner
                )
            )

    # --- pins -----------------------------------------------------------------------------

    def _follow_pins(self, key: str) -> None:
        track = self.workspace.config.pins == "track"
        for dependency in self.pins_on.get(key, []):
            self._update_pin(dependency, track=track, raise_excluding=not track, strict=True)

    def repair_pin(self, dependency: Dependency) -> None:
        track = self.workspace.config.pins == "track"
        self._update_pin(dependency, track=track, raise_excluding=True, strict=False)

    def _update_pin(
        self, dependency: Dependency, *, track: bool, raise_excluding: bool, strict: bool
    ) -> None:
        """Rewrite the clauses that name the old version (`track`) and those that exclude the new
        one (`raise_excluding`). When the requirement still excludes the new version, `strict`
        (bump) stops the plan; otherwise (fix) `check` goes on reporting it."""
        target = self._target_version(dependency.target)
        if target is None:
            return
        old, new = target
        wanted = new.literal_for("semver" if dependency.scheme == "cargo" else "pep440")
        updates: dict[Clause, str] = {}
        if track:
            updates = {c: wanted for c in clauses(dependency) if _names_one_of(c, old)}
        if raise_excluding and not _admits_after(dependency, updates, new):
            updates.update({c: wanted for c in _raisable_excluding(dependency, new)})
        if _admits_after(dependency, updates, new):
            self._edit_clauses(dependency, updates)
        elif strict:
            literal = dependency.literal
            raise PlanError(
                f"{literal.file}:{literal.line}:{literal.column}: requirement {literal.text!r} of "
                f"{dependency.owner} would exclude {new.pep440}; "
                "change it by hand (nothing was written)"
            )

    def _target_version(self, key: str) -> tuple[set[Version], NewVersion] | None:
        if key in self.changed:
            return self.changed[key]
        package = self.by_key[key]
        if package.published_version is None:
            return None
        current = package.published_version
        semver = next((s.text for s in package.sources if s.scheme == "semver"), None)
        return {current}, NewVersion(str(current), current, semver)

    def _edit_clauses(self, dependency: Dependency, updates: dict[Clause, str]) -> None:
        literal = dependency.literal
        for clause, new in updates.items():
            if clause.version != new:
                start = literal.start + clause.start
                owner = (literal.start, literal.end)
                end = start + len(clause.version)
                self.edits.append(
                    Edit(literal.file, start, end, clause.version, new, literal.line, owner)
                )

    # --- locks ----------------------------------------------------------------------------

    def _follow_locks(self, key: str) -> None:
        for member in self.locks_of.get(key, []):
            self._sync_lock(member.entry.version if member.entry else None, member.tool, key)

    def resync_locks(self) -> None:
        for member in self.workspace.model.lock_members:
            self._sync_lock(
                member.entry.version if member.entry else None, member.tool, member.package.key
            )

    def _sync_lock(self, entry: Span | None, tool: str, key: str) -> None:
        target = self._target_version(key)
        if entry is None or target is None:
            return
        new = target[1]
        if tool == "cargo":
            self._edit(entry, new.semver or new.pep440)
        elif parse_pep440(entry.text) != new.version:
            self._edit(entry, str(new.version))


def _names_one_of(clause: Clause, versions: set[Version]) -> bool:
    """Whether the clause names one of the versions, written to the same precision: `~=1.4`
    does not track 1.4.0, as `~=1.5.0` would narrow what it admits."""
    named = clause_version(clause)
    return any(named == v and len(named.release) == len(v.release) for v in versions if named)


def _raisable_excluding(dependency: Dependency, new: NewVersion) -> Iterator[Clause]:
    for clause in clauses(dependency):
        alone = dependency.literal.text[clause.clause_start : clause.end]
        single = dependency._replace(specifier=alone, spec_offset=clause.clause_start)
        version = clause_version(clause)
        if (
            safe_admits(single, new.version, new.semver) is False
            and clause.operator in RAISABLE
            and version is not None
            and version < new.version
        ):
            yield clause


def _admits_after(dependency: Dependency, updates: dict[Clause, str], new: NewVersion) -> bool:
    text = dependency.literal.text
    for clause in sorted(updates, key=lambda c: c.start, reverse=True):
        text = text[: clause.start] + updates[clause] + text[clause.end :]
    spec_end = len(dependency.specifier) + len(text) - len(dependency.literal.text)
    specifier = text[dependency.spec_offset : dependency.spec_offset + spec_end]
    return (
        safe_admits(dependency._replace(specifier=specifier), new.version, new.semver) is not False
    )
