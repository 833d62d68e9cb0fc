"""Which files versync reads: git's view inside a work tree, a pruned walk outside one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import versync
from tests.conftest import Run, git, write
from versync._fs.listing import Listing
from versync.formats import manifest_names


def list_manifests(root: str) -> list[str]:
    return Listing(root).paths(manifest_names())


PYPROJECT = '[project]\nname = "{name}"\nversion = "1.0"\n'


def package(root: Path, folder: str, name: str = "pkg") -> None:
    write(root / folder / "pyproject.toml", PYPROJECT.format(name=name))


def test_git_lists_tracked_and_untracked_but_not_ignored_files(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    write(tmp_path / ".gitignore", "target/\nnode_modules/\n")
    package(tmp_path, "tracked", "tracked")
    package(tmp_path, "gone", "gone")
    for ignored in ("target/x", "node_modules/y"):
        package(tmp_path, ignored, "ignored")
        write(tmp_path / ignored / "Cargo.toml", "[package]\nname = 'ignored'\nversion = '1.0.0'\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "start")
    package(tmp_path, "untracked", "untracked")
    (tmp_path / "gone/pyproject.toml").unlink()
    # git's index still names the deleted file; the scan's stat drops it
    assert list_manifests(str(tmp_path)) == [
        "gone/pyproject.toml",
        "tracked/pyproject.toml",
        "untracked/pyproject.toml",
    ]
    assert [p.name for p in versync.scan(tmp_path).packages] == ["tracked", "untracked"]


def test_default_root_is_the_git_top_level(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(tmp_path, "init", "-q")
    package(tmp_path, "a", "a")
    package(tmp_path, "b/deep", "b")
    monkeypatch.chdir(tmp_path / "b/deep")
    workspace = versync.scan()
    assert os.path.samefile(workspace.root, tmp_path)
    assert [p.path for p in workspace.packages] == ["a", "b/deep"]


def test_root_option_scans_only_that_folder(tmp_path: Path, run: Run) -> None:
    git(tmp_path, "init", "-q")
    package(tmp_path, "a", "a")
    package(tmp_path, "sub/b", "b")
    write(tmp_path / "a/pyproject.toml", PYPROJECT.format(name="a").replace("1.0", "2.0"))
    result = run("list", "--root", tmp_path / "sub")
    assert [line.split()[0] for line in result.out.splitlines()[1:]] == ["b"]


@pytest.mark.parametrize(
    "skipped",
    [
        ".git",
        ".venv",
        "myenv",
        "node_modules",
        "target",
        "build",
        "dist",
        "__pycache__",
        ".tox",
        "pkg.egg-info",
    ],
)
def test_walk_outside_git_skips_environments_and_build_output(tmp_path: Path, skipped: str) -> None:
    package(tmp_path, "real", "real")
    package(tmp_path, f"{skipped}/inner", "skipped")
    if skipped == "myenv":
        write(tmp_path / "myenv/pyvenv.cfg", "home = /usr/bin\n")
    assert list_manifests(str(tmp_path)) == ["real/pyproject.toml"]


def test_symlinked_directories_are_not_followed(tmp_path: Path) -> None:
    package(tmp_path, "real", "real")
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    assert list_manifests(str(tmp_path)) == ["real/pyproject.toml"]
    git(tmp_path, "init", "-q")
    assert list_manifests(str(tmp_path)) == ["real/pyproject.toml"]


def test_a_root_that_is_not_a_folder(tmp_path: Path, run: Run) -> None:
    result = run("check", "--root", tmp_path / "missing")
    assert result.code == 2 and "not a directory" in result.err
