"""Reading files whole, with the stamp (size, mtime, ctime, inode) they had when read, and
only inside the root: every path is checked to resolve (symlinks included) to a regular file
inside the root before it is opened (`resolve_inside`, `Confinement`)."""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Mapping, Sequence

from versync.errors import InputError, OutsideRoot, VersyncError
from versync.records import Finding
from versync.syntax.text import FileText, decode

Stamp = tuple[int, int, int, int]

MAX_FILE_SIZE = 10 * 1024 * 1024  # bytes; `max-file-size` in the configuration changes it
# Files: up to this many are hashed here (`blob_id`) sooner than `git hash-object` starts.
FEW_TO_HASH = 16
# Open without following a last symlink (callers resolve first) and without blocking on a FIFO.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def read(root: str, path: str, limit: int = MAX_FILE_SIZE) -> FileText:
    return read_stamped(root, path, limit)[0]


def read_stamped(root: str, path: str, limit: int = MAX_FILE_SIZE) -> tuple[FileText, Stamp]:
    """A file's content and its stamp, taken from the open file before reading it; a file
    over `limit` bytes is an `InputError` and is not read, a special file is `OutsideRoot`."""
    try:
        fd = os.open(os.path.join(root, path), _OPEN_FLAGS | getattr(os, "O_BINARY", 0))
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise OutsideRoot(path, "a special file, not a regular file; it is not read")
            check_size(path, info.st_size, limit)
            data = read_all(fd, info.st_size)
        finally:
            os.close(fd)
    except OSError as exc:
        raise VersyncError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return decode(path, data), (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def check_size(path: str, size: int, limit: int) -> None:
    """`InputError` when a file of `size` bytes is over the `limit` (it is then never read)."""
    if size > limit:
        raise InputError(
            path,
            1,
            1,
            f"file too large to read ({size} bytes, over the limit of {limit}); "
            "raise max-file-size in versync.toml or exclude it",
        )


def resolve_inside(root: str, path: str) -> str | None:
    """`path` (repository-relative, as a manifest wrote it) as a repository-relative path with
    every symlink resolved; None when nothing is there. `OutsideRoot` when it is absolute,
    climbs out of `root`, resolves outside it, or is not a regular file."""
    return Resolver(root).inside(path)


class Resolver:
    """`resolve_inside` for many paths of one root: the root and each folder are resolved
    once, then a file costs one `lstat` (`os.path.realpath` costs one per path component)."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._real_root = os.path.realpath(root)
        self._folders: dict[str, str] = {"": self._real_root}  # folder -> its real path

    def inside(self, path: str) -> str | None:
        """See `resolve_inside`."""
        if posixpath.isabs(path) or os.path.isabs(path) or os.path.splitdrive(path)[0]:
            raise OutsideRoot(path, "an absolute path; versync reads only inside the repository")
        normal = posixpath.normpath(path)
        if normal == ".." or normal.startswith("../"):
            raise OutsideRoot(path, "outside the repository root")
        real = self._real(normal)
        if not _within(self._real_root, real):
            raise OutsideRoot(path, f"resolves to {real}, outside the repository root")
        try:
            info = os.stat(real)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            raise OutsideRoot(path, "a special file, not a regular file; it is not read")
        # inside, so below the root: the rest of the path (relpath would stat the cwd)
        return real[len(self._real_root.rstrip(os.sep)) + 1 :].replace(os.sep, "/")

    def _real(self, relative: str) -> str:
        """The real path of `relative` (normalised, inside the root as written)."""
        folder, _, name = relative.rpartition("/")
        parent = self._folders.get(folder)
        if parent is None:
            parent = self._folders[folder] = self._real(folder)
        full = os.path.join(parent, name)
        try:
            is_link = stat.S_ISLNK(os.lstat(full).st_mode)
        except OSError:
            return full  # nothing there (yet): as `realpath`, the rest is taken as written
        return os.path.realpath(full) if is_link else full


def _within(real_root: str, real: str) -> bool:
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


class Confinement:
    """Which folders of the root resolve outside it (a folder replaced by a symlink), each
    folder checked once with one `lstat` (relative to `at`, a descriptor of the root, when
    given)."""

    def __init__(self, root: str, at: int | None = None) -> None:
        self.root = root
        self.at = at
        self._real_root: str | None = None
        self._folders: dict[str, str | None] = {"": None}

    def problem(self, path: str) -> str | None:
        """Why the listed file at `path` must not be read (its folder resolves outside the
        root), or None."""
        return self._folder(path.rpartition("/")[0])

    def _folder(self, folder: str) -> str | None:
        known = self._folders.get(folder, False)
        if known is not False:
            return known  # type: ignore[return-value]
        parent = self._folder(folder.rpartition("/")[0])
        found = parent if parent is not None else self._check(folder)
        self._folders[folder] = found
        return found

    def _check(self, folder: str) -> str | None:
        try:
            is_link = stat.S_ISLNK(_lstat(self.root, folder, self.at).st_mode)
        except OSError:
            return None
        if not is_link:
            return None
        full = os.path.join(self.root, folder)
        if self._real_root is None:
            self._real_root = os.path.realpath(self.root)
        real = os.path.realpath(full)
        if _within(self._real_root, real):
            return None
        return f"{folder} is a symlink to {real}, outside the repository root; it is not read"


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


def regular_file_stamp(full_path: str) -> Stamp | None:
    """The stamp of a regular file; None for a symlink or a file that is gone."""
    return _file_stamp(full_path, follow_symlinks=False)


def followed_file_stamp(full_path: str) -> Stamp | None:
    """The stamp of the regular file at `full_path`, symlinks followed; None when there is none."""
    return _file_stamp(full_path, follow_symlinks=True)


def _file_stamp(full_path: str, *, follow_symlinks: bool) -> Stamp | None:
    try:
        return _regular(os.stat(full_path, follow_symlinks=follow_symlinks))
    except OSError:
        return None


def _regular(info: os.stat_result) -> Stamp | None:
    """The stamp of what `info` describes when it is a regular file."""
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def listed_file_stamps(root: str, paths: list[str]) -> dict[str, Stamp]:
    """The stamps of the listed paths that are regular files (a symlink, a file deleted from
    the work tree, or one in a folder that resolves outside the root is not read)."""
    stamps: dict[str, Stamp] = {}
    # Relative to a descriptor of the root: no path joined, and the system walks only the
    # path below the root (1,537 files: 7.3 ms to 5.5 ms).
    at = _open_folder(root)
    confinement = Confinement(root, at)
    try:
        for path in paths:
            if confinement.problem(path) is not None:
                continue
            try:
                current = _regular(_lstat(root, path, at))
            except OSError:
                continue
            if current is not None:
                stamps[path] = current
    finally:
        if at is not None:
            os.close(at)
    return stamps


def _open_folder(folder: str) -> int | None:
    """A descriptor of `folder` to stat paths below it by, where the system offers that."""
    if os.stat not in os.supports_dir_fd:  # pragma: no cover - Windows
        return None
    try:
        return os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None


def _lstat(root: str, path: str, at: int | None) -> os.stat_result:
    """`os.lstat` of `path` below `root` (through the descriptor `at` when given)."""
    if at is None:
        return os.lstat(os.path.join(root, path))
    return os.stat(path, dir_fd=at, follow_symlinks=False)


def outside_listed(top: str, listed: Sequence[str], stamps: Mapping[str, Stamp]) -> list[Finding]:
    """`outside-root` findings for the listed files in folders that resolve outside the root
    (a tracked folder replaced by a symlink): they were not read."""
    confinement = Confinement(top)
    found = []
    for path in listed:
        problem = None if path in stamps else confinement.problem(path)
        if problem is not None:
            found.append(
                Finding(
                    code="outside-root",
                    package=path.rpartition("/")[0] or ".",
                    file=path,
                    line=1,
                    column=1,
                    found="a folder symlinked outside",
                    expected="a folder inside the repository",
                    message=problem,
                    fixable=False,
                )
            )
    return found


def blob_id(data: bytes) -> str:
    """git's object id of a file holding `data` (what `git hash-object` prints in a SHA-1
    repository): the caches key parsed content by it, so a parse is only ever served for
    these exact bytes."""
    try:
        from _sha1 import sha1  # type: ignore[import-not-found]  # hashlib loads OpenSSL (2 ms)
    except ImportError:  # pragma: no cover - other interpreters
        from hashlib import sha1

    digest: str = sha1(b"blob %d\0" % len(data) + data).hexdigest()
    return digest
