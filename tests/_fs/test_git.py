"""Running git, with posix_spawnp and with the subprocess fallback used where it is missing."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from versync._fs import git
from versync._fs.listing import Listing
from versync.formats import manifest_names


@pytest.fixture(params=[True, False], ids=["posix-spawn", "subprocess-fallback"])
def spawn(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    monkeypatch.setattr(git, "HAS_POSIX_SPAWN", request.param)
    return bool(request.param)


@pytest.mark.usefixtures("spawn")
def test_run_gives_the_output_or_none(git_seed: Path, tmp_path: Path) -> None:
    assert git.run(str(git_seed), "rev-parse", "--is-inside-work-tree") == "true\n"
    assert git.run(str(tmp_path / "not-a-folder"), "status") is None


@pytest.mark.usefixtures("spawn")
def test_the_listing_is_the_same_either_way(git_seed: Path) -> None:
    (git_seed / "ignored").mkdir()
    (git_seed / "ignored/pyproject.toml").write_text('[project]\nname = "x"\n')
    (git_seed / ".gitignore").write_text("ignored/\n")
    listed = Listing(str(git_seed)).paths(manifest_names())
    assert len(listed) == 20 and "ignored/pyproject.toml" not in listed
    by_git = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=git_seed, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert set(listed) <= set(by_git)


def test_a_missing_git_is_none_not_an_error(
    monkeypatch: pytest.MonkeyPatch, git_seed: Path
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    assert git.run(str(git_seed), "status") is None
    monkeypatch.setattr(git, "HAS_POSIX_SPAWN", False)
    assert git.run(str(git_seed), "status") is None


@pytest.mark.usefixtures("spawn")
@pytest.mark.parametrize("chunk", [1, 7, 1 << 20], ids=["byte", "odd", "large"])
def test_records_stream_in_whatever_pieces_git_writes_them(
    git_seed: Path, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(git, "_CHUNK", chunk)
    whole = git.Git(str(git_seed), "ls-files", "-z", "--cached", "--others").output_bytes()
    assert whole is not None
    started = git.Git(str(git_seed), "ls-files", "-z", "--cached", "--others")
    assert list(started.records()) == whole.split(b"\0")[:-1] and len(whole) > 100
    assert started.ok
    unterminated = git.Git(str(git_seed), "rev-parse", "--show-toplevel")
    assert list(unterminated.records()) == [f"{git_seed.resolve()}\n".encode()]
    failed = git.Git(str(git_seed), "log", "no-such-ref")
    assert list(failed.records()) == [] and not failed.ok


@pytest.mark.usefixtures("spawn")
@pytest.mark.parametrize("read", [0, 1, 3], ids=["nothing-read", "one-line", "a-few-lines"])
def test_a_command_whose_output_is_left_unread_is_stopped_and_reaped(
    git_seed: Path, read: int
) -> None:
    listing = git.Git(str(git_seed), "ls-files", "--cached", "--others")
    lines = listing.lines()
    taken = [next(lines) for _ in range(read)]
    assert all(line.endswith(b"\n") for line in taken)
    listing.stop()
    assert listing._process is None or listing._process.returncode is not None
    if listing._pid > 0:
        with pytest.raises(ChildProcessError):
            os.waitpid(listing._pid, os.WNOHANG)  # already waited for: no zombie left


@pytest.mark.usefixtures("spawn")
def test_lines_are_what_git_prints(git_seed: Path) -> None:
    command = ["ls-files", "--cached", "--others"]
    whole = subprocess.run(["git", *command], cwd=git_seed, capture_output=True).stdout
    listing = git.Git(str(git_seed), *command)
    assert b"".join(listing.lines()) == whole and whole.count(b"\n") > 10
    listing.stop()  # after it ended by itself too
