"""The scan cache: parsed records of the files that did not change since the last run.

It lives in the git directory (`.git/versync/scan-cache`), so it is never committed and goes
away with the clone. An entry is used only when the file's size, modification and change times
and inode all match; `VERSYNC_NO_CACHE=1` turns the cache off. The change time (ctime) cannot be
set back by tools, so an edit that keeps size and mtime is still seen. Files changed within the
last few seconds are not stored, as git does with its index: a second edit in the same clock
tick could otherwise keep the same times. `store`, `load` and `cache_dir` are shared with the
check verdict (`versync.verdict`), which lives beside it.
"""

from __future__ import annotations

import contextlib
import os
import time
from typing import Any

from versync._fs.reading import Stamp

_RACY_NS = 2_000_000_000


class ScanCache:
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
        folder = cache_dir(root)
        return cls(None if folder is None else os.path.join(folder, "scan-cache"), root)

    def get(self, path: str, current: Stamp) -> Any:
        entry = self.entries.get(path)
        return entry[1] if entry is not None and entry[0] == current else None

    def put(self, path: str, current: Stamp, record: Any) -> None:
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
        store(self.path, self.root, self.entries)


def is_racy(current: Stamp, now: int) -> bool:
    """Changed so recently that a second change in the same clock tick could keep its times."""
    return max(current[1], current[2]) > now - _RACY_NS


def store(path: str, root: str, content: object) -> None:
    import pickle

    with contextlib.suppress(OSError):  # a cache is an optimisation, never a failure
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = f"{path}.{os.getpid()}"
        with open(temporary, "wb") as handle:
            pickle.dump((_format(), root, content), handle, pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)


def load(path: str, root: str) -> Any:
    """What `store` wrote for this root and this versync version, else None."""
    try:
        with open(path, "rb") as handle:
            import pickle

            form, cached_root, content = pickle.load(handle)
    except Exception:  # missing, unreadable or from another version: start afresh
        return None
    return content if form == _format() and cached_root == root else None


def _load(path: str, root: str) -> dict[str, tuple[Stamp, Any]]:
    entries = load(path, root)
    return entries if isinstance(entries, dict) else {}


def cache_dir(root: str) -> str | None:
    """`versync/` in the git directory of the work tree holding `root`; None outside git or
    when `VERSYNC_NO_CACHE` is set."""
    if os.environ.get("VERSYNC_NO_CACHE", "") not in ("", "0"):
        return None
    from versync._fs.git import git_dir_of

    dot_git = git_dir_of(root)  # git's answer, never the first `.git` going up
    if dot_git is None:
        return None
    return os.path.join(dot_git, "versync")


def _format() -> str:
    from versync.__about__ import __version__

    return f"versync-scan-cache-1/{__version__}"
