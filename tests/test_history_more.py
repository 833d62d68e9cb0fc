"""Release history read from git: HEAD in its several spellings, the history cache, merges,
files that cannot be read at a commit, and a bad `--base`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import versync
from tests.conftest import Run, write
from tests.test_history import commit_all, git, python_package, set_version
from versync._fs import head, history

TRACK = history.Track("pkg/pyproject.toml", "pyproject")


def extract(path: str, kind: str, text: str) -> str | None:
    for line in text.splitlines():
        if line.startswith("version = "):
            return line.split('"')[1]
    return None


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    return root


def test_head_is_read_from_a_loose_ref_a_packed_ref_and_a_detached_head(repo: Path) -> None:
    python_package(repo, "pkg", "0.1.0")
    first = commit_all(repo, "one")
    assert head.head(str(repo)) == first
    git(repo, "pack-refs", "--all")
    assert not (repo / ".git/refs/heads/main").exists()
    assert head.head(str(repo)) == first
    git(repo, "checkout", "-q", "--detach")
    assert head.head(str(repo)) == first


def test_head_of_a_repository_without_commits_is_none(repo: Path) -> None:
    assert head.head(str(repo)) is None


def test_head_in_a_linked_worktree_is_its_own(repo: Path, tmp_path: Path) -> None:
    python_package(repo, "pkg", "0.1.0")
    first = commit_all(repo, "one")
    git(repo, "worktree", "add", "-q", "-b", "side", str(tmp_path / "side"))
    set_version(repo, "pkg", "0.1.0", "0.2.0")
    second = commit_all(repo, "two")
    assert head.head(str(tmp_path / "side")) == first
    assert head.head(str(repo)) == second
    assert not head.is_shallow(str(tmp_path / "side"))


def test_a_git_file_that_is_not_a_gitdir_line_falls_back_to_git(repo: Path) -> None:
    python_package(repo, "pkg", "0.1.0")
    commit_all(repo, "one")
    assert head._git_dir(str(repo)) is not None
    sub = repo / "sub"
    sub.mkdir()
    git(sub, "init", "-q")
    (sub / ".git").rename(sub / "moved")
    write(sub / ".git", "not a gitdir line\n")
    assert head._git_dir(str(sub)) is None


def test_outside_git_there_is_no_head_and_no_shallow_clone(tmp_path: Path) -> None:
    assert head.head(str(tmp_path)) is None
    assert head.is_shallow(str(tmp_path)) is False


def test_a_file_that_is_not_utf8_at_a_commit_holds_no_version(repo: Path) -> None:
    (repo / "pkg").mkdir()
    (repo / "pkg/pyproject.toml").write_bytes(b'version = "\xff"\n')
    commit = commit_all(repo, "latin-1")
    with history.Blobs(str(repo)) as blobs:
        assert history.version_at(blobs, commit, TRACK, extract) is None
        assert (
            history.version_at(blobs, commit, history.Track("gone", "pyproject"), extract) is None
        )


def test_a_version_set_on_a_merged_branch_is_dated_by_the_commit_that_set_it(repo: Path) -> None:
    python_package(repo, "pkg", "0.1.0")
    commit_all(repo, "create")
    git(repo, "checkout", "-q", "-b", "release")
    set_version(repo, "pkg", "0.1.0", "0.2.0")
    bump = commit_all(repo, "bump")
    git(repo, "checkout", "-q", "main")
    write(repo / "README.md", "docs\n")
    commit_all(repo, "docs")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge release", "release")
    merge = git(repo, "rev-parse", "HEAD")
    found = history.setters(str(repo), None, merge, [TRACK], extract)
    assert found == {TRACK: history.Setter("0.2.0", bump, "0.1.0")}


def test_a_version_never_changed_is_dated_by_the_commit_that_created_it(repo: Path) -> None:
    python_package(repo, "pkg", "0.1.0")
    created = commit_all(repo, "create")
    write(repo / "pkg/README.md", "docs\n")
    later = commit_all(repo, "docs")
    missing = history.Track("other/pyproject.toml", "pyproject")
    found = history.setters(str(repo), None, later, [TRACK, missing], extract)
    assert found == {TRACK: history.Setter("0.1.0", created, None)}


def cache_file(folder: Path) -> Path:
    return folder / "history.json"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("{not json", id="not-json"),
        pytest.param("[1, 2]", id="a-list"),
        pytest.param('{"format": "versync-history-0", "commits": {}}', id="old-format"),
        pytest.param(b"\xff\xfe", id="not-utf8"),
    ],
)
def test_a_corrupt_or_foreign_cache_is_ignored_and_rewritten(
    repo: Path, tmp_path: Path, content: str | bytes
) -> None:
    python_package(repo, "pkg", "0.1.0")
    created = commit_all(repo, "create")
    folder = tmp_path / "cache"
    folder.mkdir()
    if isinstance(content, bytes):
        cache_file(folder).write_bytes(content)
    else:
        cache_file(folder).write_text(content)
    found = history.setters(str(repo), str(folder), created, [TRACK], extract)
    assert found == {TRACK: history.Setter("0.1.0", created, None)}
    stored = json.loads(cache_file(folder).read_text())
    assert stored["format"].startswith("versync-history-1/")
    assert stored["commits"] == {created: {f"pyproject\0{TRACK.path}": ["0.1.0", created, None]}}


def test_a_cached_answer_is_used_without_reading_history(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    python_package(repo, "pkg", "0.1.0")
    created = commit_all(repo, "create")
    folder = tmp_path / "cache"
    history.setters(str(repo), str(folder), created, [TRACK], extract)
    before = cache_file(folder).stat().st_mtime_ns

    def no_walk(*args: object) -> object:
        raise AssertionError("history walked although the answer was cached")

    monkeypatch.setattr(history, "_walk", no_walk)
    found = history.setters(str(repo), str(folder), created, [TRACK], extract)
    assert found == {TRACK: history.Setter("0.1.0", created, None)}
    assert cache_file(folder).stat().st_mtime_ns == before  # unchanged: not rewritten


def test_a_cached_commit_not_an_ancestor_is_not_reused(repo: Path, tmp_path: Path) -> None:
    python_package(repo, "pkg", "0.1.0")
    commit_all(repo, "create")
    git(repo, "checkout", "-q", "-b", "side")
    set_version(repo, "pkg", "0.1.0", "0.9.0")
    side = commit_all(repo, "side bump")
    git(repo, "checkout", "-q", "main")
    set_version(repo, "pkg", "0.1.0", "0.2.0")
    main = commit_all(repo, "main bump")
    folder = tmp_path / "cache"
    history.setters(str(repo), str(folder), side, [TRACK], extract)
    found = history.setters(str(repo), str(folder), main, [TRACK], extract)
    assert found == {TRACK: history.Setter("0.2.0", main, "0.1.0")}


@pytest.mark.parametrize("exact", [pytest.param(256, id="by-path"), pytest.param(0, id="all")])
def test_a_changed_file_since_the_cached_ancestor_is_looked_up_again(
    repo: Path, tmp_path: Path, exact: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "EXACT_PATHSPECS", exact)
    python_package(repo, "pkg", "0.1.0")
    created = commit_all(repo, "create")
    folder = tmp_path / "cache"
    history.setters(str(repo), str(folder), created, [TRACK], extract)
    set_version(repo, "pkg", "0.1.0", "0.2.0")
    bumped = commit_all(repo, "bump")
    found = history.setters(str(repo), str(folder), bumped, [TRACK], extract)
    assert found == {TRACK: history.Setter("0.2.0", bumped, "0.1.0")}
    write(repo / "README.md", "docs\n")
    later = commit_all(repo, "docs")  # the file unchanged since: the cached answer stands

    def no_walk(*args: object) -> object:
        raise AssertionError("history walked for a file unchanged since the cached commit")

    monkeypatch.setattr(history, "_walk", no_walk)
    found = history.setters(str(repo), str(folder), later, [TRACK], extract)
    assert found == {TRACK: history.Setter("0.2.0", bumped, "0.1.0")}


def test_the_cache_keeps_only_the_newest_commits(repo: Path, tmp_path: Path) -> None:
    python_package(repo, "pkg", "0.1.0")
    commits = [commit_all(repo, "create")]
    for n in range(history.KEPT_COMMITS):
        set_version(repo, "pkg", f"0.1.{n}", f"0.1.{n + 1}")
        commits.append(commit_all(repo, f"bump {n}"))
    folder = tmp_path / "cache"
    for commit in commits:
        history.setters(str(repo), str(folder), commit, [TRACK], extract)
    stored = json.loads(cache_file(folder).read_text())
    assert list(stored["commits"]) == commits[1:]


@pytest.mark.parametrize(
    "base",
    ["no-such-ref", "HEAD~5"],
    ids=["unknown-name", "past-the-root"],
)
def test_a_base_that_names_no_commit_is_a_one_line_usage_error(
    repo: Path, run: Run, base: str
) -> None:
    python_package(repo, "pkg", "0.1.0")
    commit_all(repo, "create")
    result = run("check", "--root", repo, "--base", base)
    assert result.code == 2
    assert f"--base {base}: no such commit (fetch it" in result.err
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1


def test_a_base_outside_git_is_a_usage_error(tmp_path: Path, run: Run) -> None:
    python_package(tmp_path, "pkg", "0.1.0")
    result = run("check", "--root", tmp_path, "--base", "HEAD")
    assert result.code == 2
    assert "is not in a git repository" in result.err


def test_versions_the_caller_knows_at_the_commit_are_not_read_again(repo: Path) -> None:
    python_package(repo, "pkg", "0.1.0")
    created = commit_all(repo, "create")
    asked: list[list[history.Track]] = []

    def current(tracks: list[history.Track]) -> dict[history.Track, history.Held]:
        asked.append(tracks)
        # not what git holds: only an answer taken on trust says 7.0.0
        return {TRACK: history.Held("7.0.0", "0" * 40)}

    found = history.setters(str(repo), None, created, [TRACK], extract, current)
    assert asked == [[TRACK]]
    assert found == {TRACK: history.Setter("7.0.0", created, None)}
    assert history.setters(str(repo), None, created, [TRACK], extract) == {
        TRACK: history.Setter("0.1.0", created, None)
    }


def test_the_work_tree_stands_for_the_baseline_only_where_git_finds_it_unchanged(
    repo: Path,
) -> None:
    python_package(repo, "same", "0.1.0")
    python_package(repo, "edited", "0.1.0")
    python_package(repo, "staged-edit", "0.1.0")
    head = commit_all(repo, "create")
    set_version(repo, "edited", "0.1.0", "0.2.0")
    set_version(repo, "staged-edit", "0.1.0", "0.2.0")
    git(repo, "add", "staged-edit/pyproject.toml")
    python_package(repo, "added", "0.1.0")
    git(repo, "add", "added/pyproject.toml")
    python_package(repo, "untracked", "0.1.0")
    paths = [f"{name}/pyproject.toml" for name in ("same", "edited", "staged-edit", "added")]
    assert history.unchanged(str(repo), head, paths) == {"same/pyproject.toml"}
    assert history.unchanged(str(repo), "0" * 40, paths) == set()
    assert history.unchanged(str(repo), head, []) == set()


@pytest.mark.parametrize("exact", [pytest.param(256, id="by-path"), pytest.param(0, id="by-name")])
def test_history_asked_by_path_or_by_file_name_dates_the_same_commits(
    repo: Path, exact: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "EXACT_PATHSPECS", exact)
    python_package(repo, "pkg", "0.1.0")
    python_package(repo, "other", "1.0.0")
    created = commit_all(repo, "create")
    set_version(repo, "pkg", "0.1.0", "0.2.0")
    bump = commit_all(repo, "bump pkg")
    set_version(repo, "other", "1.0.0", "1.1.0")  # touches a file of the same name only
    head = commit_all(repo, "bump other")
    other = history.Track("other/pyproject.toml", "pyproject")
    found = history.setters(str(repo), None, head, [TRACK, other], extract)
    assert found == {
        TRACK: history.Setter("0.2.0", bump, "0.1.0"),
        other: history.Setter("1.1.0", head, "1.0.0"),
    }
    assert created != bump


def test_history_of_a_root_below_the_top_of_the_work_tree_is_relative_to_it(
    repo: Path,
) -> None:
    python_package(repo / "sub", "pkg", "0.1.0")
    created = commit_all(repo, "create")
    set_version(repo / "sub", "pkg", "0.1.0", "0.3.0")
    bump = commit_all(repo, "bump")
    found = history.setters(str(repo / "sub"), None, bump, [TRACK], extract)
    assert found == {TRACK: history.Setter("0.3.0", bump, "0.1.0")}
    assert created != bump


def test_the_history_cache_is_looked_at_for_a_commit_without_decoding_it(
    repo: Path, tmp_path: Path
) -> None:
    python_package(repo, "pkg", "0.1.0")
    created = commit_all(repo, "create")
    folder = tmp_path / "cache"
    assert not history.has_answers(None, created)
    assert not history.has_answers(str(folder), created)  # no cache yet
    history.setters(str(repo), str(folder), created, [TRACK], extract)
    assert history.has_answers(str(folder), created)
    assert not history.has_answers(str(folder), "f" * 40)


def test_a_comparison_started_early_answers_once_and_ends_git(repo: Path) -> None:
    python_package(repo, "pkg", "0.1.0")
    python_package(repo, "other", "0.1.0")
    created = commit_all(repo, "create")
    set_version(repo, "other", "0.1.0", "0.2.0")
    early = history.Unchanged(str(repo), created, names=frozenset({"pyproject.toml"}))
    paths = ["pkg/pyproject.toml", "other/pyproject.toml"]
    assert early.among(paths) == {"pkg/pyproject.toml"}
    assert early.among(paths[1:]) == set()  # the answer kept: git is not asked again
    early.close()
    broken = history.Unchanged(str(repo), "0" * 40, names=frozenset({"pyproject.toml"}))
    broken.close()
    assert broken.among(paths) == set()


def test_a_comparison_started_for_some_file_names_answers_for_others_too(repo: Path) -> None:
    python_package(repo, "pkg", "0.1.0")
    write(repo / "crate/Cargo.toml", '[package]\nname = "crate"\nversion = "0.1.0"\n')
    write(repo / "edited/Cargo.toml", '[package]\nname = "edited"\nversion = "0.1.0"\n')
    created = commit_all(repo, "create")
    write(repo / "edited/Cargo.toml", '[package]\nname = "edited"\nversion = "0.2.0"\n')
    write(repo / "pkg/Cargo.toml.orig", "edited, never asked about\n")
    early = history.Unchanged(str(repo), created, names=frozenset({"pyproject.toml"}))
    paths = ["crate/Cargo.toml", "edited/Cargo.toml", "pkg/pyproject.toml"]
    assert early.among(paths) == {"crate/Cargo.toml", "pkg/pyproject.toml"}
    early.close()


def test_prepare_starts_git_only_where_inference_will_read_uncached_history(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from versync.history import prepare
    from versync.model.config import Config

    python_package(repo, "pkg", "0.1.0")
    python_package(repo, "other", "0.1.0")  # two packages: groups are inferred
    assert prepare(str(repo), Config(), None) is None  # no commit yet
    created = commit_all(repo, "create")
    started = prepare(str(repo), Config(), None)
    assert started is not None and started.commit == created
    started.close()
    assert prepare(str(repo), Config(), "HEAD") is None  # a --base is resolved by git later
    assert prepare(str(repo), Config(groups={}), None) is None  # groups configured
    versync.scan(repo)  # caches the answers for this commit
    assert prepare(str(repo), Config(), None) is None
    monkeypatch.setenv("VERSYNC_NO_CACHE", "1")
    assert prepare(str(repo), Config(), None) is not None
    assert prepare(str(repo.parent), Config(), None) is None  # outside git


def test_a_commit_is_read_only_where_its_blob_may_hold_another_version(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    python_package(repo, "pkg", "0.1.0")
    created = commit_all(repo, "create")
    set_version(repo, "pkg", "0.1.0", "0.2.0")
    bump = commit_all(repo, "bump")
    write(repo / "README.md", "docs\n")
    head = commit_all(repo, "docs")
    blob = git(repo, "rev-parse", f"{head}:pkg/pyproject.toml")
    read: list[str] = []
    real = history.Blobs.read_object

    def counting(self: history.Blobs, name: str) -> bytes | None:
        read.append(name)
        return real(self, name)

    monkeypatch.setattr(history.Blobs, "read_object", counting)
    known = {TRACK: history.Held("0.2.0", blob)}
    found = history.setters(str(repo), None, head, [TRACK], extract, lambda tracks: known)
    assert found == {TRACK: history.Setter("0.2.0", bump, "0.1.0")}
    assert read == [git(repo, "rev-parse", f"{created}:pkg/pyproject.toml")]  # only the old one
    read.clear()
    assert history.setters(str(repo), None, head, [TRACK], extract) == found
    assert len(read) == 2  # unknown at HEAD: the bump's copy is read to learn it holds 0.2.0


def test_a_file_deleted_and_created_again_is_dated_from_its_creation(repo: Path) -> None:
    python_package(repo, "pkg", "0.1.0")
    commit_all(repo, "create")
    (repo / "pkg/pyproject.toml").unlink()
    commit_all(repo, "delete")
    python_package(repo, "pkg", "0.1.0")
    again = commit_all(repo, "create again")
    write(repo / "README.md", "docs\n")
    head = commit_all(repo, "docs")
    found = history.setters(str(repo), None, head, [TRACK], extract)
    assert found == {TRACK: history.Setter("0.1.0", again, None)}


def test_a_blob_that_is_not_a_file_reads_as_none_and_the_next_read_is_whole(repo: Path) -> None:
    python_package(repo, "pkg", "0.1.0")
    head = commit_all(repo, "create")
    with history.Blobs(str(repo)) as blobs:
        assert blobs.read(head, "pkg") is None  # a folder: git sends a tree
        assert blobs.read(head, "pkg/pyproject.toml") == (repo / "pkg/pyproject.toml").read_bytes()


@pytest.mark.parametrize("exact", [pytest.param(256, id="by-path"), pytest.param(0, id="by-name")])
@pytest.mark.parametrize("variable", ["GIT_LITERAL_PATHSPECS", "GIT_GLOB_PATHSPECS"])
def test_history_is_found_whatever_pathspec_mode_the_user_set(
    repo: Path, tmp_path: Path, exact: int, variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "EXACT_PATHSPECS", exact)
    python_package(repo, "pkg", "0.1.0")
    commit_all(repo, "create")
    set_version(repo, "pkg", "0.1.0", "0.2.0")
    bumped = commit_all(repo, "bump")
    monkeypatch.setenv(variable, "1")
    found = history.setters(str(repo), str(tmp_path / "cache"), bumped, [TRACK], extract)
    assert found == {TRACK: history.Setter("0.2.0", bumped, "0.1.0")}


def released_together(repo: Path, names: list[str]) -> str:
    """`names` created at 0.1.0, then released together as 0.2.0; the release commit."""
    for name in names:
        python_package(repo, name, "0.1.0")
    commit_all(repo, "create")
    for name in names:
        set_version(repo, name, "0.1.0", "0.2.0")
    return commit_all(repo, "release")


def test_a_first_run_of_a_large_repository_starts_the_log_early_and_the_walk_takes_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from versync._fs import gitlog
    from versync.history import prepare
    from versync.model.config import Config

    monkeypatch.setattr(history, "EXACT_PATHSPECS", 2)  # "large": three packages or more
    names = ["a", "b", "c"]
    release = released_together(repo, names)
    listed = [f"{name}/pyproject.toml" for name in names]
    taken: list[bool] = []
    take = gitlog.Log.take

    def recorded(log: gitlog.Log, commit: str, paths: list[str]) -> object:
        found = take(log, commit, paths)
        taken.append(found is not None)
        return found

    monkeypatch.setattr(gitlog.Log, "take", recorded)
    early = prepare(str(repo), Config(), None, listed)
    assert early is not None and early.log is not None
    assert early.log.names == frozenset({"pyproject.toml"})
    tracks = [history.Track(path, "pyproject") for path in listed]
    found = history.setters(str(repo), None, release, tracks, extract, log=early.log)
    early.close()
    assert taken == [True]
    assert found == {t: history.Setter("0.2.0", release, "0.1.0") for t in tracks}
    assert found == history.setters(str(repo), None, release, tracks, extract)  # asked anew


def test_an_early_log_that_cannot_answer_is_ended_and_git_asked_again(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from versync._fs import gitlog

    monkeypatch.setattr(history, "EXACT_PATHSPECS", 0)
    release = released_together(repo, ["a"])
    tracks = [history.Track("a/pyproject.toml", "pyproject")]
    for log in (
        gitlog.Log(str(repo), "0" * 40, frozenset({"pyproject.toml"})),  # another commit
        gitlog.Log(str(repo), release, frozenset({"Cargo.toml"})),  # other file names
    ):
        found = history.setters(str(repo), None, release, tracks, extract, log=log)
        assert found == {tracks[0]: history.Setter("0.2.0", release, "0.1.0")}
        assert log.process is None  # ended, not left running
    monkeypatch.setattr(history, "EXACT_PATHSPECS", 256)  # asked by path: the log is not taken
    log = gitlog.Log(str(repo), release, frozenset({"pyproject.toml"}))
    history.setters(str(repo), None, release, tracks, extract, log=log)
    assert log.process is None


def test_prepare_starts_the_log_only_when_no_history_is_cached(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from versync.history import prepare
    from versync.model.config import Config

    monkeypatch.setattr(history, "EXACT_PATHSPECS", 1)
    released_together(repo, ["a", "b"])
    listed = ["a/pyproject.toml", "b/pyproject.toml", "Cargo.lock"]
    few = prepare(str(repo), Config(), None, listed[:1])
    assert few is not None and few.log is None  # as many packages as are asked by path
    few.close()
    versync.scan(repo)  # caches the answers for this commit
    write(repo / "README.md", "later\n")
    commit_all(repo, "later")
    later = prepare(str(repo), Config(), None, listed)
    assert later is not None and later.log is None  # an ancestor's answers may serve
    later.close()
