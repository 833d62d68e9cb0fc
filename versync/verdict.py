"""`check` answered from the last run's verdict when none of the files it read has changed.

A hook runs `check` on every commit, and most commits touch no version at all. The verdict
(`.git/versync/check-verdict.json`) holds the findings of the last check together with the stamp
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
from versync._fs.cache import stamp_of as _stamp
from versync._fs.journal import interrupted
from versync._fs.lock import state_dir
from versync._fs.reading import Stamp, followed_file_stamp, listed_file_stamps
from versync.formats import manifest_names
from versync.records import Finding, Note

if TYPE_CHECKING:
    from versync._fs.listing import Listing

Inputs = dict[str, Stamp | None]
_KEYS = {"listed", "extras", "packages", "findings", "notes", "ignored", "git"}


class CheckResult(NamedTuple):
    """What `check` reports: the packages' names, in model order, the findings and the notes."""

    packages: tuple[str, ...]
    findings: list[Finding]
    notes: tuple[Note, ...] = ()
    ignored: tuple[Finding, ...] = ()  # left out by an `ignore` entry or comment


class _Verdict(NamedTuple):
    listed: dict[str, Stamp]  # every listed path that was a regular file
    extras: Inputs  # other files the scan read, None for those it found absent
    result: CheckResult
    git: list[object]  # HEAD, the branch it names and the index (see `git_state`)


def check_listed(listing: Listing) -> CheckResult:
    """The findings of `scan_listed(listing).check()`, reusing the last verdict when valid."""
    now = time.time_ns()
    folder = cache.cache_dir(listing.root)
    path = None if folder is None else os.path.join(folder, "check-verdict.json")
    root = os.path.abspath(listing.root)
    stored = None if path is None else _from_plain(cache.load(path, root))  # git is listing
    listed = listed_file_stamps(listing.root, listing.paths(manifest_names()))
    state = git_state(folder)
    unfinished = interrupted(state_dir(listing.root, listing.git_dir))  # never cached
    if stored is not None and stored.git == state and _still_valid(stored, listing.root, listed):
        return _with(stored.result, unfinished)
    from versync.workspace import scan_listed

    workspace = scan_listed(listing, listed)
    findings = [f for f in workspace.check() if f.code != "interrupted-bump"]
    result = CheckResult(
        tuple(p.name for p in workspace.packages),
        findings,
        tuple(workspace.notes),
        tuple(workspace.ignored),
    )
    verdict = _Verdict(listed, workspace.extras, result, state)
    if (
        path is not None
        and not workspace.depends_on_more_than_files
        and not _any_racy(verdict, now)
    ):
        cache.store(path, root, _to_plain(verdict))
    return _with(result, unfinished)


def _with(result: CheckResult, unfinished: list[Finding]) -> CheckResult:
    if not unfinished:
        return result
    return result._replace(findings=[*result.findings, *unfinished])


def _to_plain(verdict: _Verdict) -> dict[str, object]:
    return {
        "listed": {path: list(stamp) for path, stamp in verdict.listed.items()},
        "extras": {p: None if s is None else list(s) for p, s in verdict.extras.items()},
        "packages": list(verdict.result.packages),
        "findings": verdict.result.findings,
        "notes": list(verdict.result.notes),
        "ignored": list(verdict.result.ignored),
        "git": verdict.git,
    }


def _from_plain(stored: object) -> _Verdict | None:
    """The verdict `_to_plain` stored, or None when `stored` is not one."""
    if not isinstance(stored, dict) or set(stored) != _KEYS:
        return None
    if not (
        isinstance(stored["listed"], dict)
        and isinstance(stored["extras"], dict)
        and isinstance(stored["packages"], list)
        and all(isinstance(name, str) for name in stored["packages"])
        and isinstance(stored["findings"], list)
        and isinstance(stored["notes"], list)
        and isinstance(stored["ignored"], list)
        and isinstance(stored["git"], list)
    ):
        return None
    listed = {path: _stamp(value) for path, value in stored["listed"].items()}
    extras = {path: _stamp(value) for path, value in stored["extras"].items()}
    if None in listed.values() or any(
        stamp is None and raw is not None
        for stamp, raw in zip(extras.values(), stored["extras"].values(), strict=True)
    ):
        return None
    findings, notes, ignored = stored["findings"], stored["notes"], stored["ignored"]
    if not all(isinstance(f, Finding) for f in [*findings, *ignored]) or not all(
        isinstance(n, Note) for n in notes
    ):
        return None
    result = CheckResult(tuple(stored["packages"]), findings, tuple(notes), tuple(ignored))
    listed_stamps = {p: s for p, s in listed.items() if s is not None}
    return _Verdict(listed_stamps, extras, result, stored["git"])


def git_state(cache_folder: str | None) -> list[object]:
    """What a check depends on besides the files: `HEAD` (the inferred groups and the
    baseline of intent), the branch file or packed ref it names, and the index (the build of
    versync is in the cache's header). A commit or a checkout that leaves every file as it
    was still changes one of them. As plain values, to be stored as they are."""
    if cache_folder is None:
        return []
    git_dir = os.path.dirname(cache_folder)
    common = git_dir
    try:
        with open(os.path.join(git_dir, "commondir"), encoding="utf-8") as handle:
            common = os.path.join(git_dir, handle.read().strip())
    except OSError:
        pass
    try:
        with open(os.path.join(git_dir, "HEAD"), encoding="utf-8") as handle:
            head = handle.read().strip()
    except OSError:
        head = ""
    ref = head.removeprefix("ref: ") if head.startswith("ref: ") else None
    paths = [os.path.join(git_dir, "index"), os.path.join(common, "packed-refs")]
    if ref is not None:
        paths += [os.path.join(git_dir, ref), os.path.join(common, ref)]
    stamps = [followed_file_stamp(path) for path in paths]
    return [head, *(None if stamp is None else list(stamp) for stamp in stamps)]


def _still_valid(verdict: _Verdict, root: str, listed: dict[str, Stamp]) -> bool:
    return verdict.listed == listed and all(
        followed_file_stamp(os.path.join(root, path)) == was for path, was in verdict.extras.items()
    )


def _any_racy(verdict: _Verdict, now: int) -> bool:
    stamps = [*verdict.listed.values(), *verdict.extras.values()]
    return any(cache.is_racy(current, now) for current in stamps if current is not None)
