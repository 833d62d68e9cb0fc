"""Internal requirements: does a pin admit a version, and which of its clauses name one."""

from __future__ import annotations

from packaging.version import Version

from versync.records import Dependency
from versync.syntax.clauses import Clause, ClauseScheme, tokenize
from versync.syntax.pep440 import parse_pep440, pep440_admits
from versync.syntax.poetry import poetry_alternatives
from versync.syntax.semver import cargo_req_admits

# Clauses whose version can be raised to a newer one and still mean "at least this".
RAISABLE = frozenset({"==", "===", "~=", ">=", ">", "", "^", "~", "="})
_CLAUSE_SCHEME: dict[str, ClauseScheme] = {"pep508": "pep440", "cargo": "cargo", "poetry": "poetry"}


def clauses(dependency: Dependency) -> list[Clause]:
    """The clauses of the requirement, positioned in its literal's text; none when it does
    not parse (`check` reports such a requirement as it is)."""
    try:
        return tokenize(
            dependency.specifier, _CLAUSE_SCHEME[dependency.scheme], dependency.spec_offset
        )
    except ValueError:
        return []


def admits(dependency: Dependency, version: Version, semver: str | None) -> bool:
    """Whether the requirement admits the version (pre-releases count as admitted).

    Cargo requirements are checked against the crate's own SemVer literal, as cargo does.
    `ValueError` when the requirement does not parse.
    """
    if dependency.scheme == "cargo":
        return semver is None or cargo_req_admits(dependency.specifier, semver)
    if dependency.scheme == "poetry":
        return any(
            pep440_admits(part, version) for part in poetry_alternatives(dependency.specifier)
        )
    return pep440_admits(dependency.specifier, version)


def clause_version(clause: Clause) -> Version | None:
    """The version a clause names, when it is a PEP 440 version."""
    return parse_pep440(clause.version)


def safe_admits(dependency: Dependency, version: Version, semver: str | None) -> bool | None:
    """`admits`, or None when the requirement cannot be evaluated."""
    try:
        return admits(dependency, version, semver)
    except ValueError:
        return None
