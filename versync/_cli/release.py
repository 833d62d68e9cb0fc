"""`versync order` and `versync init`."""

from __future__ import annotations

import argparse
from typing import Any

from versync._cli.common import EXIT_CLEAN, add_root, scan

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
