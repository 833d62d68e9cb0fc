"""`check --expect VERSION`: a release tag's version against the packages it releases."""

from __future__ import annotations

from versync.model import Model
from versync.records import Finding, Package
from versync.rules import finding, group_members
from versync.syntax.pep440 import require_pep440


def tag_mismatches(
    model: Model, wanted: str, group: str | None, members: list[Package] | None = None
) -> list[Finding]:
    """A `tag-mismatch` finding for each package of `members` when given, else of the group,
    else of every publishable package, whose version is not `wanted`; `VersionError` when
    `wanted` is not a version."""
    version = require_pep440(wanted)
    findings = []
    if members is not None:
        scope = members
    elif group is not None:
        scope = group_members(model.groups, group)
    else:
        scope = [p for p in model.packages if p.publishable]
    for package in scope:
        source = package.primary
        if source is not None and source.version != version:
            message = f"{package.name} is {source.text}, but the release tag says {wanted}"
            findings.append(
                finding(
                    "tag-mismatch",
                    package,
                    source,
                    expected=wanted,
                    message=message,
                    fixable=False,
                )
            )
    return findings
