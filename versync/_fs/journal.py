"""The journal of a write in progress, beside the writer lock (see `versync._fs.lock`).

Before the first file of a plan is written, the plan is recorded: for each file, the byte
range that changes (its offset, old and new bytes) and a hash of the whole old and new
content. It is removed after the last write, or once the files written were restored. A
journal that outlives its writer tells the next run that the repository may be half-written:
`check` reports it (`interrupted-bump`) and `versync recover` completes or rolls back, each
file proven by its hash to be wholly old or wholly new first.

The journal is JSON of plain values, written to a temporary file and renamed into place, so
it is either absent or complete. Hashes are SHA-256, cut to 96 bits: they detect a file that
is neither the old nor the new content, which nobody is trying to forge.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any, NamedTuple

from versync._fs.lock import JOURNAL_NAME, journal_present, process_alive
from versync.errors import VersyncError
from versync.records import Finding

NAME = JOURNAL_NAME
_FORMAT = "versync-journal-1"


class JournalError(VersyncError):
    """A journal that cannot be read."""


class Entry(NamedTuple):
    """One file of a journaled plan: old = prefix + `old_part` + suffix, new = prefix +
    `new_part` + suffix, with the prefix `start` bytes long."""

    path: str
    start: int
    old_part: bytes
    new_part: bytes
    old_hash: str
    new_hash: str

    @classmethod
    def of(cls, path: str, old: bytes, new: bytes) -> Entry:
        """The entry of a file turning from `old` into `new`."""
        start = _common_prefix(old, new)
        end = _common_suffix(old[start:], new[start:])
        return cls(
            path, start, old[start : len(old) - end], new[start : len(new) - end], digest(old),
            digest(new),
        )  # fmt: skip

    def old_from(self, new: bytes) -> bytes:
        """The old content, given the new one."""
        return new[: self.start] + self.old_part + new[self.start + len(self.new_part) :]

    def new_from(self, old: bytes) -> bytes:
        """The new content, given the old one."""
        return old[: self.start] + self.new_part + old[self.start + len(self.old_part) :]


class Journal(NamedTuple):
    """A recorded plan: the pid of the run that wrote it and its files, in write order."""

    pid: int
    entries: list[Entry]


def digest(data: bytes) -> str:
    """The hash of a file's content the journal records."""
    return str(_sha256()(data).hexdigest()[:24])


def _sha256() -> Any:
    """SHA-256 from CPython's built-in module when it has one: `hashlib` loads OpenSSL, which
    costs a bump 2.6 ms and 4 MiB."""
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]  # CPython 3.11
    except ImportError:
        try:
            from _sha2 import sha256  # type: ignore[import-not-found]  # CPython 3.12+
        except ImportError:
            from hashlib import sha256
    return sha256


def path_in(folder: str) -> str:
    """The journal's path in versync's state folder."""
    return os.path.join(folder, NAME)


exists = journal_present


def begin(folder: str, entries: list[Entry]) -> None:
    """Record `entries` durably before the first write."""
    os.makedirs(folder, exist_ok=True)
    target = path_in(folder)
    temporary = f"{target}.{os.getpid()}"
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            with os.fdopen(os.dup(fd), "w", encoding="utf-8") as out:
                _write_json(out, entries)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _write_json(out: Any, entries: list[Entry]) -> None:
    """The journal document, an entry at a time (a plan of thousands of files is not held
    twice in memory)."""
    import json

    out.write(f'{{"f":"{_FORMAT}","pid":{os.getpid()},"files":[')
    for index, e in enumerate(entries):
        fields = [e.path, e.start, e.old_part.decode("latin-1"), e.new_part.decode("latin-1")]
        out.write(
            ("," if index else "")
            + json.dumps([*fields, e.old_hash, e.new_hash], separators=(",", ":"))
        )
    out.write("]}")


def end(folder: str) -> None:
    """Remove the journal: every file is wholly old or wholly new again."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path_in(folder))


def load(folder: str) -> Journal | None:
    """The journal in `folder`, None when there is none; `JournalError` when unreadable."""
    import json

    try:
        with open(path_in(folder), "rb") as handle:
            raw = json.loads(handle.read())
        if raw.get("f") != _FORMAT:
            raise ValueError("unknown format")
        entries = [
            Entry(str(p), int(s), o.encode("latin-1"), n.encode("latin-1"), str(ho), str(hn))
            for p, s, o, n, ho, hn in raw["files"]
        ]
        return Journal(int(raw["pid"]), entries)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise JournalError(f"{path_in(folder)}: unreadable journal: {exc}") from exc


def _common_prefix(a: bytes, b: bytes) -> int:
    """The length of the longest common prefix (a binary search on slices: C-speed compares)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: bytes, b: bytes) -> int:
    """The length of the longest common suffix."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low


def interrupted(folder: str | None) -> list[Finding]:
    """An `interrupted-bump` finding when a journal is present in `folder` (one stat when
    there is none, as on every healthy run)."""
    if folder is None or not exists(folder):
        return []
    try:
        loaded = load(folder)
    except JournalError as exc:
        return [_finding(path_in(folder), f"{exc}; remove it once the files are checked")]
    if loaded is None:  # removed since the stat: the run finished
        return []
    first = loaded.entries[0].path if loaded.entries else path_in(folder)
    count = len(loaded.entries)
    if loaded.pid == os.getpid() or process_alive(loaded.pid):
        message = (
            f"versync (pid {loaded.pid}) is writing {count} files now; check again when it is done"
        )
    else:
        message = (
            f"a versync run (pid {loaded.pid}) stopped while writing {count} files; "
            "run `versync recover` to finish it, or `versync recover --rollback`"
        )
    return [_finding(first, message)]


def interrupted_at(root: str) -> list[Finding]:
    """`interrupted` for the repository at `root` (git's answer on where it is is memoized
    for the command, so this costs no second git call)."""
    from versync._fs.git import git_dir_of
    from versync._fs.lock import state_dir

    return interrupted(state_dir(root, git_dir_of(root)))


def _finding(path: str, message: str) -> Finding:
    return Finding(
        code="interrupted-bump",
        package="(repository)",
        file=path,
        line=1,
        column=1,
        found="a journal of unfinished writes",
        expected="no journal",
        message=message,
        fixable=False,
    )
