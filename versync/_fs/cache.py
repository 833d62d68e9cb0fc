"""The scan cache: parsed records of the files that did not change since the last run.

It lives in the git directory (`.git/versync/scan-cache.json`), so it is never committed and
goes away with the clone. Its values are JSON of plain values and registered records (see
`versync._fs.plain`, never pickle); its first line names the build of versync that wrote it
and checksums the rest, so a foreign, torn or altered cache is ignored and rewritten. The
scan cache holds one line per file, so a run that changed one file encodes that line only,
and decodes a record only when it serves it.

An entry is keyed by the blob id (`git hash-object`) of the bytes it was parsed from, and
holds the stamp (size, modification and change times, inode) of the file that held them. It
is served when the file's stamp is unchanged, or when the file's current bytes hash to that
blob id: after a branch switch or a reset, which rewrite files, git hashes them
(`versync._fs.hashing`), so their parses cost nothing.
The change time (ctime) cannot be set back by tools, so an edit that keeps size and mtime is
still seen. A stamp from the last few seconds is not stored, as git does with its index: a
second edit in the same clock tick could otherwise keep the same times (such an entry is
found by its blob id only). `VERSYNC_NO_CACHE=1` turns the cache off. `store`, `load` and
`cache_dir` are shared with the check verdict (`versync.verdict`), which lives beside it.

The first run in a clone keeps no records: it writes an empty scan cache, and the records are
written from the next run that parses files on. Most first runs are a CI job's, in a clone
that is thrown away after it; encoding the records of a thousand packages costs such a run
about 50 ms of its 0.3 s (`benchmarks/README.md`, "The first runs in a clone").
"""

from __future__ import annotations

import contextlib
import os
import time

from versync._fs.reading import Stamp
from versync._typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

_RACY_NS = 2_000_000_000
_FORMAT = "versync-cache-2"
_MAX_CACHE_BYTES = 1 << 30


# A cached parse, as a list: the stamp the file had (None when too recent to prove anything),
# the blob id of the bytes parsed, the record as stored (None until encoded) and the record
# (`_UNREAD` until decoded: a record is decoded only when it is served).
if TYPE_CHECKING:
    Entry = list[Any]
_UNREAD: Any = object()
_KEPT_PER_PATH = 2  # the current content and the one before: switching branches back and forth


class ScanCache:
    """The records of the files previous scans read, by path: for each, the last contents
    parsed, keyed by their blob id, with the stamp the file had.

    The file holds one line per path: `[path, [[stamp, blob id], ...]]`, then each record's
    JSON, separated by tabs (compact JSON never holds a raw tab). A run that only learns new
    stamps (after a reset) rewrites the first part; a record is decoded when it is served."""

    def __init__(self, path: str | None, root: str) -> None:
        self.path = path
        self.root = os.path.abspath(root)
        self.entries: dict[str, list[Entry]] = {}
        self._heads: dict[str, str] = {}  # each path's `[path, stamps and blobs]` as loaded
        self._decoded = False
        self.changed = False
        self.now = time.time_ns()
        # No scan cache yet (the first run in this clone): this run keeps no records.
        self.first_run = path is not None and not os.path.exists(path)
        if path is not None and not self.first_run:
            self.entries, self._heads = _load(path, self.root)

    @classmethod
    def for_root(cls, root: str) -> ScanCache:
        """The cache of the repository at `root` (an empty one outside git)."""
        folder = cache_dir(root)
        return cls(None if folder is None else os.path.join(folder, "scan-cache.json"), root)

    def get(self, path: str, current: Stamp, blob: str | None = None) -> tuple[str, Any] | None:
        """The blob id and record of `path` if it was cached with stamp `current`, or for the
        blob `blob` (the id of the file's current bytes, from git or from hashing them);
        else None."""
        if not self._decoded:
            self._decode_first_entries()
        for entry in self.entries.get(path, ()):
            if entry[0] == current or entry[1] == blob:
                record = _record(entry)
                if record is _UNREAD:
                    return None
                self._restamp(path, entry, current)
                return entry[1], record
        return None

    def _decode_first_entries(self) -> None:
        """Decode the first record of every path in one go (one JSON document is decoded
        faster than a thousand small ones); a scan serves most of them."""
        self._decoded = True
        firsts = [entries[0] for entries in self.entries.values() if entries[0][3] is _UNREAD]
        if not firsts:
            return
        from versync._fs import plain

        try:
            records = plain.decode("[" + ",".join(entry[2] for entry in firsts) + "]")
        except ValueError:
            return  # each is tried again alone when served
        if isinstance(records, list) and len(records) == len(firsts):
            for entry, record in zip(firsts, records, strict=True):
                entry[3] = record

    def _restamp(self, path: str, entry: Entry, current: Stamp) -> None:
        """`entry`, served for a file with stamp `current`, becomes the path's first entry
        and takes that stamp (unless it is too recent to prove anything)."""
        stamp = None if is_racy(current, self.now) else current
        entries = self.entries[path]
        if entry[0] == stamp and entries[0] is entry:
            return
        entry[0] = stamp
        entries.remove(entry)
        entries.insert(0, entry)
        self._heads.pop(path, None)
        self.changed = True

    def put(self, path: str, current: Stamp, blob: str, record: Any) -> None:
        """Remember the record parsed from the bytes whose blob id is `blob`, with the stamp
        of the file that held them unless it is too recent to prove anything."""
        if self.path is None or self.first_run:
            return
        stamp = None if is_racy(current, self.now) else current
        older = [entry for entry in self.entries.get(path, ()) if entry[1] != blob]
        self.entries[path] = [[stamp, blob, None, record], *older][:_KEPT_PER_PATH]
        self._heads.pop(path, None)
        self.changed = True

    def save(self, seen: set[str]) -> None:
        """Write the entries of the files seen in this scan, if anything changed; the first
        run writes an empty cache, so that the next run that parses keeps its records."""
        if self.path is not None and self.first_run:
            write_payload(self.path, self.root, b"")
            return
        stale = set(self.entries) - seen
        if self.path is None or not (self.changed or stale):
            return
        for path in stale:
            del self.entries[path]
        lines: list[str] = []
        for path, entries in self.entries.items():
            line = _line(path, entries, self._heads.get(path))
            if line is not None:
                lines.append(line)
        write_payload(self.path, self.root, "\n".join(lines).encode("utf-8"))


def _record(entry: Entry) -> Any:
    """The entry's record, decoded on first use; `_UNREAD` when it cannot be."""
    if entry[3] is _UNREAD:
        from versync._fs import plain

        try:
            entry[3] = plain.decode(entry[2])
        except ValueError:
            return _UNREAD
    return entry[3]


def _line(path: str, entries: list[Entry], head: str | None) -> str | None:
    """The line of `path` in the cache file; None when a record cannot be cached."""
    from versync._fs import plain

    try:
        if head is None:
            stamps = [[None if e[0] is None else list(e[0]), e[1]] for e in entries]
            head = plain.encode([path, stamps])
        for entry in entries:
            if entry[2] is None:
                entry[2] = plain.encode(entry[3])
    except (TypeError, ValueError):
        return None  # something that cannot be cached: the next run reads it again
    return "\t".join([head, *(entry[2] for entry in entries)])


def is_racy(current: Stamp, now: int) -> bool:
    """Changed so recently that a second change in the same clock tick could keep its times."""
    return max(current[1], current[2]) > now - _RACY_NS


def store(path: str, root: str, content: object, key: str | None = None) -> None:
    """Write `content` (plain values and cacheable records) as the cache at `path`, for
    `root`, this build of versync and `key` (what `load` must be asked with to decode it).
    A cache is an optimisation: failures are ignored."""
    from versync._fs import plain

    try:
        payload = plain.encode(content).encode("utf-8")
    except (TypeError, ValueError):
        return  # something that cannot be cached: the next run computes it again
    write_payload(path, root, payload, key)


def write_payload(path: str, root: str, payload: bytes, key: str | None = None) -> None:
    """Write `payload` under its header line (see `_header`) as the cache at `path`."""
    header = _header(root, payload, key)
    with contextlib.suppress(OSError):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = f"{path}.{os.getpid()}"
        with open(temporary, "wb") as handle:
            handle.write(header + b"\n" + payload)
        os.replace(temporary, path)


def load(path: str, root: str, key: str | None = None) -> Any:
    """What `store` wrote at `path` for this root, this build and `key`, else None: a
    missing, truncated, altered, foreign or malformed cache is never trusted, and one
    stored for another key is not decoded."""
    payload = read_payload(path, root, key)
    if payload is None:
        return None
    from versync._fs import plain

    try:
        return plain.decode(payload)
    except ValueError:
        return None


def read_payload(path: str, root: str, key: str | None = None) -> bytes | None:
    """The payload `write_payload` wrote at `path` for this root, this build and `key`, else
    None."""
    try:
        with open(path, "rb") as handle:
            # Sized first: read(n) would reserve n bytes, whatever the file holds.
            if os.fstat(handle.fileno()).st_size > _MAX_CACHE_BYTES:
                return None
            data = handle.read()
    except OSError:
        return None
    header, _, payload = data.partition(b"\n")
    if len(data) > _MAX_CACHE_BYTES or header != _header(root, payload, key):
        return None
    return payload


def _header(root: str, payload: bytes, key: str | None) -> bytes:
    """The first line of a cache: its format, the build that wrote it, its root and key,
    and the size and CRC-32 of the rest. The checksum guards against a torn or altered file;
    an adversary who can write the git directory can also rewrite git's own hooks."""
    import json
    import zlib

    from versync._fs import plain

    return json.dumps(
        {
            "format": _FORMAT,
            "build": plain.fingerprint(),
            "root": root,
            "key": key,
            "size": len(payload),
            "crc32": zlib.crc32(payload),
        },
        sort_keys=True,
    ).encode("utf-8")


def _load(path: str, root: str) -> tuple[dict[str, list[Entry]], dict[str, str]]:
    """The entries of the scan cache at `path` by file (records not decoded yet), and each
    file's first part as stored."""
    payload = read_payload(path, root)
    if not payload:
        return {}, {}
    from versync._fs import plain

    valid: dict[str, list[Entry]] = {}
    heads: dict[str, str] = {}
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        return {}, {}
    lines = [line.split("\t") for line in text.split("\n")]
    try:  # one document: decoding a thousand small ones costs half as much again
        decoded = plain.decode("[" + ",".join(parts[0] for parts in lines) + "]")
    except ValueError:
        return {}, {}
    if not isinstance(decoded, list) or len(decoded) != len(lines):
        return {}, {}
    for stored, (head, *records) in zip(decoded, lines, strict=True):
        entries = _entries(stored, records)
        if entries is None:
            return {}, {}
        valid[stored[0]] = entries
        heads[stored[0]] = head
    return valid, heads


def _entries(stored: Any, records: list[str]) -> list[Entry] | None:
    """`[path, [[stamp or null, blob id], ...]]` and the records' JSON as entries, else None."""
    if not (isinstance(stored, list) and len(stored) == 2 and isinstance(stored[0], str)):
        return None
    if not isinstance(stored[1], list) or len(stored[1]) != len(records):
        return None
    entries: list[Entry] = []
    for entry, record in zip(stored[1], records, strict=True):
        if not (isinstance(entry, list) and len(entry) == 2 and _is_blob(entry[1])):
            return None
        stamp = stamp_of(entry[0])
        if stamp is None and entry[0] is not None:
            return None
        entries.append([stamp, entry[1], record, _UNREAD])
    return entries


def _is_blob(value: object) -> bool:
    return isinstance(value, str) and len(value) in (40, 64) and value.isalnum()


def stamp_of(value: object) -> Stamp | None:
    """A stored stamp (a list of four integers) as a stamp, else None."""
    if isinstance(value, list) and len(value) == 4 and all(type(v) is int for v in value):
        return (value[0], value[1], value[2], value[3])
    return None


def cache_dir(root: str) -> str | None:
    """`versync/` in the git directory of the work tree holding `root`; None outside git or
    when `VERSYNC_NO_CACHE` is set."""
    if os.environ.get("VERSYNC_NO_CACHE", "") not in ("", "0"):
        return None
    from versync._fs.git import git_dir_of

    dot_git = git_dir_of(root)  # git's answer, never the first `.git` going up
    if dot_git is None:
        return None
    return os.path.join(dot_git, "versync")
