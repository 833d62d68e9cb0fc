"""What a scan reads: the listed files (through the scan cache), the files build backends
name, and git's answers about tags and history. A file that cannot be read becomes a problem
(a `manifest-error` finding) or, when it holds placeholders, a `template` note."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from versync._fs import reading
from versync._fs.cache import ScanCache
from versync._fs.hashing import Hashing
from versync._fs.reading import Stamp
from versync.errors import InputError, OutsideRoot, VersyncError
from versync.formats import read_manifest
from versync.records import FileProblem, Finding, Note
from versync.syntax.text import FileText

if TYPE_CHECKING:
    from versync._fs.listing import Listing
    from versync.model.config import Config
    from versync.model.dynamic import Tags

CONFIG_FILES = ("versync.toml", "pyproject.toml")  # at the root: read before any other file


def listed_inputs(
    listing: Listing, names: frozenset[str], cache: ScanCache, stamps: Mapping[str, Stamp] | None
) -> Inputs:
    """The inputs of a scan of the files `listing` lists called one of `names` (`stamps`: their
    stamps, when the caller has taken them). When the configuration is tracked, or absent, only
    the tracked files are listed at first: the scan reads them while git walks the work tree
    for the untracked ones, which `read_untracked` adds."""
    tracked = None if stamps is not None else _tracked_first(listing, names)
    paths = listing.paths(names) if tracked is None else tracked
    if stamps is None:
        stamps = reading.listed_file_stamps(listing.root, paths)
    inputs = Inputs(listing.root, cache, dict(stamps), paths)
    inputs.untracked_from = None if tracked is None else (listing, set(tracked))
    return inputs


def _tracked_first(listing: Listing, names: frozenset[str]) -> list[str] | None:
    """The tracked files of `listing`, when no configuration file can be among the untracked
    ones; else None (the whole listing is waited for)."""
    tracked = listing.tracked_paths(names)
    if tracked is None:
        return None
    for path in CONFIG_FILES:
        if path not in tracked and os.path.lexists(os.path.join(listing.root, path)):
            return None  # untracked, or ignored: only the whole listing tells
    return tracked


class Inputs:
    """What a scan reads: the listed files (through the scan cache), the files the build
    backends name (`read_extra`), and git's answers; a file that cannot be read is a problem
    (a `manifest-error` finding), or a `template` note when it holds placeholders."""

    def __init__(
        self, top: str, cache: ScanCache, stamps: dict[str, Stamp], listed: Sequence[str] = ()
    ) -> None:
        self.top = top
        # `outside-root` findings: listed files in a folder that resolves outside the root
        self.outside: list[Finding] = reading.outside_listed(top, listed, stamps)
        self.cache = cache
        self.stamps = stamps
        if not cache.entries:  # a cold scan parses every file: the compiled parser at once
            from versync.syntax import toml

            toml.expect(sum(path.endswith((".toml", ".lock")) for path in stamps))
        self.texts: dict[str, FileText] = {}
        # Whether the listed files' texts are kept once parsed (for a plan to edit): a check
        # reads a file again for the few findings that need its lines.
        self.keep_texts = True
        self.records: dict[str, Any] = {}
        self.problems: list[FileProblem] = []
        self.notes: list[Note] = []
        # Files read beyond the listing, and the ones looked for but absent (None).
        self.extras: dict[str, Stamp | None] = {}
        self.asked_git = False  # the model's answers depend on git history, not only on files
        self.limit = reading.MAX_FILE_SIZE  # bytes: `max-file-size`, once the config is read
        self.blobs: dict[str, str] = {}  # the blob id of the bytes each file was modelled from
        self.hashing: Hashing | None = None  # git hashing files already (for a verdict's proof)
        self.listed = dict(stamps)  # the stamps of the listed files (not those `read_extra` adds)
        # After `listed_inputs` began with the tracked files: the listing still to take the
        # untracked ones from, and the paths already listed.
        self.untracked_from: tuple[Listing, set[str]] | None = None

    def read_untracked(self, names: frozenset[str], excluded: Callable[[str], bool]) -> None:
        """When the scan began with the tracked files (`listed_inputs`), stamp and read the
        untracked ones, not `excluded`, now that git has listed them; then put what was
        read in the order a scan of the whole listing reads it (the configuration first)."""
        if self.untracked_from is None:
            return
        (listing, seen), self.untracked_from = self.untracked_from, None
        every = listing.paths(names)
        new = [path for path in every if path not in seen]
        stamps = reading.listed_file_stamps(self.top, new)
        self.stamps.update(stamps)
        self.outside += reading.outside_listed(self.top, new, stamps)
        self.read_many([path for path in stamps if not excluded(path)])
        self.listed = dict(self.stamps)
        if new:
            self._reorder([*CONFIG_FILES, *every])

    def _reorder(self, paths: list[str]) -> None:
        """Records, problems and notes in the order of `paths`."""
        place: dict[str | None, int] = {}
        for path in paths:
            place.setdefault(path, len(place))
        last = len(place)
        self.records = dict(sorted(self.records.items(), key=lambda item: place[item[0]]))
        self.problems.sort(key=lambda problem: place.get(problem.file, last))
        self.notes.sort(key=lambda note: place.get(note.file, last))
        self.outside.sort(key=lambda finding: place.get(finding.file, last))

    def configure(self, config: Config) -> Config:
        """Apply what the configuration says about reading (`max-file-size`); `config`."""
        self.limit = config.max_file_size
        return config

    def read_listed(self, path: str, current: Stamp, blob: str | None = None) -> None:
        """Read a listed file into `records` (through the scan cache, which answers for its
        stamp, or for `blob`, the blob id git hashed the file's bytes to), or note why it
        could not be."""
        cached = None if current[0] > self.limit else self.cache.get(path, current, blob)
        if cached is None:
            text: FileText | None = None
            try:
                reading.check_size(path, current[0], self.limit)  # by the stamp: never read
                text = reading.read(self.top, path, self.limit)
                if self.keep_texts:
                    self.texts[path] = text
                blob = reading.blob_id(text.data)
                cached = self.cache.get(path, current, blob) or (
                    blob,
                    read_manifest(path, text.text),
                )
            except VersyncError as exc:  # one bad file is a finding on that file, not an abort
                if text is not None and _is_template(path, text.text):
                    self.notes.append(Note(code="template", message=_TEMPLATE, file=path))
                else:
                    self.problems.append(_problem(path, exc))
                return
            self.cache.put(path, current, *cached)
        self.blobs[path], self.records[path] = cached

    def read_many(self, paths: list[str]) -> None:
        """`read_listed` for each of `paths`. Those the cache cannot answer by their stamp
        but holds a parse of are hashed by git, on another core, when there are many (after
        a checkout or a reset rewrote them): a parse is found by the blob id of the bytes,
        and only the files whose bytes are new are read and parsed."""
        missed = []
        for path in paths:
            current = self.stamps[path]
            cached = None if current[0] > self.limit else self.cache.get(path, current)
            if cached is None:
                missed.append(path)
            else:
                self.blobs[path], self.records[path] = cached
        # git is asked only when it can spare a parse: for files the cache holds a parse of.
        known = [p for p in missed if p in self.cache.entries and self.stamps[p][0] <= self.limit]
        hashings = [] if self.hashing is None else [self.hashing]
        rest = [path for path in known if not any(path in h.paths for h in hashings)]
        if len(rest) > reading.FEW_TO_HASH:
            hashings.append(Hashing(self.top, rest))
        if missed:
            from versync.syntax import toml

            toml.expect(sum(path.endswith((".toml", ".lock")) for path in missed))
        for path in missed:
            blob = next((h.blobs().get(path) for h in hashings if path in h.paths), None)
            self.read_listed(path, self.stamps[path], blob)

    def read_extra(self, path: str) -> FileText | None:
        """A file a build backend names, or None when absent; `InputError` when unreadable,
        `OutsideRoot` (never opened) when it does not resolve to a regular file inside the
        root."""
        if path not in self.texts:
            try:
                real = reading.resolve_inside(self.top, path)
            except OutsideRoot:
                if not path.startswith(("/", "../")) and path != "..":
                    self.extras[path] = None  # a symlink: a verdict must look at it again
                raise
            if real is None:
                self.extras[path] = None
                return None
            try:
                self.texts[path], self.stamps[path] = reading.read_stamped(
                    self.top, real, self.limit
                )
            except InputError:
                raise
            except VersyncError as exc:
                self.extras[path] = None
                raise InputError(path, 1, 1, _problem(path, exc).message) from exc
            self.extras[path] = self.stamps[path]
            self.blobs[path] = reading.blob_id(self.texts[path].data)
        return self.texts[path]

    def maintained(self, cargo_file: str, python_file: str) -> bool:
        """See `versync.model.rustbuild.Maintained`."""
        self.asked_git = True
        return _changed_together(self.top, cargo_file, python_file)

    def describe(self) -> Tags:
        """See `versync.model.dynamic.DescribeTags`."""
        self.asked_git = True
        return _describe_tags(self.top)


_TEMPLATE = "template with placeholders, not a file of a package to release"
_VERSION_LINE = "^version *="  # git's basic regular expressions


def _is_template(path: str, text: str) -> bool:
    from versync.model.skipped import is_placeholder

    return is_placeholder(path) or any(
        token in text for token in ("{{", "{%", "${", "<REPLACE", "@VERSION@")
    )


def _describe_tags(root: str) -> Tags:
    """The version of the release tag nearest to HEAD, as `git describe` finds it."""
    from versync._fs import git
    from versync.model.dynamic import Tags, tag_version

    if git.run(root, "rev-parse", "--git-dir") is None:
        return Tags(None, "not a git checkout")
    tag = git.run(root, "describe", "--tags", "--abbrev=0")
    if tag is None:
        shallow = (git.run(root, "rev-parse", "--is-shallow-repository") or "").strip()
        reason = "a shallow clone" if shallow == "true" else "no tag is reachable from HEAD"
        return Tags(None, reason)
    version = tag_version(tag.strip())
    return Tags(version, "" if version else f"tag {tag.strip()} names no version")


def head_tags(root: str) -> list[str] | None:
    """The versions of the tags on HEAD; None when git cannot say (no git, or no tags at all:
    a shallow or tagless clone)."""
    from versync._fs import git
    from versync.model.dynamic import tag_version

    every = git.run(root, "tag", "--list")
    if not every or not every.strip():
        return None
    at_head = git.run(root, "tag", "--points-at", "HEAD") or ""
    return [v for tag in at_head.split() if (v := tag_version(tag)) is not None]


def _changed_together(root: str, first: str, second: str) -> bool:
    """Whether a commit changed the version line of both files (not merely added them)."""
    from versync._fs import git

    def commits(path: str) -> set[str]:
        args = ("log", "--format=%H", "--diff-filter=M", "-G", _VERSION_LINE, "--", path)
        output = git.run(root, *args)
        return set(output.split()) if output else set()

    return bool(commits(first) & commits(second))


def _problem(path: str, error: VersyncError) -> FileProblem:
    if isinstance(error, InputError):
        return FileProblem(
            file=error.path, line=error.line, column=error.column, message=error.message
        )
    message = str(error).removeprefix(f"{path}: ")
    return FileProblem(file=path, line=1, column=1, message=message)
