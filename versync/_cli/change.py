"""`versync bump` and `versync fix`."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from versync._cli.common import EXIT_CLEAN, EXIT_FINDINGS, add_base, add_root, scan

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
        "--group", metavar="NAME", help="bump this group (default: every publishable package)"
    )
    target.add_argument("--package", metavar="NAME", help="bump one package")
    bump.add_argument(
        "--allow-downgrade", action="store_true", help="allow a version lower than the current one"
    )
    bump.add_argument(
        "--allow-drift",
        action="store_true",
        help="bump --package even when it is released in lockstep with others, and move the "
        "crates outside the target that inherit a [workspace.package] version it changes",
    )
    bump.add_argument("--dry-run", action="store_true", help="print the diff and write nothing")
    add_format(bump)
    from versync._cli.release import add_bump_options

    add_bump_options(bump)
    bump.set_defaults(run=run_bump)

    fix = commands.add_parser("fix", help="repair every fixable finding")
    add_root(fix)
    add_base(fix)
    fix.add_argument("--dry-run", action="store_true", help="print the diff and write nothing")
    add_format(fix)
    fix.set_defaults(run=run_fix)


def add_format(parser: argparse.ArgumentParser) -> None:
    """`--format text|json` and `--json`."""
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--json", dest="format", action="store_const", const="json", help="same as --format json"
    )


def run_bump(args: argparse.Namespace) -> int:
    """Write the new version, holding the repository's writer lock; exit 0 when written."""
    if args.commit or args.tag:
        return _bump(args)  # the release's plan takes the writer lock when it writes
    with holding_lock(_state_of(args.root), args.dry_run):
        return _bump(args)


def run_fix(args: argparse.Namespace) -> int:
    """`fix`, holding the repository's writer lock (see `_fix`)."""
    with holding_lock(_state_of(args.root), args.dry_run):
        return _fix(args)


@contextlib.contextmanager
def holding_lock(state: str, dry_run: bool) -> Iterator[None]:
    """Hold the writer lock of the repository whose state folder is `state` (unless
    `dry_run`), so that a second writer waits, then scans what the first wrote; refuse to start
    when a killed run left its journal."""
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


def _state_of(root: str | None) -> str:
    """The state folder of the repository at `root` (default: the one holding the current
    folder), as git says where it is."""
    from versync._fs.git import locate
    from versync._fs.lock import state_dir

    start = os.getcwd() if root is None else root
    location = locate(start)
    top = (location.top or start) if root is None else start
    return state_dir(top, location.git_dir)


def _bump(args: argparse.Namespace) -> int:
    """Write the new version; exit 0 when it was written."""
    if args.commit or args.tag:
        from versync._cli.release import run_release

        return run_release(args)
    plan = scan(args.root).bump(
        args.version,
        pre=args.pre,
        group=args.group,
        package=args.package,
        allow_downgrade=args.allow_downgrade,
        allow_drift=args.allow_drift,
    )
    if args.format == "json":
        written = [] if args.dry_run else plan.apply()
        _print_json(plan, written, [], args.dry_run)
        return EXIT_CLEAN
    show_plan(plan, args.dry_run)
    if args.dry_run:
        print(plan.summary.replace("bumped ", "would bump ", 1), file=sys.stderr)
    else:
        print(plan.summary)
    return EXIT_CLEAN


def _fix(args: argparse.Namespace) -> int:
    """Repair what can be repaired. Exit 0 when there was nothing to do, 1 when files
    changed or any finding remains (each printed as `check` prints it), as pre-commit
    fixers do: the fix hook never passes a commit `check` would refuse."""
    base = args.base
    workspace = scan(args.root, base)
    findings = workspace.check()
    plan = workspace.fix()
    as_json = args.format == "json"
    written = [] if args.dry_run else plan.apply()
    if not as_json:
        if args.dry_run:
            sys.stdout.write(plan.diff())
        for path in written:
            print(path)
    if args.dry_run:
        remaining = [f for f in findings if not f.fixable]
        packages = tuple(p.name for p in workspace.packages)
    else:
        after = scan(args.root, base) if plan.files else workspace
        remaining = after.check() if plan.files else findings
        packages = tuple(p.name for p in after.packages)
    if as_json:
        _print_json(plan, written, remaining, args.dry_run)
        return EXIT_FINDINGS if plan.files or remaining else EXIT_CLEAN
    out = sys.stderr if args.dry_run else sys.stdout  # a dry run's stdout is the diff alone
    if remaining:
        from versync._output.text import finding_lines

        for line in finding_lines(packages, remaining, out):
            print(line, file=out)
    for command in plan.commands:
        print(f"to settle it: {command}", file=out)
    summary = plan.summary if plan.files or not remaining else _left(remaining)
    print(summary.replace("fixed ", "would fix ", 1) if args.dry_run else summary, file=out)
    return EXIT_FINDINGS if plan.files or remaining else EXIT_CLEAN


def _print_json(plan: Plan, written: list[str], remaining: list[Any], dry_run: bool) -> None:
    import json

    from versync._output.json import finding_json

    document = {
        "files": [change.path for change in plan.files] if dry_run else written,
        "written": not dry_run,
        "summary": plan.summary,
        "remaining": [finding_json(f) for f in remaining],
        "commands": plan.commands,
    }
    print(json.dumps(document, indent=2))


def _left(remaining: list[Any]) -> str:
    count = len(remaining)
    return f"nothing fixed: {count} finding{'s need' if count != 1 else ' needs'} a decision"


def show_plan(plan: Plan, dry_run: bool, *, notes: bool = True) -> None:
    """The diff (`--dry-run`), or the files written; then the plan's notes on stderr."""
    if dry_run:
        sys.stdout.write(plan.diff())
        return
    for path in plan.apply():
        print(path)
    if notes:
        for note in plan.notes:
            print(note, file=sys.stderr)
