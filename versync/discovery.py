"""Finding the files versync reads, and reading them: all file-system access of a scan.

Paths are plain strings (`pathlib` and `subprocess` cost more to import than a hook run spends
scanning a repository of ten packages).
"""

from __future__ import annotations

import os

from versync.cache import Stamp
from versync.errors import UsageError, VersyncError
from versync.text import FileText, decode

MANIFEST_NAMES = frozenset(
    {"pyproject.toml", "Cargo.toml", "Cargo.lock", "uv.lock", "bundle.py", "versync.toml"}
)
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
        self._paths: list[str] | None = None

    def paths(self) -> list[str]:
        """Repository-relative `/`-separated paths of every file versync reads by name, sorted.

        In a git work tree: the files git knows (tracked, and untracked but not ignored; a
        tracked file deleted from the work tree is still listed, the scan's stat drops it);
        else a walk that skips virtual environments, build output and caches. Symlinked
        folders are not followed.
        """
        if self._paths is None:
            if not os.path.isdir(self.root):
                raise UsageError(f"{self.root}: not a directory")
            listed = _finish(*self.started) if self.started is not None else None
            self._paths = sorted(_from_git(listed) if listed is not None else _walk(self.root))
        return self._paths


def list_manifests(root: str) -> list[str]:
    return Listing(root).paths()


def read(root: str, path: str) -> FileText:
    return read_stamped(root, path)[0]


def read_stamped(root: str, path: str) -> tuple[FileText, Stamp]:
    """A file's content and its stamp, taken from the open file before reading it."""
    try:
        fd = os.open(os.path.join(root, path), os.O_RDONLY)
        try:
            info = os.fstat(fd)
            data = read_all(fd, info.st_size)
        finally:
            os.close(fd)
    except OSError as exc:
        raise VersyncError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return decode(path, data), (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def read_all(fd: int, expected_size: int = 0) -> bytes:
    """Everything left in `fd`; a read that returns less than it asked for was the last."""
    chunks = []
    request = expected_size + 1 if expected_size else 1 << 16
    while chunk := os.read(fd, request):
        chunks.append(chunk)
        if len(chunk) < request:
            break
    return b"".join(chunks)


def exists(root: str, path: str) -> bool:
    return os.path.isfile(os.path.join(root, path))


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


def _from_git(listed: str) -> list[str]:
    """The manifests among git's files; symlinks and files deleted from the work tree are
    dropped later, by the stat every scanned file gets (see `cache.listed_file_stamps`)."""
    return list({path for path in listed.split("\0") if path.rpartition("/")[2] in MANIFEST_NAMES})


def _walk(root: str) -> list[str]:
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not _skipped(os.path.join(folder, d), d)]
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        found += [
            prefix + name
            for name in files
            if name in MANIFEST_NAMES and not os.path.islink(os.path.join(folder, name))
        ]
    return found


def _skipped(folder: str, name: str) -> bool:
    return (
        name in SKIPPED_DIRS
        or name.endswith(".egg-info")
        or os.path.islink(folder)
        or os.path.isfile(os.path.join(folder, "pyvenv.cfg"))
    )


def _spawn_git_ls_files(root: str) -> tuple[int, int] | None:
    """The pid and output pipe of a running `git ls-files`, or None when git cannot start."""
    args = ["git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    reader, writer = os.pipe()
    try:
        pid = os.posix_spawnp(
            "git",
            args,
            {**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
            file_actions=[
                (os.POSIX_SPAWN_DUP2, writer, 1),
                (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
            ],
        )
    except OSError:
        os.close(reader)
        return None
    finally:
        os.close(writer)
    return pid, reader


def _finish(pid: int, reader: int) -> str | None:
    with os.fdopen(reader, "rb") as output:
        data = output.read()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        return None
    return data.decode("utf-8", "surrogateescape")
