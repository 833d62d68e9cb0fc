"""Rules: the model in, findings with stable codes out."""

from __future__ import annotations

from collections.abc import Iterator

from packaging.version import Version

from versync.core import Dependency, Finding, Package, VersionSource
from versync.errors import UsageError
from versync.model import LockMember, Model
from versync.pins import RAISABLE, clauses, safe_admits
from versync.versions import parse_pep440, to_semver

INVALID_VERSION = "invalid-version"
PACKAGE_MISMATCH = "package-mismatch"
MATURIN_PRECEDENCE = "maturin-precedence"
GROUP_DRIFT = "group-drift"
PIN_MISMATCH = "pin-mismatch"
LOCK_STALE = "lock-stale"
DYNAMIC_CONFLICT = "dynamic-conflict"
TAG_MISMATCH = "tag-mismatch"
CODES = (
    INVALID_VERSION,
    PACKAGE_MISMATCH,
    MATURIN_PRECEDENCE,
    GROUP_DRIFT,
    PIN_MISMATCH,
    LOCK_STALE,
    DYNAMIC_CONFLICT,
    TAG_MISMATCH,
)


def targets(model: Model) -> dict[str, Version]:
    """The version each package should have: its group's highest, or its own highest."""
    result: dict[str, Version] = {}
    for package in model.packages:
        if package.highest is not None:
            result[package.key] = package.highest
    for members in model.groups.values():
        versions = [result[p.key] for p in members if p.key in result]
        if versions:
            top = max(versions)
            result.update({p.key: top for p in members if p.key in result})
    return result


def check(model: Model) -> list[Finding]:
    goal = targets(model)
    findings: list[Finding] = []
    for package in model.packages:
        findings += _invalid_versions(package)
        findings += _source_mismatches(package, goal.get(package.key))
        if package.key in model.dynamic_conflicts:
            findings.append(_dynamic_conflict(package, model))
    for members in model.groups.values():
        findings += _group_drift(members, goal)
    by_key = {p.key: p for p in model.packages}
    findings += [f for d in model.dependencies if (f := _pin_mismatch(d, by_key)) is not None]
    findings += [f for m in model.lock_members if (f := _lock_stale(m)) is not None]
    return findings


def expect(model: Model, wanted: str, group: str | None) -> list[Finding]:
    """A `tag-mismatch` finding for each package of the group whose version is not `wanted`."""
    version = Version(wanted)
    findings = []
    for package in group_members(model.groups, group):
        source = package.primary
        if source is not None and source.version != version:
            message = f"{package.name} is {source.text}, but the release tag says {wanted}"
            findings.append(
                _finding(TAG_MISMATCH, package, source, source.text, wanted, message, False)
            )
    return findings


def group_members(groups: dict[str, list[Package]], group: str | None) -> list[Package]:
    """The packages of the named group, or of the only group when none is named."""
    if group is not None:
        if group not in groups:
            raise UsageError(f"no group {group!r} (groups: {', '.join(sorted(groups)) or 'none'})")
        return groups[group]
    if len(groups) == 1:
        return next(iter(groups.values()))
    if not groups:
        raise UsageError("no lockstep group (every package is independent): name a package")
    raise UsageError(f"several groups ({', '.join(sorted(groups))}): choose one with --group NAME")


def expected_text(source: VersionSource, version: Version) -> str:
    """`version` written the way `source` writes versions."""
    if source.scheme == "semver":
        try:
            return to_semver(str(version))
        except UsageError:
            return str(version)
    return str(version)


def _finding(
    code: str,
    package: Package,
    source: VersionSource,
    found: str,
    expected: str,
    message: str,
    fixable: bool,
) -> Finding:
    literal = source.literal
    return Finding(
        code,
        package.name,
        literal.file,
        literal.line,
        literal.column,
        found,
        expected,
        message,
        fixable,
    )


def _invalid_versions(package: Package) -> Iterator[Finding]:
    for source in package.sources:
        if not source.valid:
            kind = "SemVer" if source.scheme == "semver" else "PEP 440"
            message = f"{source.text!r} is not a valid {kind} version"
            yield _finding(
                INVALID_VERSION, package, source, source.text, f"a {kind} version", message, False
            )
        elif source.version is None and package.backend == "maturin":
            message = (
                f"maturin cannot read Cargo version {source.text!r} as a PEP 440 version, "
                "so the wheel build fails"
            )
            yield _finding(
                INVALID_VERSION,
                package,
                source,
                source.text,
                "a PEP 440-compatible version",
                message,
                False,
            )


def _source_mismatches(package: Package, goal: Version | None) -> Iterator[Finding]:
    valid = [s for s in package.sources if s.valid and s.version is not None]
    if goal is None or not valid:
        return
    highest = max(s.version for s in valid if s.version is not None)
    maturin_pair = _maturin_pair(package)
    for source in valid:
        assert source.version is not None
        if source.version == highest:
            continue
        expected = expected_text(source, goal)
        if maturin_pair is not None and source in maturin_pair:
            yield _finding(
                MATURIN_PRECEDENCE,
                package,
                source,
                source.text,
                expected,
                _maturin_message(maturin_pair, source),
                True,
            )
        else:
            top = next(s for s in valid if s.version == highest)
            message = (
                f"{source.kind} version {source.text} disagrees with {top.text} "
                f"in {top.file}:{top.line}"
            )
            yield _finding(PACKAGE_MISMATCH, package, source, source.text, expected, message, True)


def _maturin_pair(package: Package) -> tuple[VersionSource, VersionSource] | None:
    if package.backend != "maturin":
        return None
    python = next((s for s in package.sources if s.kind == "pyproject"), None)
    rust = next((s for s in package.sources if s.scheme == "semver"), None)
    return (python, rust) if python is not None and rust is not None else None


def _maturin_message(pair: tuple[VersionSource, VersionSource], lower: VersionSource) -> str:
    python, rust = pair
    if lower is python:
        return (
            f"the wheel will be {python.text}, not {rust.text}: maturin takes the version from "
            f"pyproject.toml's static [project].version and ignores {rust.file}"
        )
    return (
        f"{rust.file} says {rust.text} but the wheel will be {python.text}: maturin takes "
        "pyproject.toml's static version, so the binary and the wheel disagree"
    )


def _dynamic_conflict(package: Package, model: Model) -> Finding:
    span = model.dynamic_conflicts[package.key]
    source = next(s for s in package.sources if s.literal == span)
    message = (
        '[project].version is static but "version" is also in [project].dynamic '
        "(PEP 621 forbids both; remove one)"
    )
    return _finding(
        DYNAMIC_CONFLICT,
        package,
        source,
        'dynamic = ["version"]',
        "static or dynamic, not both",
        message,
        False,
    )


def _group_drift(members: list[Package], goal: dict[str, Version]) -> Iterator[Finding]:
    for package in members:
        highest = package.highest
        top = goal.get(package.key)
        if highest is None or top is None or highest >= top:
            continue
        source = (
            package.primary
            if package.primary and package.primary.version == highest
            else next(s for s in package.sources if s.version == highest)
        )
        message = f"{package.name} is {source.text}; its group {package.group!r} is at {top}"
        yield _finding(
            GROUP_DRIFT, package, source, source.text, expected_text(source, top), message, True
        )


def _pin_mismatch(dependency: Dependency, by_key: dict[str, Package]) -> Finding | None:
    target = by_key[dependency.target]
    version = target.published_version
    if version is None:
        return None
    semver = next((s.text for s in target.sources if s.scheme == "semver"), None)
    if safe_admits(dependency, version, semver) is not False:
        return None
    literal = dependency.literal
    shown = semver if dependency.scheme == "cargo" and semver else str(version)
    message = f"requirement {literal.text!r} of {dependency.owner} excludes {target.name} {shown}"
    fixable = all(clause.operator in RAISABLE for clause in clauses(dependency))
    return Finding(
        PIN_MISMATCH,
        dependency.owner,
        literal.file,
        literal.line,
        literal.column,
        dependency.specifier,
        shown,
        message,
        fixable,
    )


def _lock_stale(member: LockMember) -> Finding | None:
    entry, expected = member.entry, member.expected
    package = member.package
    if entry is None:
        leftovers = (
            f" (it lists {', '.join(member.orphans)}, which no crate is called now)"
            if member.orphans
            else ""
        )
        message = (
            f"{member.lock} has no entry for {member.name}{leftovers}; "
            "run `cargo update --workspace`"
        )
        return Finding(
            LOCK_STALE,
            package.name,
            member.lock,
            1,
            1,
            "no entry",
            f"{member.name} {expected.text}",
            message,
            False,
        )
    if entry.version is None or _lock_agrees(member):
        return None
    literal = entry.version
    message = (
        f"{member.lock} locks {member.name} {literal.text}, "
        f"but {expected.file} says {expected.text}"
    )
    return Finding(
        LOCK_STALE,
        package.name,
        literal.file,
        literal.line,
        literal.column,
        literal.text,
        expected.text,
        message,
        True,
    )


def _lock_agrees(member: LockMember) -> bool:
    assert member.entry is not None and member.entry.version is not None
    if member.tool == "cargo":
        return member.entry.version.text == member.expected.text
    return parse_pep440(member.entry.version.text) == member.expected.version
