from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.seedrepo import write_seed
from versync import scanning, workspace
from versync._cli import main
from versync._fs import cache, hashing
from versync._fs.listing import Listing
from versync._fs.reading import Stamp


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


Run = Callable[..., Result]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Call the CLI in-process and capture what it printed."""

    def _run(*argv: str | Path) -> Result:
        capsys.readouterr()
        code = main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _run


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    return write_seed(tmp_path / "repo")


@pytest.fixture
def git_seed(seed: Path) -> Path:
    """The seed layout in a git repository (nothing committed: every file is untracked)."""
    subprocess.run(["git", "init", "-q"], cwd=seed, check=True)
    return seed


def git(root: Path, *args: str, date: str | None = None) -> str:
    """`git ARGS...` in `root` as a test author (name and e-mail set, and the commit `date`
    when given); its output, stripped."""
    dated = {} if date is None else {"GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date}
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **dated},
    )
    return done.stdout.strip()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")
    return path


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8", newline="")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes, less versync's own caches in the git
    directory (`.git/versync/`), which any run may refresh."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).as_posix().startswith(".git/versync/")
    }


@pytest.fixture(autouse=True)
def _user_cache_in_tmp(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """versync keeps the lock and journal of a repository outside git in the user's cache
    directory: the tests' repositories keep theirs in a temporary one."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Records every full scan; files written by a test are not held back as racy."""
    monkeypatch.setattr(cache, "_RACY_NS", 0)
    seen: list[str] = []
    real_scan = workspace.scan_listed

    def counting_scan(
        listing: Listing, listed_stamps: Mapping[str, Stamp] | None = None, **kwargs: Any
    ) -> workspace.Workspace:
        seen.append(listing.root)
        return real_scan(listing, listed_stamps, **kwargs)

    monkeypatch.setattr(workspace, "scan_listed", counting_scan)
    yield seen


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The paths of each `git hash-object` started, by a check's proof or by a scan (git
    still hashes them)."""
    asked: list[list[str]] = []

    class Recorded(hashing.Hashing):
        def __init__(self, root: str, paths: list[str]) -> None:
            asked.append(list(paths))
            super().__init__(root, paths)

    monkeypatch.setattr(hashing, "Hashing", Recorded)
    monkeypatch.setattr(scanning, "Hashing", Recorded)
    return asked
