"""The pre-commit hooks as users meet them: a real repository, `pre-commit install`, `git commit`.

pre-commit installs versync from a clone of this checkout (its working tree, committed) into a
hook environment, with versync's dependencies from PyPI; that environment is built once per
test session.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import replace_in, write
from tests.seedrepo import write_seed

CHECKOUT = Path(__file__).resolve().parent.parent
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
pytestmark = pytest.mark.skipif(
    not PRE_COMMIT.exists(), reason="pre-commit is not installed (test extra)"
)


def clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        PRE_COMMIT_HOME=str(home),
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.invalid",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.invalid",
    )
    return env


def sh(*args: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def hook_repo(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Path, str, dict[str, str]]]:
    """A committed copy of this checkout's working tree, its HEAD, and the environment to use."""
    env = clean_env(tmp_path_factory.mktemp("pre-commit-home"))
    clone = tmp_path_factory.mktemp("versync-clone")
    listed = sh(
        "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=CHECKOUT, env=env
    )
    for name in filter(None, listed.stdout.split("\0")):
        if (CHECKOUT / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(CHECKOUT / name, clone / name)
    for step in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "versync under test"]):
        assert sh("git", *step, cwd=clone, env=env).returncode == 0
    head = sh("git", "rev-parse", "HEAD", cwd=clone, env=env).stdout.strip()
    yield clone, head, env


def user_repo(root: Path, hook_repo: tuple[Path, str, dict[str, str]], hook: str) -> dict[str, str]:
    clone, head, env = hook_repo
    write_seed(root)
    write(root / "README.md", "# Rye OS\n")
    write(
        root / ".pre-commit-config.yaml",
        f"repos:\n  - repo: {clone}\n    rev: {head}\n    hooks:\n      - id: {hook}\n",
    )
    for step in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "seed", "--no-verify"]):
        assert sh("git", *step, cwd=root, env=env).returncode == 0
    installed = sh(PRE_COMMIT, "install", cwd=root, env=env)
    assert installed.returncode == 0, installed.stderr
    return env


def cargo_bumped_pyproject_not(root: Path) -> None:
    for name in ("Cargo.toml", "Cargo.lock"):
        replace_in(root / "lillux/proc" / name, '"0.1.1"', '"0.1.2"')


def commit(root: Path, env: dict[str, str], message: str) -> tuple[int, str]:
    """Stage everything and commit; the exit code and all that git and the hooks printed."""
    assert sh("git", "add", "-A", cwd=root, env=env).returncode == 0
    result = sh("git", "commit", "-m", message, cwd=root, env=env)
    return result.returncode, result.stdout + result.stderr


def reported(output: str, hook: str, status: str) -> bool:
    """Whether pre-commit's summary line for the hook ends with the status."""
    return (
        re.search(rf"^{re.escape(hook)}\.+{re.escape(status)}$", output, re.MULTILINE) is not None
    )


def test_a_drifting_commit_is_refused_then_fixed(
    tmp_path: Path, hook_repo: tuple[Path, str, dict[str, str]]
) -> None:
    root = tmp_path / "repo"
    env = user_repo(root, hook_repo, "versync")
    cargo_bumped_pyproject_not(root)
    code, output = commit(root, env, "bump lillux-proc")
    assert code == 1, output
    assert reported(output, "versync", "Failed")
    assert (
        "lillux/proc/pyproject.toml:7:12: lillux-proc: the wheel will be 0.1.1, not 0.1.2" in output
    )
    assert "[maturin-precedence]" in output and "repair: versync fix" in output
    fixed = sh(sys.executable, "-m", "versync", "fix", cwd=root, env=env)
    assert fixed.returncode == 1 and "lillux/proc/pyproject.toml" in fixed.stdout.splitlines()
    code, output = commit(root, env, "bump everything to 0.1.2")
    assert code == 0, output
    assert reported(output, "versync", "Passed")
    log = sh("git", "log", "--format=%s", cwd=root, env=env).stdout.splitlines()
    assert log[0] == "bump everything to 0.1.2"


def test_the_fix_hook_repairs_and_the_second_commit_goes_through(
    tmp_path: Path, hook_repo: tuple[Path, str, dict[str, str]]
) -> None:
    root = tmp_path / "repo"
    env = user_repo(root, hook_repo, "versync-fix")
    cargo_bumped_pyproject_not(root)
    code, output = commit(root, env, "bump lillux-proc")
    assert code == 1, output
    assert reported(output, "versync fix", "Failed")
    assert "- files were modified by this hook" in output
    assert 'version = "0.1.2"' in (root / "lillux/proc/pyproject.toml").read_text()
    code, output = commit(root, env, "bump lillux-proc, fixed")
    assert code == 0, output


def test_a_commit_without_version_files_skips_the_hook(
    tmp_path: Path, hook_repo: tuple[Path, str, dict[str, str]]
) -> None:
    root = tmp_path / "repo"
    env = user_repo(root, hook_repo, "versync")
    cargo_bumped_pyproject_not(root)
    assert (
        sh(
            "git",
            "commit",
            "-qam",
            "drift, committed past the hook",
            "--no-verify",
            cwd=root,
            env=env,
        ).returncode
        == 0
    )
    replace_in(root / "README.md", "# Rye OS", "# Rye OS, the operating system")
    code, output = commit(root, env, "docs")
    assert code == 0, output
    assert reported(output, "versync", "(no files to check)Skipped"), output


def nothing(root: Path) -> None:
    """A healthy repository: nothing for the fix hook to do."""


def invalid_bundle_version(root: Path) -> None:
    replace_in(root / "ryeos/bundles/web/ryeos_web/bundle.py", '"0.1.1"', '"0.1.x"')


def broken_config(root: Path) -> None:
    write(root / "versync.toml", 'pins = "loose"\n')


@pytest.mark.parametrize(
    ("change", "code", "expected", "modified"),
    [
        pytest.param(nothing, 0, "Passed", False, id="0-nothing-to-do"),
        pytest.param(cargo_bumped_pyproject_not, 1, "Failed", True, id="1-files-changed"),
        pytest.param(invalid_bundle_version, 1, "Failed", False, id="1-a-finding-remains"),
        pytest.param(broken_config, 2, "Failed", False, id="2-could-not-run"),
    ],
)
def test_fix_hook_exit_codes(
    tmp_path: Path,
    hook_repo: tuple[Path, str, dict[str, str]],
    change: Callable[[Path], None],
    code: int,
    expected: str,
    modified: bool,
) -> None:
    root = tmp_path / "repo"
    env = user_repo(root, hook_repo, "versync-fix")
    change(root)
    assert sh("git", "add", "-A", cwd=root, env=env).returncode == 0
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts}
    result = sh(PRE_COMMIT, "run", "versync-fix", "--all-files", cwd=root, env=env)
    output = result.stdout + result.stderr
    assert result.returncode == (0 if code == 0 else 1), output
    assert reported(output, "versync fix", expected), output
    if code:
        assert f"- exit code: {code}" in output
    after = {p: p.read_bytes() for p in before}
    assert (after != before) == modified
    assert ("- files were modified by this hook" in output) == modified
    if change is invalid_bundle_version:
        assert "'0.1.x' is not a valid PEP 440 version" in output and "[invalid-version]" in output
    if change is broken_config:
        assert 'pins must be "track" or "fix"' in output
