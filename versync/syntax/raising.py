"""Raising a requirement so that it admits a new version, by the smallest edit: each clause
that excludes it is raised to the least version that admits it, at the clause's own precision
where that suffices (`~= 1.15` -> `~= 9.9`, `^0.1` -> `^9.9`, `<0.2` -> `<9.10` for 9.9.9)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from packaging.version import Version

from versync.records import Dependency, replace
from versync.syntax.clauses import Clause
from versync.syntax.requirements import RAISABLE, clause_version, clauses, safe_admits

UPPER = frozenset({"<", "<="})  # upper bounds: raised only when the policy allows it
_PRECISION = re.compile(r"\d+(?:\.\d+)*")


def raised_version(
    dependency: Dependency, clause: Clause, version: Version, semver: str | None, full: str
) -> str | None:
    """The version to write into `clause` so that it admits `version` (`semver` in Cargo's
    form, `full` as the new version is written), keeping the clause's precision where that
    suffices, else `full`; None when no version does."""
    wildcard = ".*" if clause.version.endswith(".*") else ""
    digits = _PRECISION.match(clause.version)
    precision = len(digits.group(0).split(".")) if digits else 0
    numbers = [*version.release, *([0] * precision)][: max(precision, 1)]
    candidates = [".".join(map(str, numbers)) + wildcard] if precision else []
    if clause.operator in UPPER:
        candidates.append(".".join(map(str, [*numbers[:-1], numbers[-1] + 1])) + wildcard)
    else:
        candidates.append(full)
    for candidate in candidates:
        single = replace(dependency, specifier=f"{clause.operator}{candidate}", spec_offset=0)
        if safe_admits(single, version, semver) is True:
            return candidate
    return None


def excluding(
    dependency: Dependency, version: Version, semver: str | None, *, upper: bool
) -> Iterator[Clause]:
    """The clauses that exclude `version` and may be raised (upper bounds too with `upper`)."""
    for clause in clauses(dependency):
        alone = dependency.literal.text[clause.clause_start : clause.end]
        single = replace(dependency, specifier=alone, spec_offset=clause.clause_start)
        named = clause_version(clause._replace(version=clause.version.removesuffix(".*")))
        if (
            safe_admits(single, version, semver) is False
            and (clause.operator in RAISABLE or (upper and clause.operator in UPPER))
            and named is not None
            and named <= version
        ):
            yield clause


def raised(
    dependency: Dependency, version: Version, semver: str | None, full: str, *, upper: bool
) -> dict[Clause, str]:
    """Each clause that excludes `version` and can be raised, with its raised version."""
    found: dict[Clause, str] = {}
    for clause in excluding(dependency, version, semver, upper=upper):
        text = raised_version(dependency, clause, version, semver, full)
        if text is not None:
            found[clause] = text
    return found


def rewritten(dependency: Dependency, updates: dict[Clause, str]) -> str:
    """The requirement's literal text with `updates` made."""
    text = dependency.literal.text
    for clause in sorted(updates, key=lambda c: c.start, reverse=True):
        text = text[: clause.start] + updates[clause] + text[clause.end :]
    return text


def smallest_edit(dependency: Dependency, version: Version, semver: str | None) -> str | None:
    """The requirement's literal after the smallest edit that admits `version`, or None."""
    full = semver if dependency.scheme == "cargo" and semver else str(version)
    updates = raised(dependency, version, semver, full, upper=True)
    if not updates:
        return None
    text = rewritten(dependency, updates)
    grown = len(text) - len(dependency.literal.text)
    start = dependency.spec_offset
    specifier = text[start : start + len(dependency.specifier) + grown]
    if safe_admits(replace(dependency, specifier=specifier), version, semver) is not True:
        return None
    return text
