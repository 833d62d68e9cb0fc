"""The scan cache: used when nothing changed, never stale when something did."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import versync
from tests.conftest import replace_in
from versync._fs import cache, plain
from versync.errors import PlanError
from versync.records import Span

CLI_PYPROJECT = "ryeos-cli/pyproject.toml"


@pytest.fixture
def repo(git_seed: Path) -> Path:
    """The seed, after the first run in its clone (which keeps no records)."""
    versync.scan(git_seed)
    return git_seed


@pytest.fixture
def no_racy_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by a test are seconds old at most; let the cache keep them anyway."""
    monkeypatch.setattr(cache, "_RACY_NS", 0)


def cache_entries(root: Path) -> dict[str, list[cache.Entry]]:
    return cache.ScanCache.for_root(str(root)).entries


def parsed_by(workspace: versync.Workspace) -> set[str]:
    """The files this scan had to read (those the cache did not answer)."""
    return set(workspace._texts)


@pytest.mark.usefixtures("no_racy_window")
def test_the_first_run_in_a_clone_keeps_no_records_and_the_next_scan_does(
    git_seed: Path,
) -> None:
    cache_file = git_seed / ".git/versync/scan-cache.json"
    first = versync.scan(git_seed)
    assert len(parsed_by(first)) == 20
    header, _, payload = cache_file.read_bytes().partition(b"\n")
    assert payload == b"" and b'"size": 0' in header
    assert cache_entries(git_seed) == {}
    second = versync.scan(git_seed)  # a cache is there: this run keeps what it parsed
    assert parsed_by(second) == parsed_by(first) == set(cache_entries(git_seed))
    assert parsed_by(versync.scan(git_seed)) == set()


@pytest.mark.usefixtures("no_racy_window")
def test_a_cache_this_build_cannot_read_is_not_a_first_run(git_seed: Path) -> None:
    cache_file = git_seed / ".git/versync/scan-cache.json"
    cache_file.parent.mkdir(parents=True)
    cache_file.write_bytes(b"written by another build of versync\n")
    versync.scan(git_seed)
    assert len(cache_entries(git_seed)) == 20


@pytest.mark.usefixtures("no_racy_window")
def test_second_scan_reads_nothing(repo: Path) -> None:
    first = versync.scan(repo)
    assert (repo / ".git/versync/scan-cache.json").is_file()
    assert (
        set(cache_entries(repo)) == parsed_by(first) and len(parsed_by(first)) == 20
    )  # with versync.toml
    second = versync.scan(repo)
    assert parsed_by(second) == set()
    assert [(p.name, str(p.published_version)) for p in second.packages] == [
        (p.name, str(p.published_version)) for p in first.packages
    ]
    assert second.check() == first.check() == []


@pytest.mark.usefixtures("no_racy_window")
@pytest.mark.parametrize("keep_mtime", [True, False], ids=["same-size-same-mtime", "plain-edit"])
def test_an_edited_file_is_never_served_stale(repo: Path, keep_mtime: bool) -> None:
    versync.scan(repo)
    path = repo / CLI_PYPROJECT
    before = os.stat(path)
    replace_in(path, '"0.1.1"', '"0.1.0"')  # same size
    if keep_mtime:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size
    workspace = versync.scan(repo)
    assert parsed_by(workspace) == {CLI_PYPROJECT}
    assert [(f.code, f.file) for f in workspace.check()] == [("group-drift", CLI_PYPROJECT)]


@pytest.mark.usefixtures("no_racy_window")
def test_a_file_replaced_by_rename_is_read_again(repo: Path) -> None:
    versync.scan(repo)
    path = repo / CLI_PYPROJECT
    replacement = path.with_suffix(".new")
    replacement.write_bytes(path.read_bytes().replace(b'"0.1.1"', b'"0.1.0"', 1))
    os.replace(replacement, path)
    assert parsed_by(versync.scan(repo)) == {CLI_PYPROJECT}


def test_files_changed_moments_ago_are_cached_by_content_only(repo: Path) -> None:
    first = versync.scan(repo)
    entries = cache_entries(repo)
    assert set(entries) == parsed_by(first)
    assert all(entry[0] is None for kept in entries.values() for entry in kept)
    # Every stamp is too recent to trust: git hashes the files, and the cache serves each by
    # the blob id of its bytes; only the configuration, read before the rest, is read again.
    second = versync.scan(repo)
    assert parsed_by(second) == {"versync.toml"}
    assert second.check() == first.check() == []


def test_cache_can_be_turned_off(
    git_seed: Path, monkeypatch: pytest.MonkeyPatch, no_racy_window: None
) -> None:
    monkeypatch.setenv("VERSYNC_NO_CACHE", "1")
    versync.scan(git_seed)
    versync.scan(git_seed)
    assert not (git_seed / ".git/versync").exists()


@pytest.mark.usefixtures("no_racy_window")
def test_a_corrupt_cache_is_ignored_and_replaced(repo: Path) -> None:
    versync.scan(repo)
    (repo / ".git/versync/scan-cache.json").write_bytes(b"not a cache")
    assert len(parsed_by(versync.scan(repo))) == 20
    assert len(cache_entries(repo)) == 20


def _doctor(payload: bytes) -> bytes:
    """The seed's version changed inside the cached records: the cache still decodes."""
    assert b'"0.1.1"' in payload
    return payload.replace(b'"0.1.1"', b'"0.1.9"')


def _rewrite(path: Path, edit: Callable[[bytes, bytes], tuple[bytes, bytes]]) -> None:
    header, _, payload = path.read_bytes().partition(b"\n")
    header, payload = edit(header, payload)
    path.write_bytes(header + b"\n" + payload)


def _other_build(header: bytes, payload: bytes) -> tuple[bytes, bytes]:
    fields = json.loads(header)
    fields["build"] = "0.1.0|another build of the same version"
    return json.dumps(fields, sort_keys=True).encode(), payload


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda h, p: (h, _doctor(p)), id="altered-but-still-decodes"),
        pytest.param(lambda h, p: (h, p[: len(p) // 2]), id="truncated"),
        pytest.param(_other_build, id="written-by-another-build-of-the-same-version"),
        pytest.param(
            lambda h, p: (h.replace(b"versync-cache-2", b"versync-cache-1"), p), id="older-format"
        ),
    ],
)
@pytest.mark.usefixtures("no_racy_window")
def test_a_cache_that_is_not_exactly_what_this_build_wrote_is_never_trusted(
    repo: Path, edit: Callable[[bytes, bytes], tuple[bytes, bytes]]
) -> None:
    versync.scan(repo)
    _rewrite(repo / ".git/versync/scan-cache.json", edit)
    workspace = versync.scan(repo)
    assert len(parsed_by(workspace)) == 20
    assert "0.1.9" not in {str(p.published_version) for p in workspace.packages}
    assert workspace.check() == []


@pytest.mark.usefixtures("no_racy_window")
def test_a_record_schema_change_invalidates_the_cache(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    versync.scan(repo)
    monkeypatch.setitem(plain._CLASSES, "Span", (Span, ("file", "line", "column", "start", "end")))
    assert len(parsed_by(versync.scan(repo))) == 20


@pytest.mark.usefixtures("no_racy_window")
def test_a_cached_file_changed_after_the_scan_stops_the_plan(repo: Path) -> None:
    versync.scan(repo)
    workspace = versync.scan(repo)
    replace_in(repo / CLI_PYPROJECT, "pyyaml>=6.0", "pyyaml>=6.1")
    with pytest.raises(
        PlanError, match=r"ryeos-cli/pyproject\.toml: changed on disk since it was scanned"
    ):
        workspace.bump("0.1.2")


@pytest.mark.usefixtures("no_racy_window")
def test_a_git_worktree_keeps_its_cache_in_its_own_git_directory(
    repo: Path, tmp_path: Path
) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "seed"], cwd=repo, check=True)
    worktree = tmp_path / "second"
    subprocess.run([*git, "worktree", "add", "-q", str(worktree)], cwd=repo, check=True)
    assert (worktree / ".git").is_file()
    versync.scan(worktree)  # the first run in this worktree: an empty cache
    versync.scan(worktree)
    assert (repo / ".git/worktrees/second/versync/scan-cache.json").is_file()
    assert parsed_by(versync.scan(worktree)) == set()
