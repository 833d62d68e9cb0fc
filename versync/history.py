"""What the façade learns from git for a scan: groups inferred from release history, and
the version sources at the baseline (`HEAD`, or `--base REF`) to read intent from.

History facts come from `versync._fs.history`; the decisions from `versync.model.inference`
and `versync.model.intent`. Outside git, or in a shallow clone, nothing is inferred and a
note says why.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any, NamedTuple

from versync._fs import cache, head, history
from versync._fs.listing import work_tree
from versync.errors import UsageError, VersyncError
from versync.formats import manifest_names, reader_for
from versync.model import Baseline, Model, build, regroup
from versync.model.config import Config
from versync.model.groups import inferable
from versync.model.inference import Dated, infer
from versync.records import Note
from versync.syntax.text import FileText, decode
from versync.syntax.toml import parse

NOTE_CODE = "groups-not-inferred"
# The files a package's version is first read from (the primary source of `model.packages`).
_PRIMARY_NAMES = frozenset({"pyproject.toml", "Cargo.toml", "setup.py", "setup.cfg"})
_TOML_KEYS = {
    "pyproject": ("project", "version"),
    "poetry": ("tool", "poetry", "version"),
    "cargo": ("package", "version"),
    "cargo-workspace": ("workspace", "package", "version"),
}
_TOML_FILES = frozenset({"pyproject.toml", "Cargo.toml"})  # the files of those kinds
_VERSION_ASSIGNMENT = re.compile(
    r"""(?im)^[ \t]*(?:__version__|version|VERSION)[ \t]*(?::[^=\n]*)?=[ \t]*['"]([^'"\n]+)['"]"""
)


class Scanned(NamedTuple):
    """What the scan knows of the work tree: the paths git tracks as regular files (whose
    versions at the baseline may be the work tree's), the blob id of the bytes each file was
    modelled from, and the comparison with `HEAD` that `prepare` started."""

    tracked: Collection[str] = ()
    blobs: Mapping[str, str] = {}
    early: history.Unchanged | None = None


def with_history(
    root: str, model: Model, config: Config, base: str | None, scanned: Scanned | None = None
) -> Model:
    """`model` with its groups inferred (when none are configured) and its baseline (when its
    versions disagree anywhere, so that intent has to be read)."""
    scanned = scanned or Scanned()
    try:
        return _with_history(root, model, config, base, scanned)
    finally:
        if scanned.early is not None:
            scanned.early.close()


def prepare(
    root: str, config: Config, base: str | None, listed: Collection[str] = ()
) -> history.Unchanged | None:
    """Before a scan: when groups will be inferred from history that is not cached yet, the
    git comparison of the work tree with `HEAD` that inference asks for, started now so
    that it runs while the files are parsed. When no history is cached at all and `listed`
    (the manifests listed so far) names more packages than `git log` is asked about by
    path, the log of the manifests' file names starts too."""
    if config.groups is not None or base is not None or work_tree(root) is None:
        return None
    folder = cache.cache_dir(root)
    commit = head.head(root)
    if commit is None or history.has_answers(folder, commit):
        return None
    names = {path.rpartition("/")[2] for path in listed} & _PRIMARY_NAMES
    many = sum(path.rpartition("/")[2] in _PRIMARY_NAMES for path in listed)
    first = many > history.EXACT_PATHSPECS and not history.has_history(folder)
    log_names = frozenset(names) if first else frozenset()
    return history.Unchanged(root, commit, log_names, names=_TOML_FILES)


def _with_history(
    root: str, model: Model, config: Config, base: str | None, scanned: Scanned
) -> Model:
    resolved: list[str | None] = []

    def commit() -> str | None:
        if not resolved:
            resolved.append(_baseline_commit(root, base))
        return resolved[0]

    if base is not None:
        commit()  # a bad --base is an error even when nothing needs it
    if config.groups is None and sum(inferable(p, config) for p in model.packages) >= 2:
        model = _infer(root, model, config, commit(), scanned)
    if _disagrees(model) and commit() is not None:
        baseline = _baseline(root, config, commit() or "", base or "HEAD")
        if baseline is not None:
            model = model._replace(baseline=baseline)
    return model


def _baseline_commit(root: str, base: str | None) -> str | None:
    if work_tree(root) is None:
        if base is not None:
            raise UsageError(f"--base {base}: {root} is not in a git repository")
        return None
    commit = head.head(root) if base is None else head.resolve(root, base)
    if commit is None and base is not None:
        raise UsageError(f"--base {base}: no such commit (fetch it, e.g. `git fetch origin`)")
    return commit


def _infer(root: str, model: Model, config: Config, commit: str | None, scanned: Scanned) -> Model:
    candidates = [p for p in model.packages if inferable(p, config)]
    reason = _why_not(root, commit)
    if reason is not None:
        record = "record them under [groups] in versync.toml"
        how = f"fetch the full history (`git fetch --unshallow`) or {record}"
        if "not a git repository" in reason:
            how = f"run versync in a git clone with its history, or {record}"
        elif "no commits" in reason:
            how = f"commit a release, or {record}"
        message = (
            f"groups not inferred: {reason}; every package is independent (to get groups, {how})"
        )
        note = Note(code=NOTE_CODE, message=message)
        return model._replace(notes=[*model.notes, note])
    assert commit is not None
    tracks = {
        p.id: history.Track(p.primary.file, p.primary.kind)
        for p in candidates
        if p.primary is not None
    }
    # What the work tree holds where it holds what the baseline holds: a TOML version read
    # the same way `extract_version` reads it, in a file git finds unchanged since.
    tracked, blobs, early = scanned
    held = {
        history.Track(p.primary.file, p.primary.kind): history.Held(
            p.primary.text, blobs[p.primary.file]
        )
        for p in candidates
        if p.primary is not None
        and p.primary.kind in _TOML_KEYS
        and p.primary.file in tracked
        and p.primary.file in blobs
    }

    def current(wanted: list[history.Track]) -> dict[history.Track, history.Held]:
        eligible = [t for t in wanted if t in held]
        paths = sorted({t.path for t in eligible})
        if early is not None and early.commit == commit:
            same = early.among(paths)  # started before the files were parsed
        else:
            same = history.unchanged(root, commit, paths)
        return {t: held[t] for t in eligible if t.path in same}

    try:
        wanted = list(set(tracks.values()))
        folder = cache.cache_dir(root)
        log = early.log if early is not None else None
        setters = history.setters(root, folder, commit, wanted, extract_version, current, log)
    except OSError as exc:  # git could not be started: no history, as outside git
        note = Note(code=NOTE_CODE, message=f"groups not inferred: git failed ({exc})")
        return model._replace(notes=[*model.notes, note])
    dated = {
        package_id: Dated(*setters[track])
        for package_id, track in tracks.items()
        if track in setters
    }
    inferred = infer(candidates, dated)
    if not inferred.groups:
        return model
    return regroup(model, inferred.groups, inferred.commits)


def _why_not(root: str, commit: str | None) -> str | None:
    if work_tree(root) is None:
        return "not a git repository"
    if commit is None:
        return "the repository has no commits yet"
    if head.is_shallow(root):
        return "this is a shallow clone, so the history that dates each version is missing"
    return None


def extract_version(path: str, kind: str, text: str) -> str | None:
    """The version of kind `kind` written in `text`, the content of `path`, or None. A TOML
    version is the string at its key (what the readers' spans hold), read without spans."""
    keys = _TOML_KEYS.get(kind)
    if keys is None:
        if kind not in ("version-file", "bundle") and reader_for(path) is not None:
            return None
        match = _VERSION_ASSIGNMENT.search(text)
        return match.group(1) if match else None
    try:
        node: Any = parse(path, text)
    except VersyncError:
        return None
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, str) else None


def _disagrees(model: Model) -> bool:
    """Whether any package's sources, or any group's packages, hold different versions."""
    for package in model.packages:
        if len({s.version for s in package.sources if s.valid and s.version is not None}) > 1:
            return True
    for members in model.groups.values():
        versions = {s.version for p in members for s in p.sources if s.valid and s.version}
        if len(versions) > 1:
            return True
    return False


def _baseline(root: str, config: Config, commit: str, ref: str) -> Baseline | None:
    """Every package's sources at `commit`, by id (None when that commit cannot be read)."""
    try:
        return _read_baseline(root, config, commit, ref)
    except OSError:  # git could not be started: no intent to read, as outside git
        return None


def _read_baseline(root: str, config: Config, commit: str, ref: str) -> Baseline | None:
    paths = history.tree_paths(root, commit, manifest_names())
    records: dict[str, Any] = {}
    texts: dict[str, FileText | None] = {}
    with history.Blobs(root) as blobs:

        def read(path: str) -> FileText | None:
            if path not in texts:
                data = None if path.startswith("../") else blobs.read(commit, path)
                try:
                    texts[path] = None if data is None else decode(path, data)
                except VersyncError:
                    texts[path] = None
            return texts[path]

        for path in paths:
            file = read(path)
            if file is None:
                continue
            reader = reader_for(path)
            assert reader is not None
            try:
                records[path] = reader.read(path, file.text)
            except (VersyncError, ValueError):
                continue  # a file broken at the baseline shows no intent
        try:
            before = build(records, read, config)
        except (VersyncError, ValueError):
            return None
    return Baseline(ref, commit, {p.id: p.sources for p in before.packages})
