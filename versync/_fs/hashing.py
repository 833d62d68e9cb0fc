"""The blob ids of the bytes files hold now, hashed by `git hash-object --no-filters`.

After a checkout or a reset rewrote many files, the caches recognise their content by blob
id: git hashes the files in the background (on another core) while versync goes on. The ids
are those of the bytes on disk, not of what git's filters would store (`core.autocrlf`, an
`eol` attribute or a clean filter make the staged blob differ from the file's bytes), so a
parse found by one is a parse of the file's current bytes. Only SHA-1 ids are taken, the ids
`versync._fs.reading.blob_id` computes; in a SHA-256 repository the caller hashes itself.

Paths go to git as arguments, in batches that fit a command line, and git runs in the
folder they are relative to. A batch git fails on (a file deleted meanwhile) gives no ids:
the caller hashes those files itself.
"""

from __future__ import annotations

import os

from versync._fs.git import Git

# Characters of paths per `git hash-object`: Windows allows 32,767 on a command line, quotes
# and the root's path included; elsewhere `ARG_MAX` is 1 MiB or more, shared with the
# environment, and a character takes up to 4 bytes. A batch git cannot start is hashed by
# the caller.
_BATCH_CHARS = 24_000 if os.name == "nt" else 128_000
_SHA1_HEX = 40


class Hashing:
    """`git hash-object --no-filters` of `paths` (relative to `root`), started now; `blobs`
    waits for git's answer."""

    def __init__(self, root: str, paths: list[str]) -> None:
        self.paths = frozenset(paths)  # what git was asked to hash
        self._batches = [(batch, _start(root, batch)) for batch in _batches(paths)]
        self._blobs: dict[str, str] | None = None

    def blobs(self) -> dict[str, str]:
        """The blob id of each path git hashed (a path of a batch git failed on, or in a
        repository of another hash, is left out)."""
        if self._blobs is None:
            self._blobs = {}
            for batch, started in self._batches:
                self._blobs.update(_answer(batch, started))
        return self._blobs


def _batches(paths: list[str]) -> list[list[str]]:
    batches: list[list[str]] = []
    size = _BATCH_CHARS
    for path in paths:
        if size + len(path) + 1 > _BATCH_CHARS:
            batches.append([])
            size = 0
        batches[-1].append(path)
        size += len(path) + 1
    return batches


def _start(root: str, batch: list[str]) -> Git | None:
    try:
        return Git(root, "hash-object", "--no-filters", "--", *batch)
    except OSError:
        return None


def _answer(batch: list[str], started: Git | None) -> dict[str, str]:
    output = None if started is None else started.output()
    ids = [] if output is None else output.split()
    if len(ids) != len(batch) or any(len(blob) != _SHA1_HEX for blob in ids):
        return {}
    return dict(zip(batch, ids, strict=True))
