"""The command line: parse arguments, call the library, print, and map errors to exit codes.

Each module of this package adds its subcommands (`add_commands`) and runs them; `main` is
the only place that catches versync's errors and turns them into exit code 2 (as JSON on
stdout with `--json`, so that stdout always parses).
"""

from __future__ import annotations

import gc
import itertools
import os
import sys
from collections.abc import Sequence

from versync._cli.common import EXIT_ERROR
from versync._typing import TYPE_CHECKING
from versync.errors import UsageError, VersyncError

if TYPE_CHECKING:
    import argparse
    from typing import NoReturn

COMMANDS = ("check", "list", "bump", "fix", "order", "init", "recover")
# Options every command takes, accepted before the subcommand too.
GLOBAL_VALUE_OPTIONS = ("--root", "--format")
GLOBAL_FLAGS = ("--json",)
# Every option that takes a value, so that its value is not taken for a command.
VALUE_OPTIONS = frozenset(
    {
        *GLOBAL_VALUE_OPTIONS,
        "--expect",
        "--group",
        "--package",
        "--pre",
        "--base",
        "--since",
        "--index-url",
        "--cargo-index-url",
        "--timeout",
    }
)
GC_FIRST_GENERATION = 50_000  # allocations between collections of the youngest objects
EXIT_PIPE = 141  # 128 + SIGPIPE, as a POSIX tool killed by a closed pipe exits


def main(argv: Sequence[str] | None = None) -> int:
    """Run versync with `argv` (default: the process's arguments); returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    as_json = _wants_json(arguments)
    thresholds = gc.get_threshold()
    # A run builds its records once and keeps them to the end: collecting cycles every 700
    # allocations re-walks them all, a tenth of a cold run over 10,000 packages.
    gc.set_threshold(max(thresholds[0], GC_FIRST_GENERATION), *thresholds[1:])
    try:
        args = _hook_arguments(arguments) or _parser().parse_args(_arranged(arguments))
        return int(args.run(args))
    except VersyncError as exc:
        _report(exc, as_json)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_PIPE
    finally:
        gc.set_threshold(*thresholds)


def _hook_arguments(argv: list[str]) -> argparse.Namespace | None:
    """The arguments of a plain `versync check` (what the pre-commit hook runs), without
    building the parser: argparse's help formatters cost a fifth of a hook run."""
    if argv not in ([], ["check"]):
        return None
    from versync._cli.check import check_defaults

    return check_defaults()


def _wants_json(argv: list[str]) -> bool:
    return (
        "--json" in argv
        or "--format=json" in argv
        or any(a == "--format" and b == "json" for a, b in itertools.pairwise(argv))
    )


def _report(exc: VersyncError, as_json: bool) -> None:
    if not as_json:
        print(f"versync: {exc}", file=sys.stderr)
        return
    import json

    from versync.errors import InputError

    document: dict[str, object] = {"error": str(exc), "file": None, "line": None}
    if isinstance(exc, InputError):
        document.update(error=exc.message, file=exc.path, line=exc.line, column=exc.column)
    print(json.dumps(document))


def _silence_stdout() -> None:
    """After a closed pipe, send what is left to /dev/null so exiting prints no error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _arranged(argv: list[str]) -> list[str]:
    """The arguments with the subcommand first: `versync` and `versync --json` mean
    `versync check ...`; the options every command takes may come before the subcommand;
    a mistyped subcommand is named with the closest one."""
    if any(arg in ("-h", "--help", "--version") for arg in argv[:1]):
        return argv
    position = _command_position(argv)
    if position is None:
        return ["check", *argv]
    before, command, after = argv[:position], argv[position], argv[position + 1 :]
    if command not in COMMANDS:
        import difflib

        close = difflib.get_close_matches(command, COMMANDS, n=1)
        hint = f": did you mean `versync {close[0]}`?" if close else ""
        raise UsageError(f"unknown command {command!r}{hint} (commands: {', '.join(COMMANDS)})")
    return [command, *before, *after]


def _command_position(argv: list[str]) -> int | None:
    """Where the first word that is not an option or an option's value is."""
    skip = False
    for index, arg in enumerate(argv):
        if skip:
            skip = False
        elif arg in VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return index
    return None


def _parser() -> argparse.ArgumentParser:
    import argparse

    from versync._cli import change, check, recover, release

    class _Parser(argparse.ArgumentParser):
        """Reports a bad command line as a `UsageError`, so `main` prints it (or its JSON)."""

        def error(self, message: str) -> NoReturn:
            raise UsageError(f"{message} (see `versync {self._command()}--help`)")

        def _command(self) -> str:
            name = self.prog.removeprefix("versync").strip()
            return f"{name} " if name else ""

    parser = _Parser(prog="versync", description="Keep every version in a monorepo in step.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_own_version()}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check.add_commands(commands)
    change.add_commands(commands)
    release.add_commands(commands)
    recover.add_commands(commands)
    return parser


def _own_version() -> str:
    from versync.__about__ import __version__

    return __version__
