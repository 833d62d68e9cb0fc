"""`fix`: repair what `check` reports as fixable, moving each source to its target version."""

from __future__ import annotations

from collections.abc import Sequence

from packaging.version import Version

from versync import rules
from versync.change.context import Context
from versync.change.plan import Plan
from versync.change.planner import Planner
from versync.change.versions import NewVersion, new_version
from versync.records import Finding, Package


def plan_fix(context: Context, findings: list[Finding], ignored: Sequence[Finding] = ()) -> Plan:
    """The plan that repairs every fixable finding of `findings` (the workspace's check);
    the others become the plan's notes. What an ignored finding covers is left alone."""
    model = context.model
    left_alone = {f.package for f in ignored if f.code in VERSION_CODES}
    places = {(f.file, f.line) for f in ignored}
    decisions = rules.decisions(model)
    planner = Planner(context, repair_only=True)
    commands: list[str] = []
    for package in model.packages:
        decision = decisions.get(package.id)
        if decision is None:
            continue
        commands += [c for c in decision.commands if c not in commands]
        goal = decision.goal
        if goal is None or package.name in left_alone:
            continue
        if any(s.valid and s.version is not None and s.version != goal for s in package.sources):
            planner.set_version(package, _written_goal(context, package, goal))
    for dependency in model.dependencies:
        if (dependency.literal.file, dependency.literal.line) not in places:
            planner.repair_pin(dependency)
    planner.resync_locks(skip=places)
    planner.notes += [f"{f.location()}: {f.message} [{f.code}]" for f in findings if not f.fixable]
    plan = planner.plan()
    plan.commands = commands
    repaired = sum(f.fixable for f in findings)
    files = len(plan.files)
    plan.summary = (
        f"fixed {repaired} finding{'s' if repaired != 1 else ''}: "
        f"{files} file{'s' if files != 1 else ''}"
        if files
        else "nothing to fix" + (": the remaining findings need a decision" if findings else "")
    )
    return plan


VERSION_CODES = frozenset({"package-mismatch", "maturin-precedence", "group-drift"})


def _written_goal(context: Context, package: Package, goal: Version) -> NewVersion:
    """The goal written as the source that holds it writes it (`1.45.0.dev` stays as typed)."""
    group = context.model.groups.get(package.group or "", [])
    candidates = [package] + [p for p in group if p is not package]
    holder = next(
        (s for p in candidates for s in p.sources if s.scheme == "pep440" and s.version == goal),
        None,
    )
    return new_version(holder.text if holder is not None else str(goal), goal, [package])
