"""`versync order`, `versync init`, and the release options of `check`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from versync._cli.common import EXIT_CLEAN, add_root, scan

if TYPE_CHECKING:
    from versync.records import Finding
    from versync.workspace import Workspace

ORDER_HELP = """\
Print the order to publish packages in: layers, layer 1 first, each package after every
package of the repository it needs on the index. Runtime requirements (PEP 621 and Poetry
dependencies), [build-system] requires, Cargo [dependencies] and [build-dependencies] (by path,
version or workspace), and the crate a maturin package builds count. Optional dependencies
(extras), [dev-dependencies] and dependency groups do not: an extra often points back at a
package that depends on the one offering it (ryeos[web] -> ryeos-web -> ryeos). Packages that
are not published (virtual projects, publish = false, Private :: Do Not Upload) are left out.
A dependency cycle exits 2 and names its packages."""


def add_commands(commands: Any) -> None:
    """Add `order` to the subcommands."""
    order = commands.add_parser(
        "order",
        help="print the publish order of the packages",
        description=ORDER_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_root(order)
    order.add_argument(
        "--format",
        choices=("text", "json", "github", "mermaid"),
        default="text",
        help="text (one line per layer), json, github (a strategy.matrix for fromJSON), "
        "mermaid (a flowchart)",
    )
    order.add_argument(
        "--json", dest="format", action="store_const", const="json", help="same as --format json"
    )
    scope = order.add_mutually_exclusive_group()
    scope.add_argument(
        "--group", metavar="NAME", help="only this group (its dependencies count as published)"
    )
    scope.add_argument("--package", metavar="NAME", help="only this package")
    order.set_defaults(run=run_order)

    init = commands.add_parser("init", help="write the groups versync sees today into versync.toml")
    add_root(init)
    init.add_argument(
        "--pyproject", action="store_true", help="write [tool.versync] into the root pyproject.toml"
    )
    init.add_argument("--force", action="store_true", help="replace groups already configured")
    init.add_argument("--dry-run", action="store_true", help="print the file, write nothing")
    init.add_argument("--json", action="store_true", help="print what was written as JSON")
    init.set_defaults(run=run_init)


def run_order(args: argparse.Namespace) -> int:
    """Print the publish order; exit 2 on a dependency cycle."""
    from versync._output import order as render

    layers = scan(args.root).order(group=args.group, package=args.package)
    if args.format == "json":
        print(render.order_json(layers))
    elif args.format == "github":
        print(render.order_github(layers))
    elif args.format == "mermaid":
        print(render.order_mermaid(layers))
    else:
        for line in render.order_text(layers):
            print(line)
    return EXIT_CLEAN


def add_check_options(check: argparse.ArgumentParser) -> None:
    """Add `--package`, `--published` (with its index options) and `--since` to `check`."""
    check.add_argument(
        "--package", metavar="NAME", help="the package --expect, --published and --since apply to"
    )
    check.add_argument(
        "--published",
        action="store_true",
        help="also report each package whose version is already on its index (PyPI, crates.io)",
    )
    check.add_argument(
        "--index-url",
        metavar="URL",
        help="PEP 691 simple index for --published (default: config index-url, else PyPI)",
    )
    check.add_argument(
        "--cargo-index-url",
        metavar="URL",
        help="Cargo sparse index for --published (default: config cargo-index-url, else crates.io)",
    )
    check.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=_seconds,
        default=10.0,
        help="how long --published waits for each answer (default: 10)",
    )
    add_since_option(check)


def add_since_option(check: argparse.ArgumentParser) -> None:
    """Add `--since` to `check`."""
    check.add_argument(
        "--since",
        metavar="REF",
        help="also report packages whose own files changed since REF (a tag or commit, or "
        "last-tag: each package's newest release tag) while their version did not",
    )


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"not a positive number of seconds: {text!r}")
    return value


def wants_release_check(args: argparse.Namespace) -> bool:
    """Whether `check` was given a release option: `--published`, `--since`, `--package`, or
    an `--expect` that is a release tag rather than a version."""
    if args.published or args.since or args.package:
        return True
    if args.expect is None:
        return False
    from versync.syntax.pep440 import parse_pep440

    bare = args.expect[1:] if args.expect[:1] in ("v", "V") else args.expect
    return parse_pep440(bare) is None


def run_release_check(args: argparse.Namespace) -> int:
    """`check` with release options: a full scan, the findings of `check` (with `--expect`
    for the group or package) and of `--published` and `--since`; exit 1 when there are any."""
    import sys

    from versync._cli.common import EXIT_FINDINGS

    workspace = scan(args.root)
    findings = workspace.check(expect=args.expect, group=args.group, package=args.package)
    findings = sorted(
        findings + release_findings(workspace, args),
        key=lambda f: (f.file, f.line, f.column, f.code),
    )
    if args.format == "json":
        from versync._output.json import as_json

        print(as_json(workspace, findings))
    elif args.format == "github":
        from versync._output.github import github_annotations

        for line in github_annotations(findings):
            print(line)
    else:
        from versync._output.text import print_findings

        packages = tuple(p.name for p in workspace.packages)
        notes = tuple(workspace.notes) if args.verbose else ()
        print_findings(packages, findings, sys.stdout, notes)
    return EXIT_FINDINGS if findings else EXIT_CLEAN


def release_findings(workspace: Workspace, args: argparse.Namespace) -> list[Finding]:
    """The findings of `check --published` and `check --since`."""
    findings: list[Finding] = []
    if args.published:
        findings += workspace.published(
            group=args.group,
            package=args.package,
            index_url=args.index_url,
            cargo_index_url=args.cargo_index_url,
            timeout=args.timeout,
        )
    if args.since:
        findings += workspace.unreleased(since=args.since, group=args.group, package=args.package)
    return findings


def add_bump_options(bump: argparse.ArgumentParser) -> None:
    """Add `--commit` and `--tag` to `bump`."""
    bump.add_argument(
        "--commit",
        action="store_true",
        help="commit exactly the files the bump changes (message from commit-message)",
    )
    bump.add_argument(
        "--tag",
        action="store_true",
        help="also make an annotated tag on that commit (implies --commit; name from tag)",
    )


_BUMP_FLAGS = ("allow_downgrade", "allow_drift")  # the bump options a release passes on


def run_release(args: argparse.Namespace) -> int:
    """`bump --commit/--tag`: refuse before writing, write, commit, tag. Exit 0 when all was
    done, 1 when git refused the commit (the files stay written)."""
    import sys

    from versync._cli.common import EXIT_FINDINGS
    from versync._output.release import release_json

    release = scan(args.root).release(
        args.version,
        tag=args.tag,
        pre=args.pre,
        group=args.group,
        package=args.package,
        **{flag: getattr(args, flag) for flag in _BUMP_FLAGS if hasattr(args, flag)},
    )
    as_json = args.format == "json"
    if args.dry_run:
        if as_json:
            print(release_json(release, None))
        else:
            sys.stdout.write(release.plan.diff())
            print(f"would commit: {release.message}")
            if release.tag:
                print(f"would tag: {release.tag}")
        return EXIT_CLEAN
    outcome = release.apply()
    if as_json:
        print(release_json(release, outcome))
    else:
        for path in outcome.files:
            print(path)
        if outcome.output.strip():
            print(outcome.output.rstrip(), file=sys.stderr if outcome.refused else sys.stdout)
        if outcome.tag:
            print(f"tagged {outcome.tag}")
    for note in release.plan.notes:
        print(note, file=sys.stderr)
    if outcome.refused and outcome.commit is None and outcome.files:
        print(
            "versync: git refused the commit; the bumped files are written but not committed: "
            "fix what git says, then commit them",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    if outcome.refused:
        print(f"versync: git refused the tag {release.tag}; make it by hand", file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_CLEAN


def run_init(args: argparse.Namespace) -> int:
    """Write (or with --dry-run, print) the configuration; exit 0."""
    import json

    written = scan(args.root).init(pyproject=args.pyproject, force=args.force)
    if not args.dry_run:
        written.apply()
    if args.json:
        document = {
            "path": written.path,
            "written": not args.dry_run,
            "groups": written.groups,
            "exclude": written.exclude,
        }
        print(json.dumps(document, indent=2))
    elif args.dry_run:
        print(written.text, end="")
    else:
        groups = ", ".join(f"{name} ({len(m)})" for name, m in written.groups.items())
        print(f"{written.path}: groups {groups or 'none'}")
    return EXIT_CLEAN
