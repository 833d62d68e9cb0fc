"""The command line: parse arguments, call the library, print, and map errors to exit codes.

Each module of this package adds its subcommands (`add_commands`) and runs them; `main` is
the only place that catches versync's errors and turns them into exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from versync._cli.common import EXIT_ERROR
from versync.errors import VersyncError

COMMANDS = ("check", "list", "bump", "fix", "order", "init", "recover")


def main(argv: Sequence[str] | None = None) -> int:
    """Run versync with `argv` (default: the process's arguments); returns the exit code."""
    args = _parser().parse_args(_with_default_command(list(sys.argv[1:] if argv is None else argv)))
    try:
        return int(args.run(args))
    except VersyncError as exc:
        print(f"versync: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _with_default_command(argv: list[str]) -> list[str]:
    """`versync` and `versync --json` mean `versync check ...`."""
    if any(arg in COMMANDS or arg in ("-h", "--help", "--version") for arg in argv):
        return argv
    return ["check", *argv]


def _parser() -> argparse.ArgumentParser:
    from versync._cli import change, check, recover, release

    parser = argparse.ArgumentParser(
        prog="versync", description="Keep every version in a monorepo in step."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_own_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    check.add_commands(commands)
    change.add_commands(commands)
    release.add_commands(commands)
    recover.add_commands(commands)
    return parser


def _own_version() -> str:
    from versync.__about__ import __version__

    return __version__
