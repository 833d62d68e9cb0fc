"""Rules: the model in, findings with stable codes out.

Each rule is a function registered with `@rule(code, summary)`; `RULES` is the table of codes
(the README's table of codes is checked against it by the tests).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from packaging.version import Version

from versync.errors import UsageError
from versync.model import FOUND_BY_THE_SCAN, LockMember, Model
from versync.model.intent import Decision, decide
from versync.records import Dependency, Finding, Package, VersionSource
from versync.syntax.pep440 import parse_pep440
from versync.syntax.raising import UPPER, smallest_edit
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
    return [f for entry in RULES.values() if entry.check for f in entry.check(model, goal)]


def decisions(model: Model) -> dict[str, Decision]:
    """What each package (by id) should hold, read from intent, majority or its manifests."""
    return decide(model.packages, model.groups, model.baseline)


def targets(model: Model) -> dict[str, Version]:
    """The version each package (by id) should have, where that is decided."""
    return {pid: d.goal for pid, d in decisions(model).items() if d.goal is not None}


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


@rule("package-mismatch", "sources of one package disagree (compared as PEP 440 versions)")
def _source_mismatches(model: Model, goal: dict[str, Version]) -> Iterator[Finding]:
    """Every source that is not at its package's decided version (package-mismatch,
    maturin-precedence, group-drift), and every source an undecidable edit is reported on."""
    decided = decisions(model)
    for package in model.packages:
        decision = decided.get(package.id)
        if decision is not None:
            yield from _disagreements(model, package, decision)


def _disagreements(model: Model, package: Package, decision: Decision) -> Iterator[Finding]:
    pair = _maturin_pair(package)
    for source in decision.refused:
        code = (
            "maturin-precedence"
            if pair is not None and source in pair
            else ("group-drift" if package.group is not None else "package-mismatch")
        )
        yield finding(
            code,
            package,
            source,
            expected="a decision",
            message=_inferred(model, package, decision.message),
            fixable=False,
        )
    goal = decision.goal
    if goal is None:
        return
    valid = [s for s in package.sources if s.valid and s.version is not None]
    for source in valid:
        if source.version == goal:
            continue
        expected = expected_text(source, goal)
        at_goal = [s for s in valid if s.version == goal]
        if pair is not None and source in pair and any(s in pair for s in at_goal):
            code, message = "maturin-precedence", _maturin_message(pair, source, decision.why)
        else:
            code = "package-mismatch" if at_goal else "group-drift"
            message = f"{source.file} is {source.text}: {decision.why}"
        yield finding(
            code,
            package,
            source,
            expected=expected,
            message=_inferred(model, package, message) if code == "group-drift" else message,
            fixable=True,
        )


def _inferred(model: Model, package: Package, message: str) -> str:
    commit = (model.inferred or {}).get(package.group or "")
    if commit is None:
        return message
    return (
        f"{message} (group {package.group!r} inferred from commit {commit[:12]}, which released "
        "its packages together; record groups under [groups] in versync.toml to make it explicit)"
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


def _maturin_message(
    pair: tuple[VersionSource, VersionSource], lower: VersionSource, why: str
) -> str:
    python, rust = pair
    if lower is python:
        return (
            f"the wheel will be {python.text}, not {rust.text}: {why}, and maturin takes the "
            f"version from pyproject.toml's static [project].version, ignoring {rust.file}"
        )
    return (
        f"{rust.file} says {rust.text} but the wheel will be {python.text}: {why}, and maturin "
        "takes pyproject.toml's static version, so the binary and the wheel would disagree"
    )


RULES["group-drift"] = Rule(
    "group-drift",
    "packages of one lockstep group disagree; each source left behind by the group's version "
    "is reported",
    None,  # reported by package-mismatch's check, which decides every package's version
)


@rule(
    "pin-mismatch",
    "a requirement on another package of the repository excludes the version it has now",
)
def _pin_mismatches(model: Model, goal: dict[str, Version]) -> Iterator[Finding]:
    by_id = {p.id: p for p in model.packages}
    for dependency in model.dependencies:
        found = _pin_mismatch(dependency, by_id, raise_upper=model.pins == "fix")
        if found is not None:
            yield found


def _pin_mismatch(
    dependency: Dependency, by_id: dict[str, Package], *, raise_upper: bool = False
) -> Finding | None:
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
    raisable = RAISABLE | UPPER if raise_upper else RAISABLE
    fixable = all(clause.operator in raisable for clause in clauses(dependency))
    if not fixable:
        edit = smallest_edit(dependency, version, semver)
        message += (
            f'; the smallest edit that admits it: "{literal.text}" -> "{edit}" (with pins = '
            '"fix" in versync.toml, versync makes such edits when it bumps or fixes)'
            if edit is not None
            else "; change it by hand"
        )
    return Finding(
        code="pin-mismatch",
        package=dependency.owner,
        file=literal.file,
        line=literal.line,
        column=literal.column,
        found=dependency.specifier,
        expected=shown,
        message=message,
        fixable=fixable,
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
                "run `cargo update --workspace`"
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


RULES.update((code, Rule(code, summary, None)) for code, summary in FOUND_BY_THE_SCAN)
RULES["tag-mismatch"] = Rule(
    "tag-mismatch", "with `check --expect VERSION`: a package of the group is not at VERSION", None
)
RULES["already-published"] = Rule(
    "already-published",
    "with `check --published`: the package's version is already on its index (PyPI, crates.io)",
    None,
)
RULES["unreleased-change"] = Rule(
    "unreleased-change",
    "with `check --since REF`: the package's own files changed since REF, its version did not",
    None,
)


def group_members(groups: dict[str, list[Package]], group: str) -> list[Package]:
    """The packages of the named group; `UsageError` naming the groups there are."""
    if group not in groups:
        raise UsageError(f"no group {group!r} (groups: {', '.join(sorted(groups)) or 'none'})")
    return groups[group]
