"""The writer lock's less travelled paths: a folder it cannot create, an empty lock file, a
lock file removed by the holder that let go, the Windows and `O_EXCL` fallbacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from versync._fs import lock
from versync._fs.lock import LockedError, holder_pid, process_alive, writer_lock

HOLD_EMPTY = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(30)
"""


def test_a_folder_that_cannot_be_made_is_a_locked_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    with (
        pytest.raises(LockedError, match=r"cannot take the writer lock: "),
        writer_lock(str(tmp_path / "file" / "versync")),
    ):
        pass  # pragma: no cover - never entered


def test_the_reentrant_count_is_restored_when_the_inner_block_raises(tmp_path: Path) -> None:
    lock_path = str(tmp_path / "lock")
    with writer_lock(str(tmp_path)):
        with pytest.raises(KeyError), writer_lock(str(tmp_path)):
            assert lock._held[lock_path] == 2
            raise KeyError("inner")
        assert lock._held[lock_path] == 1
    assert lock_path not in lock._held and not os.path.exists(lock_path)


def test_a_holder_that_wrote_no_pid_is_another_process(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_EMPTY, str(tmp_path / "lock")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with (
            pytest.raises(LockedError, match=r"another versync \(another process\) is writing"),
            writer_lock(str(tmp_path), wait=0),
        ):
            pass  # pragma: no cover - never entered
    finally:
        holder.kill()
        holder.communicate()


def test_a_lock_file_removed_by_the_holder_letting_go_is_taken_again(tmp_path: Path) -> None:
    path = str(tmp_path / "lock")
    inodes: list[int] = []

    def attempt(fd: int) -> bool:
        inodes.append(os.fstat(fd).st_ino)
        if len(inodes) == 1:
            os.unlink(path)  # the previous holder removes the file as it lets go
        return True

    release = lock._acquire_with(path, 0, attempt)
    try:
        assert len(inodes) == 2  # the lock on the removed file was let go
        assert os.stat(path).st_ino == inodes[1]
        assert Path(path).read_text() == f"{os.getpid()}\n"
    finally:
        release()
    assert not os.path.exists(path)


def test_holder_pid_reads_either_lock_file(tmp_path: Path) -> None:
    assert holder_pid(str(tmp_path)) is None
    (tmp_path / "lock.pid").write_text("4242\n")
    assert holder_pid(str(tmp_path)) == 4242
    (tmp_path / "lock").write_text("17\n")
    assert holder_pid(str(tmp_path)) == 17
    (tmp_path / "lock").write_text("not a pid\n")
    assert holder_pid(str(tmp_path)) == 4242


def test_a_process_we_may_not_signal_is_taken_as_running(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert process_alive(os.getpid())

    def refused(pid: int, signal: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "kill", refused)
    assert process_alive(1)


def test_without_fcntl_an_empty_pid_file_is_waited_for_then_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "fcntl", None)
    monkeypatch.setattr(sys, "platform", "linux-without-fcntl")
    (tmp_path / "lock.pid").write_bytes(b"")  # being written: its owner is not known yet
    with (
        pytest.raises(LockedError, match=r"\(another process\).*lock\.pid\)$"),
        writer_lock(str(tmp_path), wait=0.1),
    ):
        pass  # pragma: no cover - never entered
    assert (tmp_path / "lock.pid").read_bytes() == b""  # not taken over


def test_on_windows_the_locked_file_stays_and_keeps_no_pid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[int] = []

    def locked(fd: int) -> bool:
        attempts.append(fd)
        return True

    monkeypatch.setitem(sys.modules, "fcntl", None)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(lock, "_msvcrt_try", locked)
    with writer_lock(str(tmp_path)):
        assert len(attempts) == 1
        assert (tmp_path / "lock").read_bytes() == b""
    assert (tmp_path / "lock").exists() and not (tmp_path / "lock.pid").exists()


def test_the_user_cache_directory_per_platform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    assert lock.user_cache_dir() == os.path.join(str(tmp_path), "Cache")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert lock.user_cache_dir() == os.path.expanduser("~/.cache")
