"""`head_commit` read from git's files, and verdicts kept across branch switches."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import git, replace_in, write
from versync._fs import cache
from versync._fs.listing import Listing
from versync._fs.reading import listed_file_stamps
from versync.verdict import check_listed, head_commit

CLI_PYPROJECT = "ryeos-cli/pyproject.toml"
A = "a" * 40
B = "b" * 40


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"HEAD": f"{A}\n"}, A),
        ({"HEAD": "ref: refs/heads/main\n", "refs/heads/main": f"{A}\n"}, A),
        (
            {
                "HEAD": "ref: refs/heads/main\n",
                "packed-refs": f"# pack-refs with: peeled\n{B} refs/heads/other\n{A} refs/heads/main\n",
            },
            A,
        ),
        ({"HEAD": "ref: refs/heads/main\n", "packed-refs": f"{B} refs/heads/other\n"}, None),
        ({"HEAD": "ref: refs/heads/main\n"}, None),
        ({}, None),
        ({"HEAD": "ref: main\n", "main": f"{A}\n"}, None),
        (
            {
                "HEAD": "ref: refs/heads/main\n",
                "refs/heads/main": "not an id\n",
                "packed-refs": f"{A} refs/heads/main\n",
            },
            A,
        ),
    ],
    ids=[
        "detached",
        "loose-ref",
        "packed-ref",
        "other-branch-packed",
        "unborn-branch",
        "no-head",
        "not-a-ref",
        "a-loose-ref-that-is-no-id",
    ],
)
def test_head_commit_from_git_files(
    tmp_path: Path, files: dict[str, str], expected: str | None
) -> None:
    for name, text in files.items():
        write(tmp_path / name, text)
    assert head_commit(str(tmp_path)) == expected


def test_head_commit_outside_git() -> None:
    assert head_commit(None) is None


def test_head_commit_of_a_linked_worktree_reads_the_common_directory(tmp_path: Path) -> None:
    common = tmp_path / "main.git"
    linked = common / "worktrees" / "wt"
    write(linked / "HEAD", "ref: refs/heads/feature\n")
    write(linked / "commondir", "../..\n")
    write(common / "packed-refs", f"{B} refs/heads/feature\n")
    assert head_commit(str(linked)) == B
    write(common / "refs/heads/feature", f"{A}\n")  # a loose ref wins over the packed one
    assert head_commit(str(linked)) == A


def test_head_commit_agrees_with_git(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    dot_git = str(root / ".git")
    assert head_commit(dot_git) is None  # no commit yet
    write(root / "f.txt", "one\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "one")
    first = git(root, "rev-parse", "HEAD")
    assert head_commit(dot_git) == first
    git(root, "pack-refs", "--all")
    assert not (root / ".git/refs/heads/main").exists()
    assert head_commit(dot_git) == first
    write(root / "f.txt", "two\n")
    git(root, "commit", "-q", "-am", "two")
    git(root, "checkout", "-q", "--detach", first)
    assert head_commit(dot_git) == first
    git(root, "checkout", "-q", "main")
    git(root, "worktree", "add", "-q", str(tmp_path / "wt"), first)
    linked = git(tmp_path / "wt", "rev-parse", "--absolute-git-dir")
    assert head_commit(linked) == first
    git(tmp_path / "wt", "checkout", "-q", "-b", "side")
    assert head_commit(linked) == first
    assert head_commit(dot_git) == git(root, "rev-parse", "HEAD") != first


def commit_seed(root: Path) -> None:
    """The seed layout committed as it is."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "seed")


def codes(root: Path) -> list[str]:
    return [f.code for f in check_listed(Listing(str(root))).findings]


def test_switching_branches_back_and_forth_is_answered_from_kept_verdicts(
    git_seed: Path, scans: list[str]
) -> None:
    root = git_seed
    git(root, "checkout", "-q", "-b", "main")
    commit_seed(root)
    git(root, "checkout", "-q", "-b", "drift")
    replace_in(root / CLI_PYPROJECT, 'version = "', 'version = "9')
    git(root, "commit", "-q", "-am", "drift")
    on_drift = codes(root)
    assert on_drift != []
    git(root, "checkout", "-q", "main")
    assert codes(root) == []
    assert len(scans) == 2
    for _ in range(2):
        git(root, "checkout", "-q", "drift")
        assert codes(root) == on_drift
        git(root, "checkout", "-q", "main")
        assert codes(root) == []
    assert len(scans) == 2  # both states came back from their verdicts
    verdicts = sorted(p.name for p in (root / ".git/versync").glob("check-verdict*.json"))
    assert verdicts == ["check-verdict-1.json", "check-verdict.json"]


def test_after_a_checkout_only_the_verdict_stored_at_the_new_head_is_decoded(
    git_seed: Path, scans: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = git_seed
    git(root, "checkout", "-q", "-b", "main")
    commit_seed(root)
    assert codes(root) == []
    git(root, "checkout", "-q", "-b", "drift")
    replace_in(root / CLI_PYPROJECT, 'version = "', 'version = "9')
    git(root, "commit", "-q", "-am", "drift")
    on_drift = codes(root)
    git(root, "checkout", "-q", "main")  # the newest verdict is the other branch's
    decoded: list[object] = []
    load = cache.load

    def counting_load(path: str, root: str, key: str | None = None) -> Any:
        found = load(path, root, key)
        if found is not None:
            decoded.append(found)
        return found

    monkeypatch.setattr(cache, "load", counting_load)
    assert codes(root) == []
    assert len(scans) == 2 and len(decoded) == 1
    git(root, "checkout", "-q", "drift")
    assert codes(root) == on_drift
    assert len(scans) == 2 and len(decoded) == 2


def test_an_edit_no_commit_holds_is_scanned_not_matched_to_an_older_verdict(
    git_seed: Path, scans: list[str]
) -> None:
    root = git_seed
    commit_seed(root)
    assert codes(root) == []
    replace_in(root / CLI_PYPROJECT, 'version = "', 'version = "9')
    drifted = codes(root)
    assert drifted != []
    replace_in(root / CLI_PYPROJECT, 'version = "9', 'version = "8')
    assert codes(root) != []
    assert len(scans) == 3


@pytest.fixture
def repo(git_seed: Path) -> Path:
    """The seed layout with a package whose version file hatchling reads (a verdict extra)."""
    write(
        git_seed / "pkg/pyproject.toml",
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
        '[project]\nname = "pkg"\ndynamic = ["version"]\n\n'
        '[tool.hatch.version]\npath = "src/pkg/__about__.py"\n',
    )
    write(git_seed / "pkg/src/pkg/__about__.py", '__version__ = "1.2.0"\n')
    return git_seed


def verdict_file(root: Path) -> str:
    return str(root / ".git/versync/check-verdict.json")


def stored_verdict(root: Path) -> dict[str, Any]:
    stored = cache.load(verdict_file(root), str(root), head_commit(str(root / ".git")))
    assert isinstance(stored, dict)
    assert cache.load(verdict_file(root), str(root), "0" * 40) is None  # another commit's
    return stored


def first_listed(stored: dict[str, Any]) -> str:
    path = next(iter(stored["listed"]))
    assert isinstance(path, str)
    return path


def first_extra(stored: dict[str, Any]) -> str:
    [path] = [p for p, proof in stored["extras"].items() if proof is not None]
    assert isinstance(path, str)
    return path


@pytest.mark.parametrize(
    "spoil",
    [
        lambda v: v.pop("head"),
        lambda v: v.update(packages=["lillux", 3]),
        lambda v: v.update(findings="none"),
        lambda v: v.update(findings=["not a finding"]),
        lambda v: v.update(notes=[{"code": "template"}]),
        lambda v: v["listed"].update({first_listed(v): [[1, 2, 3], "0" * 40]}),
        lambda v: v["listed"].update({first_listed(v): [None]}),
        lambda v: v["extras"].update({first_extra(v): [["x", 1, 2, 3], "0" * 40]}),
        lambda v: v.update(head=7),
        lambda v: v.update(names=[]),
        lambda v: v.update(names=["pyproject.toml", 3]),
        lambda v: v.update(names="pyproject.toml"),
    ],
    ids=[
        "a-key-missing",
        "a-package-not-a-name",
        "findings-not-a-list",
        "a-finding-not-a-finding",
        "a-note-not-a-note",
        "a-stamp-of-three",
        "a-proof-without-blob",
        "an-extra-with-a-bad-stamp",
        "head-not-a-commit",
        "no-file-names",
        "a-file-name-not-a-string",
        "file-names-not-a-list",
    ],
)
def test_a_malformed_stored_verdict_is_never_replayed(
    repo: Path, scans: list[str], spoil: Any
) -> None:
    root = repo
    assert codes(root) == []
    assert codes(root) == []
    assert len(scans) == 1  # the control: the stored verdict answers as written
    stored = stored_verdict(root)
    spoil(stored)
    cache.store(verdict_file(root), str(root), stored, head_commit(str(root / ".git")))
    assert codes(root) == []
    assert len(scans) == 2
    assert codes(root) == []
    assert len(scans) == 2  # replaced by a good verdict


def test_an_extra_file_is_proved_by_its_stamp_else_by_its_bytes(
    repo: Path, scans: list[str]
) -> None:
    root = repo
    assert codes(root) == []
    extra = first_extra(stored_verdict(root))
    os.utime(root / extra, ns=(1, 1_000_000_000))  # same bytes, another stamp
    assert codes(root) == []
    assert len(scans) == 1
    assert stored_verdict(root)["extras"][extra][0][1] == 1_000_000_000  # restamped
    text = (root / extra).read_bytes()
    (root / extra).write_bytes(text + b"\n# edited\n")
    codes(root)
    assert len(scans) == 2


def test_a_file_over_the_size_limit_is_left_to_the_scan(
    repo: Path, scans: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from versync import verdict

    root = repo
    assert codes(root) == []
    monkeypatch.setattr(verdict, "MAX_FILE_SIZE", 1)
    os.utime(root / CLI_PYPROJECT, ns=(1, 1_000_000_000))  # same bytes: to be hashed
    assert codes(root) == []
    assert len(scans) == 2


def test_an_interrupted_bump_is_reported_beside_the_verdict_never_stored_in_it(
    repo: Path, scans: list[str]
) -> None:
    root = repo
    assert codes(root) == []
    journal = root / ".git/versync/journal.json"
    journal.write_bytes(b"{")
    assert codes(root) == ["interrupted-bump"]
    assert len(scans) == 1
    journal.unlink()
    assert codes(root) == []
    assert len(scans) == 1


def test_a_verdict_answers_with_the_file_names_it_stored_without_importing_the_readers(
    repo: Path,
) -> None:
    from versync.formats import manifest_names

    assert codes(repo) == []
    assert stored_verdict(repo)["names"] == sorted(manifest_names())
    done = subprocess.run(
        [sys.executable, "-c", WARM_IMPORTS], cwd=repo, capture_output=True, text=True, check=True
    )
    assert done.stderr.split() == ["0", "False"], done.stdout


WARM_IMPORTS = """
import sys
from versync._cli import main
code = main(["check"])
print(code, "versync.formats.pyproject" in sys.modules, file=sys.stderr)
"""


def test_stamps_taken_early_are_kept_for_the_paths_listed_and_the_rest_taken_now(
    tmp_path: Path,
) -> None:
    from versync.verdict import _stamps

    for name in ("kept", "new", "gone", "late"):
        write(tmp_path / name / "pyproject.toml", "")
    early = listed_file_stamps(
        str(tmp_path), ["kept/pyproject.toml", "gone/pyproject.toml", "late/pyproject.toml"]
    )
    (tmp_path / "late/pyproject.toml").unlink()  # deleted after its early stamp
    (tmp_path / "late/pyproject.toml").mkdir()
    stamps = _stamps(
        str(tmp_path), ["new/pyproject.toml", "kept/pyproject.toml", "late/pyproject.toml"], early
    )
    assert list(stamps) == ["new/pyproject.toml", "kept/pyproject.toml", "late/pyproject.toml"]
    assert stamps["kept/pyproject.toml"] == early["kept/pyproject.toml"]
    assert stamps == {
        **listed_file_stamps(str(tmp_path), ["new/pyproject.toml", "kept/pyproject.toml"]),
        "late/pyproject.toml": early["late/pyproject.toml"],
    }  # in listed order; a change after its stamp is, as after any stat, a change after the check


def test_a_cache_restored_into_a_fresh_clone_at_the_same_path_answers_without_parsing(
    git_seed: Path, tmp_path: Path, scans: list[str]
) -> None:
    """A CI job that restores `.git/versync` from the last job (same checkout path, new
    files): git's blob ids prove the files, so the check is answered from the verdict."""
    import shutil

    commit_seed(git_seed)
    job = tmp_path / "job"
    git(tmp_path, "clone", "-q", str(git_seed), str(job))
    assert codes(job) == []
    assert len(scans) == 1
    saved = tmp_path / "saved"
    shutil.copytree(job / ".git/versync", saved)
    shutil.rmtree(job)  # the next job starts from a fresh clone at the same path
    git(tmp_path, "clone", "-q", str(git_seed), str(job))
    shutil.copytree(saved, job / ".git/versync")
    assert codes(job) == []
    assert len(scans) == 1  # no scan: every file proved by the blob id git gives for it
    replace_in(job / CLI_PYPROJECT, 'version = "', 'version = "9')
    assert codes(job) != []  # and a real change is still seen


def test_a_first_check_that_read_the_untracked_files_last_stores_them_in_its_verdict(
    git_seed: Path, scans: list[str]
) -> None:
    root = git_seed
    commit_seed(root)
    write(root / "new-tool/pyproject.toml", '[project]\nname = "new-tool"\nversion = "0.1.0"\n')
    first = check_listed(Listing(str(root)))  # no verdict yet: the tracked files read first
    assert "new-tool" in first.packages
    assert "new-tool/pyproject.toml" in stored_verdict(root)["listed"]
    assert check_listed(Listing(str(root))) == first
    assert len(scans) == 1  # proved by the stamps it stored, the untracked file's among them
    replace_in(root / "new-tool/pyproject.toml", 'name = "new-tool"', 'name = "renamed-tool"')
    assert "renamed-tool" in check_listed(Listing(str(root))).packages
    assert len(scans) == 2


def test_a_verdict_is_not_rewritten_for_stamps_too_recent_to_prove_anything(
    repo: Path, scans: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo
    assert codes(root) == []
    listed, extra = first_listed(stored_verdict(root)), first_extra(stored_verdict(root))
    written = os.stat(verdict_file(root)).st_mtime_ns
    monkeypatch.setattr(cache, "_RACY_NS", 10**18)  # every stamp is "just now"
    for path in (listed, extra):  # rewritten with the same bytes, as a checkout does
        (root / path).write_bytes((root / path).read_bytes())
    assert codes(root) == []
    assert len(scans) == 1  # proved by their bytes
    assert os.stat(verdict_file(root)).st_mtime_ns == written  # nothing learnt: not written
    monkeypatch.setattr(cache, "_RACY_NS", 0)  # later: the stamps now prove the files
    assert codes(root) == []
    assert len(scans) == 1
    stored = stored_verdict(root)
    assert stored["listed"][listed][0] is not None and stored["extras"][extra][0] is not None
    assert os.stat(verdict_file(root)).st_mtime_ns != written
