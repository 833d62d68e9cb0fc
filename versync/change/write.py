"""Writing one file of a plan, verified through the file descriptor it is written with.

Each file is opened once; what it holds is checked through that descriptor (its stamp when the
stamp proves the content, else its bytes), and the write follows at once: in place when the
length stays the same, else a temporary file renamed over it. A file that changed since the
scan is never written (`ConcurrentChange`). After the write, the path must still name the file
that was verified and written: an editor that saved by renaming its own file over the path in
between is caught, and an editor that wrote into the old file while it was being replaced
gets its content put back. POSIX calls are used where they exist, with portable fallbacks.

What remains is the time between the last verification and the write itself: one system call
apart (see benchmarks/write_window.py). Files offer no compare-and-swap, and editors ignore
advisory locks, so a process writing in that window can still interleave with versync.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable

from versync._fs.reading import Stamp, read_all
from versync.errors import PlanError

HAS_PWRITE = hasattr(os, "pwrite")  # not on Windows; tests turn it off to test the fallback
_BINARY = getattr(os, "O_BINARY", 0)
# Windows refuses to rename over a file that is open: there the old file is closed first, and
# a write into it during the rename step is not seen.
_RENAME_OVER_OPEN_FILES = os.name != "nt"


class ConcurrentChange(PlanError):
    """Another process changed a file while versync was writing it; `path` names it."""

    def __init__(self, path: str, what: str) -> None:
        super().__init__(f"{path}: {what}")
        self.path = path


def read_bytes(path: str, expected_size: int = 0) -> bytes:
    """The whole content of the file at `path`."""
    fd = os.open(path, os.O_RDONLY | _BINARY)
    try:
        return read_all(fd, expected_size)
    finally:
        os.close(fd)


def write(path: str, old: bytes, new: bytes, mode: int, stamp: Stamp | None = None) -> None:
    """Turn the file at `path`, holding `old`, into `new`; `ConcurrentChange` when it does not
    hold `old` (checked by `stamp` when given and equal, else by its bytes).

    When the length stays the same (0.1.1 to 0.1.2, the usual release), only the bytes that
    differ are overwritten in place: a few bytes, which on most file systems needs no new
    space, keeps the inode (hard links, owner, ACLs) and costs a fraction of a temporary file
    and a rename (25 ms against 200 ms for 1,535 files on ext4). Otherwise the new
    content goes to a temporary file in the same folder, renamed over `path` with its mode, so
    a full disk leaves the old file whole. A file without the owner's write bit is refused
    even where writing would succeed (as root, or in a writable folder): its owner marked it
    read-only.
    """
    if not mode & stat.S_IWUSR:
        raise PermissionError(13, "the file is read-only", path)
    in_place = len(old) == len(new)
    start, end = _differing_range(old, new) if in_place else (0, 0)  # before: a shorter window
    fd = os.open(path, (os.O_RDWR if in_place else os.O_RDONLY) | _BINARY)
    try:
        info = _verified(fd, path, old, stamp)
        if in_place:
            _overwrite(path, start, new[start:end], fd)
            _still_named(path, info)
            return
        if not _RENAME_OVER_OPEN_FILES:
            os.close(fd)
            fd = -1
            _rename_over(path, new, mode, lambda: _still_named(path, info))
            return
        _replace(path, new, mode, fd, info, old)
    finally:
        if fd >= 0:
            os.close(fd)


def _verified(fd: int, path: str, old: bytes, stamp: Stamp | None) -> os.stat_result:
    """The open file's status, once it is known to hold `old`."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise ConcurrentChange(path, "is no longer a regular file")
    current = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    if stamp is not None and current == stamp:
        return info
    if info.st_size != len(old) or _read_from_start(fd, info.st_size) != old:
        raise ConcurrentChange(path, "changed on disk since it was read")
    return info


def _read_from_start(fd: int, size: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    return read_all(fd, size)


def _still_named(path: str, info: os.stat_result) -> None:
    """The path still names the file that was written, not one an editor renamed over it."""
    try:
        now = os.stat(path)
    except OSError:
        raise ConcurrentChange(path, "was removed while it was being written") from None
    if (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino):
        raise ConcurrentChange(path, "was replaced by another program while it was being written")


def _differing_range(old: bytes, new: bytes) -> tuple[int, int]:
    """The smallest [start, end) outside of which two byte strings of equal length agree."""
    size = len(old)
    same_prefix = _longest(lambda k: old[:k] == new[:k], size)
    same_suffix = _longest(lambda k: old[size - k :] == new[size - k :], size - same_prefix)
    return same_prefix, size - same_suffix


def _longest(holds: Callable[[int], bool], limit: int) -> int:
    """The largest k <= limit for which `holds(k)`, given that it holds for every smaller k."""
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if holds(middle):
            low = middle
        else:
            high = middle - 1
    return low


def _overwrite(path: str, offset: int, data: bytes, fd: int) -> None:
    """Write `data` at `offset` of the open file `fd` (the file at `path`)."""
    if not HAS_PWRITE:
        os.lseek(fd, offset, os.SEEK_SET)
    while data:
        written = os.pwrite(fd, data, offset) if HAS_PWRITE else os.write(fd, data)
        data, offset = data[written:], offset + written


def _replace(path: str, data: bytes, mode: int, fd: int, info: os.stat_result, old: bytes) -> None:
    """Rename a temporary file holding `data` over `path`, whose verified file is open as `fd`."""
    _rename_over(path, data, mode, lambda: _still_named(path, info))
    late = _read_from_start(fd, len(old))
    if late != old:  # written to by another program while it was being replaced
        _rename_over(path, late, mode)
        raise ConcurrentChange(path, "was changed by another program while it was being written")


def _rename_over(
    path: str, data: bytes, mode: int, before_rename: Callable[[], None] = lambda: None
) -> None:
    """Put `data` at `path` through a temporary file in the same folder, renamed over it."""
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.versync")
    created = True  # before the open: an interrupt right after it must not leak the file
    try:
        try:
            out = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o600)
        except FileExistsError:
            created = False  # not ours to remove: another run's, left by a crash
            raise
        with os.fdopen(out, "wb") as handle:
            handle.write(data)
            os.fchmod(handle.fileno(), mode)
        before_rename()
        os.replace(temporary, path)
        created = False
    finally:
        if created:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
