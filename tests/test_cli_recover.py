"""`versync recover` in-process: exit codes and one-line messages for each outcome, from a
journal written beside a small git repository (the real kills are in tests/reliability)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import Result, Run
from versync._fs import journal
from versync._fs.journal import Entry

OLD = {"a/pyproject.toml": b'version = "0.1.0"\n', "b/Cargo.toml": b'version = "0.1.0"\r\n'}
NEW = {"a/pyproject.toml": b'version = "0.2.0"\n', "b/Cargo.toml": b'version = "0.2.0"\r\n'}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose run died after writing `a/pyproject.toml` of two files."""
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    for path, data in OLD.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    journal.begin(str(_state(root)), [Entry.of(p, OLD[p], NEW[p]) for p in OLD])
    (root / "a/pyproject.toml").write_bytes(NEW["a/pyproject.toml"])
    return root


def _state(root: Path) -> Path:
    return root / ".git" / "versync"


def _files(root: Path) -> dict[str, bytes]:
    return {path: (root / path).read_bytes() for path in OLD}


def test_recover_with_no_journal_says_nothing_needed_writing(tmp_path: Path, run: Run) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    result = run("recover", "--root", tmp_path)
    assert (result.code, result.out) == (0, "")
    assert result.err == "versync: no file needed writing\n"


def test_discard_with_no_journal_is_silent(tmp_path: Path, run: Run) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    assert run("recover", "--root", tmp_path, "--discard") == Result(0, "", "")


def test_recover_finishes_the_write_and_prints_the_file_it_wrote(repo: Path, run: Run) -> None:
    result = run("recover", "--root", repo)
    assert (result.code, result.out, result.err) == (0, "b/Cargo.toml\n", "")
    assert _files(repo) == NEW  # the CRLF of the Cargo.toml survives
    assert not journal.exists(str(_state(repo)))
    again = run("recover", "--root", repo)
    assert (again.code, again.err) == (0, "versync: no file needed writing\n")


def test_rollback_puts_back_the_file_written(repo: Path, run: Run) -> None:
    result = run("recover", "--root", repo, "--rollback")
    assert (result.code, result.out) == (0, "a/pyproject.toml\n")
    assert _files(repo) == OLD
    assert not journal.exists(str(_state(repo)))


def test_rollback_and_discard_exclude_each_other(repo: Path, run: Run) -> None:
    result = run("recover", "--root", repo, "--rollback", "--discard")
    assert (result.code, result.out) == (2, "")
    assert "not allowed with argument" in result.err
    assert journal.exists(str(_state(repo)))


def test_a_file_changed_since_is_refused_in_one_line_then_discarded(repo: Path, run: Run) -> None:
    (repo / "b/Cargo.toml").write_bytes(b'version = "9.9.9"\r\n')
    edited = _files(repo)
    refused = run("recover", "--root", repo)
    assert (refused.code, refused.out) == (2, "")
    assert refused.err.count("\n") == 1
    assert "b/Cargo.toml: holds neither" in refused.err
    assert "versync recover --discard" in refused.err
    assert _files(repo) == edited and journal.exists(str(_state(repo)))
    discarded = run("recover", "--root", repo, "--discard")
    assert discarded == Result(0, "", "")
    assert _files(repo) == edited and not journal.exists(str(_state(repo)))


def test_a_missing_file_is_named_and_nothing_is_written(repo: Path, run: Run) -> None:
    (repo / "b/Cargo.toml").unlink()
    refused = run("recover", "--root", repo)
    assert refused.code == 2 and refused.err.count("\n") == 1
    assert "b/Cargo.toml: cannot read" in refused.err
    assert (repo / "a/pyproject.toml").read_bytes() == NEW["a/pyproject.toml"]


def test_a_corrupt_journal_is_named_in_one_line(repo: Path, run: Run) -> None:
    (_state(repo) / "journal.json").write_bytes(b'{"f": "someone-else", "files": []}')
    refused = run("recover", "--root", repo)
    assert refused.code == 2 and refused.err.count("\n") == 1
    assert "journal.json: unreadable journal: unknown format" in refused.err
    assert _files(repo)["b/Cargo.toml"] == OLD["b/Cargo.toml"]


def test_recover_finds_the_repository_from_the_current_folder(
    repo: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "a")
    result = run("recover")
    assert (result.code, result.out) == (0, "b/Cargo.toml\n")
    assert _files(repo) == NEW
