"""The small git helpers: what they answer in a real repository, and when git fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import git as git_in
from tests.conftest import write
from versync._fs import git


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git_in(root, "init", "-q", "-b", "main")
    write(root / "a/pyproject.toml", "one\n")
    write(root / "b/Cargo.toml", "two\n")
    write(root / "notes.txt", "three\n")
    git_in(root, "add", "-A")
    git_in(root, "commit", "-q", "-m", "first", date="2020-01-01T00:00:00Z")
    return root


def test_call_gives_the_exit_code_and_all_output(repo: Path) -> None:
    code, output = git.call(str(repo), "rev-parse", "--abbrev-ref", "HEAD")
    assert (code, output) == (0, "main\n")
    code, output = git.call(str(repo), "rev-parse", "--verify", "no-such-ref")
    assert code == 128 and output.startswith("fatal: ")


def test_call_when_git_cannot_start(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo / "no-such-bin"))
    code, output = git.call(str(repo), "status")
    assert code == 127 and output.startswith("cannot run git: ")


def test_dirty_names_each_changed_path_with_its_status_code(repo: Path) -> None:
    write(repo / "a/pyproject.toml", "changed\n")
    write(repo / "new.txt", "")
    git_in(repo, "mv", "notes.txt", "renamed.txt")
    paths = ["a/pyproject.toml", "b/Cargo.toml", "new.txt", "notes.txt", "renamed.txt"]
    assert git.dirty(str(repo), paths) == {
        "a/pyproject.toml": " M",
        "new.txt": "??",
        "renamed.txt": "R ",
    }
    assert git.dirty(str(repo), []) == {}


def test_dirty_paths_are_relative_to_the_folder_asked_about(repo: Path) -> None:
    write(repo / "a/pyproject.toml", "changed\n")
    assert git.dirty(str(repo / "a"), ["pyproject.toml"]) == {"pyproject.toml": " M"}


def test_refs_tags_and_work_trees(repo: Path, tmp_path: Path) -> None:
    head = git_in(repo, "rev-parse", "HEAD")
    git_in(repo, "tag", "-a", "-m", "release", "v1.0.0")
    assert git.tag_exists(str(repo), "v1.0.0")
    assert not git.tag_exists(str(repo), "v2.0.0")
    assert git.commit_of(str(repo), "v1.0.0") == head  # an annotated tag, peeled
    assert git.commit_of(str(repo), "main") == head
    assert git.commit_of(str(repo), "no-such-ref") is None
    assert git.commit_of(str(repo), "--all") is None  # never an option
    assert git.is_work_tree(str(repo / "a"))
    assert not git.is_work_tree(str(repo / ".git"))
    assert not git.is_work_tree(str(tmp_path))


def test_changed_since_lists_edits_staged_or_not_and_untracked_files(repo: Path) -> None:
    first = git_in(repo, "rev-parse", "HEAD")
    assert git.changed_since(str(repo), first) == []
    write(repo / "a/pyproject.toml", "changed\n")
    write(repo / "b/Cargo.toml", "staged\n")
    git_in(repo, "add", "b/Cargo.toml")
    write(repo / "c/new.toml", "")
    write(repo / ".gitignore", "*.log\n")
    write(repo / "ignored.log", "")
    assert git.changed_since(str(repo), first) == [
        ".gitignore",
        "a/pyproject.toml",
        "b/Cargo.toml",
        "c/new.toml",
    ]
    assert git.changed_since(str(repo / "a"), first) == ["pyproject.toml"]
    assert git.changed_since(str(repo), "no-such-commit") == []


def test_files_at_and_read_at_read_the_committed_bytes(repo: Path) -> None:
    first = git_in(repo, "rev-parse", "HEAD")
    write(repo / "a/pyproject.toml", "now\n")
    names = frozenset({"pyproject.toml", "Cargo.toml"})
    assert git.files_at(str(repo), first, names) == {
        "a/pyproject.toml": b"one\n",
        "b/Cargo.toml": b"two\n",
    }
    assert git.files_at(str(repo / "b"), first, names) == {"Cargo.toml": b"two\n"}
    found = git.read_at(str(repo), first, ["missing.txt", "notes.txt", "a", "b/Cargo.toml"])
    assert found == {"notes.txt": b"three\n", "b/Cargo.toml": b"two\n"}  # "a" is a tree
    assert git.read_at(str(repo), first, []) == {}


def test_read_at_when_git_cannot_start(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = git_in(repo, "rev-parse", "HEAD")
    monkeypatch.setenv("PATH", str(repo / "no-such-bin"))
    assert git.read_at(str(repo), first, ["notes.txt"]) == {}


def test_tags_newest_first_by_date_then_by_version(repo: Path) -> None:
    assert git.tags_newest_first(str(repo)) == []
    git_in(repo, "tag", "v1.0.0")
    git_in(repo, "tag", "v1.10.0")
    git_in(repo, "tag", "v1.9.0")
    write(repo / "notes.txt", "four\n")
    git_in(repo, "commit", "-q", "-am", "second", date="2021-01-01T00:00:00Z")
    git_in(repo, "tag", "v0.1.0")  # newer by date though older by version
    git_in(repo, "checkout", "-q", "-b", "side", "HEAD~1")
    write(repo / "side.txt", "")
    git_in(repo, "add", "-A")
    git_in(repo, "commit", "-q", "-m", "side", date="2022-01-01T00:00:00Z")
    git_in(repo, "tag", "v5.0.0")
    assert git.tags_newest_first(str(repo), "main") == ["v0.1.0", "v1.10.0", "v1.9.0", "v1.0.0"]
    assert git.tags_newest_first(str(repo)) == ["v5.0.0", "v1.10.0", "v1.9.0", "v1.0.0"]
