"""The command line: parse arguments, call the library, print, and map errors to exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from versync.errors import UsageError, VersyncError
from versync.verdict import CheckResult

if TYPE_CHECKING:
    from versync._fs.listing import Listing
    from versync.change.plan import Plan
    from versync.records import Finding, Package
    from versync.workspace import Workspace

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
COMMANDS = ("check", "list", "bump", "fix")


def main(argv: Sequence[str] | None = None) -> int:
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
    parser = argparse.ArgumentParser(
        prog="versync", description="Keep every version in a monorepo in step."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_own_version()}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--root",
        metavar="DIR",
        help="repository root (default: the git top-level of the current folder)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser(
        "check", parents=[common], help="report versions that disagree (the default)"
    )
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    check.add_argument(
        "--json", dest="format", action="store_const", const="json", help="same as --format json"
    )
    check.add_argument(
        "--expect",
        metavar="VERSION",
        help="also require the group's packages to be at VERSION (a leading v is accepted)",
    )
    check.add_argument("--group", metavar="NAME", help="the group --expect applies to")
    check.set_defaults(run=_run_check)

    listing = commands.add_parser(
        "list", parents=[common], help="show packages, groups and versions"
    )
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=_run_list)

    bump = commands.add_parser(
        "bump", parents=[common], help="set a new version everywhere it is written"
    )
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
    bump.set_defaults(run=_run_bump)

    fix = commands.add_parser("fix", parents=[common], help="repair every fixable finding")
    fix.add_argument("--dry-run", action="store_true", help="print the diff and write nothing")
    fix.set_defaults(run=_run_fix)
    return parser


def _listing(root: str | None) -> Listing:
    """Start listing the files first: git walks the tree while the rest of versync loads."""
    from versync._fs import listing

    return listing.Listing(root if root is not None else listing.find_root(os.getcwd()))


def _scan(root: str | None) -> Workspace:
    listing = _listing(root)
    from versync.workspace import scan_listed

    return scan_listed(listing)


def _own_version() -> str:
    from versync.__about__ import __version__

    return __version__


def _run_check(args: argparse.Namespace) -> int:
    expect = args.expect[1:] if args.expect and args.expect[:1] in ("v", "V") else args.expect
    if expect is not None:
        from versync.syntax.pep440 import parse_pep440

        if parse_pep440(expect) is None:
            raise UsageError(f"--expect {args.expect}: not a PEP 440 version")
    if args.format == "json" or expect is not None:
        workspace = _scan(args.root)
        result = CheckResult(
            tuple(p.name for p in workspace.packages),
            workspace.check(expect=expect, group=args.group),
        )
        if args.format == "json":
            from versync._output import as_json

            print(as_json(workspace, result.findings))
            return EXIT_FINDINGS if result.findings else EXIT_CLEAN
    else:
        from versync.verdict import check_listed

        result = check_listed(_listing(args.root))
    if args.format == "github":
        from versync._output import github_annotations

        for line in github_annotations(result.findings):
            print(line)
    else:
        _print_findings(result, sys.stdout)
    return EXIT_FINDINGS if result.findings else EXIT_CLEAN


def _print_findings(result: CheckResult, out: TextIO) -> None:
    colour = _Colour(out)
    if not result.packages:
        print("no packages found", file=out)
        return
    order = {name: index for index, name in enumerate(result.packages)}
    for finding in sorted(
        result.findings, key=lambda f: (order.get(f.package, len(order)), f.file, f.line)
    ):
        print(
            f"{colour.bold(finding.location())}: {finding.package}: {finding.message} "
            f"(found {finding.found}, expected {finding.expected}) "
            + colour.red(f"[{finding.code}]"),
            file=out,
        )
    print(_summary(len(result.packages), result.findings), file=out)


def _summary(packages: int, findings: list[Finding]) -> str:
    if not findings:
        return f"{packages} package{'s' if packages != 1 else ''} checked: all versions agree"
    affected = len({f.package for f in findings})
    fixable = sum(f.fixable for f in findings)
    plural = "s" if len(findings) != 1 else ""
    head = f"{len(findings)} finding{plural} in {affected} of {packages} packages"
    if fixable == len(findings):
        return f"{head}\nrepair: versync fix"
    if fixable:
        return (
            f"{head}\nrepair: versync fix ({fixable} of them); the rest need a decision: "
            "versync bump VERSION, or as each line says"
        )
    return f"{head}\nrepair: versync bump VERSION, or as each line says"


def _run_list(args: argparse.Namespace) -> int:
    workspace = _scan(args.root)
    if args.json:
        from versync._output import as_json

        print(as_json(workspace, None))
        return EXIT_CLEAN
    rows = [("PACKAGE", "VERSION", "GROUP", "BACKEND", "PATH")]
    rows += [
        (p.name, _shown_version(p), p.group or "-", p.backend, p.path) for p in workspace.packages
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return EXIT_CLEAN


def _shown_version(package: Package) -> str:
    if package.primary is not None:
        return package.primary.text
    return "unknown" if package.version_unknown else "-"


def _run_bump(args: argparse.Namespace) -> int:
    workspace = _scan(args.root)
    plan = workspace.bump(
        args.version,
        pre=args.pre,
        group=args.group,
        package=args.package,
        allow_downgrade=args.allow_downgrade,
    )
    _show_plan(plan, args.dry_run)
    return EXIT_CLEAN


def _run_fix(args: argparse.Namespace) -> int:
    plan = _scan(args.root).fix()
    _show_plan(plan, args.dry_run)
    return EXIT_FINDINGS if plan.files else EXIT_CLEAN


def _show_plan(plan: Plan, dry_run: bool) -> None:
    if dry_run:
        sys.stdout.write(plan.diff())
        return
    for path in plan.apply():
        print(path)
    for note in plan.notes:
        print(note, file=sys.stderr)


class _Colour:
    def __init__(self, out: TextIO) -> None:
        self.enabled = out.isatty() and "NO_COLOR" not in os.environ

    def _wrap(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.enabled else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def red(self, text: str) -> str:
        return self._wrap("31", text)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
