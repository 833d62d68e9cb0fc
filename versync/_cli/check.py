"""`versync check` and `versync list`."""

from __future__ import annotations

import sys

from versync._cli.common import EXIT_CLEAN, EXIT_FINDINGS, add_base, add_root, listing, scan
from versync._typing import TYPE_CHECKING, cast
from versync.errors import UsageError

if TYPE_CHECKING:
    import argparse
    from typing import Any


def add_commands(commands: Any) -> None:
    """Add `check` and `list` to the subcommands."""
    check = commands.add_parser("check", help="report versions that disagree (the default)")
    add_root(check)
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    check.add_argument(
        "--json", dest="format", action="store_const", const="json", help="same as --format json"
    )
    check.add_argument(
        "--expect",
        metavar="VERSION",
        help="also require the group's packages to be at VERSION (a leading v is accepted)",
    )
    check.add_argument(
        "--group", metavar="NAME", help="the group --expect applies to (default: every package)"
    )
    add_base(check)
    check.add_argument(
        "-v", "--verbose", action="store_true", help="also show notes (skipped packages, ...)"
    )
    from versync._cli.release import add_check_options

    add_check_options(check)
    check.set_defaults(run=run_check)

    listed = commands.add_parser("list", help="show packages, groups and versions")
    add_root(listed)
    add_base(listed)
    listed.add_argument("--format", choices=("text", "json"), default="text")
    listed.add_argument(
        "--json", dest="format", action="store_const", const="json", help="same as --format json"
    )
    listed.set_defaults(run=run_list)


def check_defaults() -> argparse.Namespace:
    """What `versync check` parses to with no options (kept equal to the parser's defaults by
    a test)."""
    from types import SimpleNamespace

    defaults = SimpleNamespace(
        command="check",
        root=None,
        format="text",
        expect=None,
        group=None,
        base=None,
        verbose=False,
        package=None,
        published=False,
        index_url=None,
        cargo_index_url=None,
        timeout=10.0,
        since=None,
    )
    defaults.run = run_check
    return cast("argparse.Namespace", defaults)


def run_check(args: argparse.Namespace) -> int:
    """Print the findings; exit 1 when there are any."""
    if args.published or args.since or args.package or args.expect is not None:
        from versync._cli.release import run_release_check, wants_release_check

        if wants_release_check(args):  # the plain hook run never imports the release helpers
            return run_release_check(args)
    expect = args.expect[1:] if args.expect and args.expect[:1] in ("v", "V") else args.expect
    if expect is not None:
        from versync.syntax.pep440 import parse_pep440

        if parse_pep440(expect) is None:
            raise UsageError(f"--expect {args.expect}: not a PEP 440 version")
    if args.format == "json" or expect is not None or args.base is not None:
        workspace = scan(args.root, args.base)
        packages = tuple(p.name for p in workspace.packages)
        findings = workspace.check(expect=expect, group=args.group)
        notes = tuple(workspace.notes)
        ignored = tuple(workspace.ignored)
        if args.format == "json":
            from versync._output.json import as_json

            print(as_json(workspace, findings))
            return EXIT_FINDINGS if findings else EXIT_CLEAN
    else:
        started = listing(args.root)  # git lists the files while the verdict's code loads
        from versync.verdict import check_listed

        packages, findings, notes, ignored = check_listed(started)
    if args.format == "github":
        from versync._output.github import github_annotations

        for line in github_annotations(findings):
            print(line)
    else:
        from versync._output.text import print_findings

        print_findings(
            packages, findings, sys.stdout, notes if args.verbose else (), ignored, args.verbose
        )
    return EXIT_FINDINGS if findings else EXIT_CLEAN


def run_list(args: argparse.Namespace) -> int:
    """Print the packages, their versions and groups."""
    workspace = scan(args.root, args.base)
    if args.format == "json":
        from versync._output.json import as_json

        print(as_json(workspace, None))
    else:
        from versync._output.text import note_lines, package_table

        print("\n".join([*package_table(workspace.packages), *note_lines(workspace.notes)]))
        for name, commit in (workspace.model.inferred or {}).items():
            print(
                f"group {name!r} inferred: its packages were released together in commit "
                f"{commit[:12]} (record it under [groups] in versync.toml to make it explicit)"
            )
    return EXIT_CLEAN
