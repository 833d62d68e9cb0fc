"""What a scan reads (`versync.scanning.Inputs`) and git's answers about tags and history."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import git, replace_in, write
from tests.seedrepo import write_seed
from versync._fs import plain
from versync._fs.cache import ScanCache
from versync._fs.reading import blob_id, listed_file_stamps
from versync.errors import InputError, OutsideRoot
from versync.model.dynamic import Tags
from versync.scanning import Inputs, head_tags

PYPROJECT = '[project]\nname = "{name}"\nversion = "1.0.0"\n'


def inputs_of(root: Path, paths: list[str], cache: ScanCache | None = None) -> Inputs:
    stamps = listed_file_stamps(str(root), paths)
    return Inputs(str(root), cache or ScanCache(None, str(root)), stamps, paths)


def seen_cache(root: Path) -> ScanCache:
    """The scan cache of a folder an earlier run saw: this run keeps its records."""
    path = str(root / "cache.json")
    ScanCache(path, str(root)).save(set())
    return ScanCache(path, str(root))


def packages(root: Path, count: int) -> list[str]:
    paths = [f"p{n:02}/pyproject.toml" for n in range(count)]
    for n, path in enumerate(paths):
        write(root / path, PYPROJECT.format(name=f"p{n:02}"))
    return paths


@pytest.mark.parametrize(
    ("count", "asks_git"), [(16, False), (17, True)], ids=["few-are-read", "many-are-hashed"]
)
def test_read_many_has_git_hash_many_misses_and_serves_their_parses_from_the_cache(
    tmp_path: Path, count: int, asks_git: bool, hashed: list[list[str]]
) -> None:
    paths = packages(tmp_path, count)
    first = inputs_of(tmp_path, paths, seen_cache(tmp_path))
    first.read_many(paths)
    assert set(first.texts) == set(paths) and hashed == []
    first.cache.save(set(paths))
    replace_in(tmp_path / paths[0], '"1.0.0"', '"1.0.1"')  # same size, other bytes
    for path in paths:  # new stamps: only the blob id of the bytes can vouch for them
        os.utime(tmp_path / path, ns=(5, 5))
    second = inputs_of(tmp_path, paths, ScanCache(str(tmp_path / "cache.json"), str(tmp_path)))
    second.read_many(paths)
    assert hashed == ([paths] if asks_git else [])
    assert set(second.texts) == ({paths[0]} if asks_git else set(paths))
    assert second.blobs == {p: blob_id((tmp_path / p).read_bytes()) for p in paths}
    assert second.records[paths[0]].version.text == "1.0.1"
    assert {p: plain.encode(r) for p, r in second.records.items() if p != paths[0]} == {
        p: plain.encode(r) for p, r in first.records.items() if p != paths[0]
    }
    assert second.problems == [] and second.notes == []


def test_read_many_has_git_hash_only_files_the_cache_has_a_parse_of_a_scan_reads(
    tmp_path: Path, hashed: list[list[str]]
) -> None:
    paths = packages(tmp_path, 40)
    with (tmp_path / paths[0]).open("a") as first:
        first.write("# longer than the others\n")
    cold = inputs_of(tmp_path, paths, seen_cache(tmp_path))
    cold.read_many(paths)  # a fresh clone: a blob id would spare no parse
    assert hashed == []
    assert set(cold.records) == set(paths)
    cold.cache.save(set(paths[:20]))
    for path in paths:
        os.utime(tmp_path / path, ns=(5, 5))
    warm = inputs_of(tmp_path, paths, ScanCache(str(tmp_path / "cache.json"), str(tmp_path)))
    warm.limit = len((tmp_path / paths[1]).read_bytes())  # the first one is refused
    warm.read_many(paths)
    assert hashed == [paths[1:20]]  # only the files the cache holds a parse of
    assert [p.file for p in warm.problems] == [paths[0]]


@pytest.mark.parametrize("keep_texts", [True, False], ids=["texts-kept", "texts-let-go"])
def test_a_file_that_cannot_be_read_is_a_problem_and_a_template_a_note(
    tmp_path: Path, keep_texts: bool
) -> None:
    write(tmp_path / "bad/pyproject.toml", "[project\n")
    write(tmp_path / "tpl/pyproject.toml", '[project]\nname = "{{ cookiecutter.name }}"\n[x\n')
    write(tmp_path / "big/pyproject.toml", PYPROJECT.format(name="big") + "#" * 100 + "\n")
    paths = ["bad/pyproject.toml", "big/pyproject.toml", "tpl/pyproject.toml"]
    inputs = inputs_of(tmp_path, paths)
    inputs.limit = 100
    inputs.keep_texts = keep_texts
    inputs.read_many(paths)
    assert [(p.file, p.line) for p in inputs.problems] == [
        ("bad/pyproject.toml", 1),
        ("big/pyproject.toml", 1),
    ]
    assert "file too large" in inputs.problems[1].message
    assert "big/pyproject.toml" not in inputs.texts  # refused by its stamp, never read
    assert [(n.code, n.file) for n in inputs.notes] == [("template", "tpl/pyproject.toml")]
    assert inputs.records == {}


def test_texts_let_go_are_read_again_by_the_workspace(tmp_path: Path) -> None:
    from versync._fs.listing import Listing
    from versync.workspace import scan_listed

    write_seed(tmp_path)
    kept = scan_listed(Listing(str(tmp_path)))
    let_go = scan_listed(Listing(str(tmp_path)), keep_texts=False)
    assert let_go._texts == {} and kept._texts != {}
    for path in kept._texts:
        assert let_go.file(path).text == kept.file(path).text
    assert let_go.check() == kept.check() == []


def test_a_listed_file_gone_before_it_is_read_is_a_problem_on_that_file(
    tmp_path: Path,
) -> None:
    paths = packages(tmp_path, 2)
    inputs = inputs_of(tmp_path, paths)
    (tmp_path / paths[0]).unlink()
    inputs.read_many(paths)
    [problem] = inputs.problems
    assert (problem.file, problem.line, problem.column) == (paths[0], 1, 1)
    assert problem.message.startswith("cannot read: ")  # the path is not said twice
    assert list(inputs.records) == [paths[1]]


def test_read_extra_reads_inside_the_root_and_remembers_what_it_looked_for(
    tmp_path: Path,
) -> None:
    root = tmp_path / "repo"
    write(root / "src/pkg/_version.py", '__version__ = "1.0.0"\n')
    write(tmp_path / "outside.py", "")
    (root / "escape.py").symlink_to(tmp_path / "outside.py")
    write(root / "latin1.py", "")
    (root / "latin1.py").write_bytes(b"caf\xe9\n")
    inputs = inputs_of(root, [])
    text = inputs.read_extra("src/pkg/_version.py")
    assert text is not None and text.text == '__version__ = "1.0.0"\n'
    assert inputs.read_extra("src/pkg/_version.py") is text
    assert inputs.blobs["src/pkg/_version.py"] == blob_id(text.data)
    assert inputs.extras["src/pkg/_version.py"] == inputs.stamps["src/pkg/_version.py"]
    assert inputs.read_extra("missing.py") is None
    with pytest.raises(OutsideRoot):
        inputs.read_extra("escape.py")
    with pytest.raises(OutsideRoot):
        inputs.read_extra("../outside.py")
    with pytest.raises(InputError, match="not valid UTF-8"):
        inputs.read_extra("latin1.py")
    # Absent and symlinked files are looked at again by a verdict; a climb out never is.
    assert inputs.extras == {
        "src/pkg/_version.py": inputs.stamps["src/pkg/_version.py"],
        "missing.py": None,
        "escape.py": None,
    }


def test_read_extra_refuses_a_file_over_the_limit(tmp_path: Path) -> None:
    write(tmp_path / "VERSION", "1.0.0\n")
    inputs = inputs_of(tmp_path, [])
    inputs.limit = 3
    with pytest.raises(InputError, match="file too large"):
        inputs.read_extra("VERSION")
    assert "VERSION" not in inputs.texts


def test_git_answers_outside_git(tmp_path: Path) -> None:
    inputs = inputs_of(tmp_path, [])
    assert inputs.describe() == Tags(None, "not a git checkout")
    assert inputs.asked_git
    assert head_tags(str(tmp_path)) is None


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write(root / "py/pyproject.toml", PYPROJECT.format(name="py"))
    write(root / "rs/Cargo.toml", '[package]\nname = "rs"\nversion = "1.0.0"\n')
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "one")
    return root


def test_describe_and_head_tags_follow_the_tags(repo: Path, tmp_path: Path) -> None:
    inputs = inputs_of(repo, [])
    assert inputs.describe() == Tags(None, "no tag is reachable from HEAD")
    assert head_tags(str(repo)) is None
    git(repo, "tag", "nightly")
    assert inputs.describe() == Tags(None, "tag nightly names no version")
    assert head_tags(str(repo)) == []
    git(repo, "tag", "-a", "-m", "r", "v1.2.0")
    assert inputs.describe() == Tags("1.2.0", "")
    assert sorted(head_tags(str(repo)) or []) == ["1.2.0"]
    git(repo, "commit", "-q", "--allow-empty", "-m", "two")
    assert head_tags(str(repo)) == []  # tags exist, none on HEAD
    assert inputs.describe() == Tags("1.2.0", "")


def test_describe_in_a_shallow_clone_says_so(repo: Path, tmp_path: Path) -> None:
    git(repo, "commit", "-q", "--allow-empty", "-m", "two")
    git(repo, "tag", "v1.0.0", "HEAD~1")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-tags", f"file://{repo}", str(clone))
    assert inputs_of(clone, []).describe() == Tags(None, "a shallow clone")


def test_maintained_when_one_commit_changed_both_version_lines(repo: Path) -> None:
    inputs = inputs_of(repo, [])
    assert not inputs.maintained("rs/Cargo.toml", "py/pyproject.toml")  # only added together
    (repo / "rs/Cargo.toml").write_text('[package]\nname = "rs"\nversion = "1.1.0"\n')
    git(repo, "commit", "-q", "-am", "rs alone")
    (repo / "py/pyproject.toml").write_text(PYPROJECT.replace("1.0.0", "1.1.0").format(name="py"))
    git(repo, "commit", "-q", "-am", "py alone")
    assert not inputs.maintained("rs/Cargo.toml", "py/pyproject.toml")
    for path in ("rs/Cargo.toml", "py/pyproject.toml"):
        text = (repo / path).read_text()
        (repo / path).write_text(text.replace("1.1.0", "1.2.0"))
    git(repo, "commit", "-q", "-am", "both")
    assert inputs.maintained("rs/Cargo.toml", "py/pyproject.toml")
    assert inputs.asked_git


@pytest.mark.parametrize(
    ("cached", "chosen_at_once"), [(False, True), (True, False)], ids=["cold", "cached"]
)
def test_a_cold_scan_of_many_toml_files_takes_the_compiled_parser_before_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool, chosen_at_once: bool
) -> None:
    from versync.syntax import toml

    paths = packages(tmp_path, toml._STANDARD_FIRST + 1)
    cache = seen_cache(tmp_path)
    if cached:
        inputs_of(tmp_path, paths, cache).read_many(paths)
        cache.save(set(paths))
        cache = ScanCache(str(tmp_path / "cache.json"), str(tmp_path))
        assert cache.entries
    monkeypatch.setattr(toml, "_parsed", [0])
    monkeypatch.setattr(toml, "_chosen", [])
    inputs_of(tmp_path, paths, cache)  # the configuration is read next, before `read_many`
    assert toml._chosen == ([toml.parser()] if chosen_at_once else [])


def tracked_and_untracked(root: Path) -> None:
    """A repository whose manifests are partly untracked: a new package, a broken one."""
    git(root, "init", "-q")
    for name in ("b", "d"):
        write(root / f"{name}/pyproject.toml", PYPROJECT.format(name=name))
    write(root / "pyproject.toml", '[tool.versync]\nexclude = ["x/**"]\n')
    write(root / "e/pyproject.toml", "[project\n")  # broken, tracked
    git(root, "add", "-A")
    write(root / "a/pyproject.toml", PYPROJECT.format(name="a"))  # untracked, sorts first
    write(root / "c/pyproject.toml", "[project\n")  # broken, untracked
    write(root / "x/pyproject.toml", PYPROJECT.format(name="x"))  # untracked, excluded


def test_a_scan_that_begins_with_the_tracked_files_reads_what_a_whole_listing_reads(
    tmp_path: Path,
) -> None:
    from versync._fs.listing import Listing
    from versync.formats import manifest_names
    from versync.scanning import listed_inputs

    tracked_and_untracked(tmp_path)
    names = manifest_names()
    scans = []
    for streamed in (True, False):
        listing = Listing(str(tmp_path))
        stamps = None if streamed else listed_file_stamps(str(tmp_path), listing.paths(names))
        inputs = listed_inputs(listing, names, ScanCache(None, str(tmp_path)), stamps)
        assert (inputs.untracked_from is not None) is streamed
        if streamed:
            assert set(inputs.listed) == {
                "b/pyproject.toml",
                "d/pyproject.toml",
                "e/pyproject.toml",
                "pyproject.toml",
            }
        inputs.read_listed("pyproject.toml", inputs.listed["pyproject.toml"])
        rest = [p for p in inputs.listed if p != "pyproject.toml" and not p.startswith("x/")]
        inputs.read_many(rest)
        inputs.read_untracked(names, lambda path: path.startswith("x/"))
        scans.append(inputs)
    first, whole = scans
    assert (
        list(first.records)
        == list(whole.records)
        == ["pyproject.toml", "a/pyproject.toml", "b/pyproject.toml", "d/pyproject.toml"]
    )
    assert first.listed == whole.listed and len(whole.listed) == 7
    assert first.problems == whole.problems
    assert [p.file for p in whole.problems] == ["c/pyproject.toml", "e/pyproject.toml"]


@pytest.mark.parametrize("untracked", ["versync.toml", "pyproject.toml"])
def test_an_untracked_configuration_is_read_first_from_the_whole_listing(
    tmp_path: Path, untracked: str
) -> None:
    from versync._fs.listing import Listing
    from versync.formats import manifest_names
    from versync.scanning import listed_inputs

    git(tmp_path, "init", "-q")
    write(tmp_path / "b/pyproject.toml", PYPROJECT.format(name="b"))
    git(tmp_path, "add", "-A")
    write(tmp_path / untracked, "[tool.versync]\n" if untracked == "pyproject.toml" else "")
    inputs = listed_inputs(
        Listing(str(tmp_path)), manifest_names(), ScanCache(None, str(tmp_path)), None
    )
    assert inputs.untracked_from is None  # the whole listing was waited for
    assert untracked in inputs.listed
