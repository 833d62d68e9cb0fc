"""SemVer for Cargo: versions, requirements as cargo evaluates them, and the bridge to PEP 440.

maturin gives a wheel the PEP 440 reading of the Cargo version, which is exactly `packaging`'s
lenient parse of it (`1.0.0-alpha.1` -> `1.0.0a1`, `1.0.0-pre.1` -> `1.0.0rc1`, `1.0.0-1` ->
`1.0.0.post1`; `1.0.0-nightly.5` has none). `to_semver` goes the other way for the versions
whose Cargo form sorts like the PEP 440 one. One known disagreement remains, as in every tool
that writes dev releases to Cargo: `1.0.0-dev.2` sorts after `1.0.0-alpha.1` in Cargo but
before `1.0.0a1` in PEP 440.
"""

from __future__ import annotations

import re

from packaging.version import Version

from versync.errors import VersionError
from versync.syntax.clauses import Clause, tokenize
from versync.syntax.pep440 import parse_pep440, require_pep440

_NUMBER = r"(?:0|[1-9][0-9]*)"
_IDENTIFIER = r"(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
_SEMVER = re.compile(
    rf"(?P<major>{_NUMBER})\.(?P<minor>{_NUMBER})\.(?P<patch>{_NUMBER})"
    rf"(?:-(?P<pre>{_IDENTIFIER}(?:\.{_IDENTIFIER})*))?"
    r"(?:\+(?P<build>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
)
_PARTIAL = re.compile(
    r"(?P<major>\d+|\*|x|X)(?:\.(?P<minor>\d+|\*|x|X))?(?:\.(?P<patch>\d+|\*|x|X))?"
    r"(?:-(?P<pre>[0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?"
)
_PRE_NAMES = {"a": "alpha", "b": "beta", "rc": "rc"}
U64_MAX = (1 << 64) - 1
SemverKey = tuple[int, int, int, tuple[tuple[int, int | str], ...]]


def is_semver(text: str) -> bool:
    """Whether `text` is a SemVer version cargo accepts (numbers fit in 64 bits)."""
    match = _SEMVER.fullmatch(text)
    return match is not None and all(
        int(match[part]) <= U64_MAX for part in ("major", "minor", "patch")
    )


def maturin_reading(cargo_version: str) -> Version | None:
    """The PEP 440 version maturin gives a wheel built from this Cargo version."""
    return parse_pep440(cargo_version) if is_semver(cargo_version) else None


def to_semver(version: str) -> str:
    """The Cargo form of a PEP 440 version that maturin reads back as the same version;
    `VersionError` when there is none."""
    parsed = require_pep440(version)
    if parsed.epoch:
        raise VersionError(f"{version}: Cargo versions have no epoch")
    if parsed.local is not None:
        raise VersionError(f"{version}: a local version (+{parsed.local}) has no Cargo form")
    if parsed.post is not None:
        raise VersionError(
            f"{version}: Cargo would sort a post release before {parsed.base_version}, not after"
        )
    if len(parsed.release) > 3:
        raise VersionError(
            f"{version}: Cargo versions have three numbers, not {len(parsed.release)}"
        )
    if any(number > U64_MAX for number in parsed.release):
        raise VersionError(f"{version}: Cargo's version numbers stop at {U64_MAX}")
    if parsed.pre is not None and parsed.dev is not None:
        raise VersionError(
            f"{version}: Cargo would sort a dev release of a pre-release after the pre-release"
        )
    major, minor, patch = (*parsed.release, 0, 0)[:3]
    core = f"{major}.{minor}.{patch}"
    if parsed.pre is not None:
        return f"{core}-{_PRE_NAMES[parsed.pre[0]]}.{parsed.pre[1]}"
    if parsed.dev is not None:
        return f"{core}-dev.{parsed.dev}"
    return core


def semver_key(text: str) -> SemverKey:
    """A sort key that orders SemVer strings by SemVer precedence (build metadata ignored)."""
    match = _SEMVER.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a SemVer version")
    return _key(int(match["major"]), int(match["minor"]), int(match["patch"]), match["pre"])


def _key(major: int, minor: int, patch: int, pre: str | None) -> SemverKey:
    if pre is None:
        return (major, minor, patch, ((2, 0),))  # a release sorts after all its pre-releases
    parts = tuple((0, int(p)) if p.isdigit() else (1, p) for p in pre.split("."))
    return (major, minor, patch, parts)


def cargo_req_admits(requirement: str, version: str) -> bool:
    """Whether a Cargo version requirement admits the version, as cargo decides it;
    `ValueError` when either does not parse."""
    match = _SEMVER.fullmatch(version)
    if match is None:
        raise ValueError(f"{version!r} is not a SemVer version")
    target = semver_key(version)
    comparators = [_comparator(clause) for clause in tokenize(requirement, "cargo")]
    if not all(low <= target < high for low, high, _ in comparators):
        return False
    if match["pre"] is None:
        return True
    # A pre-release matches only a requirement that names a pre-release of the same x.y.z.
    return any(pre_base == target[:3] for _, _, pre_base in comparators)


def _comparator(clause: Clause) -> tuple[SemverKey, SemverKey, tuple[int, int, int] | None]:
    """The range [low, high) a comparator admits, and the x.y.z it names with a pre-release."""
    match = _PARTIAL.fullmatch(clause.version)
    if match is None:
        raise ValueError(f"{clause.version!r} is not a Cargo version requirement")
    given = [p for p in (match["major"], match["minor"], match["patch"]) if p is not None]
    numbers = [int(p) for p in given if p not in ("*", "x", "X")]
    op = clause.operator or "^"
    if len(numbers) < len(given):  # a wildcard: 1.* and 1.2.* mean =1 and =1.2
        op = "="
    if not numbers:
        return _MIN, _MAX, None
    pre = match["pre"] if len(numbers) == 3 else None
    low, high = _range(op, numbers, pre)
    return low, high, (numbers[0], numbers[1], numbers[2]) if pre else None


_FLOOR: tuple[tuple[int, int | str], ...] = ((-1, 0),)
_MIN: SemverKey = (0, 0, 0, _FLOOR)
_MAX: SemverKey = (1 << 65, 0, 0, _FLOOR)


def _range(op: str, numbers: list[int], pre: str | None) -> tuple[SemverKey, SemverKey]:
    full = len(numbers) == 3
    major, minor, patch = (*numbers, 0, 0)[:3]
    start = _key(major, minor, patch, pre) if full else (major, minor, patch, _FLOOR)
    after = (*start[:3], (*start[3], (-1, 0))) if full else upper(numbers, len(numbers) - 1)
    ranges = {
        "=": (start, after),
        ">": (after, _MAX),
        ">=": (start, _MAX),
        "<": (_MIN, start),
        "<=": (_MIN, after),
        "~": (start, upper(numbers, min(1, len(numbers) - 1))),
        "^": (start, upper(numbers, caret_position(numbers))),
    }
    return ranges[op]


def caret_position(numbers: list[int]) -> int:
    """The part a caret requirement lets grow up to: the first non-zero one that is given."""
    for index, number in enumerate(numbers):
        if number != 0:
            return index
    return len(numbers) - 1


def upper(numbers: list[int], position: int) -> SemverKey:
    """The first version past `numbers` when the part at `position` grows by one."""
    bumped = [*numbers[:position], numbers[position] + 1, 0, 0][:3]
    return (bumped[0], bumped[1], bumped[2], _FLOOR)
