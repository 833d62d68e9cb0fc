"""Version schemes: PEP 440 for Python, SemVer for Cargo, and the bridges between them.

maturin gives a wheel the PEP 440 reading of the Cargo version, which is exactly `packaging`'s
lenient parse of it (`1.0.0-alpha.1` -> `1.0.0a1`, `1.0.0-pre.1` -> `1.0.0rc1`, `1.0.0-1` ->
`1.0.0.post1`; `1.0.0-nightly.5` has none). `to_semver` goes the other way for the versions
whose Cargo form sorts like the PEP 440 one. One known disagreement remains, as in every tool
that writes dev releases to Cargo: `1.0.0-dev.2` sorts after `1.0.0-alpha.1` in Cargo but
before `1.0.0a1` in PEP 440.
"""

from __future__ import annotations

import re
from functools import lru_cache

from packaging.version import InvalidVersion, Version

from versync.errors import UsageError

_NUMBER = r"(?:0|[1-9][0-9]*)"
_IDENTIFIER = r"(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
_SEMVER = re.compile(
    rf"(?P<major>{_NUMBER})\.(?P<minor>{_NUMBER})\.(?P<patch>{_NUMBER})"
    rf"(?:-(?P<pre>{_IDENTIFIER}(?:\.{_IDENTIFIER})*))?"
    r"(?:\+(?P<build>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
)
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


def is_semver(text: str) -> bool:
    return _SEMVER.fullmatch(text) is not None


def maturin_reading(cargo_version: str) -> Version | None:
    """The PEP 440 version maturin gives a wheel built from this Cargo version."""
    return parse_pep440(cargo_version) if is_semver(cargo_version) else None


def to_semver(version: str) -> str:
    """The Cargo form of a PEP 440 version that maturin reads back as the same version."""
    parsed = parse_pep440(version)
    if parsed is None:
        raise UsageError(f"{version!r} is not a valid PEP 440 version")
    if parsed.epoch:
        raise UsageError(f"{version}: Cargo versions have no epoch")
    if parsed.local is not None:
        raise UsageError(f"{version}: a local version (+{parsed.local}) has no Cargo form")
    if parsed.post is not None:
        raise UsageError(
            f"{version}: Cargo would sort a post release before {parsed.base_version}, not after"
        )
    if len(parsed.release) > 3:
        raise UsageError(f"{version}: Cargo versions have three numbers, not {len(parsed.release)}")
    if parsed.pre is not None and parsed.dev is not None:
        raise UsageError(
            f"{version}: Cargo would sort a dev release of a pre-release after the pre-release"
        )
    major, minor, patch = (*parsed.release, 0, 0)[:3]
    core = f"{major}.{minor}.{patch}"
    if parsed.pre is not None:
        return f"{core}-{_PRE_NAMES[parsed.pre[0]]}.{parsed.pre[1]}"
    if parsed.dev is not None:
        return f"{core}-dev.{parsed.dev}"
    return core


def pep440_admits(specifier: str, version: Version) -> bool:
    """Whether the specifier set admits the version; pre-releases count as admitted.

    The same answer as `SpecifierSet(specifier).contains(version, prereleases=True)`, without
    importing `packaging.specifiers` (a third of a hook run's start-up).
    """
    clauses = [c for c in specifier.split(",") if c.strip()] if specifier.strip() else []
    parsed = [_parse_clause(clause) for clause in clauses]
    return all(_admits(op, written, spec, version) for op, written, spec in parsed)


def _parse_clause(clause: str) -> tuple[str, str, Version | None]:
    match = _PEP440_CLAUSE.fullmatch(clause)
    if match is None:
        raise ValueError(f"invalid specifier: {clause.strip()!r}")
    op, written = match["op"], match["version"]
    if op == "===":
        return op, written, None
    wildcard = written.endswith(".*") and op in ("==", "!=")
    spec = parse_pep440(written[:-2] if wildcard else written)
    if spec is None or (spec.local is not None and (op not in ("==", "!=") or wildcard)):
        raise ValueError(f"invalid specifier: {op}{written}")
    if op == "~=" and len(spec.release) < 2:
        raise ValueError(f"invalid specifier: ~={written} needs two release numbers")
    return op, written, spec


_PEP440_CLAUSE = re.compile(r"\s*(?P<op>~=|===|==|!=|<=|>=|<|>)\s*(?P<version>[^\s,]+)\s*")


def _admits(op: str, written: str, spec: Version | None, version: Version) -> bool:
    fast = _fast_admits(op, written, spec, version)
    if fast is not None:
        return fast
    from packaging.specifiers import Specifier

    return Specifier(f"{op}{written}").contains(version, prereleases=True)


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


# --- Cargo requirements ---------------------------------------------------------------------

_COMPARATOR = re.compile(
    r"\s*(?P<op>\^|~|=|>=|>|<=|<)?\s*(?P<major>\d+|\*|x|X)"
    r"(?:\.(?P<minor>\d+|\*|x|X))?(?:\.(?P<patch>\d+|\*|x|X))?"
    r"(?:-(?P<pre>[0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?\s*"
)
SemverKey = tuple[int, int, int, tuple[tuple[int, int | str], ...]]


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
    """Whether a Cargo version requirement admits the version, as cargo decides it."""
    match = _SEMVER.fullmatch(version)
    if match is None:
        raise ValueError(f"{version!r} is not a SemVer version")
    target = semver_key(version)
    comparators = [_comparator(part) for part in requirement.split(",")]
    if not all(low <= target < high for low, high, _ in comparators):
        return False
    if match["pre"] is None:
        return True
    # A pre-release matches only a requirement that names a pre-release of the same x.y.z.
    return any(pre_base == target[:3] for _, _, pre_base in comparators)


def _comparator(text: str) -> tuple[SemverKey, SemverKey, tuple[int, int, int] | None]:
    """The range [low, high) a comparator admits, and the x.y.z it names with a pre-release."""
    match = _COMPARATOR.fullmatch(text)
    if match is None:
        raise ValueError(f"{text.strip()!r} is not a Cargo version requirement")
    given = [p for p in (match["major"], match["minor"], match["patch"]) if p is not None]
    numbers = [int(p) for p in given if p not in ("*", "x", "X")]
    op = match["op"] or "^"
    if len(numbers) < len(given):  # a wildcard: 1.* and 1.2.* mean =1 and =1.2
        op = "="
    if not numbers:
        return _MIN, _MAX, None
    pre = match["pre"] if len(numbers) == 3 else None
    low, high = _range(op, numbers, pre)
    return low, high, (numbers[0], numbers[1], numbers[2]) if pre else None


_FLOOR: tuple[tuple[int, int | str], ...] = ((-1, 0),)
_MIN: SemverKey = (0, 0, 0, _FLOOR)
_MAX: SemverKey = (1 << 62, 0, 0, _FLOOR)


def _range(op: str, numbers: list[int], pre: str | None) -> tuple[SemverKey, SemverKey]:
    full = len(numbers) == 3
    major, minor, patch = (*numbers, 0, 0)[:3]
    start = _key(major, minor, patch, pre) if full else (major, minor, patch, _FLOOR)
    after = (*start[:3], (*start[3], (-1, 0))) if full else _upper(numbers, len(numbers) - 1)
    ranges = {
        "=": (start, after),
        ">": (after, _MAX),
        ">=": (start, _MAX),
        "<": (_MIN, start),
        "<=": (_MIN, after),
        "~": (start, _upper(numbers, min(1, len(numbers) - 1))),
        "^": (start, _upper(numbers, _caret_position(numbers))),
    }
    return ranges[op]


def _caret_position(numbers: list[int]) -> int:
    """The part a caret requirement lets grow up to: the first non-zero one that is given."""
    for index, number in enumerate(numbers):
        if number != 0:
            return index
    return len(numbers) - 1


def _upper(numbers: list[int], position: int) -> SemverKey:
    """The first version past `numbers` when the part at `position` grows by one."""
    bumped = [*numbers[:position], numbers[position] + 1, 0, 0][:3]
    return (bumped[0], bumped[1], bumped[2], _FLOOR)


# --- Poetry constraints ---------------------------------------------------------------------

_POETRY_CLAUSE = re.compile(
    r"\s*(?P<op>\^|~=|~|===|==|!=|<=|>=|<|>)?\s*(?P<version>[0-9][0-9A-Za-z.*+!-]*|\*)\s*"
)


def poetry_to_pep440(constraint: str) -> str:
    """A Poetry constraint (no `||`) as a PEP 440 specifier string."""
    if "||" in constraint:
        raise ValueError("'||' cannot be written as one PEP 440 specifier")
    parts = [p for p in re.split(r",|\s+(?=[<>=!~^])", constraint.strip()) if p.strip()]
    return ",".join(filter(None, (_poetry_clause(part) for part in parts)))


def _poetry_clause(text: str) -> str:
    match = _POETRY_CLAUSE.fullmatch(text)
    if match is None:
        raise ValueError(f"{text.strip()!r} is not a Poetry version constraint")
    op, version = match["op"] or "", match["version"]
    if version == "*":
        return ""
    if op in ("^", "~"):
        numbers = [int(n) for n in re.findall(r"\d+", str(Version(version).base_version))]
        position = _caret_position(numbers) if op == "^" else (1 if len(numbers) > 1 else 0)
        upper = ".".join(str(n) for n in _upper(numbers, position)[:3])
        return f">={version},<{upper}"
    if not op:
        return f"=={version}"
    return f"{op}{version}"


# --- relative bumps -------------------------------------------------------------------------


def bump_version(current: str, part: str, pre: str | None = None) -> str:
    """The next version after `current`.

    A final release grows `part` (1.2.3 minor -> 1.3.0) and, with `pre`, starts that
    pre-release at 1 (1.2.3 minor --pre alpha -> 1.3.0a1). From a pre-release, `pre` of the
    same kind counts up (1.3.0a1 -> 1.3.0a2), a later kind starts at 1 (1.3.0a2 --pre rc ->
    1.3.0rc1), an earlier kind is refused; without `pre`, a pre-release or dev release is
    finalised when `part` is the lowest non-zero part of its release (1.3.0rc2 minor -> 1.3.0)
    and grows `part` otherwise (1.3.0rc2 major -> 2.0.0).
    """
    version = parse_pep440(current)
    if version is None:
        raise UsageError(f"{current!r} is not a valid PEP 440 version")
    if version.epoch or version.local is not None:
        raise UsageError(
            f"{current}: cannot bump a version with an epoch or a local part; give it explicitly"
        )
    numbers = [*version.release, 0, 0][:3]
    position = ("major", "minor", "patch").index(part)
    unfinished = version.pre is not None or version.dev is not None
    if pre is not None and version.pre is not None:
        return _next_pre(version, numbers, pre)
    finalises = unfinished and all(n == 0 for n in numbers[position + 1 :])
    release = numbers if finalises else _grow(numbers, position)
    text = ".".join(str(n) for n in release)
    return f"{text}{_PRE_LETTER[pre]}1" if pre is not None else text


def _grow(numbers: list[int], position: int) -> list[int]:
    return [*numbers[:position], numbers[position] + 1] + [0] * (2 - position)


def _next_pre(version: Version, numbers: list[int], pre: str) -> str:
    assert version.pre is not None
    current_kind = _PRE_NAMES[version.pre[0]]
    text = ".".join(str(n) for n in numbers)
    wanted, have = _PRE_ORDER.index(pre), _PRE_ORDER.index(current_kind)
    if wanted < have:
        raise UsageError(f"{version} is already past {pre}; cannot go back to it")
    if wanted == have:
        return f"{text}{_PRE_LETTER[pre]}{version.pre[1] + (0 if version.dev is not None else 1)}"
    return f"{text}{_PRE_LETTER[pre]}1"
