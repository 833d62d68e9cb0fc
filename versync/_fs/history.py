"""Release history from git: the commit that set each version source to the version it holds
at a baseline commit, and the files of that commit.

Answers are cached per baseline commit in `.git/versync/history.json` (JSON, several commits
kept): a hook run on an unchanged `HEAD`, or a switch back and forth between branches, reads
no history. When `HEAD` moves on from a cached commit, only the sources whose files changed
in between are looked up again. Nothing here parses a file: the caller passes `extract`,
which reads a version out of a file's text.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from typing import IO, Any, NamedTuple

from versync._fs import git
from versync._fs.gitlog import Log, start_log
from versync._fs.gitlog import Unchanged as Unchanged  # the façade's, re-exported
from versync._fs.gitlog import unchanged as unchanged

KEPT_COMMITS = 16
# Up to this many files, `git log` is asked about them by name; beyond, by their file names
# (a superset, filtered here): git compares every file a commit changed with every pathspec,
# and 12,000 of them cost a second on a commit that added 200,000 files.
EXACT_PATHSPECS = 256


class Track(NamedTuple):
    """A version source to date: its file and what kind of version it is in that file."""

    path: str
    kind: str


class Setter(NamedTuple):
    """How a source came to hold its version at the baseline: `version` as written there,
    `commit` the commit that wrote it, `previous` the version it replaced (None when the file
    or the version was created with it)."""

    version: str
    commit: str
    previous: str | None


Extract = Callable[[str, str, str], "str | None"]  # (path, kind, text) -> version as written


class Held(NamedTuple):
    """What a track's file holds at a commit: its version as written and the file's blob id."""

    version: str
    blob: str


def has_answers(cache_folder: str | None, commit: str) -> bool:
    """Whether the history cache may hold the answers for `commit` (a look at its bytes for
    the id, without decoding it: `setters` decodes and checks it)."""
    if cache_folder is None:
        return False
    try:
        with open(os.path.join(cache_folder, "history.json"), "rb") as handle:
            return commit.encode() in handle.read()
    except OSError:
        return False


def has_history(cache_folder: str | None) -> bool:
    """Whether any answers are cached (for some commit: an ancestor's may serve)."""
    return cache_folder is not None and os.path.exists(os.path.join(cache_folder, "history.json"))


def tree_paths(root: str, commit: str, names: frozenset[str]) -> list[str]:
    """The paths in `commit` whose file name is one of `names`."""
    out = git.run(root, "-c", "core.quotePath=false", "ls-tree", "-r", "-z", "--name-only", commit)
    listed = out.split("\0") if out else []
    return sorted(p for p in listed if p and p.rpartition("/")[2] in names)


class Blobs:
    """Reads files of any commit through one `git cat-file --batch`."""

    def __init__(self, root: str) -> None:
        self._root = root
        self._process: Any = None  # started by the first read: many walks read nothing

    def read(self, commit: str, path: str) -> bytes | None:
        """The content of `path` at `commit`, or None when it has no such file."""
        return self.read_object(f"{commit}:./{path}")

    def read_object(self, name: str) -> bytes | None:
        """The content of the blob git names `name` (an id, or `COMMIT:PATH`), or None."""
        if self._process is None:
            import subprocess

            self._process = subprocess.Popen(
                ["git", "-C", self._root, "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=git.git_env(),
            )
        stdin: IO[bytes] = self._process.stdin
        stdout: IO[bytes] = self._process.stdout
        stdin.write(f"{name}\n".encode("utf-8", "surrogateescape"))
        stdin.flush()
        header = stdout.readline().split()
        if len(header) != 3:
            return None  # "NAME missing"
        data = stdout.read(int(header[2]))
        stdout.read(1)  # the newline after the content
        return data if header[1] == b"blob" else None

    def close(self) -> None:
        """End the git process."""
        if self._process is None:
            return
        with contextlib.suppress(OSError):
            self._process.stdin.close()
        self._process.wait()
        self._process.stdout.close()

    def __enter__(self) -> Blobs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def version_at(blobs: Blobs, commit: str, track: Track, extract: Extract) -> str | None:
    """The version `track` holds at `commit`, or None when the file or version is missing."""
    return _version_in(blobs.read(commit, track.path), track, extract)


def _version_in(data: bytes | None, track: Track, extract: Extract) -> str | None:
    if data is None:
        return None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None
    return extract(track.path, track.kind, text)


def setters(
    root: str,
    cache_folder: str | None,
    commit: str,
    tracks: list[Track],
    extract: Extract,
    current: Callable[[list[Track]], dict[Track, Held]] = lambda tracks: {},
    log: Log | None = None,
) -> dict[Track, Setter]:
    """For each track that holds a version at `commit`, how it came to hold it. `current`
    may say, for some of the tracks it is given, what they hold at `commit` (known without
    reading git's copy); the rest are read from `commit`."""
    cache = _HistoryCache(cache_folder)
    known = cache.answers(commit)
    wanted = [t for t in tracks if _key(t) not in known]
    if wanted:
        reused = _from_ancestor(root, cache, commit, wanted)
        known.update(reused)
        wanted = [t for t in wanted if _key(t) not in reused]
    if wanted:
        walked = _walk(root, commit, wanted, extract, current(wanted), log)
        known.update({_key(t): s for t, s in walked.items()})
    cache.put(commit, known)
    return {t: Setter(*known[_key(t)]) for t in tracks if known.get(_key(t)) is not None}


def _key(track: Track) -> str:
    return f"{track.kind}\0{track.path}"


def _from_ancestor(
    root: str, cache: _HistoryCache, commit: str, wanted: list[Track]
) -> dict[str, Any]:
    """Answers of the newest cached ancestor of `commit` for the files unchanged since."""
    for ancestor in cache.recent():
        if git.run(root, "merge-base", "--is-ancestor", ancestor, commit) is None:
            continue
        paths = sorted({t.path for t in wanted})
        specs = paths if len(paths) <= EXACT_PATHSPECS else []  # all, filtered here
        changed = git.run(
            root, "diff", "--name-only", "--no-renames", "--relative", ancestor, commit, "--",
            *specs,
        )  # fmt: skip
        if changed is None:
            return {}
        touched = set(changed.splitlines())
        answers = cache.answers(ancestor)
        return {
            _key(t): answers[_key(t)]
            for t in wanted
            if t.path not in touched and _key(t) in answers
        }
    return {}


def _walk(
    root: str,
    commit: str,
    tracks: list[Track],
    extract: Extract,
    known: dict[Track, Held],
    log: Log | None = None,
) -> dict[Track, Setter | None]:
    """Walk the commits that touched the tracks' files, newest first, until each track's
    version is seen to change (or history ends). `known`: what some hold at `commit`.

    A commit's copy of a file is read only when its blob differs from every blob already seen
    to hold the current version: on a history where most files changed once, none is read."""
    result: dict[Track, Setter | None] = {}
    current: dict[Track, str | None] = {t: known[t].version for t in tracks if t in known}
    holding = {t: {known[t].blob} for t in tracks if t in known}  # blobs with that version
    unread = [t for t in tracks if t not in known]
    contents = git.read_at(root, commit, sorted({t.path for t in unread}))
    current.update({t: _version_in(contents.get(t.path), t, extract) for t in unread})
    with Blobs(root) as blobs:
        pending: dict[str, list[Track]] = {}
        for track, held in current.items():
            if held is None:
                result[track] = None
            else:
                pending.setdefault(track.path, []).append(track)
        candidate: dict[Track, str] = {}
        paths = sorted(pending)
        started = None
        if log is not None and len(paths) > EXACT_PATHSPECS:  # asked by file name, as the log
            started = log.take(commit, paths)
        elif log is not None:
            log.close()
        for seen, touched in _commits(root, commit, paths, started):
            for path, blob in touched.items():
                for track in list(pending.get(path, [])):
                    now = current[track]
                    assert now is not None
                    same = holding.setdefault(track, set())
                    known_same = seen == commit or blob in same  # `commit` holds what it holds
                    version = now if known_same else _blob_version(blobs, blob, track, extract)
                    if version == now:
                        candidate[track] = seen
                        same.add(blob)
                        continue
                    result[track] = Setter(now, candidate.get(track, seen), version)
                    pending[path].remove(track)
                if path in pending and not pending[path]:
                    del pending[path]
            if not pending:
                break
        for tracks_left in pending.values():
            for track in tracks_left:
                now = current[track]
                assert now is not None
                result[track] = Setter(now, candidate.get(track, commit), None)
    return result


def _blob_version(blobs: Blobs, blob: str, track: Track, extract: Extract) -> str | None:
    if not blob.strip("0"):
        return None  # the commit deleted the file
    return _version_in(blobs.read_object(blob), track, extract)


def _commits(
    root: str, commit: str, paths: list[str], started: git.Git | None = None
) -> Iterator[tuple[str, dict[str, str]]]:
    """Each commit reachable from `commit` that touched one of `paths`, newest first, with
    the paths it touched and the blob each holds after it (zeros: deleted); the walk stops
    when the caller stops iterating. `started`: the `git log` already running for them."""
    if not paths:
        if started is not None:
            started.stop()
        return
    specs = paths
    if len(paths) > EXACT_PATHSPECS:  # git matches each changed file against every pathspec
        specs = sorted({f":(glob)**/{path.rpartition('/')[2]}" for path in paths})
    process = started or start_log(root, commit, specs)
    wanted = set(paths)
    try:
        sha: str | None = None
        touched: dict[str, str] = {}
        for raw in process.lines():
            line = raw.decode("utf-8", "surrogateescape").rstrip("\n")
            if line.startswith("\x01"):
                if sha is not None:
                    yield sha, touched
                sha, touched = line[1:], {}
            elif line.startswith(":"):  # `:MODE MODE OLD NEW STATUS<TAB>PATH`
                meta, _, path = line.partition("\t")
                fields = meta.split()
                if path in wanted and len(fields) == 5:
                    touched[path] = fields[3]
        if sha is not None:
            yield sha, touched
    finally:
        process.stop()


class _HistoryCache:
    """`history.json`: for each of the last few baseline commits, each track's setter."""

    def __init__(self, folder: str | None) -> None:
        import json  # only when history is read: a check without groups to infer needs none

        self.path = None if folder is None else os.path.join(folder, "history.json")
        self.commits: dict[str, dict[str, Any]] = {}
        if self.path is not None:
            with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
                with open(self.path, encoding="utf-8") as handle:
                    document = json.load(handle)
                if document.get("format") == _format():
                    self.commits = {str(k): dict(v) for k, v in document["commits"].items()}
        self._before = json.dumps(self.commits, sort_keys=True)

    def answers(self, commit: str) -> dict[str, Any]:
        return dict(self.commits.get(commit, {}))

    def recent(self) -> list[str]:
        return list(reversed(self.commits))

    def put(self, commit: str, answers: dict[str, Any]) -> None:
        import json

        self.commits.pop(commit, None)
        self.commits[commit] = {k: (list(v) if v is not None else None) for k, v in answers.items()}
        while len(self.commits) > KEPT_COMMITS:
            del self.commits[next(iter(self.commits))]
        if self.path is None or json.dumps(self.commits, sort_keys=True) == self._before:
            return
        with contextlib.suppress(OSError):  # a cache is an optimisation, never a failure
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            temporary = f"{self.path}.{os.getpid()}"
            # `dumps`, not `dump`: only a whole document is encoded by json's C encoder.
            document = json.dumps({"format": _format(), "commits": self.commits})
            with open(temporary, "w", encoding="utf-8") as handle:
                handle.write(document)
            os.replace(temporary, self.path)


def _format() -> str:
    from versync._fs.build import build_stamp

    return "versync-history-1/" + "/".join(map(str, build_stamp()))
