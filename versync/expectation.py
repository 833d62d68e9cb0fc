"""`check --expect VERSION`: a release tag's version against the packages it releases."""

from __future__ import annotations

from collections.abc import Callable

from packaging.version import Version

from versync.errors import UsageError
from versync.model import Model
from versync.records import Finding
from versync.rules import finding, group_members
from versync.syntax.pep440 import parse_pep440, require_pep440


def expect(
    model: Model,
    wanted: str,
    group: str | None,
    head_tags: Callable[[], list[str] | None] = lambda: None,
) -> list[Finding]:
    """A `tag-mismatch` finding for each package of the group whose version is not `wanted`,
    and for each package whose version comes from git tags when HEAD carries no tag for
    `wanted` (`head_tags`: the versions tagged on HEAD, None when git cannot say: then
    `UsageError` saying to fetch tags). `VersionError` when `wanted` is not a version."""
    version = require_pep440(wanted)
    findings = _expect_tagged(model, wanted, version, head_tags)
    vcs_only = group is None and not model.groups and findings is not None
    findings = findings or []
    for package in [] if vcs_only else group_members(model.groups, group):
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


def _expect_tagged(
    model: Model, wanted: str, version: Version, head_tags: Callable[[], list[str] | None]
) -> list[Finding] | None:
    """The findings of `expect` for packages versioned by git tags; None when there are none."""
    tagged = [p for p in model.packages if p.vcs is not None]
    if not tagged:
        return None
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
