"""How an internal requirement follows a new version: which clauses to rewrite, and to what."""

from __future__ import annotations

from enum import Enum

from packaging.version import Version

from versync.change.versions import NewVersion
from versync.records import Dependency, replace
from versync.syntax import raising
from versync.syntax.clauses import Clause
from versync.syntax.raising import raised, rewritten
from versync.syntax.requirements import clause_version, clauses, safe_admits


class PinMode(Enum):
    """Why a pin is being updated."""

    BUMP = "bump"  # a release: pins follow the policy, and one left excluding it stops the plan
    REPAIR = "repair"  # fix: pins that exclude the version are raised; others stay reported


class PinError(Exception):
    """The requirement would still exclude the new version (raised for `PinMode.BUMP`);
    `suggestion` is the requirement after the smallest edit that admits it, if there is one."""

    def __init__(self, dependency: Dependency, suggestion: str | None) -> None:
        super().__init__(dependency)
        self.suggestion = suggestion


# Compatible-release operators: their precision is their meaning, so it is kept.
KEEP_PRECISION = frozenset({"~=", "^", "~", ""})


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
        updates = {
            c: _tracked(dependency, c, new, wanted)
            for c in clauses(dependency)
            if _names_one_of(c, old)
        }
    raise_excluding = mode is PinMode.REPAIR or not track
    if raise_excluding and not admits_after(dependency, updates, new):
        updates.update(_raised(dependency, new, upper=not track))
    if admits_after(dependency, updates, new):
        return updates
    if mode is PinMode.BUMP:
        every = {**updates, **_raised(dependency, new, upper=True)}
        fits = admits_after(dependency, every, new)
        raise PinError(dependency, rewritten(dependency, every) if fits else None)
    return {}


def _raised(dependency: Dependency, new: NewVersion, *, upper: bool) -> dict[Clause, str]:
    """The clauses that exclude the new version and can be raised, each with its raised
    version (see `versync.syntax.raising`)."""
    full = new.literal_for("semver" if dependency.scheme == "cargo" else "pep440")
    return raised(dependency, new.version, new.semver, full, upper=upper)


def raised_version(dependency: Dependency, clause: Clause, new: NewVersion) -> str | None:
    """`versync.syntax.raising.raised_version` for a new version."""
    full = new.literal_for("semver" if dependency.scheme == "cargo" else "pep440")
    return raising.raised_version(dependency, clause, new.version, new.semver, full)


def _tracked(dependency: Dependency, clause: Clause, new: NewVersion, wanted: str) -> str:
    """The version a clause naming the old version moves to: the new one, written to the
    clause's precision for operators whose meaning is their precision (`~=1.15` -> `~=9.9`)."""
    if clause.operator not in KEEP_PRECISION:
        return wanted
    raised = raised_version(dependency, clause, new)
    return raised if raised is not None else wanted


def _names_one_of(clause: Clause, versions: set[Version]) -> bool:
    """Whether the clause names one of the versions, written to the same precision: `~=1.4`
    does not track 1.4.0, as `~=1.5.0` would narrow what it admits."""
    named = clause_version(clause)
    return any(named == v and len(named.release) == len(v.release) for v in versions if named)


def admits_after(dependency: Dependency, updates: dict[Clause, str], new: NewVersion) -> bool:
    """Whether the requirement, with `updates` made, admits the new version (or cannot be
    evaluated)."""
    text = rewritten(dependency, updates)
    spec_end = len(dependency.specifier) + len(text) - len(dependency.literal.text)
    specifier = text[dependency.spec_offset : dependency.spec_offset + spec_end]
    changed = replace(dependency, specifier=specifier)
    return safe_admits(changed, new.version, new.semver) is not False
