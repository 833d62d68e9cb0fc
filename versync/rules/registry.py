"""The table of rule codes, and what every rule module shares: how a finding is made on a
version literal, and the version each package should have."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from packaging.version import Version

from versync.errors import UsageError
from versync.model import Model
from versync.model.intent import Decision, decide
from versync.records import Finding, Package, VersionSource
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


RULES["outside-root"] = Rule(
    "outside-root",
    "a path a manifest names is absolute, resolves outside the repository (symlinks included), "
    "or is a special file: it is not read",
    lambda model, goal: model.refused,
)
RULES["interrupted-bump"] = Rule(
    "interrupted-bump",
    "a bump or fix was killed while writing (its journal remains): `versync recover`",
    None,
)
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
