"""`versync check --since REF` with real git: changed but not bumped, per package."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import versync
from tests.conftest import Run, replace_in, write
from tests.test_cli_bump_commit import git, repo
from versync.change.unreleased import own_files

__all__ = ["repo"]  # the fixture


def findings(run: Run, root: Path, *args: str) -> list[dict[str, object]]:
    result = run("check", "--root", root, "--json", *args)
    assert result.code in (0, 1), result.err
    found: list[dict[str, object]] = json.loads(result.out)["findings"]
    assert result.code == (1 if found else 0)
    return found


def test_changed_without_bump_is_reported_with_the_file_count(repo: Path, run: Run) -> None:
    git(repo, "tag", "v0.1.1")
    write(repo / "ryeos/bundles/core/ryeos_core/__init__.py", "VALUE = 1\n")
    write(repo / "ryeos/bundles/core/ryeos_core/new.py", "NEW = 2\n")  # untracked counts too
    result = run("check", "--root", repo, "--since", "v0.1.1")
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        "ryeos/bundles/core/pyproject.toml:7:12: ryeos-core: ryeos-core 0.1.1: 2 files changed "
        "since v0.1.1, but the version did not; bump it before releasing "
        "(found 2 files changed since v0.1.1, expected a version above 0.1.1) [unreleased-change]"
    )
    assert "1 finding in 1 of 11 packages" in result.out


def test_bumped_packages_are_not_reported(repo: Path, run: Run) -> None:
    git(repo, "tag", "v0.1.1")
    write(repo / "ryeos-cli/ryeos_cli/__init__.py", "VALUE = 1\n")
    assert run("bump", "--root", repo, "0.1.2").code == 0
    assert findings(run, repo, "--since", "v0.1.1") == []


def test_tests_nested_packages_and_ignored_globs_do_not_count(repo: Path, run: Run) -> None:
    git(repo, "tag", "v0.1.1")
    for path in (
        "ryeos/tests/test_engine.py",
        "ryeos/ryeos_engine/test/data.json",
        "ryeos/ryeos_engine/test_helpers.py",
        "ryeos/ryeos_engine/thing_test.py",
        "lillux/proc/benches/speed.rs",
        "lillux/proc/src/parse_test.rs",
        "ryeos/bundles/web/ryeos_web/page.py",  # nested package ryeos-web, not ryeos-engine
    ):
        write(repo / path, "changed\n")
    found = findings(run, repo, "--since", "v0.1.1")
    assert [(f["package"], f["found"]) for f in found] == [
        ("ryeos-web", "1 file changed since v0.1.1")
    ]


def test_since_ignore_replaces_the_defaults(repo: Path, run: Run) -> None:
    write(repo / "versync.toml", 'since-ignore = ["docs/**", "**/*.md"]\n')
    git(repo, "add", "versync.toml")
    git(repo, "commit", "-qm", "config")
    git(repo, "tag", "v0.1.1")
    write(repo / "ryeos-mcp/docs/guide.txt", "x\n")
    write(repo / "ryeos-mcp/README.md", "x\n")
    write(repo / "ryeos-mcp/tests/test_x.py", "x\n")  # counts: no longer ignored
    found = findings(run, repo, "--since", "v0.1.1")
    assert [(f["package"], f["found"]) for f in found] == [
        ("ryeos-mcp", "1 file changed since v0.1.1")
    ]


def test_last_tag_uses_each_scopes_newest_tag(repo: Path, run: Run) -> None:
    write(repo / "versync.toml", '[groups]\nkernel = ["lillux*"]\ncore = ["ryeos*"]\n')
    git(repo, "add", "versync.toml")
    git(repo, "commit", "-qm", "groups")
    git(repo, "tag", "-a", "kernel-v0.1.1", "-m", "kernel")
    write(repo / "lillux/kernel/lillux/__init__.py", "A = 1\n")
    write(repo / "ryeos-mcp/ryeos_mcp/__init__.py", "A = 1\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "work")
    git(repo, "tag", "-a", "core-v0.1.1", "-m", "core")  # after the ryeos-mcp change
    found = findings(run, repo, "--since", "last-tag")
    assert [(f["package"], f["found"]) for f in found] == [
        ("lillux", "1 file changed since kernel-v0.1.1")
    ]


def test_last_tag_falls_back_to_the_newest_tag(repo: Path, run: Run) -> None:
    git(repo, "tag", "snapshot")
    write(repo / "lillux/watch/src/main.rs", "fn main() {}\n")
    found = findings(run, repo, "--since", "last-tag")
    assert [(f["package"], f["found"]) for f in found] == [
        ("lillux-watch", "1 file changed since snapshot")
    ]


def test_a_package_new_since_the_ref_is_not_unreleased(repo: Path, run: Run) -> None:
    git(repo, "tag", "v0.1.1")
    write(repo / "fresh/pyproject.toml", '[project]\nname = "fresh"\nversion = "0.1.1"\n')
    assert findings(run, repo, "--since", "v0.1.1", "--package", "fresh") == []


def test_a_version_file_bump_counts_as_a_bump(tmp_path: Path, run: Run) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "dyn"\ndynamic = ["version"]\n\n[tool.hatch.version]\npath = "dyn/__about__.py"\n',
    )
    write(tmp_path / "dyn/__about__.py", '__version__ = "1.0.0"\n')
    write(tmp_path / "dyn/core.py", "A = 1\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "one")
    write(tmp_path / "dyn/core.py", "A = 2\n")
    assert len(findings(run, tmp_path, "--since", "HEAD")) == 1
    replace_in(tmp_path / "dyn/__about__.py", "1.0.0", "1.0.1")
    assert findings(run, tmp_path, "--since", "HEAD") == []


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        pytest.param("nope", "--since nope: no such commit or tag", id="unknown-ref"),
        pytest.param(
            "last-tag",
            "--since last-tag: the repository has no tag reachable from HEAD",
            id="no-tags",
        ),
        pytest.param("--all", "--since --all: no such commit or tag", id="option-like"),
    ],
)
def test_bad_refs_exit_2(repo: Path, run: Run, ref: str, message: str) -> None:
    result = run("check", "--root", repo, f"--since={ref}")
    assert (result.code, result.err) == (2, f"versync: {message}\n")


def test_outside_git(seed: Path, run: Run) -> None:
    result = run("check", "--root", seed, "--since", "HEAD")
    assert result.code == 2
    assert "--since needs git" in result.err


def test_own_files_of_the_root_package(seed: Path) -> None:
    workspace = versync.scan(seed)
    root = versync.records.Package(
        ecosystem="pypi", name="root", key="root", path=".", backend="hatchling"
    )
    paths = ["README.md", "ryeos/x.py", "tests/test_a.py", "src/lib_test.rs"]
    assert own_files(root, workspace.packages, paths) == ["README.md"]
