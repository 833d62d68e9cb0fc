"""Bumps refused before writing: a group holding a package versioned by git tags, and a
lock file broken under the packages being bumped."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Run, snapshot, write
from tests.test_history import commit_all, git

HATCH = '[build-system]\nrequires = ["hatchling", "hatch-vcs"]\nbuild-backend = "hatchling.build"\n'


def test_a_group_holding_a_package_versioned_by_git_tags_is_not_bumped(
    tmp_path: Path, run: Run
) -> None:
    git(tmp_path, "init", "-q")
    write(
        tmp_path / "app-tagged/pyproject.toml",
        HATCH + '[project]\nname = "app-tagged"\ndynamic = ["version"]\n\n'
        '[tool.hatch.version]\nsource = "vcs"\n',
    )
    write(
        tmp_path / "app-core/pyproject.toml",
        HATCH + '[project]\nname = "app-core"\nversion = "0.1.0"\n',
    )
    write(tmp_path / "versync.toml", '[groups]\napp = ["app-*"]\n')
    commit_all(tmp_path, "create")
    git(tmp_path, "tag", "v0.1.0")
    before = snapshot(tmp_path)
    result = run("bump", "--root", tmp_path, "0.2.0")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "versync: versync.toml: group 'app' names 'app-tagged', whose version comes from git "
        "tags (hatch-vcs): it cannot be bumped with a group\n"
    )
    assert snapshot(tmp_path) == before


def test_a_broken_root_lock_stops_a_bump_of_any_package(seed: Path, run: Run) -> None:
    write(seed / "uv.lock", "version = 1\n[[package]\n")
    before = snapshot(seed)
    result = run("bump", "--root", seed, "0.1.2")
    assert result.code == 2
    assert result.err.startswith("versync: uv.lock:2:")
    assert "repair the file first (nothing was written)" in result.err
    assert snapshot(seed) == before
