"""`versync recover`: finish or undo a write that a killed run left half done."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from versync._cli.common import EXIT_CLEAN, add_root


def add_commands(commands: Any) -> None:
    """Add `recover` to the subcommands."""
    recover = commands.add_parser(
        "recover", help="finish (or roll back) a bump or fix that was interrupted while writing"
    )
    add_root(recover)
    action = recover.add_mutually_exclusive_group()
    action.add_argument(
        "--rollback", action="store_true", help="put every file back as it was before the run"
    )
    action.add_argument(
        "--discard",
        action="store_true",
        help="only remove the journal (after repairing the files by hand)",
    )
    recover.set_defaults(run=run_recover)


def run_recover(args: argparse.Namespace) -> int:
    """Print the files written; exit 0 when the repository is whole again."""
    from versync.change.recover import recover

    written = recover(args.root, rollback=args.rollback, discard=args.discard)
    for path in written:
        print(path)
    if not written and not args.discard:
        print("versync: no file needed writing", file=sys.stderr)
    return EXIT_CLEAN
