"""The baseline read from git for intent: files broken at the baseline show no intent and
stop nothing; git that cannot be started infers nothing, with a note, and never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

import versync
from tests.conftest import Run, write
from tests.test_history import commit_all, git, python_package, set_version
from versync import history as facade
from versync._fs import history


@pytest.fixture
def released(tmp_path: Path) -> Path:
    """ryeos-core and ryeos-web created at 0.1.0 and released together as 0.2.0 (one
    inferred group); lone created at 0.2.0 on its own."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    python_package(root, "ryeos-core", "0.1.0")
    python_package(root, "ryeos-web", "0.1.0")
    commit_all(root, "create")
    python_package(root, "lone", "0.2.0")
    commit_all(root, "lone")
    set_version(root, "ryeos-core", "0.1.0", "0.2.0")
    set_version(root, "ryeos-web", "0.1.0", "0.2.0")
    commit_all(root, "release 0.2.0")
    return root


def test_files_broken_at_the_baseline_are_skipped_and_intent_still_read(
    released: Path, run: Run
) -> None:
    root = released
    write(root / "junk/pyproject.toml", "[project\n")
    (root / "latin/pyproject.toml").parent.mkdir()
    (root / "latin/pyproject.toml").write_bytes(b'[project]\nname = "\xe9"\n')
    commit_all(root, "broken files")
    set_version(root, "ryeos-core", "0.2.0", "0.3.0")  # the edit whose intent is read
    result = run("fix", "--root", root)
    assert result.code == 1, result.err
    assert 'version = "0.3.0"' in (root / "ryeos-web/pyproject.toml").read_text()
    assert 'version = "0.2.0"' in (root / "lone/pyproject.toml").read_text()


def test_git_that_cannot_be_started_infers_no_groups_and_says_why(
    released: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = released

    def no_git(*args: object) -> object:
        raise FileNotFoundError(2, "No such file or directory", "git")

    monkeypatch.setattr(history, "setters", no_git)
    workspace = versync.scan(root)
    assert workspace.groups == {}
    [note] = [n for n in workspace.notes if n.code == facade.NOTE_CODE]
    assert note.message.startswith("groups not inferred: git failed (")


def test_a_baseline_git_cannot_read_leaves_the_versions_as_they_are(
    released: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = released
    set_version(root, "ryeos-core", "0.2.0", "0.3.0")
    assert "ryeos" in versync.scan(root).groups  # the history answer is cached for HEAD now

    def no_git(root: str) -> object:
        raise FileNotFoundError(2, "No such file or directory", "git")

    monkeypatch.setattr(history, "Blobs", no_git)
    workspace = versync.scan(root)
    assert "ryeos" in workspace.groups
    assert workspace.model.baseline is None
    assert run("check", "--root", root).code == 1  # the drift is still found


def test_a_repository_without_commits_says_so(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    python_package(tmp_path, "app-core", "0.1.0")
    python_package(tmp_path, "app-web", "0.1.0")
    [note] = [n for n in versync.scan(tmp_path).notes if n.code == facade.NOTE_CODE]
    assert "the repository has no commits yet" in note.message
    assert "commit a release" in note.message


@pytest.mark.parametrize(
    ("path", "kind", "text", "expected"),
    [
        pytest.param(
            "a/pyproject.toml", "pyproject", '[project]\nversion = "1.0"\n', "1.0", id="pyproject"
        ),
        pytest.param("a/pyproject.toml", "pyproject", "[project\n", None, id="broken-toml"),
        pytest.param(
            "a/Cargo.toml",
            "cargo",
            '[package]\nname = "a"\nversion = "2.0.0"\n',
            "2.0.0",
            id="cargo",
        ),
        pytest.param(
            "a/_version.py", "version-file", '__version__ = "3.1"\n', "3.1", id="version-file"
        ),
        pytest.param("a/_version.py", "version-file", "x = 1\n", None, id="no-assignment"),
        pytest.param(
            "a/pyproject.toml",
            "unknown-kind",
            '[project]\nversion = "1.0"\n',
            None,
            id="unknown-kind",
        ),
    ],
)
def test_extract_version(path: str, kind: str, text: str, expected: str | None) -> None:
    assert facade.extract_version(path, kind, text) == expected
