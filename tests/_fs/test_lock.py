from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from versync._fs.lock import LockedError, state_dir, writer_lock

HOLD = """
import sys, time
from versync._fs.lock import writer_lock
with writer_lock(sys.argv[1]):
    print("held", flush=True)
    time.sleep(30)
"""


def test_the_state_folder_is_in_the_git_directory_or_keyed_by_the_real_root(
    tmp_path: Path,
) -> None:
    assert state_dir("/repo", "/repo/.git") == os.path.join("/repo/.git", "versync")
    (tmp_path / "root").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "root")
    outside_git = state_dir(str(tmp_path / "root"), None)
    assert outside_git == state_dir(str(tmp_path / "alias"), None)
    assert outside_git.startswith(os.path.join(os.environ["XDG_CACHE_HOME"], "versync", "roots"))


def test_the_lock_is_reentrant_within_a_process(tmp_path: Path) -> None:
    with writer_lock(str(tmp_path)), writer_lock(str(tmp_path), wait=0):
        assert (tmp_path / "lock").read_text() == f"{os.getpid()}\n"
    assert not (tmp_path / "lock").exists()  # a run leaves nothing behind


def test_a_lock_held_by_another_process_names_its_pid(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        started = time.monotonic()
        with (
            pytest.raises(LockedError, match=rf"another versync \(pid {holder.pid}\)"),
            writer_lock(str(tmp_path), wait=0.3),
        ):
            pass
        assert 0.3 <= time.monotonic() - started < 5
    finally:
        holder.kill()
        holder.communicate()
    with writer_lock(str(tmp_path), wait=2):  # released by the system when the holder died
        pass


def test_without_fcntl_an_exclusive_pid_file_is_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "fcntl", None)  # `import fcntl` raises ImportError
    monkeypatch.setattr(sys, "platform", "linux-without-fcntl")
    pid_file = tmp_path / "lock.pid"
    with writer_lock(str(tmp_path)):
        assert pid_file.read_text() == f"{os.getpid()}\n"
    assert not pid_file.exists()

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    pid_file.write_text(f"{dead.pid}\n")  # left by a process that died: taken over
    with writer_lock(str(tmp_path), wait=0):
        assert pid_file.read_text() == f"{os.getpid()}\n"

    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        pid_file.write_text(f"{alive.pid}\n")
        with (
            pytest.raises(LockedError, match=rf"pid {alive.pid}"),
            writer_lock(str(tmp_path), wait=0.1),
        ):
            pass
    finally:
        alive.kill()
        alive.wait()


COUNT = """
import sys
from pathlib import Path
from versync._fs.lock import writer_lock
counter = Path(sys.argv[1]) / "counter"
for _ in range(int(sys.argv[2])):
    with writer_lock(sys.argv[1], wait=30):
        counter.write_text(str(int(counter.read_text()) + 1))
"""


def test_writers_that_remove_the_lock_file_still_exclude_each_other(tmp_path: Path) -> None:
    """Read-increment-write under the lock, by four processes at once: no increment is lost,
    although every holder removes the lock file as it lets go."""
    (tmp_path / "counter").write_text("0")
    processes = [
        subprocess.Popen([sys.executable, "-c", COUNT, str(tmp_path), "40"]) for _ in range(4)
    ]
    assert [process.wait(timeout=60) for process in processes] == [0, 0, 0, 0]
    assert (tmp_path / "counter").read_text() == "160"
