"""Just enough of PEP 508 and PEP 503 to find internal requirements, without the cost of
importing `packaging.requirements` on every hook run."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import NamedTuple

from versync.syntax.clauses import tokenize

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_REQUIREMENT = re.compile(
    rf"\s*(?P<name>{_NAME})\s*(?:\[[^\]]*\]\s*)?"
    r"(?:(?P<url>@.*)|(?:\(\s*(?P<paren>[^;()]*?)\s*\)|(?P<spec>[^;()]*?))\s*(?:;.*)?)",
    re.DOTALL,
)
_SEPARATORS = re.compile(r"[-_.]+")


class Requirement(NamedTuple):
    name: str
    specifier: str  # the version constraint as written ("" when there is none)
    offset: int  # where the constraint starts in the requirement string
    url: bool


@lru_cache(maxsize=8192)  # the same few names, in every manifest of a repository
def canonical_name(name: str) -> str:
    """The PEP 503 normalized form names are compared in."""
    return _SEPARATORS.sub("-", name).lower()


@cache  # build requirements repeat; the model reads a requirement twice
def parse_requirement(text: str) -> Requirement:
    """Split a PEP 508 requirement; `ValueError` with packaging's own message when invalid."""
    match = _REQUIREMENT.fullmatch(text)
    group = "paren" if match is not None and match["paren"] is not None else "spec"
    spec = match[group] if match is not None else None
    if match is None or not _valid_specifier(spec or ""):
        raise ValueError(_packaging_error(text))
    if match["url"]:
        return Requirement(match["name"], "", len(text), True)
    return Requirement(match["name"], spec or "", match.start(group), False)


def _valid_specifier(spec: str) -> bool:
    try:
        tokenize(spec, "pep440")
    except ValueError:
        return False
    return True


def _packaging_error(text: str) -> str:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        Requirement(text)
    except InvalidRequirement as exc:
        return str(exc).splitlines()[0]
    return "unsupported requirement"
