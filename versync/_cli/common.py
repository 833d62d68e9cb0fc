"""What every command shares: exit codes, the listing started early, and the scan."""

from __future__ import annotations

from versync._typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from versync._fs.listing import Listing
    from versync.workspace import Workspace

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def listing(root: str | None) -> Listing:
    """Start listing the files first: git walks the tree while the rest of versync loads."""
    from versync._fs import listing as listing_module

    return listing_module.for_root(root)


def scan(root: str | None, base: str | None = None) -> Workspace:
    """The workspace at `root` (default: the git top-level of the current folder), with its
    baseline at `base` (default `HEAD`)."""
    started = listing(root)
    from versync.workspace import scan_listed

    return scan_listed(started, base=base)


def add_root(parser: argparse.ArgumentParser) -> None:
    """The `--root` option every command takes."""
    parser.add_argument(
        "--root",
        metavar="DIR",
        help="repository root (default: the git top-level of the current folder)",
    )


def add_base(parser: argparse.ArgumentParser) -> None:
    """The `--base REF` option of `check` and `fix`."""
    parser.add_argument(
        "--base",
        metavar="REF",
        help="read groups and intent from REF instead of HEAD (in CI: the target branch)",
    )
