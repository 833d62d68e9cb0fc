"""Content known by blob id: the listing reads git's staged blob ids, and the caches serve a
parse for a rewritten file only when its bytes are provably the ones parsed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import versync
from tests.conftest import git, replace_in, write
from versync._fs import cache
from versync._fs.listing import Listing
from versync._fs.reading import blob_id
from versync.formats import manifest_names
from versync.verdict import check_listed

CLI_PYPROJECT = "ryeos-cli/pyproject.toml"


@pytest.fixture
def repo(git_seed: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seed layout, committed; files written by a test are not held back as racy."""
    monkeypatch.setattr(cache, "_RACY_NS", 0)
    git(git_seed, "add", "-A")
    git(git_seed, "commit", "-qm", "seed")
    return git_seed


def rewrite_every_manifest(root: Path, but: str = "") -> None:
    """What a branch switch or `git reset --hard` does: new files, the same bytes."""
    listing = Listing(str(root))
    for path in listing.paths(manifest_names()):
        if path != but:
            os.unlink(root / path)
    git(root, "checkout", "--", *(["."] if not but else [f":(exclude){but}", "."]))


@pytest.mark.parametrize(
    "data",
    [b"", b"[project]\nname = 'a'\n", "é\r\n".encode(), bytes(range(256))],
    ids=["empty", "toml", "crlf-utf8", "binary"],
)
def test_blob_id_is_what_git_hash_object_prints(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "file"
    path.write_bytes(data)
    expected = subprocess.run(
        ["git", "hash-object", str(path)], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert blob_id(data) == expected


def test_the_listing_reads_the_staged_blob_of_tracked_files_only(repo: Path) -> None:
    write(repo / "newpkg/pyproject.toml", '[project]\nname = "newpkg"\n')
    git(repo, "update-index", "--assume-unchanged", "lillux/proc/Cargo.toml")
    git(repo, "update-index", "--skip-worktree", "lillux/proc/pyproject.toml")
    listing = Listing(str(repo))
    paths = listing.paths(manifest_names())
    assert "newpkg/pyproject.toml" in paths and CLI_PYPROJECT in paths
    assert listing.blobs[CLI_PYPROJECT] == blob_id((repo / CLI_PYPROJECT).read_bytes())
    untrusted = {"newpkg/pyproject.toml", "lillux/proc/Cargo.toml", "lillux/proc/pyproject.toml"}
    assert untrusted & set(listing.blobs) == set()
    assert set(listing.blobs) == set(paths) - untrusted


def test_clean_blobs_leaves_out_what_differs_from_the_index(repo: Path) -> None:
    path = repo / CLI_PYPROJECT
    before = os.stat(path)
    replace_in(path, '"0.1.1"', '"0.1.0"')  # same size, same mtime
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    listing = Listing(str(repo))
    paths = listing.paths(manifest_names())
    clean = listing.clean_blobs(paths, manifest_names())
    assert set(clean) == set(paths) - {CLI_PYPROJECT}
    assert all(blob_id((repo / p).read_bytes()) == blob for p, blob in clean.items())


def test_clean_blobs_of_a_subfolder_root_are_relative_to_it(repo: Path) -> None:
    replace_in(repo / "lillux/proc/Cargo.toml", '"0.1.1"', '"0.1.0"')
    listing = Listing(str(repo / "lillux"))
    paths = listing.paths(manifest_names())
    assert "proc/Cargo.toml" in paths
    assert set(listing.clean_blobs(paths, manifest_names())) == set(paths) - {"proc/Cargo.toml"}


def test_files_rewritten_with_the_same_bytes_are_not_parsed_again(repo: Path) -> None:
    first = versync.scan(repo)
    rewrite_every_manifest(repo)
    second = versync.scan(repo)
    assert second._texts.keys() <= {p for p in first._texts if p not in Listing(str(repo)).blobs}
    assert second.check() == first.check() == []
    assert second.blobs == first.blobs


def test_a_branch_switch_back_and_forth_reuses_both_parses(repo: Path) -> None:
    versync.scan(repo)
    git(repo, "checkout", "-qb", "other")
    replace_in(repo / CLI_PYPROJECT, '"0.1.1"', '"0.1.0"')
    git(repo, "commit", "-qam", "drift")
    assert [f.code for f in versync.scan(repo).check()] == ["group-drift"]
    git(repo, "checkout", "-q", "-")
    assert versync.scan(repo)._texts.keys() <= {CLI_PYPROJECT}
    git(repo, "checkout", "-q", "other")
    switched = versync.scan(repo)
    assert switched._texts.keys() <= {CLI_PYPROJECT}
    assert [f.code for f in switched.check()] == ["group-drift"]


def test_an_assume_unchanged_file_is_read_not_taken_from_the_index(repo: Path) -> None:
    versync.scan(repo)
    git(repo, "update-index", "--assume-unchanged", CLI_PYPROJECT)
    replace_in(repo / CLI_PYPROJECT, '"0.1.1"', '"0.1.0"')  # git does not look: versync must
    rewrite_every_manifest(repo, but=CLI_PYPROJECT)
    workspace = versync.scan(repo)
    assert [(f.code, f.file) for f in workspace.check()] == [("group-drift", CLI_PYPROJECT)]


def test_a_check_after_a_rewrite_is_answered_from_the_verdict(repo: Path, scans: list[str]) -> None:
    assert check_listed(Listing(str(repo))).findings == []
    rewrite_every_manifest(repo)
    assert check_listed(Listing(str(repo))).findings == []
    replace_in(repo / CLI_PYPROJECT, '"0.1.1"', '"0.1.0"')
    rewrite_every_manifest(repo, but=CLI_PYPROJECT)  # the edit is not in the index
    drift = check_listed(Listing(str(repo))).findings
    assert [(f.code, f.file) for f in drift] == [("group-drift", CLI_PYPROJECT)]
    assert len(scans) == 2


def test_a_touched_file_is_proved_by_hashing_its_bytes(repo: Path, scans: list[str]) -> None:
    assert check_listed(Listing(str(repo))).findings == []
    os.utime(repo / CLI_PYPROJECT)
    assert check_listed(Listing(str(repo))).findings == []
    assert len(scans) == 1


def test_switching_between_two_branches_is_answered_from_their_verdicts(
    repo: Path, scans: list[str]
) -> None:
    assert check_listed(Listing(str(repo))).findings == []
    git(repo, "checkout", "-qb", "other")
    replace_in(repo / CLI_PYPROJECT, '"0.1.1"', '"0.1.0"')
    git(repo, "commit", "-qam", "drift")
    drift = [("group-drift", CLI_PYPROJECT)]
    assert [(f.code, f.file) for f in check_listed(Listing(str(repo))).findings] == drift
    for branch, expected in [("-", []), ("other", drift), ("-", []), ("other", drift)]:
        git(repo, "checkout", "-q", branch)
        findings = check_listed(Listing(str(repo))).findings
        assert [(f.code, f.file) for f in findings] == expected
    assert len(scans) == 2


def test_an_edit_checked_between_switches_does_not_evict_the_other_branch(
    repo: Path, scans: list[str]
) -> None:
    assert check_listed(Listing(str(repo))).findings == []
    git(repo, "checkout", "-qb", "other")
    replace_in(repo / CLI_PYPROJECT, '"0.1.1"', '"0.1.0"')
    git(repo, "commit", "-qam", "drift")
    assert len(check_listed(Listing(str(repo))).findings) == 1
    git(repo, "checkout", "-q", "-")
    edited = repo / "lillux/proc/pyproject.toml"
    original = edited.read_bytes()
    edited.write_bytes(original + b"# an edit\n")
    assert check_listed(Listing(str(repo))).findings == []  # a new state: scanned
    edited.write_bytes(original)
    assert check_listed(Listing(str(repo))).findings == []
    git(repo, "checkout", "-q", "other")
    assert len(check_listed(Listing(str(repo))).findings) == 1
    assert len(scans) == 3
    assert len(list((repo / ".git/versync").glob("check-verdict*.json"))) == 3
