"""PEP 440: parsing versions, evaluating specifiers, and computing the next version.

Specifiers are evaluated without importing `packaging.specifiers` (a third of a hook run's
start-up): the common comparisons are answered here, the carve-outs of PEP 440 by `packaging`.
"""

from __future__ import annotations

from functools import lru_cache

from packaging.version import InvalidVersion, Version

from versync.errors import VersionError
from versync.syntax.clauses import Clause, tokenize

_PRE_NAMES = {"a": "alpha", "b": "beta", "rc": "rc"}
_PRE_ORDER = ("alpha", "beta", "rc")
_PRE_LETTER = {"alpha": "a", "beta": "b", "rc": "rc"}


@lru_cache(maxsize=4096)
def parse_pep440(text: str) -> Version | None:
    """The version, or None; cached, as a monorepo repeats the same few versions everywhere."""
    try:
        return Version(text)
    except InvalidVersion:
        return None


def require_pep440(text: str) -> Version:
    """The version `text` names; `VersionError` when it is not PEP 440."""
    version = parse_pep440(text)
    if version is None:
        raise VersionError(f"{text!r} is not a valid PEP 440 version")
    return version


def pep440_admits(specifier: str, version: Version) -> bool:
    """Whether the specifier set admits the version; pre-releases count as admitted.

    The same answer as `SpecifierSet(specifier).contains(version, prereleases=True)`;
    `ValueError` when the specifier is invalid.
    """
    parsed = [(clause, check_clause(clause)) for clause in tokenize(specifier, "pep440")]
    return all(_admits(clause, spec, version) for clause, spec in parsed)


def check_clause(clause: Clause) -> Version | None:
    """The version a specifier clause compares with (None for `===`); `ValueError` when the
    clause is not a valid PEP 440 specifier."""
    op, written = clause.operator, clause.version
    if op == "===":
        return None
    wildcard = written.endswith(".*") and op in ("==", "!=")
    spec = parse_pep440(written[:-2] if wildcard else written)
    if spec is None or (spec.local is not None and (op not in ("==", "!=") or wildcard)):
        raise ValueError(f"invalid specifier: {op}{written}")
    if op == "~=" and len(spec.release) < 2:
        raise ValueError(f"invalid specifier: ~={written} needs two release numbers")
    return spec


def _admits(clause: Clause, spec: Version | None, version: Version) -> bool:
    fast = _fast_admits(clause.operator, clause.version, spec, version)
    if fast is not None:
        return fast
    from packaging.specifiers import Specifier

    return Specifier(f"{clause.operator}{clause.version}").contains(version, prereleases=True)


def _fast_admits(op: str, written: str, spec: Version | None, version: Version) -> bool | None:
    """The common cases, answered by comparing versions; None where PEP 440's carve-outs
    (wildcards, local versions, `<V`/`>V` around V's own pre/post releases) need the full rules."""
    if spec is None or written.endswith(".*") or version.local is not None:
        return None
    if op == "~=":
        prefix = spec.release[:-1]
        release = (*version.release, *(0,) * len(prefix))[: len(prefix)]
        return version.epoch == spec.epoch and release == prefix and version >= spec
    if op in ("<", ">"):
        if version.epoch == spec.epoch and _trim(version.release) == _trim(spec.release):
            return None
        return version < spec if op == "<" else version > spec
    return {"==": version == spec, "!=": version != spec, "<=": version <= spec}.get(
        op, version >= spec
    )


def _trim(release: tuple[int, ...]) -> tuple[int, ...]:
    end = len(release)
    while end > 1 and release[end - 1] == 0:
        end -= 1
    return release[:end]


def bump_version(current: str, part: str, pre: str | None = None) -> str:
    """The next version after `current`.

    A final release grows `part` (1.2.3 minor -> 1.3.0) and, with `pre`, starts that
    pre-release at 1 (1.2.3 minor --pre alpha -> 1.3.0a1). From a pre-release, `pre` of the
    same kind counts up (1.3.0a1 -> 1.3.0a2), a later kind starts at 1 (1.3.0a2 --pre rc ->
    1.3.0rc1), an earlier kind is refused; without `pre`, a pre-release or dev release is
    finalised when `part` is the lowest non-zero part of its release (1.3.0rc2 minor -> 1.3.0)
    and grows `part` otherwise (1.3.0rc2 major -> 2.0.0). Raises `VersionError`.
    """
    version = require_pep440(current)
    if version.epoch or version.local is not None:
        raise VersionError(
            f"{current}: cannot bump a version with an epoch or a local part; give it explicitly"
        )
    numbers = [*version.release, 0, 0][:3]
    position = ("major", "minor", "patch").index(part)
    unfinished = version.pre is not None or version.dev is not None
    if pre is not None and version.pre is not None:
        return _next_pre(version, numbers, pre)
    finalises = unfinished and all(n == 0 for n in numbers[position + 1 :])
    release = numbers if finalises else grow(numbers, position)
    text = ".".join(str(n) for n in release)
    return f"{text}{_PRE_LETTER[pre]}1" if pre is not None else text


def grow(numbers: list[int], position: int) -> list[int]:
    """Three release numbers with the one at `position` grown by one and those after it 0."""
    return [*numbers[:position], numbers[position] + 1] + [0] * (2 - position)


def _next_pre(version: Version, numbers: list[int], pre: str) -> str:
    assert version.pre is not None
    current_kind = _PRE_NAMES[version.pre[0]]
    text = ".".join(str(n) for n in numbers)
    wanted, have = _PRE_ORDER.index(pre), _PRE_ORDER.index(current_kind)
    if wanted < have:
        raise VersionError(f"{version} is already past {pre}; cannot go back to it")
    if wanted == have:
        return f"{text}{_PRE_LETTER[pre]}{version.pre[1] + (0 if version.dev is not None else 1)}"
    return f"{text}{_PRE_LETTER[pre]}1"
