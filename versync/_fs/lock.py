"""One writer at a time per repository: a lock file beside versync's other state.

The state folder is `versync/` in the git directory, or outside git a folder of the user's
cache directory named after the root's real path. The lock is an `fcntl` lock (`msvcrt` on
Windows) on `lock`, released by the system when the process ends however it ends, and the
file is removed by its holder when done; where neither exists, `lock.pid` is created
exclusively and holds the owner's pid (a file left by a dead process is taken over). The
holder's pid is written into the lock file either way, so a second writer can name it.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator

from versync.errors import VersyncError

WAIT_SECONDS = 2.0
_POLL_SECONDS = 0.05
_held: dict[str, int] = {}  # lock path -> how many times this process holds it


class LockedError(VersyncError):
    """Another versync process is writing this repository (or the lock cannot be taken)."""


JOURNAL_NAME = "journal.json"  # the journal of a write in progress (`versync._fs.journal`)


def journal_present(folder: str) -> bool:
    """Whether a journal is in the state folder (one stat, without importing the journal's
    module: the hook asks it on every run)."""
    return os.path.exists(os.path.join(folder, JOURNAL_NAME))


def state_dir(root: str, git_dir: str | None) -> str:
    """Where versync keeps the lock and the journal of the repository at `root`."""
    if git_dir is not None:
        return os.path.join(git_dir, "versync")
    import hashlib

    real = os.path.realpath(root)
    key = hashlib.sha256(os.fsencode(real)).hexdigest()[:24]
    return os.path.join(user_cache_dir(), "versync", "roots", key)


def user_cache_dir() -> str:
    """The user's cache directory (XDG on POSIX, LOCALAPPDATA on Windows)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
        return os.path.join(base, "Cache")
    return os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")


@contextlib.contextmanager
def writer_lock(folder: str, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the repository's writer lock (re-entrant within a process); `LockedError` naming
    the holder's pid when another process keeps it longer than `wait` seconds."""
    path = os.path.join(folder, "lock")
    if _held.get(path):
        _held[path] += 1
        try:
            yield
        finally:
            _held[path] -= 1
        return
    try:
        os.makedirs(folder, exist_ok=True)
        release = _acquire(path, wait)
    except OSError as exc:
        raise LockedError(f"{path}: cannot take the writer lock: {exc.strerror or exc}") from exc
    _held[path] = 1
    try:
        yield
    finally:
        del _held[path]
        release()


def _acquire(path: str, wait: float) -> _Release:
    try:
        import fcntl
    except ImportError:
        fcntl = None  # type: ignore[assignment]
    if fcntl is not None:
        return _acquire_with(path, wait, _fcntl_try)
    if sys.platform == "win32":
        return _acquire_with(path, wait, _msvcrt_try)
    return _acquire_exclusive_file(path + ".pid", wait)


class _Release:
    def __init__(self, fd: int, path: str | None = None) -> None:
        self.fd = fd
        self.path = path  # removed on release, while still locked

    def __call__(self) -> None:
        if self.path is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
        os.close(self.fd)


def _fcntl_try(fd: int) -> bool:
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _msvcrt_try(fd: int) -> bool:  # pragma: no cover - Windows only
    import msvcrt

    try:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
    except OSError:
        return False
    return True


def _acquire_with(path: str, wait: float, attempt: Callable[[int], bool]) -> _Release:
    """Lock the file at `path` with `attempt`. The holder removes the file when it is done
    (so that a run leaves nothing behind): a lock taken on a file that is no longer at `path`
    is let go and taken again on the new one."""
    deadline = time.monotonic() + wait
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        while not attempt(fd):
            if time.monotonic() >= deadline:
                holder = _read_pid(fd)
                os.close(fd)
                raise LockedError(_busy(holder, path))
            time.sleep(_POLL_SECONDS)
        if sys.platform == "win32":  # msvcrt locks byte 0 (not rewritten); open files stay
            return _Release(fd)
        if _same_file(fd, path):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            return _Release(fd, path)
        os.close(fd)  # removed by the holder that just let go: lock the new file


def _same_file(fd: int, path: str) -> bool:
    try:
        here, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _acquire_exclusive_file(path: str, wait: float) -> _Release:
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            holder = _pid_in(path)
            if holder is not None and not process_alive(holder):
                with contextlib.suppress(OSError):
                    os.unlink(path)  # left by a process that died
                continue
            if time.monotonic() >= deadline:
                raise LockedError(_busy(holder, path)) from None
            time.sleep(_POLL_SECONDS)
            continue
        os.write(fd, f"{os.getpid()}\n".encode())
        return _Release(fd, path)


def holder_pid(folder: str) -> int | None:
    """The pid written in the lock file of `folder` (the last holder's, maybe gone)."""
    return _pid_in(os.path.join(folder, "lock")) or _pid_in(os.path.join(folder, "lock.pid"))


def _read_pid(fd: int) -> int | None:
    with contextlib.suppress(OSError, ValueError):
        return int(os.pread(fd, 32, 0).decode().strip())
    return None


def _pid_in(path: str) -> int | None:
    with contextlib.suppress(OSError, ValueError), open(path, "rb") as handle:
        return int(handle.read(32).decode().strip())
    return None


def process_alive(pid: int) -> bool:
    """Whether a process `pid` runs (or may: one we may not signal is taken as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _busy(holder: int | None, path: str) -> str:
    who = f"pid {holder}" if holder is not None else "another process"
    return (
        f"another versync ({who}) is writing this repository; wait for it to finish (lock: {path})"
    )
