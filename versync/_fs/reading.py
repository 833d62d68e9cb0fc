"""Reading files whole, with the stamp (size, mtime, ctime, inode) they had when read."""

from __future__ import annotations

import os
import stat

from versync.errors import VersyncError
from versync.syntax.text import FileText, decode

Stamp = tuple[int, int, int, int]


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


def regular_file_stamp(full_path: str) -> Stamp | None:
    """The stamp of a regular file; None for a symlink or a file that is gone."""
    return _file_stamp(full_path, follow_symlinks=False)


def followed_file_stamp(full_path: str) -> Stamp | None:
    """The stamp of the regular file at `full_path`, symlinks followed; None when there is none."""
    return _file_stamp(full_path, follow_symlinks=True)


def _file_stamp(full_path: str, *, follow_symlinks: bool) -> Stamp | None:
    try:
        info = os.stat(full_path, follow_symlinks=follow_symlinks)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def listed_file_stamps(root: str, paths: list[str]) -> dict[str, Stamp]:
    """The stamps of the listed paths that are regular files (a symlink or a file deleted
    from the work tree is not read)."""
    stamps: dict[str, Stamp] = {}
    for path in paths:
        current = regular_file_stamp(os.path.join(root, path))
        if current is not None:
            stamps[path] = current
    return stamps


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
