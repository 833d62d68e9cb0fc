"""What every command shares: exit codes, the listing started early, and the scan."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from versync._fs.listing import Listing
    from versync.workspace import Workspace

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def listing(root: str | None) -> Listing:
    """Start listing the files first: git walks the tree while the rest of versync loads."""
    from versync._fs import listing as listing_module

    top = root if root is not None else listing_module.find_root(os.getcwd())
    return listing_module.Listing(top)


def scan(root: str | None) -> Workspace:
    """The workspace at `root` (default: the git top-level of the current folder)."""
    started = listing(root)
    from versync.workspace import scan_listed

    return scan_listed(started)


def add_root(parser: argparse.ArgumentParser) -> None:
    """The `--root` option every command takes."""
    parser.add_argument(
        "--root",
        metavar="DIR",
        help="repository root (default: the git top-level of the current folder)",
    )
