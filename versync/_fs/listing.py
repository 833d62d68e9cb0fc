"""Finding the files versync reads: `git ls-files`, or a walk outside git.

Paths are plain strings (`pathlib` and `subprocess` cost more to import than a hook run spends
scanning a repository of ten packages).
"""

from __future__ import annotations

import os
from typing import Any

from versync.errors import UsageError

HAS_POSIX_SPAWN = hasattr(os, "posix_spawnp")  # not on Windows; tests turn it off
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


def _walk(root: str, names: frozenset[str]) -> list[str]:
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not _skipped(os.path.join(folder, d), d)]
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        found += [
            prefix + name
            for name in files
            if name in names and not os.path.islink(os.path.join(folder, name))
        ]
    return found


def _skipped(folder: str, name: str) -> bool:
    return (
        name in SKIPPED_DIRS
        or name.endswith(".egg-info")
        or os.path.islink(folder)
        or os.path.isfile(os.path.join(folder, "pyvenv.cfg"))
    )


class _Git:
    """A running `git ls-files`, started with `posix_spawnp` where it exists (a third of the
    cost of `subprocess`, which a hook run would otherwise import), else with `subprocess`."""

    def __init__(self, args: list[str]) -> None:
        self.args = args
        env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
        self._process: Any = None
        self._pid = self._reader = -1
        if HAS_POSIX_SPAWN:
            self._spawn(env)
        else:
            import subprocess

            self._process = subprocess.Popen(
                args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
            )

    def _spawn(self, env: dict[str, str]) -> None:
        reader, writer = os.pipe()
        try:
            self._pid = os.posix_spawnp(
                self.args[0],
                self.args,
                env,
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, writer, 1),
                    (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
                ],
            )
        except OSError:
            os.close(reader)
            raise
        finally:
            os.close(writer)
        self._reader = reader

    def output(self) -> str | None:
        """What git printed, or None when it failed."""
        if self._process is not None:
            data, _ = self._process.communicate()
            code = self._process.returncode
        else:
            with os.fdopen(self._reader, "rb") as output:
                data = output.read()
            _, status = os.waitpid(self._pid, 0)
            code = os.waitstatus_to_exitcode(status)
        return data.decode("utf-8", "surrogateescape") if code == 0 else None


def _spawn_git_ls_files(root: str) -> _Git | None:
    """A running `git ls-files` of the work tree at `root`, or None when git cannot start."""
    args = ["git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    try:
        return _Git(args)
    except OSError:
        return None
