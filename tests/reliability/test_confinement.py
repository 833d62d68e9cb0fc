"""Paths that point outside the repository are `outside-root` findings and are never read or
written; git, not a search for `.git`, says where the repository is."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reliability.procs import GIT, environment, one_line, versync

OUTSIDE_VERSION = "9.9.9"
HATCH = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "pkg"
dynamic = ["version"]

[tool.hatch.version]
path = "{path}"
{pattern}"""
SETUPTOOLS = """\
[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"

[project]
name = "pkg"
dynamic = ["version"]

[tool.setuptools.dynamic]
version = {{attr = "{attr}"}}
"""
OTHER = '[project]\nname = "other"\nversion = "0.1.1"\n'


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def untouched(path: Path) -> tuple[int, int]:
    """The file's access and modification times, the access time set before its change
    time so that any read moves it (relatime)."""
    os.utime(path, ns=(1_000_000_000, time.time_ns()))
    info = path.stat()
    return info.st_atime_ns, info.st_mtime_ns


def atime_works(folder: Path) -> bool:
    probe = write(folder / "probe", "x")
    before = untouched(probe)
    probe.read_bytes()
    return probe.stat().st_atime_ns != before[0]


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """A git repository `repo` and, beside it, `outside` holding a version file."""
    root = tmp_path / "repo"
    write(root / "other/pyproject.toml", OTHER)
    subprocess.run([*GIT, "init", "-q"], cwd=root, check=True)
    outside = tmp_path / "outside"
    write(outside / "about.py", f'__version__ = "{OUTSIDE_VERSION}"\n')
    write(outside / "src/pkg/__about__.py", f'__version__ = "{OUTSIDE_VERSION}"\n')
    return root, outside


def hatch(root: Path, path: str, pattern: str = "") -> None:
    write(root / "pkg/pyproject.toml", HATCH.format(path=path, pattern=pattern))


def absolute_path(root: Path, outside: Path) -> None:
    hatch(root, str(outside / "about.py"))


def climbing_out_with_dotdot(root: Path, outside: Path) -> None:
    hatch(root, "../../outside/about.py")


def version_file_symlinked_outside(root: Path, outside: Path) -> None:
    hatch(root, "src/pkg/__about__.py")
    (root / "pkg/src/pkg").mkdir(parents=True)
    (root / "pkg/src/pkg/__about__.py").symlink_to(outside / "about.py")


def folder_symlinked_outside(root: Path, outside: Path) -> None:
    hatch(root, "src/pkg/__about__.py")
    (root / "pkg/src").symlink_to(outside / "src")


def setuptools_attr_with_a_leading_dot(root: Path, outside: Path) -> None:
    write(root / "pkg/pyproject.toml", SETUPTOOLS.format(attr=".outside.about.__version__"))


CASES: dict[str, Callable[[Path, Path], None]] = {
    case.__name__.replace("_", "-"): case
    for case in (
        absolute_path,
        climbing_out_with_dotdot,
        version_file_symlinked_outside,
        folder_symlinked_outside,
        setuptools_attr_with_a_leading_dot,
    )
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_version_file_outside_the_root_is_a_finding_and_never_read_or_written(
    layout: tuple[Path, Path], case: str
) -> None:
    root, outside = layout
    CASES[case](root, outside)
    watched = [outside / "about.py", outside / "src/pkg/__about__.py"]
    contents = [path.read_bytes() for path in watched]
    times = [untouched(path) for path in watched]

    check = versync(root, "check")
    assert check.returncode == 1, check.stderr
    assert "[outside-root]" in check.stdout and check.stdout.startswith("pkg/pyproject.toml:")
    assert OUTSIDE_VERSION not in check.stdout
    bump = versync(root, "bump", "0.2.0")
    assert "Traceback" not in bump.stderr
    if atime_works(outside.parent):  # not read: a read would have moved the access time
        assert [(p.stat().st_atime_ns, p.stat().st_mtime_ns) for p in watched] == times
    assert [path.read_bytes() for path in watched] == contents


def test_a_relative_path_that_stays_inside_is_followed(layout: tuple[Path, Path]) -> None:
    root, _ = layout
    hatch(root, "../shared/version.py")
    write(root / "shared/version.py", '__version__ = "0.1.1"\n')
    assert versync(root, "check").returncode == 0
    assert versync(root, "bump", "0.1.2").returncode == 0
    assert (root / "shared/version.py").read_text() == '__version__ = "0.1.2"\n'


def test_proc_environ_with_a_pattern_leaks_nothing(layout: tuple[Path, Path]) -> None:
    root, _ = layout
    pattern = 'pattern = "VERSYNC_TEST_SECRET=(?P<version>[0-9.]+)"\n'
    hatch(root, "/proc/self/environ", pattern)
    result = versync(root, "check", env=environment(VERSYNC_TEST_SECRET="7.6.5"))
    assert result.returncode == 1 and "[outside-root]" in result.stdout
    assert "7.6.5" not in result.stdout + result.stderr


def test_a_fifo_as_version_file_is_refused_without_blocking(layout: tuple[Path, Path]) -> None:
    root, _ = layout
    hatch(root, "src/pkg/__about__.py")
    (root / "pkg/src/pkg").mkdir(parents=True)
    os.mkfifo(root / "pkg/src/pkg/__about__.py")
    result = versync(root, "check", timeout=20)
    assert result.returncode == 1 and "a special file" in result.stdout


def test_a_tracked_folder_replaced_by_a_symlink_is_not_read(layout: tuple[Path, Path]) -> None:
    root, outside = layout
    write(root / "pkg/pyproject.toml", '[project]\nname = "pkg"\nversion = "0.1.1"\n')
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-qm", "pkg"], cwd=root, check=True)
    secret = write(outside / "pkg/pyproject.toml", '[project]\nname = "evil"\nversion = "6.6.6"\n')
    (root / "pkg/pyproject.toml").unlink()
    (root / "pkg").rmdir()
    (root / "pkg").symlink_to(outside / "pkg")
    before = secret.read_bytes()
    check = versync(root, "check")
    assert check.returncode == 1 and "pkg/pyproject.toml:1:1: pkg: pkg is a symlink" in check.stdout
    assert "6.6.6" not in check.stdout and "evil" not in check.stdout
    versync(root, "bump", "0.2.0")
    assert secret.read_bytes() == before


def test_a_repository_git_does_not_trust_is_refused_with_gits_advice(tmp_path: Path) -> None:
    root = write(tmp_path / "repo/pyproject.toml", OTHER).parent
    subprocess.run([*GIT, "init", "-q"], cwd=root, check=True)
    env = environment(GIT_TEST_ASSUME_DIFFERENT_OWNER="1")
    for args in (("check",), ("bump", "0.2.0"), ("check", "--root", str(root))):
        result = versync(root, *args, env=env)
        assert result.returncode == 2
        line = one_line(result.stderr)
        assert "dubious ownership" in line and "safe.directory" in line, line
    assert (root / "pyproject.toml").read_text() == OTHER
