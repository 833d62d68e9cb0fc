"""Finding the files versync reads: `git ls-files`, or a walk outside git.

Paths are plain strings (`pathlib` and `subprocess` cost more to import than a hook run spends
scanning a repository of ten packages).
"""

from __future__ import annotations

import os

from versync._fs import git
from versync._fs.git import Git, Location
from versync.errors import UsageError

SKIPPED_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".venv", "venv", "node_modules", "target", "build", "dist",
        "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".tox", ".nox", ".eggs",
        ".cache", ".direnv",
    }
)  # fmt: skip


def for_root(root: str | os.PathLike[str] | None) -> Listing:
    """The listing of `root`, or of the whole work tree holding the current folder."""
    if root is None:
        return Listing(os.getcwd(), find_top=True)
    return Listing(os.fspath(root))


class Listing:
    """`git ls-files` started in the background, so git walks the work tree while Python
    imports the rest of versync (on two cores that hides most of git's time); beside it,
    `git rev-parse` says where the repository is (`location`).

    With `find_top`, `root` is where to start: the listing is of the whole work tree holding
    it, and `root` becomes the work tree's top-level (or stays as given outside git).
    """

    def __init__(self, root: str, *, find_top: bool = False) -> None:
        git._located.clear()  # one command, one answer: git may have been set up since
        self._start = root
        self._find_top = find_top
        self._locating = git.start_locate(root)
        self._location: Location | None = None
        scope = ("--full-name", "--", ":/") if find_top else ()
        self.started = _spawn_git_ls_files(root, scope)
        self._listed: list[str] | None = None
        self._walked = False

    @property
    def location(self) -> Location:
        """Where git says the repository is; `UntrustedRepository` when git refuses it."""
        if self._location is None:
            self._location = git.locate(self._start, self._locating)
        return self._location

    @property
    def root(self) -> str:
        """The folder versync reads: every path it reads or writes resolves inside it."""
        if self._find_top:
            return self.location.top or self._start
        return self._start

    @property
    def git_dir(self) -> str | None:
        """The repository's git directory, or None outside git."""
        return self.location.git_dir

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
            try:
                in_git = self.location.top is not None
            except git.UntrustedRepository:
                if self.started is not None:
                    self.started.output()  # reaped
                raise
            listed = self.started.output() if self.started is not None else None  # reaped
            listed = listed if in_git else None
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
    """The top of the git work tree holding `start`, as git says (see `git.locate`)."""
    return git.locate(start).top


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


def _spawn_git_ls_files(root: str, scope: tuple[str, ...] = ()) -> Git | None:
    """A running `git ls-files` of the work tree at `root`, or None when git cannot start."""
    try:
        return Git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", *scope)
    except OSError:
        return None
