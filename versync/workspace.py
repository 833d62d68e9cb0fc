"""The façade: `scan(root)` reads a repository into a `Workspace`, whose methods check it
and plan changes to it."""

from __future__ import annotations

import os
import posixpath
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from versync._fs import listing as listing_module
from versync._fs import reading
from versync._fs.cache import ScanCache, is_racy
from versync._fs.reading import Stamp
from versync.errors import ConfigError, InputError, PlanError, UsageError, VersyncError
from versync.formats import manifest_names, read_manifest
from versync.formats.pyproject import PyProject
from versync.model import Model, build
from versync.model.config import Config
from versync.model.config import parse as parse_config
from versync.records import FileProblem, Finding, Note, Package
from versync.syntax.pep508 import canonical_name
from versync.syntax.text import FileText

if TYPE_CHECKING:
    from packaging.version import Version

    from versync.change.context import Context
    from versync.change.plan import Plan
    from versync.model.dynamic import Tags

CONFIG_FILE = "versync.toml"


class Workspace:
    """A scanned repository: its packages, groups, and the files they were read from.

    Made by `versync.scan`. `check()` returns findings; `bump()` and `fix()` return a `Plan`
    that writes nothing until its `apply()` is called.
    """

    def __init__(
        self,
        root: str,
        model: Model,
        config: Config,
        texts: dict[str, FileText],
        stamps: dict[str, Stamp],
        extras: dict[str, Stamp | None] | None = None,
        scanned_at: int = 0,
    ) -> None:
        self.root = root
        self.model = model
        self.config = config
        self._texts = texts
        self._stamps = stamps
        # Files read beyond the listing (version files named by a build backend), and the ones
        # looked for but absent (None): a scan's result depends on them too.
        self.extras = extras or {}
        self._scanned_at = scanned_at
        # Whether the result depends on more than the stamps of the files read: git tags and
        # history, or `[[files]]` globs a new file may match. Then no stored verdict proves it.
        self.depends_on_more_than_files = False

    def __repr__(self) -> str:
        return f"Workspace({self.root!r}: {len(self.packages)} packages, {len(self.groups)} groups)"

    def file(self, path: str) -> FileText:
        """A scanned file's content, as it was when scanned (read now if the scan cache had it);
        `PlanError` when it changed on disk since."""
        if path not in self._texts:
            file, current = reading.read_stamped(self.root, path)
            if current != self._stamps.get(path):
                raise PlanError(f"{path}: changed on disk since it was scanned; run again")
            self._texts[path] = file
        return self._texts[path]

    def proving_stamp(self, path: str) -> Stamp | None:
        """The stamp of a scanned file if, while it stays the same, the file provably holds
        what was read. Any write sets the change time to the clock's present (to within its
        granularity), so a stamp whose times are older than the scan is replaced by the next
        write; a file changed moments before the scan might be changed again within the same
        tick, so its stamp proves nothing (None) and its bytes are compared instead."""
        current = self._stamps.get(path)
        if current is None or is_racy(current, self._scanned_at):
            return None
        return current

    @property
    def packages(self) -> list[Package]:
        """Every package found, sorted by path."""
        return self.model.packages

    @property
    def groups(self) -> dict[str, list[Package]]:
        """Each lockstep group's packages, by group name."""
        return self.model.groups

    @property
    def notes(self) -> list[Note]:
        """What the scan noticed that is not a finding (never changes an exit code)."""
        return self.model.notes

    def package(self, name: str) -> Package | None:
        """The package `name` names, or None: a name (compared as PEP 503 names), a folder, or
        either prefixed with its ecosystem (`pypi:NAME`, `cargo:NAME`). `UsageError`, listing
        the choices, when it names more than one (a wheel and a crate may share a name)."""
        ecosystem, _, rest = name.partition(":")
        wanted = self.packages
        if rest and ecosystem in ("pypi", "cargo"):
            wanted = [p for p in self.packages if p.ecosystem == ecosystem]
            name = rest
        key = canonical_name(name)
        folder = posixpath.normpath(name.rstrip("/") or ".")
        found = [] if "/" in name or name.startswith(".") else _named(wanted, key, name)
        found = found or [p for p in wanted if p.path == folder]
        if len(found) > 1:
            choices = ", ".join(_choice(p, found) for p in found)
            raise UsageError(f"{name!r} names several packages: {choices}; name one of them")
        return found[0] if found else None

    def check(self, *, expect: str | None = None, group: str | None = None) -> list[Finding]:
        """Every finding, sorted by file and line; with `expect`, also a `tag-mismatch` for
        each package of the group (the only group unless named) that is not at that version.
        Raises `VersionError` when `expect` is not a version, `UsageError` for a bad group."""
        from versync import rules

        findings = rules.check(self.model)
        if expect is not None:
            from versync.expectation import expect as expected

            findings += expected(self.model, expect, group, lambda: head_tags(self.root))
        return sorted(findings, key=lambda f: (f.file, f.line, f.column, f.code))

    def bump(
        self,
        version: str | Version,
        *,
        pre: str | None = None,
        group: str | None = None,
        package: str | None = None,
        allow_downgrade: bool = False,
        allow_drift: bool = False,
    ) -> Plan:
        """A plan that sets `version` on a group or a package (the only group by default).

        `version` is a version string, a `packaging.version.Version`, or `"major"`,
        `"minor"`, `"patch"` (with `pre="alpha"|"beta"|"rc"` for a pre-release). `group` and
        `package` are exclusive. Internal requirements and lock entries follow. Raises
        `VersionError` for a bad version, `UsageError` for a bad request, `PlanError` when
        the change cannot be made safely. With `allow_drift`, crates outside the target that
        inherit a `[workspace.package]` version it changes move too (else `UsageError`).
        Nothing is written until `Plan.apply()`.
        """
        if group is not None and package is not None:
            raise TypeError("bump() takes group= or package=, not both")
        from versync.change.bump import plan_bump

        return plan_bump(
            self.context(),
            version,
            pre=pre,
            group=group,
            package=package,
            allow_downgrade=allow_downgrade,
            allow_drift=allow_drift,
        )

    def fix(self) -> Plan:
        """A plan that repairs every fixable finding of `check()`; the findings it cannot
        repair are the plan's `notes`. Nothing is written until `Plan.apply()`."""
        from versync.change.fix import plan_fix

        return plan_fix(self.context(), self.check())

    def context(self) -> Context:
        """What the planner needs of this workspace."""
        from versync.change.context import Context

        return Context(
            self.root, self.model, self.config, self.file, self.proving_stamp, self.package
        )


def _named(packages: list[Package], key: str, name: str) -> list[Package]:
    return [p for p in packages if p.key == key or p.name == name]


def _choice(package: Package, among: list[Package]) -> str:
    """How to name `package` unambiguously: `ecosystem:name`, else its folder (`./path`)."""
    if sum(p.ecosystem == package.ecosystem for p in among) == 1:
        return f"{package.ecosystem}:{package.name}"
    return "." if package.path == "." else f"./{package.path}"


def scan(root: str | os.PathLike[str] | None = None) -> Workspace:
    """Read every version source under `root` (default: the git top-level of the current
    folder). Raises `UsageError` when `root` is not a folder, `ConfigError` for a bad
    configuration; a malformed file is a `manifest-error` finding of `check`."""
    top = os.fspath(root) if root is not None else listing_module.find_root(os.getcwd())
    return scan_listed(listing_module.Listing(top))


def scan_listed(
    listing: listing_module.Listing, listed_stamps: Mapping[str, Stamp] | None = None
) -> Workspace:
    """`scan`, for a file listing that may already be under way; `listed_stamps`, when given,
    are the `listed_file_stamps` of that listing, taken by the caller."""
    started = time.time_ns()
    top = listing.root
    if not os.path.isdir(top):
        raise UsageError(f"{top}: not a directory")
    cache = ScanCache.for_root(top)  # loaded while git is still listing the files
    if listed_stamps is None:
        listed_stamps = reading.listed_file_stamps(top, listing.paths(manifest_names()))
    inputs = _Inputs(top, cache, dict(listed_stamps))
    # The configuration first: `exclude` applies before any other file is read.
    for path in (CONFIG_FILE, "pyproject.toml"):
        if path in listed_stamps:
            inputs.read_listed(path, listed_stamps[path])
    bad_config = next((p for p in inputs.problems if p.file == CONFIG_FILE), None)
    if bad_config is not None:  # without its configuration versync cannot run
        raise ConfigError(f"{bad_config.location()}: {bad_config.message}")
    config = _load_config(inputs.records)
    for path, current in listed_stamps.items():
        if path not in (CONFIG_FILE, "pyproject.toml") and not config.excluded(path):
            inputs.read_listed(path, current)

    def find(pattern: str) -> list[str]:
        from versync.syntax.globs import glob

        matcher = glob(pattern.removeprefix("./"))
        return [p for p in listing.every_path() if matcher.fullmatch(p) and not config.excluded(p)]

    model = build(
        inputs.records,
        inputs.read_extra,
        config,
        inputs.problems,
        inputs.notes,
        inputs.maintained,
        inputs.describe,
        find,
    )
    cache.save(set(inputs.records))
    workspace = Workspace(top, model, config, inputs.texts, inputs.stamps, inputs.extras, started)
    globbed = any(any(c in rule.path for c in "*?[") for rule in config.files)
    workspace.depends_on_more_than_files = inputs.asked_git or globbed
    return workspace


class _Inputs:
    """What a scan reads: the listed files (through the scan cache), the files the build
    backends name (`read_extra`), and git's answers; a file that cannot be read is a problem
    (a `manifest-error` finding), or a `template` note when it holds placeholders."""

    def __init__(self, top: str, cache: ScanCache, stamps: dict[str, Stamp]) -> None:
        self.top = top
        self.cache = cache
        self.stamps = stamps
        self.texts: dict[str, FileText] = {}
        self.records: dict[str, Any] = {}
        self.problems: list[FileProblem] = []
        self.notes: list[Note] = []
        # Files read beyond the listing, and the ones looked for but absent (None).
        self.extras: dict[str, Stamp | None] = {}
        self.asked_git = False  # the model's answers depend on git history, not only on files

    def read_listed(self, path: str, current: Stamp) -> None:
        """Read a listed file into `records`, or note why it could not be."""
        record = self.cache.get(path, current)
        if record is None:
            try:
                self.texts[path] = reading.read(self.top, path)
                record = read_manifest(path, self.texts[path].text)
            except VersyncError as exc:  # one bad file is a finding on that file, not an abort
                if path in self.texts and _is_template(path, self.texts[path].text):
                    self.notes.append(Note(code="template", message=_TEMPLATE, file=path))
                else:
                    self.problems.append(_problem(path, exc))
                return
            self.cache.put(path, current, record)
        self.records[path] = record

    def read_extra(self, path: str) -> FileText | None:
        """A file a build backend names, or None when absent; `InputError` when unreadable."""
        if path.startswith("../"):
            return None
        if path not in self.texts:
            if not reading.exists(self.top, path):
                self.extras[path] = None
                return None
            try:
                self.texts[path], self.stamps[path] = reading.read_stamped(self.top, path)
            except InputError:
                raise
            except VersyncError as exc:
                self.extras[path] = None
                raise InputError(path, 1, 1, _problem(path, exc).message) from exc
            self.extras[path] = self.stamps[path]
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


def _load_config(records: dict[str, Any]) -> Config:
    versync_toml = records.get(CONFIG_FILE)
    if isinstance(versync_toml, dict):
        return parse_config(versync_toml, CONFIG_FILE)
    root_project = records.get("pyproject.toml")
    if isinstance(root_project, PyProject) and root_project.versync is not None:
        return parse_config(root_project.versync, "pyproject.toml [tool.versync]")
    return Config()
