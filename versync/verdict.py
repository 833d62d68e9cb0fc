"""`check` answered from the last run's verdict when none of the files it read has changed.

A hook runs `check` on every commit, and most commits touch no version at all. The verdict
(`.git/versync/check-verdict.json`) holds the findings of the last check together with, for
every file that check depended on (the manifests git listed and the version files their build
backends named, including the ones looked for and absent), its stamp (size, mtime, ctime,
inode) and the blob id of its bytes. It is used only when the listing is the same and every
file is proved to hold the same bytes: by an unchanged stamp, else by the blob id of its
bytes (hashed by git, on another core, when many files were rewritten by a branch switch or
a reset), so it can never differ from a fresh check; otherwise the repository is scanned
(with the per-file scan cache) and a new verdict stored. A stamp from
the last two seconds is not stored, as in the scan cache: that file is proved by its bytes.
The verdicts of the last four states checked are kept, so that switching back and forth
between branches is answered from them (a miss costs a load and a comparison of stamps). A
verdict also names the commit `HEAD` was at: groups inferred from history and the intent of
an edit are read against it, so a commit that leaves every file as it was still gets a fresh
check. A verdict is not stored when the result depends on more than files and `HEAD` (git
tags, a `[[files]]` glob a new file may match). A bump interrupted before it finished is
reported from its journal, never from a verdict. This module imports no parser, so a hit
costs a listing and a stat per file.
"""

from __future__ import annotations

import contextlib
import os
import time

from versync._fs import cache
from versync._fs.cache import stamp_of as _stamp
from versync._fs.head import head_in
from versync._fs.lock import journal_present, state_dir
from versync._fs.reading import (
    FEW_TO_HASH,
    MAX_FILE_SIZE,
    Stamp,
    blob_id,
    followed_file_stamp,
    listed_file_stamps,
)
from versync._typing import TYPE_CHECKING, NamedTuple
from versync.formats import manifest_names
from versync.records import Finding, Note

if TYPE_CHECKING:
    from versync._fs.hashing import Hashing
    from versync._fs.listing import Listing

# A file's stamp (None when too recent to prove anything) and the blob id of its bytes.
Proof = tuple[Stamp | None, str]
_KEYS = {"listed", "extras", "packages", "findings", "notes", "ignored", "head", "names"}


class CheckResult(NamedTuple):
    """What `check` reports: the packages' names, in model order, the findings and the notes."""

    packages: tuple[str, ...]
    findings: list[Finding]
    notes: tuple[Note, ...] = ()
    ignored: tuple[Finding, ...] = ()  # left out by an `ignore` entry or comment


class _Verdict(NamedTuple):
    listed: dict[str, Proof]  # every listed path that was a regular file
    extras: dict[str, Proof | None]  # other files the scan read, None for those it found absent
    result: CheckResult
    head: str | None  # the commit HEAD was at (see `head_commit`)
    names: tuple[str, ...]  # the file names listed (`manifest_names` of the build that stored it)


def check_listed(listing: Listing) -> CheckResult:
    """The findings of `scan_listed(listing).check()`, reusing the last verdict when valid.

    The verdicts of the last four states checked are kept (`check-verdict.json`, then
    `check-verdict-1.json`...), so switching between branches is answered from them."""
    folder = cache.cache_dir(listing.root)
    root = os.path.abspath(listing.root)
    paths = [] if folder is None else [os.path.join(folder, name) for name in _VERDICT_FILES]
    head = head_commit(None if folder is None else os.path.dirname(folder))
    # Each verdict is stored under the commit HEAD was at: those of others are not decoded.
    first, stored = _newest_at(head, paths, root)  # while git is listing
    # A verdict is loaded only by the build that stored it, so its file names are this build's:
    # the format modules are imported when there is something to scan, not to answer.
    names = frozenset(stored.names) if stored is not None else manifest_names()
    # While git lists the files, stat the ones the verdict was made from: most are listed again.
    early = listed_file_stamps(listing.root, list(stored.listed)) if stored is not None else {}
    proof = _Prover(listing)
    if stored is not None:  # files rewritten (a checkout, a reset): git hashes them meanwhile
        rewritten = [p for p, (stamp, _) in stored.listed.items() if stamp != early.get(p)]
        proof.start_hashing(rewritten, early)
    # With no verdict to prove, the scan reads the tracked files while git lists the others.
    listed = _stamps(listing.root, listing.paths(names), early) if stored is not None else None
    proof.listed = listed or {}
    unfinished = _interrupted(state_dir(listing.root, listing.git_dir))  # never stored
    for index in range(first, len(paths)):  # none when no verdict is stored at `head`
        if index > first:
            if proof.edited:
                break  # bytes no commit holds: an older state is not back (a checkout brings one)
            stored = _from_plain(cache.load(paths[index], root, head))
        proved = None if stored is None or stored.head != head else proof.of(stored)
        if stored is not None and proved is not None:
            if index:
                _promote(paths, index)
            if _stamps_learnt(proved, stored):
                # the next run needs no hashing
                cache.store(paths[0], root, _to_plain(proved), head)
            return _with(stored.result, unfinished)
    from versync.workspace import scan_listed

    now = time.time_ns()
    # A check edits nothing; what git hashes for the proof spares the scan a parse.
    workspace = scan_listed(listing, listed, keep_texts=False, hashing=proof.hashing)
    findings = [f for f in workspace.check() if f.code != "interrupted-bump"]
    result = CheckResult(
        tuple(p.name for p in workspace.packages),
        findings,
        tuple(workspace.notes),
        tuple(workspace.ignored),
    )
    # A file that could not be read has no blob id: "" is proved by its stamp alone.
    blobs = workspace.blobs
    extras: dict[str, Proof | None] = {
        p: None if s is None else (s, blobs.get(p, "")) for p, s in workspace.extras.items()
    }
    listed_proofs: dict[str, Proof] = {
        p: (s, blobs.get(p, "")) for p, s in workspace.listed.items()
    }
    verdict = _Verdict(listed_proofs, extras, result, head, tuple(sorted(names)))
    if paths and not workspace.depends_on_more_than_files:
        _promote(paths, len(paths) - 1)  # the oldest is dropped: the new one replaces it
        cache.store(paths[0], root, _to_plain(_without_racy_stamps(verdict, now)), head)
    return _with(result, unfinished)


def _newest_at(head: str | None, paths: list[str], root: str) -> tuple[int, _Verdict | None]:
    """The most recent of the verdicts at `paths` stored at `head`, and its place."""
    for index, path in enumerate(paths):
        stored = _from_plain(cache.load(path, root, head))
        if stored is not None:
            return index, stored
    return len(paths), None


def _stamps(root: str, paths: list[str], early: dict[str, Stamp]) -> dict[str, Stamp]:
    """`listed_file_stamps` of `paths`, taking the stamps in `early` (taken moments before)
    and stamping the rest now."""
    rest = listed_file_stamps(root, [path for path in paths if path not in early])
    stamps = {path: early.get(path) or rest.get(path) for path in paths}
    return {path: stamp for path, stamp in stamps.items() if stamp is not None}


def _interrupted(folder: str) -> list[Finding]:
    """The findings of a journal in the state folder (its module imported only if one is
    there: a healthy run has none)."""
    if not journal_present(folder):
        return []
    from versync._fs.journal import interrupted

    return interrupted(folder)


def _with(result: CheckResult, unfinished: list[Finding]) -> CheckResult:
    """The result with the findings of an interrupted bump's journal, if there is one."""
    if not unfinished:
        return result
    return result._replace(findings=[*result.findings, *unfinished])


def head_commit(git_dir: str | None) -> str | None:
    """The commit `HEAD` is at, read from the git directory without starting git (see
    `versync._fs.head.head_in`); None outside git or for a branch with no commit yet."""
    return None if git_dir is None else head_in(git_dir)


# The verdicts of the last states checked, most recent first: two branches, and an edit on each.
_VERDICT_FILES = tuple(
    "check-verdict.json" if n == 0 else f"check-verdict-{n}.json" for n in range(4)
)


def _promote(paths: list[str], index: int) -> None:
    """The verdict at `paths[index]` becomes the first; those before it move down one place
    (with `index` the last place, a new verdict is about to be written first)."""
    with contextlib.suppress(OSError):
        moving = paths[index] + ".moving"
        if os.path.exists(paths[index]):
            os.replace(paths[index], moving)
        for place in range(index, 0, -1):
            if os.path.exists(paths[place - 1]):
                os.replace(paths[place - 1], paths[place])
        if os.path.exists(moving):
            os.replace(moving, paths[0])


class _Prover:
    """Proves verdicts against the files as they are now, hashing rewritten files once (in
    git, on another core, when there are many)."""

    def __init__(self, listing: Listing) -> None:
        self.listing = listing
        self.listed: dict[str, Stamp] = {}  # the stamps of the listed files, once git listed them
        self.now = time.time_ns()
        self.hashing: Hashing | None = None  # git's, once asked (at most once; a scan reuses it)
        self.edited = False  # a file differs from the verdict and from git's index

    def start_hashing(self, paths: list[str], stamps: dict[str, Stamp]) -> None:
        """Have git hash those of `paths` that `stamps` says are regular files a scan would
        read, unless git was asked already or there are few enough to hash here."""
        if self.hashing is not None:
            return
        hashable = [p for p in paths if p in stamps and stamps[p][0] <= MAX_FILE_SIZE]
        if len(hashable) > FEW_TO_HASH:
            from versync._fs.hashing import Hashing  # not on the warm path: nothing changed there

            self.hashing = Hashing(self.listing.root, hashable)

    def blob(self, path: str) -> str | None:
        """The blob id of the bytes `path` holds now: git's, when git was asked to hash it."""
        hashed = {} if self.hashing is None else self.hashing.blobs()
        return hashed.get(path) or _hashed(self.listing.root, path)

    def of(self, verdict: _Verdict) -> _Verdict | None:
        """`verdict` with the current stamps when every file it depends on still holds the
        bytes it was made from, else None."""
        listed, root, now = self.listed, self.listing.root, self.now
        if verdict.listed.keys() != listed.keys():
            return None
        changed = [p for p, (stamp, _) in verdict.listed.items() if stamp != listed[p]]
        self.start_hashing(changed, listed)
        proofs: dict[str, Proof] = dict(verdict.listed)
        for path in changed:
            blob = self.blob(path)
            if blob != verdict.listed[path][1]:
                self.edited = self.edited or blob != self.listing.blobs.get(path)
                return None
            proofs[path] = (_unless_racy(listed[path], now), blob)
        extras: dict[str, Proof | None] = {}
        for path, was in verdict.extras.items():
            current = followed_file_stamp(os.path.join(root, path))
            if (current is None) != (was is None):
                return None
            if current is None or was is None:
                extras[path] = None
            elif current == was[0]:
                extras[path] = was
            elif _hashed(root, path) == was[1]:
                extras[path] = (_unless_racy(current, now), was[1])
            else:
                return None
        return verdict._replace(listed=proofs, extras=extras)


def _stamps_learnt(proved: _Verdict, stored: _Verdict) -> bool:
    """Whether `proved` holds a stamp `stored` lacks, one a later run can prove a file by.
    A stamp too recent to prove anything (None: the file was just rewritten by a checkout or
    a reset) is not worth writing the verdict for: the next run proves that file by its
    bytes either way."""

    def learnt(now: dict[str, Proof], before: dict[str, Proof]) -> bool:
        return any(new[0] is not None and new != before.get(path) for path, new in now.items())

    extras = {path: proof for path, proof in proved.extras.items() if proof is not None}
    before = {path: proof for path, proof in stored.extras.items() if proof is not None}
    return learnt(proved.listed, stored.listed) or learnt(extras, before)


def _hashed(root: str, path: str) -> str | None:
    """The blob id of the file's bytes, None when it cannot be read or is larger than a scan
    reads by default (such a file is left to the scan, which refuses it by its size)."""
    try:
        with open(os.path.join(root, path), "rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_FILE_SIZE:
                return None
            return blob_id(handle.read())
    except OSError:
        return None


def _unless_racy(stamp: Stamp, now: int) -> Stamp | None:
    return None if cache.is_racy(stamp, now) else stamp


def _without_racy_stamps(verdict: _Verdict, now: int) -> _Verdict:
    """A stamp from the last moments proves nothing (a second edit in the same clock tick could
    keep it): such files are proved by their blob id next time."""

    def proof(value: Proof) -> Proof:
        stamp = value[0]
        return (None if stamp is None else _unless_racy(stamp, now), value[1])

    listed = {p: proof(v) for p, v in verdict.listed.items()}
    extras = {p: None if v is None else proof(v) for p, v in verdict.extras.items()}
    return verdict._replace(listed=listed, extras=extras)


def _to_plain(verdict: _Verdict) -> dict[str, object]:
    return {
        "listed": {path: _plain_proof(proof) for path, proof in verdict.listed.items()},
        "extras": {p: None if v is None else _plain_proof(v) for p, v in verdict.extras.items()},
        "packages": list(verdict.result.packages),
        "findings": verdict.result.findings,
        "notes": list(verdict.result.notes),
        "ignored": list(verdict.result.ignored),
        "head": verdict.head,
        "names": list(verdict.names),
    }


def _plain_proof(proof: Proof) -> list[object]:
    return [None if proof[0] is None else list(proof[0]), proof[1]]


def _proof(value: object) -> Proof | None:
    """A stored proof (`[stamp or null, blob id]`), else None."""
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[1], str)):
        return None
    stamp = _stamp(value[0])
    if stamp is None and value[0] is not None:
        return None
    return (stamp, value[1])


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
        and (stored["head"] is None or isinstance(stored["head"], str))
        and isinstance(stored["names"], list)
        and stored["names"]
        and all(isinstance(name, str) for name in stored["names"])
    ):
        return None
    listed = {path: _proof(value) for path, value in stored["listed"].items()}
    extras = {path: _proof(value) for path, value in stored["extras"].items()}
    if None in listed.values() or any(
        proof is None and raw is not None
        for proof, raw in zip(extras.values(), stored["extras"].values(), strict=True)
    ):
        return None
    findings, notes, ignored = stored["findings"], stored["notes"], stored["ignored"]
    if not all(isinstance(f, Finding) for f in [*findings, *ignored]) or not all(
        isinstance(n, Note) for n in notes
    ):
        return None
    result = CheckResult(tuple(stored["packages"]), findings, tuple(notes), tuple(ignored))
    proved = {p: v for p, v in listed.items() if v is not None}
    return _Verdict(proved, extras, result, stored["head"], tuple(stored["names"]))
