"""Where the repository is, as git says: never the first `.git` going up."""

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
    git._located.clear()
    return bool(request.param)


@pytest.mark.usefixtures("spawn")
def test_git_names_the_top_level_and_the_git_directory(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "a/b").mkdir(parents=True)
    location = git.locate(str(tmp_path / "a/b"))
    assert location == git.Location(str(tmp_path), str(tmp_path / ".git"))
    (tmp_path / "pyproject.toml").write_text("")
    listing = Listing(str(tmp_path / "a/b"), find_top=True)
    assert listing.root == str(tmp_path) and listing.git_dir == str(tmp_path / ".git")
    assert listing.paths(manifest_names()) == ["pyproject.toml"]


@pytest.mark.usefixtures("spawn")
def test_a_dot_git_folder_that_is_no_repository_is_ignored(tmp_path: Path) -> None:
    (tmp_path / ".git/versync").mkdir(parents=True)
    (tmp_path / "project").mkdir()
    assert git.locate(str(tmp_path / "project")) == git.Location(None, None)
    listing = Listing(str(tmp_path / "project"), find_top=True)
    assert listing.root == str(tmp_path / "project")
    assert listing.paths(manifest_names()) == []


@pytest.mark.usefixtures("spawn")
def test_a_repository_of_another_user_is_refused_with_gits_advice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    with pytest.raises(git.UntrustedRepository) as raised:
        git.locate(str(tmp_path))
    message = str(raised.value)
    assert message.startswith(f"{tmp_path}: git refuses this repository")
    assert message.endswith(f"git config --global --add safe.directory {tmp_path}")
    assert "\n" not in message


def test_without_git_there_is_no_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.setenv("PATH", os.fspath(tmp_path / "no-git-here"))
    git._located.clear()
    assert git.locate(str(tmp_path)) == git.Location(None, None)
