"""How an internal requirement follows a new version: which clauses to rewrite, and to what."""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import Enum

from packaging.version import Version

from versync.change.versions import NewVersion
from versync.records import Dependency, replace
from versync.syntax.clauses import Clause
from versync.syntax.requirements import RAISABLE, clause_version, clauses, safe_admits

_PRECISION = re.compile(r"\d+(?:\.\d+)*")


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


# Upper bounds are raised only under pins = "fix" (or suggested), to the least bound needed.
UPPER = frozenset({"<", "<="})
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
    version (see `raised_version`)."""
    raised: dict[Clause, str] = {}
    for clause in _raisable_excluding(dependency, new, upper=upper):
        text = raised_version(dependency, clause, new)
        if text is not None:
            raised[clause] = text
    return raised


def raised_version(dependency: Dependency, clause: Clause, new: NewVersion) -> str | None:
    """The version to write into `clause` so that it admits `new`, keeping the clause's
    precision where that suffices (`~= 1.15` -> `~= 9.9`, `^0.1` -> `^9.9`, `<0.2` ->
    `<9.10` for 9.9.9), else the whole new version; None when no version does."""
    wildcard = ".*" if clause.version.endswith(".*") else ""
    digits = _PRECISION.match(clause.version)
    precision = len(digits.group(0).split(".")) if digits else 0
    numbers = [*new.version.release, *([0] * precision)][: max(precision, 1)]
    candidates = [".".join(map(str, numbers)) + wildcard] if precision else []
    if clause.operator in UPPER:
        candidates.append(".".join(map(str, [*numbers[:-1], numbers[-1] + 1])) + wildcard)
    else:
        candidates.append(new.literal_for("semver" if dependency.scheme == "cargo" else "pep440"))
    for candidate in candidates:
        single = replace(dependency, specifier=f"{clause.operator}{candidate}", spec_offset=0)
        if safe_admits(single, new.version, new.semver) is True:
            return candidate
    return None


def rewritten(dependency: Dependency, updates: dict[Clause, str]) -> str:
    """The requirement's literal text with `updates` made."""
    text = dependency.literal.text
    for clause in sorted(updates, key=lambda c: c.start, reverse=True):
        text = text[: clause.start] + updates[clause] + text[clause.end :]
    return text


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


def _raisable_excluding(
    dependency: Dependency, new: NewVersion, *, upper: bool = False
) -> Iterator[Clause]:
    for clause in clauses(dependency):
        alone = dependency.literal.text[clause.clause_start : clause.end]
        single = replace(dependency, specifier=alone, spec_offset=clause.clause_start)
        version = clause_version(clause._replace(version=clause.version.removesuffix(".*")))
        if (
            safe_admits(single, new.version, new.semver) is False
            and (clause.operator in RAISABLE or (upper and clause.operator in UPPER))
            and version is not None
            and version <= new.version
        ):
            yield clause


def admits_after(dependency: Dependency, updates: dict[Clause, str], new: NewVersion) -> bool:
    """Whether the requirement, with `updates` made, admits the new version (or cannot be
    evaluated)."""
    text = rewritten(dependency, updates)
    spec_end = len(dependency.specifier) + len(text) - len(dependency.literal.text)
    specifier = text[dependency.spec_offset : dependency.spec_offset + spec_end]
    changed = replace(dependency, specifier=specifier)
    return safe_admits(changed, new.version, new.semver) is not False
