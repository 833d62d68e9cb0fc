"""`bump`: set a new version on a group or a package; pins and lock entries follow."""

from __future__ import annotations

from packaging.version import Version

from versync.change.context import Context
from versync.change.plan import Plan
from versync.change.planner import Planner
from versync.change.versions import new_version
from versync.errors import UsageError
from versync.records import Package
from versync.rules import group_members
from versync.syntax.pep440 import bump_version, require_pep440

PARTS = ("major", "minor", "patch")
PRE_KINDS = ("alpha", "beta", "rc")


def plan_bump(
    context: Context,
    version: str | Version,
    *,
    pre: str | None = None,
    group: str | None = None,
    package: str | None = None,
    allow_downgrade: bool = False,
    allow_drift: bool = False,
) -> Plan:
    """The plan that sets `version` (or the next `major`/`minor`/`patch`, optionally a `pre`
    release) on the group, the package, or the only group. A `[workspace.package]` version
    inherited by crates outside the scope changes them too: `UsageError` naming them, unless
    `allow_drift` (their lock entries then follow as well). Raises `VersionError`,
    `UsageError` or `PlanError`; writes nothing."""
    if group is not None and package is not None:
        raise UsageError("bump takes a group or a package, not both")
    if pre is not None and pre not in PRE_KINDS:
        raise UsageError(f"pre must be one of {', '.join(PRE_KINDS)}, not {pre!r}")
    targets = bump_targets(context, group, package)
    text = str(version)
    if text in PARTS:
        text = _relative_version(targets, text, pre)
    elif pre is not None:
        raise UsageError("pre goes with major, minor or patch, not with an explicit version")
    parsed = require_pep440(text)
    new = new_version(text, parsed, targets)
    if not allow_downgrade:
        _refuse_downgrade(targets, parsed)
    targets += _sharing_inherited_versions(context, targets, allow_drift)
    planner = Planner(context)
    for target in targets:
        planner.set_version(target, new)
    return planner.plan()


def bump_targets(context: Context, group: str | None, package: str | None) -> list[Package]:
    """The packages a bump (or `--expect`) applies to: the package, the group, or the only
    group; `UsageError` when there is no such package or group, or no single group."""
    if package is not None:
        found = context.find_package(package)
        if found is None:
            raise UsageError(f"no package {package!r}")
        if found.vcs is not None:
            raise UsageError(
                f"{found.name} takes its version from git tags ({found.vcs}), so there is no "
                "file to bump: tag the release (git tag vVERSION) instead"
            )
        return [found]
    tagged = [p.name for p in context.model.packages if p.vcs is not None]
    if group is None and not context.model.groups and tagged:
        raise UsageError(
            f"{', '.join(tagged)} take{'s' if len(tagged) == 1 else ''} the version from git "
            "tags, so there is no file to bump: tag the release (git tag vVERSION) instead"
        )
    return group_members(context.model.groups, group)


def _relative_version(targets: list[Package], part: str, pre: str | None) -> str:
    versions = {s.version for p in targets for s in p.sources if s.valid and s.version is not None}
    if len(versions) != 1:
        shown = ", ".join(sorted(str(v) for v in versions)) or "none"
        raise UsageError(
            f"cannot bump {part}: the target's versions disagree ({shown}); "
            "give an explicit version, or run `versync fix` first"
        )
    return bump_version(str(versions.pop()), part, pre)


def _refuse_downgrade(targets: list[Package], version: Version) -> None:
    for package in targets:
        if package.highest is not None and version < package.highest:
            raise UsageError(
                f"{package.name} is at {package.highest}; {version} would go backwards "
                "(use --allow-downgrade)"
            )


def _sharing_inherited_versions(
    context: Context, targets: list[Package], allow_drift: bool
) -> list[Package]:
    """The packages outside `targets` that inherit a `[workspace.package]` version the bump
    changes; `UsageError` naming them unless `allow_drift`."""
    shared = {
        (s.file, s.literal.start) for p in targets for s in p.sources if s.kind == "cargo-workspace"
    }
    chosen = {p.id for p in targets}
    others = [
        p
        for p in context.model.packages
        if p.id not in chosen
        and any(
            s.kind == "cargo-workspace" and (s.file, s.literal.start) in shared for s in p.sources
        )
    ]
    if others and not allow_drift:
        names = ", ".join(p.name for p in others)
        raise UsageError(
            f"the bump changes [workspace.package] version, which {names} inherit"
            f"{'s' if len(others) == 1 else ''} too: bump them as well (a group that holds "
            "them), or pass --allow-drift"
        )
    return others
