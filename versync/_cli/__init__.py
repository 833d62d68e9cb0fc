"""The command line: parse arguments, call the library, print, and map errors to exit codes.

Each module of this package adds its subcommands (`add_commands`) and runs them; `main` is
the only place that catches versync's errors and turns them into exit code 2.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from versync._cli.common import EXIT_ERROR
from versync.errors import VersyncError

if TYPE_CHECKING:
    import argparse

COMMANDS = ("check", "list", "bump", "fix")


def main(argv: Sequence[str] | None = None) -> int:
    """Run versync with `argv` (default: the process's arguments); returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = _hook_arguments(arguments) or _parser().parse_args(_with_default_command(arguments))
    try:
        return int(args.run(args))
    except VersyncError as exc:
        print(f"versync: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _hook_arguments(argv: list[str]) -> argparse.Namespace | None:
    """The arguments of a plain `versync check` (what the pre-commit hook runs), without
    building the parser: argparse's help formatters cost a fifth of a hook run."""
    if argv not in ([], ["check"]):
        return None
    from versync._cli.check import check_defaults

    return check_defaults()


def _with_default_command(argv: list[str]) -> list[str]:
    """`versync` and `versync --json` mean `versync check ...`."""
    if any(arg in COMMANDS or arg in ("-h", "--help", "--version") for arg in argv):
        return argv
    return ["check", *argv]


def _parser() -> argparse.ArgumentParser:
    import argparse

    from versync._cli import change, check

    parser = argparse.ArgumentParser(
        prog="versync", description="Keep every version in a monorepo in step."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_own_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    check.add_commands(commands)
    change.add_commands(commands)
    return parser


def _own_version() -> str:
    from versync.__about__ import __version__

    return __version__
