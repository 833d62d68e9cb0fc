"""Internal requirements: does a pin admit a version, and which of its clauses name a version."""

from __future__ import annotations

import re
from typing import NamedTuple

from packaging.version import Version

from versync.core import Dependency
from versync.versions import cargo_req_admits, parse_pep440, pep440_admits, poetry_to_pep440

_PEP440_CLAUSE = re.compile(r"(===|==|~=|!=|<=|>=|<|>)\s*([^\s,;)]+)")
_CARGO_CLAUSE = re.compile(r"(\^|~|=|<=|>=|<|>)?\s*([0-9][^\s,]*)")
_POETRY_CLAUSE = re.compile(r"(\^|~=|~|===|==|!=|<=|>=|<|>)?\s*([0-9][^\s,|]*)")
# Clauses whose version can be raised to a newer one and still mean "at least this".
RAISABLE = frozenset({"==", "===", "~=", ">=", ">", "", "^", "~", "="})


class Clause(NamedTuple):
    operator: str
    version: str
    start: int  # offset of the version inside the dependency's literal text
    end: int
    clause_start: int  # offset of the whole clause (operator included)


def clauses(dependency: Dependency) -> list[Clause]:
    pattern = {"pep508": _PEP440_CLAUSE, "cargo": _CARGO_CLAUSE, "poetry": _POETRY_CLAUSE}[
        dependency.scheme
    ]
    spec = dependency.specifier
    base = dependency.spec_offset
    return [
        Clause(
            match[1] or "",
            match[2],
            base + match.start(2),
            base + match.end(2),
            base + match.start(),
        )
        for match in pattern.finditer(spec)
    ]


def admits(dependency: Dependency, version: Version, semver: str | None) -> bool:
    """Whether the requirement admits the version (pre-releases count as admitted).

    Cargo requirements are checked against the crate's own SemVer literal, as cargo does.
    """
    if dependency.scheme == "cargo":
        return semver is None or cargo_req_admits(dependency.specifier, semver)
    if dependency.scheme == "poetry":
        return any(
            pep440_admits(poetry_to_pep440(part.strip()), version)
            for part in dependency.specifier.split("||")
        )
    return pep440_admits(dependency.specifier, version)


def clause_version(clause: Clause) -> Version | None:
    return parse_pep440(clause.version)


def safe_admits(dependency: Dependency, version: Version, semver: str | None) -> bool | None:
    """`admits`, or None when the requirement cannot be evaluated."""
    try:
        return admits(dependency, version, semver)
    except ValueError:
        return None
