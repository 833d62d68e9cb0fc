"""Finding the files versync reads: `git ls-files`, or a walk outside git.

Paths are plain strings (`pathlib` and `subprocess` cost more to import than a hook run spends
scanning a repository of ten packages).
"""

from __future__ import annotations

import os

from versync._fs import git
from versync._fs.git import Git, Location
from versync.errors import UsageError

# The file names versync's readers read (`versync.formats.manifest_names()`; a test keeps the
# two equal). git is asked for files of these names only, so that git, not Python, sifts a
# large repository's listing (21,738 files at N=1,000: 2 MB of output and 11 ms to sift in
# Python, against 0.13 MB). A listing asked for other names is made again.
LISTED_NAMES = frozenset(
    {
        ".cargo-checksum.json", "Cargo.lock", "Cargo.toml", "bundle.py", "package.json",
        "pyproject.toml", "setup.cfg", "setup.py", "uv.lock", "versync.toml",
    }
)  # fmt: skip

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
    `git rev-parse` says where the repository is (`location`). The tracked files are asked
    for apart from the untracked ones, which git finds by reading every folder of the work
    tree: a scan reads the tracked files while git is still walking (`tracked_paths`).

    With `find_top`, `root` is where to start: the listing is of the whole work tree holding
    it, and `root` becomes the work tree's top-level (or stays as given outside git).

    The same call reads the index: `blobs` gives, for each listed path staged as a regular
    file, the id of its staged blob (what the last commit or `git add` put there).
    """

    def __init__(self, root: str, *, find_top: bool = False) -> None:
        git._located.clear()  # one command, one answer: git may have been set up since
        self._start = root
        self._find_top = find_top
        self._locating = git.start_locate(root)
        self._location: Location | None = None
        self._scope = ("--full-name", "--", ":/") if find_top else ()
        named = _named_scope(LISTED_NAMES, top=find_top)  # the first listings' (see above)
        # The tracked files are asked for apart from the untracked ones (two git processes,
        # which two cores run side by side), except in a small repository whose verdict is
        # to be proved: there a second process costs more than the walk it runs beside.
        apart = not _small_verdict_nearby(root)
        self.started = _spawn_git_ls_files(root, _TRACKED if apart else _EVERY, named)
        self.others = (
            _spawn_git_ls_files(root, _OTHERS, named)
            if apart and self.started is not None
            else None
        )
        # What git listed of the files called one of `_names` (path -> staged blob id): only
        # those are kept as git's output streams in, never all the files of the repository.
        self._listed: dict[str, str | None] | None = None
        self._names: frozenset[str] = frozenset()
        self._tracked: tuple[frozenset[str], dict[str, str | None] | None] | None = None
        self._walked = False
        self.blobs: dict[str, str] = {}

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
        if not self._decided():
            self._listed, self._names = self._consume_both(names), names & LISTED_NAMES
            self._walked = self._listed is None
        if self._walked:
            return sorted(_walk(self.root, names))
        listed = self._listed or {}
        if not names <= self._names:  # asked for other names than first: git lists again
            more = self._consume(self._relist(), names - self._names)
            if more is None:
                return sorted(_walk(self.root, names))
            listed.update(more)
            self._names |= names
        return sorted(path for path in listed if path.rpartition("/")[2] in names)

    def tracked_paths(self, names: frozenset[str]) -> list[str] | None:
        """Those of `paths(names)` that git tracks, known before git has walked the work
        tree for the untracked ones; None when only `paths` can tell (outside git, once
        `paths` was asked, or when git failed)."""
        if self.others is None or self._decided() or not names <= LISTED_NAMES:
            return None  # listed together (or not by git): only the whole listing tells
        if self._tracked is None:
            self._tracked = (names, self._consume(self.started, names))
        found = self._tracked[1] if self._tracked[0] == names else None
        return None if found is None else sorted(found)

    def _consume_both(self, names: frozenset[str]) -> dict[str, str | None] | None:
        """The tracked files called one of `names`, then the untracked ones (None when git
        failed)."""
        if self.others is None:
            return self._consume(self.started, names)
        if self._tracked is None or self._tracked[0] != names:
            if self._tracked is not None:  # read for other names: git lists them again
                named = _named_scope(LISTED_NAMES, top=self._find_top)
                self.started = _spawn_git_ls_files(self._start, _TRACKED, named)
            self._tracked = (names, self._consume(self.started, names))
        tracked, others = self._tracked[1], self._consume(self.others, names)
        return None if tracked is None or others is None else {**tracked, **others}

    def every_path(self) -> list[str]:
        """Every file `paths` would consider, whatever its name (for `[[files]]` globs)."""
        if not self._decided():
            self.paths(frozenset())
        everything = None if self._walked else self._consume(self._relist(), None)
        if everything is None:
            return sorted(_walk(self.root, None))
        return sorted(everything)

    def _decided(self) -> bool:
        """Whether git's listing was read (or found missing); checks the root on first use."""
        if self._listed is not None or self._walked:
            return True
        if not os.path.isdir(self.root):
            raise UsageError(f"{self.root}: not a directory")
        try:
            in_git = self.location.top is not None
        except git.UntrustedRepository:
            self._reap()
            raise
        if not in_git:
            self._reap()
            self._walked = True
            return True
        return False

    def _reap(self) -> None:
        """Wait for the listings git was asked for, which are not read."""
        for started in (self.started, self.others):
            if started is not None:
                started.output_bytes()

    def _relist(self) -> Git | None:
        return _spawn_git_ls_files(self._start, _EVERY, self._scope)

    def _consume(
        self, started: Git | None, names: frozenset[str] | None
    ) -> dict[str, str | None] | None:
        """The paths git lists (those called one of `names`, or all), each with its staged
        blob (also put in `blobs`); None when git failed."""
        if started is None:
            return None
        # A cheap test on bytes first (most records are source files), then the exact one.
        encoded = [name.encode("utf-8", "surrogateescape") for name in names or ()]
        ends = tuple(sep + name for name in encoded for sep in (b"/", b"\t", b" "))
        found: dict[str, str | None] = {}
        for raw in started.records():
            if names is not None and not raw.endswith(ends):
                continue
            path, blob = _parse_record(raw.decode("utf-8", "surrogateescape"))
            if names is None or path.rpartition("/")[2] in names:
                found[path] = blob
        if not started.ok:
            return None
        self.blobs.update({path: blob for path, blob in found.items() if blob is not None})
        return found


def _parse_record(entry: str) -> tuple[str, str | None]:
    """A record of `git ls-files -s -v -c -o`: `? PATH` for an untracked file, else
    `TAG MODE OBJECT STAGE<TAB>PATH`. Only a plain (`H`) entry at stage 0 of a regular file
    has a blob id that describes its work tree file: `h` (assume unchanged) and `S`
    (skip-worktree) entries are ones git does not compare with the work tree."""
    if entry.startswith("? "):
        return entry[2:], None
    meta, _, path = entry.partition("\t")
    tag, mode, blob, stage = [*meta.split(" "), "", "", "", ""][:4]
    if tag == "H" and stage == "0" and mode in ("100644", "100755"):
        return path, blob
    return path, None


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


_TRACKED = ("--stage", "--cached")  # with the staged blob of each file
_OTHERS = ("--others", "--exclude-standard")  # untracked, not ignored
_EVERY = (*_TRACKED, *_OTHERS)
_VERDICT = os.path.join(".git", "versync", "check-verdict.json")
_SMALL_VERDICT_BYTES = 32_768  # about 200 files listed: the seed's layout stores 2.5 KB


def _small_verdict_nearby(start: str) -> bool:
    """Whether the repository holding `start` seems to have a stored check verdict of a few
    files: a guess from the first `.git` folder up from `start` (git's own answer comes
    later), which decides only how git is asked for the listing, never what it lists."""
    if os.environ.get("VERSYNC_NO_CACHE", "") not in ("", "0"):
        return False
    folder = os.path.abspath(start)
    while not os.path.lexists(os.path.join(folder, ".git")):
        parent = os.path.dirname(folder)
        if parent == folder:
            return False
        folder = parent
    try:
        return os.stat(os.path.join(folder, _VERDICT)).st_size < _SMALL_VERDICT_BYTES
    except OSError:
        return False


def _named_scope(names: frozenset[str], *, top: bool) -> tuple[str, ...]:
    """Pathspecs of the files called one of `names` below the folder git runs in (or, with
    `top`, in the whole work tree, paths given from its top). `*NAME` matches across folders
    (and `xNAME`, which the listing's reader sifts out)."""
    if top:
        return ("--full-name", "--", *sorted(f":(top)*{name}" for name in names))
    return ("--", *sorted(f"*{name}" for name in names))


def _spawn_git_ls_files(
    root: str, which: tuple[str, ...], scope: tuple[str, ...] = ()
) -> Git | None:
    """A running `git ls-files` of the work tree at `root` (`which` files: `_TRACKED`,
    `_OTHERS` or both), or None when git cannot start."""
    try:
        return Git(root, "ls-files", "-z", "-v", *which, *scope)
    except OSError:
        return None
