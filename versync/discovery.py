"""Finding the files versync reads, and reading them: all file-system access of a scan."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from versync.errors import UsageError, VersyncError
from versync.text import FileText, decode

MANIFEST_NAMES = frozenset(
    {"pyproject.toml", "Cargo.toml", "Cargo.lock", "uv.lock", "bundle.py", "versync.toml"}
)
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        "node_modules",
        "target",
        "build",
        "dist",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        ".eggs",
        ".cache",
        ".direnv",
    }
)


def find_root(start: Path) -> Path:
    """The git top-level of `start`, else `start` itself."""
    top = _git(start, "rev-parse", "--show-toplevel")
    return Path(top.strip()) if top is not None else start


def list_manifests(root: Path) -> list[str]:
    """Repository-relative `/`-separated paths of every file versync reads by name, sorted."""
    if not root.is_dir():
        raise UsageError(f"{root}: not a directory")
    listed = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    paths = _from_git(root, listed) if listed is not None else _walk(root)
    return sorted(paths)


def read(root: Path, path: str) -> FileText:
    try:
        data = (root / path).read_bytes()
    except OSError as exc:
        raise VersyncError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return decode(path, data)


def _from_git(root: Path, listed: str) -> list[str]:
    found = set()
    for path in listed.split("\0"):
        name = path.rpartition("/")[2]
        if name in MANIFEST_NAMES and not (root / path).is_symlink() and (root / path).is_file():
            found.add(path)
    return list(found)


def _walk(root: Path) -> list[str]:
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not _skipped(Path(folder, d))]
        relative = Path(folder).relative_to(root).as_posix()
        prefix = "" if relative == "." else relative + "/"
        found += [
            prefix + f for f in files if f in MANIFEST_NAMES and not Path(folder, f).is_symlink()
        ]
    return found


def _skipped(folder: Path) -> bool:
    name = folder.name
    return (
        name in SKIPPED_DIRS
        or name.endswith(".egg-info")
        or folder.is_symlink()
        or (folder / "pyvenv.cfg").is_file()
    )


def _git(cwd: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
    except OSError:
        return None
    return result.stdout if result.returncode == 0 else None
