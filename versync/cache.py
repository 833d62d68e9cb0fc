"""The scan cache: parsed records of the files that did not change since the last run.

It lives in the git directory (`.git/versync/scan-cache`), so it is never committed and goes
away with the clone. An entry is used only when the file's size, modification and change times
and inode all match; `VERSYNC_NO_CACHE=1` turns the cache off. The change time (ctime) cannot be
set back by tools, so an edit that keeps size and mtime is still seen. Files changed within the
last few seconds are not stored, as git does with its index: a second edit in the same clock
tick could otherwise keep the same times.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from typing import Any

Stamp = tuple[int, int, int, int]
_RACY_NS = 2_000_000_000


def stamp(full_path: str) -> Stamp:
    info = os.stat(full_path)
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def regular_file_stamp(full_path: str) -> Stamp | None:
    """The stamp of a regular file; None for a symlink or a file that is gone."""
    try:
        info = os.lstat(full_path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


class ScanCache:
    def __init__(self, path: str | None, root: str) -> None:
        self.path = path
        self.root = root
        self.entries: dict[str, tuple[Stamp, Any]] = {}
        self.changed = False
        self.now = time.time_ns()
        if path is not None:
            self.entries = _load(path, root)

    @classmethod
    def for_root(cls, root: str) -> ScanCache:
        disabled = os.environ.get("VERSYNC_NO_CACHE", "") not in ("", "0")
        return cls(None if disabled else _cache_file(root), os.path.abspath(root))

    def get(self, path: str, current: Stamp) -> Any:
        entry = self.entries.get(path)
        return entry[1] if entry is not None and entry[0] == current else None

    def put(self, path: str, current: Stamp, record: Any) -> None:
        if self.path is None or max(current[1], current[2]) > self.now - _RACY_NS:
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
        import pickle

        with contextlib.suppress(OSError):  # the cache is an optimisation, never a failure
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            temporary = f"{self.path}.{os.getpid()}"
            with open(temporary, "wb") as handle:
                pickle.dump((_format(), self.root, self.entries), handle, pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)


def _load(path: str, root: str) -> dict[str, tuple[Stamp, Any]]:
    try:
        with open(path, "rb") as handle:
            import pickle

            form, cached_root, entries = pickle.load(handle)
    except Exception:  # missing, unreadable or from another version: start afresh
        return {}
    valid = form == _format() and cached_root == root and isinstance(entries, dict)
    return entries if valid else {}


def _cache_file(root: str) -> str | None:
    from versync.discovery import work_tree

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
    return os.path.join(dot_git, "versync", "scan-cache")


def _format() -> str:
    from versync import __version__

    return f"versync-scan-cache-1/{__version__}"
