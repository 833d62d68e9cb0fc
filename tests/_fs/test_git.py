"""Running git, with posix_spawnp and with the subprocess fallback used where it is missing."""

from __future__ import annotations

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
