"""The check verdict: a hook run that changed nothing is answered without a scan, and any change
to a file the check depended on is seen."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Run, replace_in, write
from versync._fs import cache
from versync._fs.listing import Listing
from versync.verdict import check_listed, head_commit

CLI_PYPROJECT = "ryeos-cli/pyproject.toml"


@pytest.fixture
def repo(git_seed: Path) -> Path:
    return git_seed


def codes(root: Path) -> list[tuple[str, str]]:
    return [(f.code, f.file) for f in check_listed(Listing(str(root))).findings]


def test_an_unchanged_repository_is_answered_from_the_verdict(
    repo: Path, scans: list[str], run: Run
) -> None:
    first = run("check", "--root", repo)
    assert (repo / ".git/versync/check-verdict.json").is_file()
    second = run("check", "--root", repo)
    assert len(scans) == 1
    assert (second.code, second.out, second.err) == (first.code, first.out, first.err)
    assert second.out == "11 packages checked: all versions agree\n"


def test_findings_come_back_from_the_verdict_as_they_were(
    repo: Path, scans: list[str], run: Run
) -> None:
    replace_in(repo / CLI_PYPROJECT, '"0.1.1"', '"0.1.0"')
    first = run("check", "--root", repo)
    second = run("check", "--root", repo)
    github = run("check", "--format", "github", "--root", repo)
    assert len(scans) == 1
    assert second.code == first.code == github.code == 1
    assert second.out == first.out and "ryeos-cli/pyproject.toml:7:12: ryeos-cli: " in second.out
    assert github.out.startswith("::error file=ryeos-cli/pyproject.toml,line=7,")


@pytest.mark.parametrize("keep_mtime", [True, False], ids=["same-size-same-mtime", "plain-edit"])
def test_an_edited_manifest_is_checked_again(
    repo: Path, scans: list[str], keep_mtime: bool
) -> None:
    assert codes(repo) == []
    path = repo / CLI_PYPROJECT
    before = os.stat(path)
    replace_in(path, '"0.1.1"', '"0.1.0"')
    if keep_mtime:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert codes(repo) == [("group-drift", CLI_PYPROJECT)]
    assert len(scans) == 2


def test_a_new_untracked_manifest_is_checked(repo: Path, scans: list[str]) -> None:
    assert codes(repo) == []
    write(repo / "newpkg/pyproject.toml", '[project]\nname = "newpkg"\nversion = "0.0.9-x"\n')
    assert codes(repo) == [("invalid-version", "newpkg/pyproject.toml")]


def test_a_deleted_manifest_is_checked(repo: Path, scans: list[str]) -> None:
    write(repo / "newpkg/pyproject.toml", '[project]\nname = "newpkg"\nversion = "0.0.9-x"\n')
    assert codes(repo) == [("invalid-version", "newpkg/pyproject.toml")]
    (repo / "newpkg/pyproject.toml").unlink()
    assert codes(repo) == []


def test_a_newly_ignored_manifest_is_no_longer_checked(repo: Path, scans: list[str]) -> None:
    write(repo / "newpkg/pyproject.toml", '[project]\nname = "newpkg"\nversion = "0.0.9-x"\n')
    assert codes(repo) == [("invalid-version", "newpkg/pyproject.toml")]
    write(repo / ".gitignore", "newpkg/\n")
    assert codes(repo) == []


SETUPTOOLS = """\
[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"

[project]
name = "attrpkg"
dynamic = ["version"]

[tool.setuptools.dynamic]
version = {attr = "attrpkg.__version__"}
"""


def test_a_version_file_that_appears_or_changes_is_read(repo: Path, scans: list[str]) -> None:
    write(repo / "attrpkg/pyproject.toml", SETUPTOOLS)
    assert codes(repo) == []  # the version file is missing: unknown, never drift
    version_file = repo / "attrpkg/src/attrpkg/__init__.py"
    write(version_file, '__version__ = "0.1.1"\n')
    assert codes(repo) == []
    replace_in(version_file, '"0.1.1"', '"0.1-x"')
    assert codes(repo) == [("invalid-version", "attrpkg/src/attrpkg/__init__.py")]
    assert len(scans) == 3


def test_files_moments_old_are_proved_by_their_bytes_not_their_stamps(repo: Path, run: Run) -> None:
    first = run("check", "--root", repo)
    head = head_commit(str(repo / ".git"))
    stored = cache.load(str(repo / ".git/versync/check-verdict.json"), str(repo), head)
    assert stored["listed"] and all(stamp is None for stamp, _ in stored["listed"].values())
    assert run("check", "--root", repo).out == first.out
    path = repo / CLI_PYPROJECT
    before = os.stat(path)
    replace_in(path, '"0.1.1"', '"0.1.0"')  # same size, same times: only the bytes tell
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert codes(repo) == [("group-drift", CLI_PYPROJECT)]


def test_a_corrupt_verdict_is_ignored_and_replaced(repo: Path, scans: list[str]) -> None:
    replace_in(repo / CLI_PYPROJECT, '"0.1.1"', '"0.1.0"')
    assert codes(repo) == [("group-drift", CLI_PYPROJECT)]
    verdict = repo / ".git/versync/check-verdict.json"
    verdict.write_bytes(b"not a cache")
    assert codes(repo) == [("group-drift", CLI_PYPROJECT)]
    assert verdict.read_bytes() != b"not a cache"
    assert codes(repo) == [("group-drift", CLI_PYPROJECT)]
    assert len(scans) == 2


def test_the_verdict_can_be_turned_off(
    repo: Path, scans: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VERSYNC_NO_CACHE", "1")
    assert codes(repo) == codes(repo) == []
    assert len(scans) == 2
    assert not (repo / ".git/versync").exists()


def test_a_second_check_in_a_new_process_is_answered_from_the_verdict(repo: Path) -> None:
    """Across processes, as the hook runs: the verdict written by one `versync check` answers
    the next without importing the model (files must be older than the racy window)."""
    time.sleep(2.1)
    command = [sys.executable, "-X", "importtime", "-m", "versync", "check", "--root", str(repo)]
    first = subprocess.run(command, capture_output=True, text=True, check=False)
    second = subprocess.run(command, capture_output=True, text=True, check=False)
    assert (first.returncode, second.returncode) == (0, 0)
    assert first.stdout == second.stdout == "11 packages checked: all versions agree\n"
    imported = {line.rsplit("|", 1)[-1].strip() for line in second.stderr.splitlines()}
    assert "versync.workspace" in {
        line.rsplit("|", 1)[-1].strip() for line in first.stderr.splitlines()
    }
    assert {"versync.workspace", "versync.model", "versync.rules", "tomllib"} & imported == set()


def test_a_commit_that_leaves_the_files_untouched_gets_a_fresh_verdict(
    tmp_path: Path, scans: list[str]
) -> None:
    from tests.test_history import commit_all, git, python_package, set_version

    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    for name in ("c-a", "c-b", "c-c"):
        python_package(root, name, "0.3.0")
    write(root / "versync.toml", '[groups]\ncore = ["c-*"]\n')
    commit_all(root, "core 0.3.0")
    set_version(root, "c-b", "0.3.0", "0.4.0")
    os.utime(root / "c-b/pyproject.toml", ns=(1, 1_000_000_000))  # old enough to be stored
    # A release in progress: the two left behind follow c-b.
    assert codes(root) == [
        ("group-drift", "c-a/pyproject.toml"),
        ("group-drift", "c-c/pyproject.toml"),
    ]
    assert codes(root) == [
        ("group-drift", "c-a/pyproject.toml"),
        ("group-drift", "c-c/pyproject.toml"),
    ]
    assert len(scans) == 1  # the verdict answered the second check
    commit_all(root, "c-b alone, past the hook")  # no file changes on disk
    # Committed, the drift is no longer an edit in progress: the majority decides.
    assert codes(root) == [("group-drift", "c-b/pyproject.toml")]
    assert len(scans) == 2


def test_another_build_of_versync_does_not_replay_the_verdict(
    repo: Path, scans: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from versync._fs import build

    codes(repo)
    codes(repo)
    assert len(scans) == 1
    monkeypatch.setattr(build, "_stamp", ("0.0.0-other", 0, 0, 0))
    codes(repo)
    assert len(scans) == 2
