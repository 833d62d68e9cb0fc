"""A bump killed (SIGKILL) after each of its writes, then `check` and `recover`; a bump
interrupted (SIGINT) while writing leaves no temporary file."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from tests.reliability.procs import environment, one_line, spawn, versync
from tests.seedrepo import write_seed


def tree(root: Path) -> dict[str, bytes]:
    """Every file of the work tree (not the git directory)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def seed_repo(root: Path, version: str = "0.1.1") -> Path:
    write_seed(root, version)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    return root


def bumped(root: Path, version: str) -> dict[str, bytes]:
    """The tree a completed bump to `version` makes, computed on a copy."""
    copy = root.parent / f"{root.name}-reference"
    shutil.copytree(root, copy)
    assert versync(copy, "bump", version).returncode == 0
    return tree(copy)


def paused(root: Path, index: int, *args: str) -> subprocess.Popen[str]:
    """A versync run paused just after its write at `index`."""
    env = environment(VERSYNC_TEST_PAUSE_AFTER_WRITE=str(index))
    process = spawn(root, *args, env=env)
    assert process.stderr is not None
    line = process.stderr.readline()
    assert line == f"versync: test pause after write {index}\n", line
    return process


def put_back(root: Path, files: dict[str, bytes]) -> None:
    for path, data in files.items():
        (root / path).write_bytes(data)


def test_sigkill_at_every_write_index_then_recover(tmp_path: Path) -> None:
    root = seed_repo(tmp_path / "repo")
    before = tree(root)
    after = bumped(root, "0.1.2")
    changed = [path for path in before if before[path] != after[path]]
    assert len(changed) >= 10
    mixed = 0
    for index in range(len(changed)):
        process = paused(root, index, "bump", "0.1.2")
        process.send_signal(signal.SIGKILL)
        process.communicate()
        state = tree(root)
        assert all(state[p] in (before[p], after[p]) for p in before), "a torn file"
        written = sum(state[p] == after[p] for p in changed)
        assert written == index + 1
        mixed += state not in (before, after)

        check = versync(root, "check")
        assert check.returncode == 1 and "[interrupted-bump]" in check.stdout, check.stdout
        assert f"pid {process.pid}" in check.stdout
        if index == 0:
            again = versync(root, "bump", "0.1.3")
            assert again.returncode == 2 and "versync recover" in one_line(again.stderr)
            assert tree(root) == state

        rollback = index % 2 == 1
        recovered = versync(root, "recover", *(["--rollback"] if rollback else []))
        assert recovered.returncode == 0, recovered.stderr
        assert tree(root) == (before if rollback else after)
        put_back(root, before)
    assert mixed == len(changed) - 1  # every kill but the one after the last write


def test_recover_refuses_a_file_changed_since_and_discard_clears_it(tmp_path: Path) -> None:
    root = seed_repo(tmp_path / "repo")
    process = paused(root, 2, "bump", "0.1.2")
    process.send_signal(signal.SIGKILL)
    process.communicate()
    edited = root / "ryeos-mcp/pyproject.toml"  # written late: sorted after the first three
    edited.write_text(edited.read_text() + "# edited by hand\n")
    state = tree(root)
    refused = versync(root, "recover")
    assert refused.returncode == 2
    assert "ryeos-mcp/pyproject.toml: holds neither" in one_line(refused.stderr)
    assert tree(root) == state
    assert versync(root, "recover", "--discard").returncode == 0
    assert "[interrupted-bump]" not in versync(root, "check").stdout


@pytest.mark.parametrize("index", [0, 3, 7])
def test_ctrl_c_while_writing_restores_and_leaves_no_temporary_file(
    tmp_path: Path, index: int
) -> None:
    """0.1.9 to 0.1.10 changes the length: every file goes through a temporary file."""
    root = seed_repo(tmp_path / "repo", "0.1.9")
    before = tree(root)
    process = paused(root, index, "bump", "0.1.10")
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert tree(root) == before  # the files written were put back, no temporary file left
    assert "[interrupted-bump]" not in versync(root, "check").stdout


def test_a_journal_naming_a_file_outside_the_root_is_refused_unread(tmp_path: Path) -> None:
    root = seed_repo(tmp_path / "repo")
    secret = tmp_path / "secret.txt"
    secret.write_text("outside\n")
    process = paused(root, 0, "bump", "0.1.2")
    process.send_signal(signal.SIGKILL)
    process.communicate()
    journal = root / ".git/versync/journal.json"
    document = json.loads(journal.read_text())
    document["files"][0][0] = "../secret.txt"
    journal.write_text(json.dumps(document))
    refused = versync(root, "recover")
    assert refused.returncode == 2
    assert "../secret.txt: outside the repository root" in one_line(refused.stderr)
    assert secret.read_text() == "outside\n"
