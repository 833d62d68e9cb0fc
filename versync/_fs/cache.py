"""The scan cache: parsed records of the files that did not change since the last run.

It lives in the git directory (`.git/versync/scan-cache.json`), so it is never committed and
goes away with the clone. Its values are JSON of plain values and registered records (see
`versync._fs.plain`, never pickle); its first line names the build of versync that wrote it
and checksums the rest, so a foreign, torn or altered cache is ignored and rewritten. An entry
is used only when the file's size, modification and change times and inode all match;
`VERSYNC_NO_CACHE=1` turns the cache off. The change time (ctime) cannot be set back by
tools, so an edit that keeps size and mtime is still seen. Files changed within the last few
seconds are not stored, as git does with its index: a second edit in the same clock tick
could otherwise keep the same times. `store`, `load` and `cache_dir` are shared with the
check verdict (`versync.verdict`), which lives beside it.
"""

from __future__ import annotations

import contextlib
import os
import time
from typing import Any

from versync._fs.reading import Stamp

_RACY_NS = 2_000_000_000
_FORMAT = "versync-cache-2"
_MAX_CACHE_BYTES = 1 << 30


class ScanCache:
    """The records of the files a previous scan read, by path, with the stamps they had."""

    def __init__(self, path: str | None, root: str) -> None:
        self.path = path
        self.root = os.path.abspath(root)
        self.entries: dict[str, tuple[Stamp, Any]] = {}
        self.changed = False
        self.now = time.time_ns()
        if path is not None:
            self.entries = _load(path, self.root)

    @classmethod
    def for_root(cls, root: str) -> ScanCache:
        """The cache of the repository at `root` (an empty one outside git)."""
        folder = cache_dir(root)
        return cls(None if folder is None else os.path.join(folder, "scan-cache.json"), root)

    def get(self, path: str, current: Stamp) -> Any:
        """The record of `path` if it was cached with stamp `current`, else None."""
        entry = self.entries.get(path)
        return entry[1] if entry is not None and entry[0] == current else None

    def put(self, path: str, current: Stamp, record: Any) -> None:
        """Remember the record of `path`, unless its stamp is too recent to prove anything."""
        if self.path is None or is_racy(current, self.now):
            self.entries.pop(path, None)
            return
        self.entries[path] = (current, record)
        self.changed = True

    def save(self, seen: set[str]) -> None:
        """Write the entries of the files seen in this scan, if anything changed."""
        stale = set(self.entries) - seen
        if self.path is None or not (self.changed or stale):
            return
        for path in stale:
            del self.entries[path]
        store(self.path, self.root, {p: [list(s), r] for p, (s, r) in self.entries.items()})


def is_racy(current: Stamp, now: int) -> bool:
    """Changed so recently that a second change in the same clock tick could keep its times."""
    return max(current[1], current[2]) > now - _RACY_NS


def store(path: str, root: str, content: object) -> None:
    """Write `content` (plain values and cacheable records) as the cache at `path`, for
    `root` and this build of versync. A cache is an optimisation: failures are ignored."""
    from versync._fs import plain

    try:
        payload = plain.encode(content).encode("utf-8")
    except (TypeError, ValueError):
        return  # something that cannot be cached: the next run computes it again
    header = _header(root, payload)
    with contextlib.suppress(OSError):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = f"{path}.{os.getpid()}"
        with open(temporary, "wb") as handle:
            handle.write(header + b"\n" + payload)
        os.replace(temporary, path)


def load(path: str, root: str) -> Any:
    """What `store` wrote at `path` for this root and this build, else None: a missing,
    truncated, altered, foreign or malformed cache is never trusted."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(_MAX_CACHE_BYTES + 1)
    except OSError:
        return None
    header, _, payload = data.partition(b"\n")
    if len(data) > _MAX_CACHE_BYTES or header != _header(root, payload):
        return None
    from versync._fs import plain

    try:
        return plain.decode(payload)
    except ValueError:
        return None


def _header(root: str, payload: bytes) -> bytes:
    """The first line of a cache: its format, the build that wrote it, its root, and the
    size and CRC-32 of the rest. The checksum guards against a torn or altered file; an
    adversary who can write the git directory can also rewrite git's own hooks."""
    import json
    import zlib

    from versync._fs import plain

    return json.dumps(
        {
            "format": _FORMAT,
            "build": plain.fingerprint(),
            "root": root,
            "size": len(payload),
            "crc32": zlib.crc32(payload),
        },
        sort_keys=True,
    ).encode("utf-8")


def _load(path: str, root: str) -> dict[str, tuple[Stamp, Any]]:
    entries = load(path, root)
    if not isinstance(entries, dict):
        return {}
    valid: dict[str, tuple[Stamp, Any]] = {}
    for name, entry in entries.items():
        stamp = stamp_of(entry[0]) if isinstance(entry, list) and len(entry) == 2 else None
        if stamp is None:
            return {}
        valid[name] = (stamp, entry[1])
    return valid


def stamp_of(value: object) -> Stamp | None:
    """A stored stamp (a list of four integers) as a stamp, else None."""
    if isinstance(value, list) and len(value) == 4 and all(type(v) is int for v in value):
        return (value[0], value[1], value[2], value[3])
    return None


def cache_dir(root: str) -> str | None:
    """`versync/` in the git directory of the work tree holding `root`; None outside git or
    when `VERSYNC_NO_CACHE` is set."""
    if os.environ.get("VERSYNC_NO_CACHE", "") not in ("", "0"):
        return None
    from versync._fs.listing import work_tree

    top = work_tree(root)
    if top is None:
        return None
    dot_git = os.path.join(top, ".git")
    if os.path.isfile(dot_git):  # a worktree or submodule: "gitdir: <path>"
        with open(dot_git, encoding="utf-8") as handle:
            line = handle.readline().strip()
        if not line.startswith("gitdir:"):
            return None
        dot_git = os.path.join(top, line.partition(":")[2].strip())
    return os.path.join(dot_git, "versync")
