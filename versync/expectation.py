"""`check --expect VERSION`: a release tag's version against the packages it releases."""

from __future__ import annotations

from collections.abc import Callable

from packaging.version import Version

from versync.errors import UsageError
from versync.model import Model
from versync.records import Finding, Package
from versync.rules import finding, group_members
from versync.syntax.pep440 import parse_pep440, require_pep440

HeadTags = Callable[[], list[str] | None]


def tag_mismatches(
    model: Model,
    wanted: str,
    group: str | None,
    members: list[Package] | None = None,
    head_tags: HeadTags = lambda: None,
) -> list[Finding]:
    """A `tag-mismatch` finding for each package of `members` when given, else of the group,
    else of every publishable package, whose version is not `wanted`. Packages versioned by
    git tags are at `wanted` when HEAD carries a tag for it (`head_tags`: the versions tagged
    on HEAD, None when git cannot say: then `UsageError` saying to fetch tags).
    `VersionError` when `wanted` is not a version."""
    version = require_pep440(wanted)
    if members is not None:
        scope = members
    elif group is not None:
        scope = group_members(model.groups, group)
    else:
        scope = [p for p in model.packages if p.publishable or p.vcs is not None]
    tagged = [p for p in scope if p.vcs is not None]
    findings = _untagged(tagged, wanted, version, head_tags) if tagged else []
    for package in scope:
        source = package.primary
        if package.vcs is None and source is not None and source.version != version:
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


def _untagged(
    tagged: list[Package], wanted: str, version: Version, head_tags: HeadTags
) -> list[Finding]:
    """The findings for packages versioned by git tags: none when HEAD is tagged `wanted`."""
    versions = head_tags()
    if versions is None:
        raise UsageError(
            f"cannot tell whether HEAD is tagged {wanted}: no tags here (a shallow or tagless "
            "clone); fetch them: git fetch --tags --unshallow"
        )
    if any(parse_pep440(v) == version for v in versions):
        return []
    shown = ", ".join(versions) or "none"
    return [
        Finding(
            code="tag-mismatch",
            package=p.name,
            file=p.primary.file if p.primary else f"{p.path}/pyproject.toml".removeprefix("./"),
            line=1,
            column=1,
            found=shown,
            expected=wanted,
            message=f"{p.name} takes its version from git tags, but HEAD is not tagged {wanted}",
            fixable=False,
        )
        for p in tagged
    ]
