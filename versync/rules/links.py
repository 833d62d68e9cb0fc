"""Rules on what repeats a version elsewhere: internal requirements and lock entries."""

from __future__ import annotations

from collections.abc import Iterator

from packaging.version import Version

from versync.model import LockMember, Model
from versync.records import Dependency, Finding, Package
from versync.rules.registry import rule
from versync.syntax.pep440 import parse_pep440
from versync.syntax.raising import UPPER, smallest_edit
from versync.syntax.requirements import RAISABLE, clauses, safe_admits


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
