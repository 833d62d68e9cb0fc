"""Rules on versions: invalid ones, files that cannot be read, sources of one package or of
one group that disagree, and a version both static and dynamic."""

from __future__ import annotations

from collections.abc import Iterator

from packaging.version import Version

from versync.model import Model
from versync.model.intent import Decision
from versync.records import Finding, Package, VersionSource
from versync.rules.registry import RULES, Rule, decisions, expected_text, finding, rule


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
            fixable=source.kind != "vcs",  # a git tag is not a file versync writes
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
