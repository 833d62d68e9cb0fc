"""`check` answered from the last run's verdict when none of the files it read has changed.

A hook runs `check` on every commit, and most commits touch no version at all. The verdict
(`.git/versync/check-verdict`) holds the findings of the last check together with the stamp
(size, mtime, ctime, inode) of every file that check depended on: the manifests git listed and
the version files their build backends named, including the ones looked for and absent. It is
used only when the listing and every stamp are exactly as they were, so it can never differ
from a fresh check; otherwise the repository is scanned (with the per-file scan cache) and a
new verdict stored. Files changed in the last two seconds keep a verdict from being stored,
as in the scan cache. This module imports no parser, so a hit costs a listing and a stat per
file.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, NamedTuple

from versync._fs import cache
from versync._fs.reading import Stamp, followed_file_stamp, listed_file_stamps
from versync.formats import manifest_names

if TYPE_CHECKING:
    from versync._fs.listing import Listing
    from versync.records import Finding, Note

Inputs = dict[str, Stamp | None]


class CheckResult(NamedTuple):
    """What `check` reports: the packages' names, in model order, the findings and the notes."""

    packages: tuple[str, ...]
    findings: list[Finding]
    notes: tuple[Note, ...] = ()


class _Verdict(NamedTuple):
    listed: dict[str, Stamp]  # every listed path that was a regular file
    extras: Inputs  # other files the scan read, None for those it found absent
    result: CheckResult


def check_listed(listing: Listing) -> CheckResult:
    """The findings of `scan_listed(listing).check()`, reusing the last verdict when valid."""
    now = time.time_ns()
    folder = cache.cache_dir(listing.root)
    path = None if folder is None else os.path.join(folder, "check-verdict")
    root = os.path.abspath(listing.root)
    stored = None if path is None else cache.load(path, root)  # while git is still listing
    listed = listed_file_stamps(listing.root, listing.paths(manifest_names()))
    if isinstance(stored, _Verdict) and _still_valid(stored, listing.root, listed):
        return stored.result
    from versync.workspace import scan_listed

    workspace = scan_listed(listing, listed)
    result = CheckResult(
        tuple(p.name for p in workspace.packages), workspace.check(), tuple(workspace.notes)
    )
    verdict = _Verdict(listed, workspace.extras, result)
    if (
        path is not None
        and not workspace.depends_on_more_than_files
        and not _any_racy(verdict, now)
    ):
        cache.store(path, root, verdict)
    return result


def _still_valid(verdict: _Verdict, root: str, listed: dict[str, Stamp]) -> bool:
    return verdict.listed == listed and all(
        followed_file_stamp(os.path.join(root, path)) == was for path, was in verdict.extras.items()
    )


def _any_racy(verdict: _Verdict, now: int) -> bool:
    stamps = [*verdict.listed.values(), *verdict.extras.values()]
    return any(cache.is_racy(current, now) for current in stamps if current is not None)
