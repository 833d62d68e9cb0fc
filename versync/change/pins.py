"""How an internal requirement follows a new version: which clauses to rewrite, and to what."""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum

from packaging.version import Version

from versync.change.versions import NewVersion
from versync.records import Dependency, replace
from versync.syntax.clauses import Clause
from versync.syntax.requirements import RAISABLE, clause_version, clauses, safe_admits


class PinMode(Enum):
    """Why a pin is being updated."""

    BUMP = "bump"  # a release: pins follow the policy, and one left excluding it stops the plan
    REPAIR = "repair"  # fix: pins that exclude the version are raised; others stay reported


class PinError(Exception):
    """The requirement would still exclude the new version (raised for `PinMode.BUMP`)."""


def pin_updates(
    dependency: Dependency, old: set[Version], new: NewVersion, *, track: bool, mode: PinMode
) -> dict[Clause, str]:
    """The clauses of `dependency` to rewrite, with their new versions.

    With `track` (the `pins = "track"` policy) clauses naming an old version move to the new
    one; clauses that exclude the new version are raised when repairing, or when not tracking.
    Raises `PinError` in `BUMP` mode when the requirement would still exclude the new version;
    in `REPAIR` mode such a requirement is left alone (no updates).
    """
    wanted = new.literal_for("semver" if dependency.scheme == "cargo" else "pep440")
    updates: dict[Clause, str] = {}
    if track:
        updates = {c: wanted for c in clauses(dependency) if _names_one_of(c, old)}
    raise_excluding = mode is PinMode.REPAIR or not track
    if raise_excluding and not admits_after(dependency, updates, new):
        updates.update({c: wanted for c in _raisable_excluding(dependency, new)})
    if admits_after(dependency, updates, new):
        return updates
    if mode is PinMode.BUMP:
        raise PinError(dependency)
    return {}


def _names_one_of(clause: Clause, versions: set[Version]) -> bool:
    """Whether the clause names one of the versions, written to the same precision: `~=1.4`
    does not track 1.4.0, as `~=1.5.0` would narrow what it admits."""
    named = clause_version(clause)
    return any(named == v and len(named.release) == len(v.release) for v in versions if named)


def _raisable_excluding(dependency: Dependency, new: NewVersion) -> Iterator[Clause]:
    for clause in clauses(dependency):
        alone = dependency.literal.text[clause.clause_start : clause.end]
        single = replace(dependency, specifier=alone, spec_offset=clause.clause_start)
        version = clause_version(clause)
        if (
            safe_admits(single, new.version, new.semver) is False
            and clause.operator in RAISABLE
            and version is not None
            and version < new.version
        ):
            yield clause


def admits_after(dependency: Dependency, updates: dict[Clause, str], new: NewVersion) -> bool:
    """Whether the requirement, with `updates` made, admits the new version (or cannot be
    evaluated)."""
    text = dependency.literal.text
    for clause in sorted(updates, key=lambda c: c.start, reverse=True):
        text = text[: clause.start] + updates[clause] + text[clause.end :]
    spec_end = len(dependency.specifier) + len(text) - len(dependency.literal.text)
    specifier = text[dependency.spec_offset : dependency.spec_offset + spec_end]
    changed = replace(dependency, specifier=specifier)
    return safe_admits(changed, new.version, new.semver) is not False
