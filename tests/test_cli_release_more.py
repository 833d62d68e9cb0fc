"""`versync bump --tag` when git refuses the tag, release checks in each output format, and
bumps refused because a file they must edit is broken."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run, snapshot, write
from tests.test_cli_bump_commit import TWO_GROUPS, git, repo  # noqa: F401 (fixture)


def test_a_tag_git_refuses_after_the_commit_exits_1_and_says_so(repo: Path, run: Run) -> None:  # noqa: F811
    git(repo, "config", "tag.gpgSign", "true")
    git(repo, "config", "gpg.program", "false")  # signing fails: git refuses the tag
    head = git(repo, "rev-parse", "HEAD")
    result = run("bump", "--root", repo, "0.1.2", "--tag")
    assert result.code == 1
    assert "versync: git refused the tag v0.1.2; make it by hand" in result.err
    assert git(repo, "rev-parse", "HEAD") != head  # the commit was made
    assert git(repo, "log", "-1", "--format=%s").strip() == "Release 0.1.2"
    assert git(repo, "tag", "--list") == ""


def test_a_refused_tag_in_json_says_refused(repo: Path, run: Run) -> None:  # noqa: F811
    git(repo, "config", "tag.gpgSign", "true")
    git(repo, "config", "gpg.program", "false")
    result = run("bump", "--root", repo, "0.1.2", "--tag", "--json")
    assert result.code == 1
    document = json.loads(result.out)
    assert document["refused"] is True
    assert document["commit"] == git(repo, "rev-parse", "HEAD").strip()


def test_a_json_dry_run_writes_nothing(repo: Path, run: Run) -> None:  # noqa: F811
    before = snapshot(repo)
    result = run("bump", "--root", repo, "0.1.2", "--commit", "--dry-run", "--json")
    assert result.code == 0
    document = json.loads(result.out)
    assert (document["message"], document["tag"]) == ("Release 0.1.2", None)
    assert "ryeos/pyproject.toml" in document["would_write"]
    assert '+version = "0.1.2"' in document["diff"]
    assert "commit" not in document
    assert snapshot(repo) == before


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        pytest.param("github", "::error file=", id="github"),
        pytest.param("text", "[tag-mismatch]", id="text"),
    ],
)
def test_a_tag_expectation_is_reported_in_each_format(
    seed: Path, run: Run, fmt: str, expected: str
) -> None:
    write(seed / "versync.toml", TWO_GROUPS)
    result = run("check", "--root", seed, "--expect", "kernel-v0.2.0", "--format", fmt)
    assert result.code == 1
    assert result.out.count(expected) == 3  # lillux, lillux-proc, lillux-watch
    assert "ryeos" not in result.out


@pytest.mark.parametrize("timeout", ["0", "-1", "soon", "nan"])
def test_a_timeout_that_is_not_a_positive_number_is_a_usage_error(
    seed: Path, run: Run, timeout: str
) -> None:
    result = run("check", "--root", seed, "--published", "--timeout", timeout)
    assert result.code == 2
    assert f"not a positive number of seconds: {timeout!r}" in result.err


def test_a_bump_that_must_edit_a_broken_lock_file_is_refused(seed: Path, run: Run) -> None:
    write(seed / "lillux/proc/Cargo.lock", "[[package]\n")
    before = snapshot(seed)
    result = run("bump", "--root", seed, "0.1.2")
    assert result.code == 2
    assert result.err.startswith("versync: lillux/proc/Cargo.lock:1:")
    assert "this change must edit it: repair the file first (nothing was written)" in result.err
    assert snapshot(seed) == before
