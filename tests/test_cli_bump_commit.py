"""`versync bump --commit --tag` with real git: what is committed, refusals before writing,
tag names per scope, hooks that refuse, and `check --expect` reading the tags back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Run, replace_in, snapshot, write
from tests.seedrepo import VERSION_FILES

TWO_GROUPS = '[groups]\nkernel = ["lillux*"]\ncore = ["ryeos*"]\n'


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True)
    return done.stdout


@pytest.fixture
def repo(git_seed: Path) -> Path:
    """The seed layout, committed."""
    git(git_seed, "config", "user.name", "Release Tester")
    git(git_seed, "config", "user.email", "release@example.com")
    git(git_seed, "config", "commit.gpgsign", "false")
    git(git_seed, "config", "tag.gpgsign", "false")
    git(git_seed, "add", "-A")
    git(git_seed, "commit", "-qm", "seed")
    return git_seed


def committed_files(root: Path, ref: str = "HEAD") -> list[str]:
    return sorted(git(root, "show", "--name-only", "--format=", ref).split())


def with_lock_files(files: list[str]) -> list[str]:
    return sorted([*files, "lillux/proc/Cargo.lock", "lillux/watch/Cargo.lock"])


def test_commit_holds_exactly_the_bumped_files(repo: Path, run: Run) -> None:
    replace_in(repo / "ryeos-cli/ryeos_cli/__init__.py", "", "x = 1\n")  # another dirty file
    write(repo / "notes.txt", "staged, not part of the release\n")
    git(repo, "add", "notes.txt")
    result = run("bump", "--root", repo, "0.1.2", "--commit")
    assert result.code == 0, result.err
    assert git(repo, "log", "-1", "--format=%s").strip() == "Release 0.1.2"
    assert committed_files(repo) == with_lock_files(VERSION_FILES)
    status = git(repo, "status", "--porcelain").splitlines()
    assert sorted(status) == [" M ryeos-cli/ryeos_cli/__init__.py", "A  notes.txt"]
    assert run("check", "--root", repo).code == 0


def test_tag_is_annotated_on_the_release_commit(repo: Path, run: Run) -> None:
    result = run("bump", "--root", repo, "0.1.2", "--tag")
    assert result.code == 0, result.err
    assert "tagged v0.1.2" in result.out
    assert git(repo, "cat-file", "-t", "v0.1.2").strip() == "tag"
    assert git(repo, "rev-parse", "v0.1.2^{commit}") == git(repo, "rev-parse", "HEAD")
    assert git(repo, "log", "-1", "--format=%s").strip() == "Release 0.1.2"
    assert run("check", "--root", repo, "--expect", "v0.1.2").code == 0


@pytest.mark.parametrize(
    ("args", "message", "tag"),
    [
        pytest.param(("--group", "core", "0.3.0"), "Release core 0.3.0", "core-v0.3.0", id="group"),
        pytest.param(
            ("--package", "lillux-proc", "0.1.5", "--allow-drift"),
            "Release lillux-proc 0.1.5",
            "lillux-proc-v0.1.5",
            id="package",
        ),
    ],
)
def test_scope_names_message_and_tag(
    repo: Path, run: Run, args: tuple[str, ...], message: str, tag: str
) -> None:
    write(repo / "versync.toml", TWO_GROUPS)
    git(repo, "add", "versync.toml")
    git(repo, "commit", "-qm", "groups")
    result = run("bump", "--root", repo, *args, "--tag")
    assert result.code == 0, result.err
    assert git(repo, "log", "-1", "--format=%s").strip() == message
    assert git(repo, "tag", "--list").split() == [tag]


def test_configured_templates(repo: Path, run: Run) -> None:
    write(
        repo / "versync.toml",
        'commit-message = "chore(release): {version}"\ntag = "release-{version}"\n',
    )
    git(repo, "add", "versync.toml")
    git(repo, "commit", "-qm", "config")
    assert run("bump", "--root", repo, "patch", "--tag").code == 0
    assert git(repo, "log", "-1", "--format=%s").strip() == "chore(release): 0.1.2"
    assert git(repo, "tag", "--list").split() == ["release-0.1.2"]


def test_refuses_before_writing_when_a_bumped_file_has_its_own_edits(repo: Path, run: Run) -> None:
    replace_in(repo / "ryeos-mcp/pyproject.toml", "part of Rye OS", "part of Rye OS!")
    before = snapshot(repo)
    result = run("bump", "--root", repo, "0.1.2", "--commit")
    assert result.code == 2
    assert result.err == (
        "versync: ryeos-mcp/pyproject.toml has uncommitted changes: the release commit would "
        "include them; commit or stash them first, then bump again\n"
    )
    assert snapshot(repo) == before


def test_refuses_staged_edits_too(repo: Path, run: Run) -> None:
    replace_in(repo / "lillux/proc/Cargo.toml", "binary", "binary!")
    git(repo, "add", "lillux/proc/Cargo.toml")
    before = snapshot(repo)
    assert run("bump", "--root", repo, "0.1.2", "--commit").code == 2
    assert snapshot(repo) == before


def test_refuses_untracked_files(git_seed: Path, run: Run) -> None:
    result = run("bump", "--root", git_seed, "0.1.2", "--commit")
    assert result.code == 2
    assert "is not tracked by git" in result.err


def test_refuses_outside_git(seed: Path, run: Run) -> None:
    before = snapshot(seed)
    result = run("bump", "--root", seed, "0.1.2", "--tag")
    assert result.code == 2
    assert "is not in a git work tree: --commit and --tag need git" in result.err
    assert snapshot(seed) == before


def test_refuses_an_existing_tag_before_writing(repo: Path, run: Run) -> None:
    git(repo, "tag", "v0.1.2")
    before = snapshot(repo)
    result = run("bump", "--root", repo, "0.1.2", "--tag")
    assert result.code == 2
    assert result.err.startswith("versync: tag v0.1.2 already exists")
    assert snapshot(repo) == before


def test_a_hook_that_refuses_leaves_the_files_written(repo: Path, run: Run) -> None:
    hook = write(repo / ".git/hooks/pre-commit", "#!/bin/sh\necho 'hook says no' >&2\nexit 1\n")
    hook.chmod(0o755)
    head = git(repo, "rev-parse", "HEAD")
    result = run("bump", "--root", repo, "0.1.2", "--tag")
    assert result.code == 1
    assert "hook says no" in result.err
    assert "the bumped files are written but not committed" in result.err
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "tag", "--list") == ""
    assert '"0.1.2"' in (repo / "ryeos/pyproject.toml").read_text()


def test_versyncs_own_hook_runs_on_the_release_commit(repo: Path, run: Run) -> None:
    marker = repo / ".git/hook-ran"
    hook = write(
        repo / ".git/hooks/pre-commit",
        f"#!/bin/sh\n{sys.executable} -m versync check && touch {marker}\n",
    )
    hook.chmod(0o755)
    result = run("bump", "--root", repo, "0.1.2", "--commit")
    assert result.code == 0, result.err
    assert marker.exists()
    assert git(repo, "log", "-1", "--format=%s").strip() == "Release 0.1.2"


def test_dry_run_says_what_it_would_do_and_writes_nothing(repo: Path, run: Run) -> None:
    before = snapshot(repo)
    result = run("bump", "--root", repo, "0.1.2", "--tag", "--dry-run")
    assert result.code == 0
    assert result.out.endswith("would commit: Release 0.1.2\nwould tag: v0.1.2\n")
    assert snapshot(repo) == before


def test_json(repo: Path, run: Run) -> None:
    import json

    result = run("bump", "--root", repo, "0.1.2", "--tag", "--json")
    assert result.code == 0
    document = json.loads(result.out)
    assert document["tag"] == "v0.1.2"
    assert document["commit"] == git(repo, "rev-parse", "HEAD").strip()
    assert sorted(document["written"]) == with_lock_files(VERSION_FILES)
    assert document["refused"] is False


ALL_PUBLISHABLE = (
    "lillux", "lillux-proc", "lillux-watch", "ryeos-engine", "ryeos-core", "ryeos",
    "ryeos-web", "ryeos-code", "ryeos-mcp", "ryeos-cli",
)  # fmt: skip


@pytest.mark.parametrize(
    ("tag", "code", "mismatched"),
    [
        pytest.param("ryeos-core-v0.1.2", 1, {"ryeos-core"}, id="package-tag-mismatch"),
        pytest.param("ryeos-core-v0.1.1", 0, set(), id="package-tag-match"),
        pytest.param(
            "core-v0.3.0",
            1,
            {
                "ryeos-engine",
                "ryeos-core",
                "ryeos",
                "ryeos-web",
                "ryeos-code",
                "ryeos-mcp",
                "ryeos-cli",
            },
            id="group-tag",
        ),
        pytest.param("kernel-v0.1.1", 0, set(), id="group-tag-match"),
        pytest.param("kernel-0.1.1", 2, set(), id="not-a-tag"),
        pytest.param("v0.1.1", 0, set(), id="bare-version-covers-every-package"),
        pytest.param("v0.1.2", 1, set(ALL_PUBLISHABLE), id="bare-version-mismatch"),
    ],
)
def test_expect_reads_release_tags(
    seed: Path, run: Run, tag: str, code: int, mismatched: set[str]
) -> None:
    import json

    write(seed / "versync.toml", TWO_GROUPS)
    result = run("check", "--root", seed, "--expect", tag, "--json")
    assert result.code == code, result.err
    if code != 2:
        found = {
            f["package"] for f in json.loads(result.out)["findings"] if f["code"] == "tag-mismatch"
        }
        assert found == mismatched
    else:
        assert "nor a release tag" in json.loads(result.out)["error"]


def test_expect_with_a_configured_tag_template(seed: Path, run: Run) -> None:
    write(seed / "versync.toml", 'tag = "{package}@{version}"\n' + TWO_GROUPS)
    assert run("check", "--root", seed, "--expect", "lillux-watch@0.1.1").code == 0
    result = run("check", "--root", seed, "--expect", "lillux-watch@0.2.0")
    assert result.code == 1
    assert "lillux-watch is 0.1.1, but the release tag says 0.2.0" in result.out


def test_a_group_named_like_one_of_its_packages_reads_as_the_group(seed: Path, run: Run) -> None:
    write(seed / "versync.toml", '[groups]\nlillux = ["lillux*"]\nryeos = ["ryeos*"]\n')
    result = run("check", "--root", seed, "--expect", "lillux-v0.2.0")
    assert result.code == 1
    assert result.out.count("[tag-mismatch]") == 3  # lillux, lillux-proc, lillux-watch


def test_tag_without_changes_tags_head(repo: Path, run: Run) -> None:
    head = git(repo, "rev-parse", "HEAD")
    result = run("bump", "--root", repo, "0.1.1", "--tag")
    assert result.code == 0, result.err
    assert git(repo, "rev-parse", "HEAD") == head  # nothing to commit
    assert git(repo, "rev-parse", "v0.1.1^{commit}") == head


def test_bump_options_reach_the_release(repo: Path, run: Run) -> None:
    refused = run("bump", "--root", repo, "0.1.0", "--commit")
    assert refused.code == 2 and "--allow-downgrade" in refused.err
    result = run("bump", "--root", repo, "0.1.0", "--commit", "--allow-downgrade")
    assert result.code == 0, result.err
    assert git(repo, "log", "-1", "--format=%s").strip() == "Release 0.1.0"
