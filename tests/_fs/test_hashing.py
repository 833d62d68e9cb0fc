"""`Hashing`: git hashes the bytes files hold, in batches, and an answer it cannot give is
left to the caller."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import git, write
from versync._fs import hashing
from versync._fs.hashing import Hashing
from versync._fs.reading import blob_id

FILES = {
    "pyproject.toml": b"[project]\nname = 'a'\n",
    "a b/Cargo.toml": b'[package]\r\nname = "b"\r\n',
    "-dash/pyproject.toml": b"",
    "caf\u00e9/bundle.py": "__version__ = '1.0'  # \u00e9\n".encode(),
    "sub/deeper/pyproject.toml": bytes(range(256)),
}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A git repository with `FILES` (untracked: hashing needs no index)."""
    git(tmp_path, "init", "-q")
    for path, data in FILES.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return tmp_path


def test_the_ids_are_those_of_the_bytes_on_disk(tree: Path) -> None:
    assert Hashing(str(tree), list(FILES)).blobs() == {
        path: blob_id(data) for path, data in FILES.items()
    }


def test_filters_do_not_change_the_ids(tree: Path) -> None:
    """With filters, git would store other bytes than the file's (`git hash-object` without
    `--no-filters` says which); the ids are still those of the bytes on disk."""
    git(tree, "config", "core.autocrlf", "true")
    write(tree / ".gitattributes", "*.toml text eol=lf\n")
    path = "a b/Cargo.toml"
    filtered = git(tree, "hash-object", "--", path)
    assert filtered != blob_id(FILES[path])
    assert Hashing(str(tree), [path]).blobs() == {path: blob_id(FILES[path])}


def test_paths_are_relative_to_the_root_given(tree: Path) -> None:
    assert Hashing(str(tree / "sub"), ["deeper/pyproject.toml"]).blobs() == {
        "deeper/pyproject.toml": blob_id(FILES["sub/deeper/pyproject.toml"])
    }


def test_paths_beyond_a_command_line_go_in_several_batches(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hashing, "_BATCH_CHARS", 40)
    assert len(hashing._batches(list(FILES))) == 3
    assert Hashing(str(tree), list(FILES)).blobs() == {
        path: blob_id(data) for path, data in FILES.items()
    }


def test_a_batch_git_fails_on_gives_no_ids_and_the_others_still_do(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hashing, "_BATCH_CHARS", 40)
    paths = ["pyproject.toml", "gone/pyproject.toml", "a b/Cargo.toml", "-dash/pyproject.toml"]
    batches = hashing._batches(paths)
    assert batches[0] == ["pyproject.toml", "gone/pyproject.toml"]
    answered = Hashing(str(tree), paths).blobs()
    assert answered == {path: blob_id(FILES[path]) for path in paths[2:]}


def test_no_git_gives_no_ids(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tree / "no-such-bin"))
    assert Hashing(str(tree), list(FILES)).blobs() == {}


def test_ids_of_another_hash_are_not_taken(tmp_path: Path) -> None:
    done = subprocess.run(
        ["git", "init", "-q", "--object-format=sha256", str(tmp_path)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("this git makes no SHA-256 repositories")
    write(tmp_path / "pyproject.toml", "")
    assert len(git(tmp_path, "hash-object", "--no-filters", "pyproject.toml")) == 64
    assert Hashing(str(tmp_path), ["pyproject.toml"]).blobs() == {}


def test_git_is_asked_once(tree: Path) -> None:
    started = Hashing(str(tree), ["pyproject.toml"])
    first = started.blobs()
    (tree / "pyproject.toml").write_bytes(b"changed")
    assert started.blobs() is first
