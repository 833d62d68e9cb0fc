"""`HEAD` and shallowness read from the git directory's files agree with git itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write
from tests.test_history import commit_all, git
from versync._fs import head


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write(root / "a.txt", "a\n")
    commit_all(root, "one")
    write(root / "a.txt", "b\n")
    commit_all(root, "two")
    return root


def detached(root: Path) -> Path:
    git(root, "checkout", "-q", "--detach", "HEAD~1")
    return root


def packed(root: Path) -> Path:
    git(root, "pack-refs", "--all")
    return root


def worktree(root: Path) -> Path:
    git(root, "worktree", "add", "-q", "-b", "other", str(root.parent / "wt"), "HEAD~1")
    return root.parent / "wt"


def subfolder(root: Path) -> Path:
    (root / "sub").mkdir()
    return root / "sub"


@pytest.mark.parametrize(
    "where",
    [
        pytest.param(lambda root: root, id="loose-ref"),
        pytest.param(packed, id="packed-ref"),
        pytest.param(detached, id="detached"),
        pytest.param(worktree, id="linked-worktree"),
        pytest.param(subfolder, id="subfolder"),
    ],
)
def test_head_agrees_with_git(repo: Path, where: object) -> None:
    folder = where(repo)  # type: ignore[operator]
    assert head.head(str(folder)) == git(folder, "rev-parse", "HEAD")
    assert head.is_shallow(str(folder)) is False


def test_no_commit_yet(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    assert head.head(str(tmp_path)) is None


def test_a_shallow_clone(repo: Path, tmp_path: Path) -> None:
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", "shallow")
    assert head.is_shallow(str(tmp_path / "shallow")) is True
    assert head.head(str(tmp_path / "shallow")) == git(repo, "rev-parse", "HEAD")
