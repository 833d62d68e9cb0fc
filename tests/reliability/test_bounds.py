"""Values and files beyond what versync accepts are refused in one line, unread where they
are too large, and never written."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.procs import GIT, one_line, versync
from tests.reliability.test_interrupted import seed_repo, tree

U64_OVERFLOW = "18446744073709551616.0.0"  # one more than cargo's semver accepts


def test_a_version_above_u64_for_cargo_is_refused_and_nothing_written(tmp_path: Path) -> None:
    root = seed_repo(tmp_path / "repo")
    before = tree(root)
    result = versync(root, "bump", U64_OVERFLOW)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert "Cargo.toml" in line and "18446744073709551615" in line, line
    assert tree(root) == before


def small_repo(root: Path, pyproject: str) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "pkg/pyproject.toml").write_text(pyproject, encoding="utf-8")
    (root / "other").mkdir()
    (root / "other/pyproject.toml").write_text(
        '[project]\nname = "other"\nversion = "0.1.0"\n', encoding="utf-8"
    )
    subprocess.run([*GIT, "init", "-q"], cwd=root, check=True)
    return root


@pytest.mark.parametrize(
    "nesting", ["arrays-600-deep", "inline-tables-600-deep", "arrays-100000-deep"]
)
def test_nesting_beyond_what_tomllib_parses_is_one_line_about_that_file(
    tmp_path: Path, nesting: str
) -> None:
    kind, depth = nesting.split("-")[0], int(nesting.split("-")[-2])
    value = "[" * depth + "]" * depth if kind == "arrays" else "{a = " * depth + "1" + "}" * depth
    root = small_repo(
        tmp_path / "repo", f'[project]\nname = "pkg"\nversion = "0.1.0"\nx = {value}\n'
    )
    result = versync(root, "check")
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "RecursionError" not in output
    assert output.startswith("pkg/pyproject.toml:1:1: ")
    assert "invalid TOML: arrays or tables nested too deeply" in output
    assert "[manifest-error]" in output and result.returncode == 1


# The peak resident memory of this process alone, in KiB: VmHWM belongs to the memory map
# that exec made, while getrusage's ru_maxrss also counts what the parent (the test runner,
# forked to start this) held before the exec.
RSS_OF_CHECK = """
from versync._cli import main
code = main(["check"])
with open("/proc/self/status") as status:
    print(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
"""


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux's /proc")
def test_a_manifest_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    """A 342 MB pyproject.toml (sparse: no disk used) is refused from its size alone."""
    root = small_repo(tmp_path / "repo", '[project]\nname = "pkg"\nversion = "0.1.0"\n')
    os.truncate(root / "pkg/pyproject.toml", 342 * 1024 * 1024)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", RSS_OF_CHECK], cwd=root, capture_output=True, text=True, check=False
    )
    assert time.perf_counter() - started < 10
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("pkg/pyproject.toml:1:1: ")
    assert "file too large to read (358612992 bytes, over the limit of 10485760)" in result.stdout
    assert "[manifest-error]" in result.stdout
    peak_kib = int(result.stdout.split()[-1])
    assert peak_kib < 100 * 1024  # far below the file's 342 MB: it was never read
    # The next check proves its stored verdict file by file: never by hashing this one.
    again = subprocess.run(
        [sys.executable, "-c", RSS_OF_CHECK], cwd=root, capture_output=True, text=True, check=False
    )
    assert "[manifest-error]" in again.stdout
    assert int(again.stdout.split()[-1]) < 100 * 1024


def test_the_size_limit_is_configurable(tmp_path: Path) -> None:
    root = small_repo(tmp_path / "repo", '[project]\nname = "pkg"\nversion = "0.1.0"\n')
    (root / "versync.toml").write_text("max-file-size = 100\n", encoding="utf-8")
    (root / "pkg/pyproject.toml").write_text(
        '[project]\nname = "pkg"\nversion = "0.1.0"\n' + "# padding\n" * 20, encoding="utf-8"
    )
    result = versync(root, "check")
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("pkg/pyproject.toml:1:1: ")
    assert "file too large to read (241 bytes, over the limit of 100)" in result.stdout
    (root / "versync.toml").write_text("max-file-size = 1000\n", encoding="utf-8")
    assert versync(root, "check").returncode == 0
    (root / "versync.toml").write_text('max-file-size = "big"\n', encoding="utf-8")
    refused = versync(root, "check")
    assert refused.returncode == 2 and "max-file-size must be a positive" in one_line(
        refused.stderr
    )
