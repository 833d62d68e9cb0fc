"""`versync bump` and `versync fix`."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from versync._cli.common import EXIT_CLEAN, EXIT_FINDINGS, add_root, listing

if TYPE_CHECKING:
    from versync.change.plan import Plan
    from versync.workspace import Workspace


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
    bump.add_argument("--dry-run", action="store_true", help="print the diff and write nothing")
    from versync._cli.release import add_bump_options

    add_bump_options(bump)
    bump.set_defaults(run=run_bump)

    fix = commands.add_parser("fix", help="repair every fixable finding")
    add_root(fix)
    fix.add_argument("--dry-run", action="store_true", help="print the diff and write nothing")
    fix.set_defaults(run=run_fix)


def run_bump(args: argparse.Namespace) -> int:
    """Write the new version; exit 0 when it was written."""
    if args.commit or args.tag:
        from versync._cli.release import run_release

        return run_release(args)  # its plan takes the writer lock when it writes
    with writing(args.root, args.dry_run) as workspace:
        plan = workspace.bump(
            args.version,
            pre=args.pre,
            group=args.group,
            package=args.package,
            allow_downgrade=args.allow_downgrade,
        )
        show_plan(plan, args.dry_run)
    return EXIT_CLEAN


def run_fix(args: argparse.Namespace) -> int:
    """Repair what can be repaired; exit 1 when files changed, as pre-commit fixers do."""
    with writing(args.root, args.dry_run) as workspace:
        plan = workspace.fix()
        show_plan(plan, args.dry_run)
    return EXIT_FINDINGS if plan.files else EXIT_CLEAN


@contextlib.contextmanager
def writing(root: str | None, dry_run: bool) -> Iterator[Workspace]:
    """The workspace, scanned while holding the repository's writer lock (unless `dry_run`):
    a second writer waits for the first to finish, then scans what it wrote."""
    started = listing(root)
    from versync._fs.lock import state_dir
    from versync.workspace import scan_listed

    if dry_run:
        yield scan_listed(started)
        return
    with holding_lock(state_dir(started.root, started.git_dir), dry_run):
        yield scan_listed(started)


@contextlib.contextmanager
def holding_lock(state: str, dry_run: bool) -> Iterator[None]:
    """Hold the writer lock of the repository whose state folder is `state` (unless
    `dry_run`); refuse to start when a killed run left its journal."""
    if dry_run:
        yield
        return
    from versync._fs import journal, lock
    from versync.change.plan import INTERRUPTED
    from versync.errors import PlanError

    with lock.writer_lock(state):
        if journal.exists(state):
            raise PlanError(INTERRUPTED)
        yield


def show_plan(plan: Plan, dry_run: bool) -> None:
    """The diff (`--dry-run`), or the files written; then the plan's notes on stderr."""
    if dry_run:
        sys.stdout.write(plan.diff())
        return
    for path in plan.apply():
        print(path)
    for note in plan.notes:
        print(note, file=sys.stderr)
