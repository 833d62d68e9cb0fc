"""`versync bump` and `versync fix`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from versync._cli.common import EXIT_CLEAN, EXIT_FINDINGS, add_root, scan

if TYPE_CHECKING:
    from versync.change.plan import Plan


def add_commands(commands: Any) -> None:
    """Add `bump` and `fix` to the subcommands."""
    bump = commands.add_parser("bump", help="set a new version everywhere it is written")
    add_root(bump)
    bump.add_argument("version", metavar="VERSION", help="a version, or major, minor, patch")
    bump.add_argument(
        "--pre", choices=("alpha", "beta", "rc"), help="make it a pre-release of that kind"
    )
    target = bump.add_mutually_exclusive_group()
    target.add_argument(
        "--group", metavar="NAME", help="bump this group (needed when there are several)"
    )
    target.add_argument("--package", metavar="NAME", help="bump one package")
    bump.add_argument(
        "--allow-downgrade", action="store_true", help="allow a version lower than the current one"
    )
    bump.add_argument(
        "--allow-drift",
        action="store_true",
        help="also move crates outside the target that inherit a [workspace.package] version",
    )
    bump.add_argument("--dry-run", action="store_true", help="print the diff and write nothing")
    bump.set_defaults(run=run_bump)

    fix = commands.add_parser("fix", help="repair every fixable finding")
    add_root(fix)
    fix.add_argument("--dry-run", action="store_true", help="print the diff and write nothing")
    fix.set_defaults(run=run_fix)


def run_bump(args: argparse.Namespace) -> int:
    """Write the new version; exit 0 when it was written."""
    plan = scan(args.root).bump(
        args.version,
        pre=args.pre,
        group=args.group,
        package=args.package,
        allow_downgrade=args.allow_downgrade,
        allow_drift=args.allow_drift,
    )
    show_plan(plan, args.dry_run)
    return EXIT_CLEAN


def run_fix(args: argparse.Namespace) -> int:
    """Repair what can be repaired; exit 1 when files changed, as pre-commit fixers do."""
    plan = scan(args.root).fix()
    show_plan(plan, args.dry_run)
    return EXIT_FINDINGS if plan.files else EXIT_CLEAN


def show_plan(plan: Plan, dry_run: bool) -> None:
    """The diff (`--dry-run`), or the files written; then the plan's notes on stderr."""
    if dry_run:
        sys.stdout.write(plan.diff())
        return
    for path in plan.apply():
        print(path)
    for note in plan.notes:
        print(note, file=sys.stderr)
