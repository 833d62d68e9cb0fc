"""`every_path` in and outside git, and which staged blobs the listing reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import git, write
from versync._fs.listing import LISTED_NAMES, Listing
from versync.formats import manifest_names

NAMES = manifest_names()


def layout(root: Path) -> None:
    write(root / "README.md", "hello\n")
    write(root / "pkg/pyproject.toml", '[project]\nname = "pkg"\nversion = "1.0"\n')
    write(root / "pkg/src/pkg/__init__.py", "")
    write(root / "build/lib/pyproject.toml", "")
    write(root / "node_modules/x/package.json", "{}\n")
    write(root / "env/pyvenv.cfg", "home = /usr/bin\n")
    write(root / "env/lib/site.py", "")
    write(root / "pkg.egg-info/PKG-INFO", "")
    (root / "alias").symlink_to(root / "pkg", target_is_directory=True)
    (root / "link.toml").symlink_to(root / "pkg/pyproject.toml")


def test_every_path_outside_git_walks_all_files_but_skipped_folders_and_links(
    tmp_path: Path,
) -> None:
    layout(tmp_path)
    listing = Listing(str(tmp_path))
    assert listing.git_dir is None
    assert listing.every_path() == [
        "README.md",
        "pkg/pyproject.toml",
        "pkg/src/pkg/__init__.py",
    ]
    assert listing.paths(NAMES) == ["pkg/pyproject.toml"]
    assert listing.blobs == {}


def test_every_path_in_git_is_what_git_lists_tracked_or_not_ignored(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    layout(tmp_path)
    write(tmp_path / ".gitignore", "build/\nnode_modules/\nenv/\n*.egg-info/\nignored.txt\n")
    write(tmp_path / "ignored.txt", "")
    git(tmp_path, "add", "README.md", "pkg")
    git(tmp_path, "commit", "-q", "-m", "one")
    write(tmp_path / "untracked.txt", "")
    (tmp_path / "README.md").unlink()  # tracked, deleted: still listed
    assert Listing(str(tmp_path)).every_path() == [
        ".gitignore",
        "README.md",
        "alias",
        "link.toml",
        "pkg/pyproject.toml",
        "pkg/src/pkg/__init__.py",
        "untracked.txt",
    ]


def test_the_staged_blobs_are_those_of_plain_regular_entries(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    for name in ("clean", "edited", "assumed", "skipped", "executable"):
        write(tmp_path / f"{name}/pyproject.toml", f'[project]\nname = "{name}"\n')
    (tmp_path / "executable/pyproject.toml").chmod(0o755)
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "one")
    git(tmp_path, "update-index", "--assume-unchanged", "assumed/pyproject.toml")
    git(tmp_path, "update-index", "--skip-worktree", "skipped/pyproject.toml")
    for name in ("edited", "assumed", "skipped"):
        write(tmp_path / f"{name}/pyproject.toml", f'[project]\nname = "{name}-changed"\n')
    write(tmp_path / "new/pyproject.toml", "")
    listing = Listing(str(tmp_path))
    paths = listing.paths(NAMES)
    assert paths == [
        f"{name}/pyproject.toml"
        for name in ("assumed", "clean", "edited", "executable", "new", "skipped")
    ]
    staged = {p: git(tmp_path, "rev-parse", f":{p}").strip() for p in paths if "new" not in p}
    # Git does not compare assume-unchanged and skip-worktree entries with the work tree.
    assert listing.blobs == {
        p: staged[p]
        for p in ("clean/pyproject.toml", "edited/pyproject.toml", "executable/pyproject.toml")
    }


def test_without_git_a_repository_is_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(tmp_path, "init", "-q")
    write(tmp_path / "a/pyproject.toml", "")
    write(tmp_path / "build/pyproject.toml", "")
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-bin"))
    listing = Listing(str(tmp_path))
    assert listing.started is None
    assert listing.paths(NAMES) == ["a/pyproject.toml"]
    assert listing.every_path() == ["a/pyproject.toml"]


def test_a_name_that_only_ends_like_a_manifest_is_not_listed(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    write(tmp_path / "a/pyproject.toml", "")
    write(tmp_path / "b/old pyproject.toml", "")
    write(tmp_path / "c/old\tCargo.toml", "")
    git(tmp_path, "add", "-A")
    assert Listing(str(tmp_path)).paths(NAMES) == ["a/pyproject.toml"]


def test_a_repository_git_refuses_is_refused_and_its_listing_reaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from versync._fs import git as versync_git

    monkeypatch.setattr(versync_git, "HAS_POSIX_SPAWN", False)  # a Popen says it was reaped
    git(tmp_path, "init", "-q")
    write(tmp_path / "a/pyproject.toml", "")
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    listing = Listing(str(tmp_path))
    with pytest.raises(versync_git.UntrustedRepository, match=r"safe\.directory"):
        listing.paths(NAMES)
    assert listing.started is not None
    assert listing.started._process.returncode not in (None, 0)  # git ran, refused, was waited for


def test_names_not_asked_for_first_are_listed_by_asking_git_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(tmp_path, "init", "-q")
    write(tmp_path / "a/pyproject.toml", "")
    write(tmp_path / "b/Cargo.toml", "")
    git(tmp_path, "add", "a/pyproject.toml")
    listing = Listing(str(tmp_path))
    assert listing.paths(frozenset({"pyproject.toml"})) == ["a/pyproject.toml"]
    assert set(listing.blobs) == {"a/pyproject.toml"}
    write(tmp_path / "c/Cargo.toml", "")  # git lists again: what is there now
    assert listing.paths(frozenset({"Cargo.toml", "pyproject.toml"})) == [
        "a/pyproject.toml",
        "b/Cargo.toml",
        "c/Cargo.toml",
    ]
    assert listing.paths(frozenset({"Cargo.toml"})) == ["b/Cargo.toml", "c/Cargo.toml"]
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-bin"))  # git gone: the walk answers
    assert listing.paths(frozenset({"setup.cfg", "pyproject.toml"})) == ["a/pyproject.toml"]


def test_every_path_asked_first_lists_all_files_and_then_the_manifests(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    write(tmp_path / "a/pyproject.toml", "")
    write(tmp_path / "a/src/mod.py", "")
    listing = Listing(str(tmp_path))
    assert listing.every_path() == ["a/pyproject.toml", "a/src/mod.py"]
    assert listing.paths(NAMES) == ["a/pyproject.toml"]


@pytest.mark.parametrize(
    "variable",
    ["GIT_LITERAL_PATHSPECS", "GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS", "GIT_ICASE_PATHSPECS"],
)
def test_the_listing_means_the_same_whatever_pathspec_mode_the_user_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    git(tmp_path, "init", "-q")
    for path in ("pyproject.toml", "a/pyproject.toml", "a/b/pyproject.toml", "c/Cargo.toml"):
        write(tmp_path / path, "")
    write(tmp_path / "a/xpyproject.toml", "")  # matched by `*pyproject.toml`, not listed
    write(tmp_path / "a/PyProject.toml", "")  # another name, also to git's case-blind match
    git(tmp_path, "add", "-A")
    write(tmp_path / "d/pyproject.toml", "")  # untracked
    monkeypatch.setenv(variable, "1")
    listing = Listing(str(tmp_path))
    expected = ["a/b/pyproject.toml", "a/pyproject.toml", "c/Cargo.toml", "pyproject.toml"]
    assert listing.paths(NAMES) == sorted([*expected, "d/pyproject.toml"])
    assert sorted(listing.blobs) == expected


def tracked_and_not(root: Path, tracked: list[str], untracked: list[str]) -> Listing:
    """The listing of a repository whose files `tracked` are staged, `untracked` not."""
    git(root, "init", "-q")
    for path in tracked:
        write(root / path, "")
    git(root, "add", "-A")
    for path in untracked:
        write(root / path, "")
    return Listing(str(root))


def test_the_tracked_files_are_listed_before_git_has_walked_for_the_untracked(
    tmp_path: Path,
) -> None:
    write(tmp_path / ".gitignore", "ignored/\n")
    listing = tracked_and_not(
        tmp_path,
        ["a/pyproject.toml", "c/Cargo.toml"],
        ["b/pyproject.toml", "ignored/pyproject.toml"],
    )
    assert listing.tracked_paths(NAMES) == ["a/pyproject.toml", "c/Cargo.toml"]
    assert set(listing.blobs) == {"a/pyproject.toml", "c/Cargo.toml"}
    assert listing.paths(NAMES) == ["a/pyproject.toml", "b/pyproject.toml", "c/Cargo.toml"]
    assert listing.tracked_paths(NAMES) is None  # once the whole listing is read


def test_the_whole_listing_after_tracked_files_of_other_names_asks_git_again(
    tmp_path: Path,
) -> None:
    listing = tracked_and_not(tmp_path, ["a/pyproject.toml", "a/Cargo.toml"], ["b/Cargo.toml"])
    assert listing.tracked_paths(frozenset({"pyproject.toml"})) == ["a/pyproject.toml"]
    assert listing.tracked_paths(NAMES) is None  # read for other names: not an answer
    assert listing.paths(NAMES) == ["a/Cargo.toml", "a/pyproject.toml", "b/Cargo.toml"]


def test_outside_git_there_are_no_tracked_files_to_begin_with(tmp_path: Path) -> None:
    write(tmp_path / "a/pyproject.toml", "")
    listing = Listing(str(tmp_path))
    assert listing.tracked_paths(NAMES) is None
    assert listing.paths(NAMES) == ["a/pyproject.toml"]


def test_a_small_repository_with_a_stored_verdict_is_listed_by_one_git_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(tmp_path, "init", "-q")
    write(tmp_path / "a/pyproject.toml", "")
    git(tmp_path, "add", "-A")
    write(tmp_path / "b/pyproject.toml", "")
    verdict = write(tmp_path / ".git/versync/check-verdict.json", " " * 32_768)
    large = Listing(str(tmp_path))  # a large verdict: the tracked files apart
    assert large.others is not None
    assert large.paths(NAMES) == ["a/pyproject.toml", "b/pyproject.toml"]
    verdict.write_text("{}")  # a run with a verdict of a few files to prove
    listing = Listing(str(tmp_path / "a"), find_top=True)
    assert listing.others is None
    assert listing.tracked_paths(NAMES) is None
    assert listing.paths(NAMES) == ["a/pyproject.toml", "b/pyproject.toml"]
    assert set(listing.blobs) == {"a/pyproject.toml"}
    monkeypatch.setenv("VERSYNC_NO_CACHE", "1")  # no verdict is read: tracked files first
    assert Listing(str(tmp_path)).tracked_paths(NAMES) == ["a/pyproject.toml"]


def test_git_is_first_asked_for_the_files_the_readers_read() -> None:
    assert LISTED_NAMES == NAMES


@pytest.mark.parametrize("find_top", [False, True], ids=["root", "top-found"])
def test_files_of_names_git_was_not_first_asked_for_are_listed_by_asking_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, find_top: bool
) -> None:
    listing = tracked_and_not(
        tmp_path,
        ["a/pyproject.toml", "a/README.md", "a/sub/xpyproject.toml"],
        ["b/README.md", "b/pyproject.toml"],
    )
    if find_top:
        monkeypatch.chdir(tmp_path / "a")
        listing = Listing(str(tmp_path / "a"), find_top=True)
    wanted = frozenset({"README.md", "pyproject.toml"})
    assert listing.tracked_paths(wanted) is None  # git was not asked for README.md
    assert listing.paths(wanted) == [
        "a/README.md",
        "a/pyproject.toml",
        "b/README.md",
        "b/pyproject.toml",
    ]
    assert listing.paths(frozenset({"pyproject.toml"})) == ["a/pyproject.toml", "b/pyproject.toml"]
