"""Finding the files versync reads: `git ls-files`, or a walk outside git.

Paths are plain strings (`pathlib` and `subprocess` cost more to import than a hook run spends
scanning a repository of ten packages).
"""

from __future__ import annotations

import os

from versync._fs.git import Git
from versync.errors import UsageError

SKIPPED_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".venv", "venv", "node_modules", "target", "build", "dist",
        "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".tox", ".nox", ".eggs",
        ".cache", ".direnv",
    }
)  # fmt: skip


def find_root(start: str) -> str:
    """The top-level of the git work tree holding `start`, else `start` itself."""
    return work_tree(start) or start


class Listing:
    """`git ls-files` started in the background, so git walks the work tree while Python
    imports the rest of versync (on two cores that hides most of git's time)."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.started = _spawn_git_ls_files(root) if work_tree(root) else None
        self._listed: list[str] | None = None
        self._walked = False

    def paths(self, names: frozenset[str]) -> list[str]:
        """Repository-relative `/`-separated paths of every file called one of `names`, sorted.

        In a git work tree: the files git knows (tracked, and untracked but not ignored; a
        tracked file deleted from the work tree is still listed, the scan's stat drops it);
        else a walk that skips virtual environments, build output and caches. Symlinked
        folders are not followed.
        """
        if self._listed is None:
            if not os.path.isdir(self.root):
                raise UsageError(f"{self.root}: not a directory")
            listed = self.started.output() if self.started is not None else None
            self._listed = listed.split("\0") if listed is not None else []
            self._walked = listed is None
        if self._walked:
            return sorted(_walk(self.root, names))
        return sorted({path for path in self._listed if path.rpartition("/")[2] in names})

    def every_path(self) -> list[str]:
        """Every file `paths` would consider, whatever its name (for `[[files]]` globs)."""
        self.paths(frozenset())
        if self._walked:
            return sorted(_walk(self.root, None))
        return sorted(path for path in self._listed or [] if path)


def work_tree(start: str) -> str | None:
    """The top of the git work tree holding `start` (the first folder up with a `.git`)."""
    folder = os.path.abspath(start)
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _walk(root: str, names: frozenset[str] | None) -> list[str]:
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not _skipped(os.path.join(folder, d), d)]
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        found += [
            prefix + name
            for name in files
            if (names is None or name in names) and not os.path.islink(os.path.join(folder, name))
        ]
    return found


def _skipped(folder: str, name: str) -> bool:
    return (
        name in SKIPPED_DIRS
        or name.endswith(".egg-info")
        or os.path.islink(folder)
        or os.path.isfile(os.path.join(folder, "pyvenv.cfg"))
    )


def _spawn_git_ls_files(root: str) -> Git | None:
    """A running `git ls-files` of the work tree at `root`, or None when git cannot start."""
    try:
        return Git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    except OSError:
        return None
