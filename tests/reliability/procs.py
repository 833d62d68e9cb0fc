"""Real versync processes and small repositories for the reliability tests."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

GIT = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"]

PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "pkg-{index:03d}"
version = "{version}"
description = "package {index} of a generated repository"
requires-python = ">=3.11"
dependencies = [
{dependencies}]

[tool.hatch.build.targets.wheel]
packages = ["pkg_{index:03d}"]
"""


def make_repo(root: Path, packages: int, version: str = "0.1.1", *, git: bool = True) -> Path:
    """`packages` hatchling packages under `packages/`, each pinning the one before it."""
    for index in range(packages):
        dependency = f'    "pkg-{index - 1:03d} == {version}",\n' if index else ""
        text = PYPROJECT.format(index=index, version=version, dependencies=dependency)
        path = root / "packages" / f"pkg-{index:03d}" / "pyproject.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if git:
        subprocess.run([*GIT, "init", "-q"], cwd=root, check=True)
        subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
        subprocess.run([*GIT, "commit", "-qm", "packages"], cwd=root, check=True)
    return root


def environment(**extra: str) -> dict[str, str]:
    """The test process's environment (its temporary user cache included), plus `extra`."""
    return {**os.environ, **extra}


def versync(
    root: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run `python -m versync ARGS` in `root` as a separate process."""
    return subprocess.run(
        [sys.executable, "-m", "versync", *args],
        cwd=root,
        env=env or environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def spawn(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start `python -m versync ARGS` in `root` without waiting for it."""
    return subprocess.Popen(
        [sys.executable, "-m", "versync", *args],
        cwd=root,
        env=env or environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def versions(root: Path) -> dict[str, str]:
    """Each generated package's `[project].version`; a file that does not parse is torn and
    fails the test."""
    found = {}
    for path in sorted(root.glob("packages/*/pyproject.toml")):
        text = path.read_text(encoding="utf-8")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:  # pragma: no cover - the failure being tested
            raise AssertionError(f"{path} is torn: {exc}\n{text}") from exc
        found[path.relative_to(root).as_posix()] = data["project"]["version"]
    return found


def one_line(stderr: str) -> str:
    """The single line of a refusal: no traceback, exactly one line."""
    assert "Traceback" not in stderr, stderr
    assert stderr.count("\n") == 1 and stderr.startswith("versync: "), stderr
    return stderr
