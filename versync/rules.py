"""Rules: the model in, findings with stable codes out.

Each rule is a function registered with `@rule(code, summary)`; `RULES` is the table of codes
(the README's table of codes is checked against it by the tests).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from packaging.version import Version

from versync.errors import UsageError
from versync.model import LockMember, Model
from versync.records import Dependency, Finding, Package, VersionSource
from versync.syntax.pep440 import parse_pep440
from versync.syntax.requirements import RAISABLE, clauses, safe_admits
from versync.syntax.semver import to_semver

Check = Callable[[Model, dict[str, Version]], Iterable[Finding]]


class Rule(NamedTuple):
    """A registered rule: its stable code, one line on what it reports, and its check (None
    for codes another rule's check or a command option produces)."""

    code: str
    summary: str
    check: Check | None


RULES: dict[str, Rule] = {}


def rule(code: str, summary: str) -> Callable[[Check], Check]:
    """Register the decorated function as the check of `code`."""

    def register(check: Check) -> Check:
        RULES[code] = Rule(code, summary, check)
        return check

    return register


def check(model: Model) -> list[Finding]:
    """Every finding of every registered rule, in rule order."""
    goal = targets(model)
    found = [f for entry in RULES.values() if entry.check for f in entry.check(model, goal)]
    # Two packages may share a source (two pyprojects building one crate): report it once.
    seen: set[tuple[str, str, int, int]] = set()
    unique = []
    for item in found:
        key = (item.code, item.file, item.line, item.column)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def targets(model: Model) -> dict[str, Version]:
    """The version each package (by id) should have: its group's highest, or its own highest."""
    result: dict[str, Version] = {}
    for package in model.packages:
        if package.highest is not None:
            result[package.id] = package.highest
    for members in model.groups.values():
        versions = [result[p.id] for p in members if p.id in result]
        if versions:
            top = max(versions)
            result.update({p.id: top for p in members if p.id in result})
    return result


def finding(
    code: str,
    package: Package,
    source: VersionSource,
    *,
    expected: str,
    message: str,
    fixable: bool,
    found: str | None = None,
) -> Finding:
    """A finding on the literal of `source`."""
    literal = source.literal
    return Finding(
        code=code,
        package=package.name,
        file=literal.file,
        line=literal.line,
        column=literal.column,
        found=literal.text if found is None else found,
        expected=expected,
        message=message,
        fixable=fixable,
    )


def expected_text(source: VersionSource, version: Version) -> str:
    """`version` written the way `source` writes versions."""
    if source.scheme == "semver":
        try:
            return to_semver(str(version))
        except UsageError:
            return str(version)
    return str(version)


@rule(
    "invalid-version",
    "not PEP 440 (Python) or SemVer (Cargo), or a Cargo version maturin cannot read",
)
def _invalid_versions(model: Model, goal: dict[str, Version]) -> Iterator[Finding]:
    for package in model.packages:
        for source in package.sources:
            if not source.valid:
                kind = "SemVer" if source.scheme == "semver" else "PEP 440"
                message = f"{source.text!r} is not a valid {kind} version"
                yield finding(
                    "invalid-version",
                    package,
                    source,
                    expected=f"a {kind} version",
                    message=message,
                    fixable=False,
                )
            elif source.version is None and package.backend == "maturin":
                message = (
                    f"maturin cannot read Cargo version {source.text!r} as a PEP 440 version, "
                    "so the wheel build fails"
                )
                yield finding(
                    "invalid-version",
                    package,
                    source,
                    expected="a PEP 440-compatible version",
                    message=message,
                    fixable=False,
                )


@rule(
    "manifest-error",
    "a manifest or version file that cannot be read (malformed, unreadable, missing), or an "
    "invalid requirement on a package of the repository",
)
def _manifest_errors(model: Model, goal: dict[str, Version]) -> Iterator[Finding]:
    names = {p.id: p.name for p in model.packages}
    for found in model.problems:
        yield Finding(
            code="manifest-error",
            package=names.get(found.package, found.file),
            file=found.file,
            line=found.line,
            column=found.column,
            found="unreadable",
            expected="a file its build tool accepts",
            message=f"{found.message}; versync skipped what it could not read",
            fixable=False,
        )


@rule("package-mismatch", "sources of one package disagree (compared as PEP 440 versions)")
def _source_mismatches(model: Model, goal: dict[str, Version]) -> Iterator[Finding]:
    for package in model.packages:
        yield from _mismatches(package, goal.get(package.id))


def _mismatches(package: Package, goal: Version | None) -> Iterator[Finding]:
    valid = [s for s in package.sources if s.valid and s.version is not None]
    if goal is None or not valid:
        return
    highest = max(s.version for s in valid if s.version is not None)
    pair = _maturin_pair(package)
    for source in valid:
        if source.version == highest:
            continue
        expected = expected_text(source, goal)
        if pair is not None and source in pair:
            message = _maturin_message(pair, source)
            yield finding(
                "maturin-precedence",
                package,
                source,
                expected=expected,
                message=message,
                fixable=True,
            )
        else:
            top = next(s for s in valid if s.version == highest)
            message = (
                f"{source.kind} version {source.text} disagrees with {top.text} "
                f"in {top.file}:{top.line}"
            )
            yield finding(
                "package-mismatch",
                package,
                source,
                expected=expected,
                message=message,
                fixable=source.kind != "vcs",  # a git tag is not a file versync writes
            )


RULES["maturin-precedence"] = Rule(
    "maturin-precedence",
    "a maturin package's pyproject.toml and Cargo.toml disagree; maturin builds the wheel from "
    "pyproject.toml's static version",
    None,  # reported by package-mismatch's check, which compares a package's sources
)


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


@rule(
    "group-drift",
    "packages of one lockstep group disagree; each package below the group's highest version "
    "is reported",
)
def _group_drift(model: Model, goal: dict[str, Version]) -> Iterator[Finding]:
    for members in model.groups.values():
        for package in members:
            highest = package.highest
            top = goal.get(package.id)
            if highest is None or top is None or highest >= top:
                continue
            source = (
                package.primary
                if package.primary and package.primary.version == highest
                else next(s for s in package.sources if s.version == highest)
            )
            message = f"{package.name} is {source.text}; its group {package.group!r} is at {top}"
            yield finding(
                "group-drift",
                package,
                source,
                expected=expected_text(source, top),
                message=message,
                fixable=True,
            )


@rule(
    "pin-mismatch",
    "a requirement on another package of the repository excludes the version it has now",
)
def _pin_mismatches(model: Model, goal: dict[str, Version]) -> Iterator[Finding]:
    by_id = {p.id: p for p in model.packages}
    for dependency in model.dependencies:
        found = _pin_mismatch(dependency, by_id)
        if found is not None:
            yield found


def _pin_mismatch(dependency: Dependency, by_id: dict[str, Package]) -> Finding | None:
    target = by_id[dependency.target]
    version = target.published_version
    if version is None:
        return None
    semver = next((s.text for s in target.sources if s.scheme == "semver"), None)
    if safe_admits(dependency, version, semver) is not False:
        return None
    literal = dependency.literal
    shown = semver if dependency.scheme == "cargo" and semver else str(version)
    message = f"requirement {literal.text!r} of {dependency.owner} excludes {target.name} {shown}"
    return Finding(
        code="pin-mismatch",
        package=dependency.owner,
        file=literal.file,
        line=literal.line,
        column=literal.column,
        found=dependency.specifier,
        expected=shown,
        message=message,
        fixable=all(clause.operator in RAISABLE for clause in clauses(dependency)),
    )


@rule(
    "lock-stale",
    "`Cargo.lock` / `uv.lock` would make `cargo build --locked` / `uv sync --locked` fail",
)
def _stale_locks(model: Model, goal: dict[str, Version]) -> Iterator[Finding]:
    for member in model.lock_members:
        found = _lock_stale(member)
        if found is not None:
            yield found


def _lock_stale(member: LockMember) -> Finding | None:
    entry, expected = member.entry, member.expected
    if entry is None:
        leftovers = (
            f" (it lists {', '.join(member.orphans)}, which no crate is called now)"
            if member.orphans
            else ""
        )
        return Finding(
            code="lock-stale",
            package=member.package.name,
            file=member.lock,
            line=1,
            column=1,
            found="no entry",
            expected=f"{member.name} {expected.text}",
            message=(
                f"{member.lock} has no entry for {member.name}{leftovers}; "
                + ("run `cargo update --workspace`" if member.tool == "cargo" else "run `uv lock`")
            ),
            fixable=False,
        )
    if entry.version is None or _lock_agrees(member):
        return None
    literal = entry.version
    return Finding(
        code="lock-stale",
        package=member.package.name,
        file=literal.file,
        line=literal.line,
        column=literal.column,
        found=literal.text,
        expected=expected.text,
        message=(
            f"{member.lock} locks {member.name} {literal.text}, "
            f"but {expected.file} says {expected.text}"
        ),
        fixable=True,
    )


def _lock_agrees(member: LockMember) -> bool:
    assert member.entry is not None and member.entry.version is not None
    if member.tool == "cargo":
        return member.entry.version.text == member.expected.text
    return parse_pep440(member.entry.version.text) == member.expected.version


@rule("dynamic-conflict", "a static `[project].version` that is also listed in `[project].dynamic`")
def _dynamic_conflicts(model: Model, goal: dict[str, Version]) -> Iterator[Finding]:
    for package in model.packages:
        span = model.dynamic_conflicts.get(package.id)
        if span is None:
            continue
        source = next(s for s in package.sources if s.literal == span)
        message = (
            '[project].version is static but "version" is also in [project].dynamic '
            "(PEP 621 forbids both; remove one)"
        )
        yield finding(
            "dynamic-conflict",
            package,
            source,
            found='dynamic = ["version"]',
            expected="static or dynamic, not both",
            message=message,
            fixable=False,
        )


RULES["tag-mismatch"] = Rule(
    "tag-mismatch", "with `check --expect VERSION`: a package of the group is not at VERSION", None
)


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
