"""Content known by blob id: the listing reads git's staged blob ids, and the caches serve a
parse for a rewritten file only when its bytes are provably the ones parsed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import versync
from tests.conftest import Run, git, replace_in, write
from versync import scanning
from versync._fs import cache
from versync._fs.listing import Listing
from versync._fs.reading import blob_id
from versync.formats import manifest_names, read_manifest
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


def test_a_parse_is_served_only_for_the_bytes_it_was_made_from_whatever_git_filters(
    repo: Path, run: Run
) -> None:
    """With `core.autocrlf`, git stores LF and checks out CRLF: the staged blob is not the
    blob of the file's bytes, and a parse of the LF bytes must not serve the CRLF file."""
    versync.scan(repo)
    versync.scan(repo)  # the records of the LF bytes are kept
    git(repo, "config", "core.autocrlf", "true")
    rewrite_every_manifest(repo)  # the same files, checked out with CRLF
    crlf = repo / CLI_PYPROJECT
    assert b"\r\n" in crlf.read_bytes()
    workspace = versync.scan(repo)
    listed = Listing(str(repo)).paths(manifest_names())
    assert workspace.blobs == {p: blob_id((repo / p).read_bytes()) for p in listed}
    assert workspace.check() == []
    assert run("bump", "--root", repo, "0.1.2").code == 0
    bumped = crlf.read_bytes()
    assert b'version = "0.1.2"\r\n' in bumped and b"\n" not in bumped.replace(b"\r\n", b"")
    assert run("check", "--root", repo).code == 0


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


def test_a_verdict_has_git_hash_rewritten_files_once_and_hashes_a_few_itself(
    repo: Path, scans: list[str], hashed: list[list[str]]
) -> None:
    assert check_listed(Listing(str(repo))).findings == []
    assert hashed == []  # a cold scan: no parse to find by blob id
    rewrite_every_manifest(repo)
    assert check_listed(Listing(str(repo))).findings == []
    [asked] = hashed
    assert sorted(asked) == Listing(str(repo)).paths(manifest_names())
    os.utime(repo / CLI_PYPROJECT, ns=(5, 5))
    assert check_listed(Listing(str(repo))).findings == []
    assert len(hashed) == 1  # one touched file: hashed here
    assert len(scans) == 1


def test_a_verdict_is_not_proved_by_what_git_would_store_but_by_the_bytes(
    repo: Path, scans: list[str]
) -> None:
    assert check_listed(Listing(str(repo))).findings == []
    git(repo, "config", "core.autocrlf", "true")
    rewrite_every_manifest(repo)  # CRLF now: git finds every file clean
    assert git(repo, "status", "--porcelain") == ""
    assert check_listed(Listing(str(repo))).findings == []
    assert len(scans) == 2  # other bytes: checked again


def test_a_scan_after_a_failed_proof_takes_what_git_hashed_for_it(
    repo: Path, scans: list[str], hashed: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    versync.scan(repo)
    versync.scan(repo)  # a run after the first in a clone keeps the parses
    assert check_listed(Listing(str(repo))).findings == []
    listed = Listing(str(repo)).paths(manifest_names())
    rewrite_every_manifest(repo)
    write(repo / "newpkg/pyproject.toml", '[project]\nname = "newpkg"\nversion = "2.0"\n')
    parsed: list[str] = []

    def counted(path: str, text: str) -> object:
        parsed.append(path)
        return read_manifest(path, text)

    monkeypatch.setattr(scanning, "read_manifest", counted)
    assert check_listed(Listing(str(repo))).findings == []  # a new file: the proof fails
    assert len(scans) == 4
    [asked] = hashed  # by the proof, and the scan took its answer
    assert sorted(asked) == listed
    assert parsed == ["newpkg/pyproject.toml"]
