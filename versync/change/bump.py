"""`bump`: set a new version on a group, a package, or every publishable package; pins and
lock entries follow."""

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
    release) on the group, the package, or, with neither, every publishable package (a
    relative bump moves each group and each independent package from its own version). A
    `[workspace.package]` version inherited by crates outside the scope changes them too:
    `UsageError` naming them, unless `allow_drift` (their lock entries then follow as
    well). Raises `VersionError`, `UsageError` or `PlanError`; writes nothing."""
    if pre is not None and pre not in PRE_KINDS:
        raise UsageError(f"pre must be one of {', '.join(PRE_KINDS)}, not {pre!r}")
    units = bump_units(context, group, package, allow_drift=allow_drift)
    text = str(version)
    if text not in PARTS and pre is not None:
        raise UsageError("pre goes with major, minor or patch, not with an explicit version")
    sharing = _sharing_inherited_versions(context, [p for u in units for p in u], allow_drift)
    planner = Planner(context)
    moves: list[tuple[list[Package], str]] = []
    for unit in units:
        wanted = _relative_version(unit, text, pre) if text in PARTS else text
        parsed = require_pep440(wanted)
        if not allow_downgrade:
            _refuse_downgrade(unit, parsed)
        shared = {(s.file, s.literal.start) for p in unit for s in p.sources}
        followers = [
            p for p in sharing if any((s.file, s.literal.start) in shared for s in p.sources)
        ]
        new = new_version(wanted, parsed, [*unit, *followers])
        for target in [*unit, *followers]:
            planner.set_version(target, new)
        moves.append((unit, wanted))
    plan = planner.plan()
    plan.summary = _summary(moves, plan, group)
    return plan


def bump_units(
    context: Context,
    group: str | None,
    package: str | None,
    *,
    allow_drift: bool = False,
    tagging: bool = False,
) -> list[list[Package]]:
    """The packages a bump applies to, as units that move together: the package, the group,
    or every group and every independent publishable package. `UsageError` when there is no
    such package or group, or when the package is lockstep with others (unless
    `allow_drift`), or when its version comes from git tags (unless `tagging`: a release
    tag is how such a package is released)."""
    model = context.model
    if package is not None:
        found = context.find_package(package)
        if found is None:
            raise UsageError(f"no package {package!r}")
        if found.vcs is not None and not tagging:
            raise UsageError(
                f"{found.name} takes its version from git tags ({found.vcs}), so there is no "
                "file to bump: tag the release instead (versync bump VERSION --package "
                f"{found.name} --tag, or git tag)"
            )
        members = model.groups.get(found.group or "", [])
        if len(members) > 1 and not allow_drift:
            raise UsageError(
                f"{found.name} is released in lockstep with group {found.group!r} "
                f"({len(members)} packages{_inferred(context, found.group)}): bump the group "
                f"with `--group {found.group}`, or pass --allow-drift to move {found.name} alone"
            )
        return [[found]]
    if group is not None:
        return [group_members(model.groups, group)]
    units = [list(members) for members in model.groups.values()]
    grouped = {p.id for members in units for p in members}
    broken = {found.package for found in model.problems}  # refused by the planner, not skipped
    units += [
        [p]
        for p in model.packages
        if p.publishable and (p.primary is not None or p.id in broken) and p.id not in grouped
    ]
    units = [unit for unit in units if all(p.vcs is None for p in unit)]
    if not units:
        tagged = [p.name for p in model.packages if p.vcs is not None]
        raise UsageError(
            f"{', '.join(tagged)} take{'s' if len(tagged) == 1 else ''} the version from git "
            "tags, so there is no file to bump: tag the release (git tag vVERSION) instead"
            if tagged
            else "no publishable package with a version to bump"
        )
    return units


def _inferred(context: Context, group: str | None) -> str:
    commit = (context.model.inferred or {}).get(group or "")
    return f", inferred from their release in commit {commit[:12]}" if commit else ""


def _relative_version(targets: list[Package], part: str, pre: str | None) -> str:
    versions = {s.version for p in targets for s in p.sources if s.valid and s.version is not None}
    if len(versions) != 1:
        shown = ", ".join(sorted(str(v) for v in versions)) or "none"
        names = ", ".join(p.name for p in targets[:3]) + (", ..." if len(targets) > 3 else "")
        raise UsageError(
            f"cannot bump {part} of {names}: their versions disagree ({shown}); "
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


def bump_targets(context: Context, group: str | None, package: str | None) -> list[Package]:
    """Every package a bump with this scope moves (see `bump_units`; a lockstep package is
    not refused here: `plan_bump` has decided that)."""
    units = bump_units(context, group, package, allow_drift=True, tagging=True)
    return [p for unit in units for p in unit]


def target_version(
    context: Context,
    version: str | Version,
    *,
    pre: str | None = None,
    group: str | None = None,
    package: str | None = None,
) -> str:
    """The one version a bump with these arguments sets, as text (`major`, `minor` and
    `patch` resolved); `UsageError` when a relative bump moves its packages to different
    versions (no one version to name a release after)."""
    text = str(version)
    if text not in PARTS:
        return str(require_pep440(text)) if text[:1] in ("v", "V") else text
    units = bump_units(context, group, package, allow_drift=True, tagging=True)
    versions = sorted({_relative_version(unit, text, pre) for unit in units})
    if len(versions) != 1:
        raise UsageError(
            f"bump {text} moves packages to {', '.join(versions)}: name one release with "
            "--group or --package, or give the version"
        )
    return versions[0]


def _summary(moves: list[tuple[list[Package], str]], plan: Plan, group: str | None) -> str:
    packages = [p for unit, _ in moves for p in unit]
    versions = sorted({text for _, text in moves})
    if not plan.files:
        scope = (
            f"in {group!r}"
            if group is not None
            else (packages[0].name if len(packages) == 1 else "in scope")
        )
        subject = f"every package {scope}" if len(packages) > 1 or group else scope
        return f"nothing to change: {subject} is already {', '.join(versions)}"
    groups = {p.group for p in packages if p.group is not None}
    alone = sum(1 for p in packages if p.group is None)
    where = []
    if groups:
        where.append(f"{len(groups)} group{'s' if len(groups) != 1 else ''}")
    if alone and groups:
        where.append(f"{alone} independent")
    count = f"{len(packages)} package{'s' if len(packages) != 1 else ''}"
    into = f" in {' and '.join(where)}" if groups else ""
    files = f"{len(plan.files)} file{'s' if len(plan.files) != 1 else ''}"
    if len(versions) == 1:
        return f"bumped {count}{into} to {versions[0]}: {files}"
    where_to = ", ".join(f"{_unit_name(unit)} {_current(unit)} -> {text}" for unit, text in moves)
    return f"bumped {count}{into}: {where_to}; {files}"


def _unit_name(unit: list[Package]) -> str:
    if len(unit) > 1 and unit[0].group is not None:
        return f"group {unit[0].group!r}"
    return unit[0].name


def _current(unit: list[Package]) -> str:
    primary = unit[0].primary
    return primary.text if primary is not None else "?"


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
