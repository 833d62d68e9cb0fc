"""The façade: `scan(root)` reads a repository into a `Workspace`, whose methods check it
and plan changes to it."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from versync._fs import journal, reading
from versync._fs import listing as listing_module
from versync._fs.cache import ScanCache, is_racy
from versync._fs.reading import Stamp
from versync.errors import ConfigError, PlanError, UsageError, VersyncError
from versync.formats import manifest_names
from versync.formats.pyproject import PyProject
from versync.model import Model, build
from versync.model.config import Config
from versync.model.config import parse as parse_config
from versync.records import Finding, Note, Package
from versync.scanning import CONFIG_FILES, listed_inputs
from versync.syntax.text import FileText

if TYPE_CHECKING:
    from packaging.version import Version

    from versync._fs.hashing import Hashing
    from versync.change.commit import Release
    from versync.change.context import Context
    from versync.change.init import ConfigWrite
    from versync.change.plan import Plan

CONFIG_FILE = CONFIG_FILES[0]


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
        self.ignored: list[Finding] = []  # what the last `check` left out as ignored
        # Whether the result depends on more than the stamps of the files read: git tags and
        # history, or `[[files]]` globs a new file may match. Then no stored verdict proves it.
        self.depends_on_more_than_files = False
        # The blob id of the bytes each file listed or read was modelled from; the listed
        # files' stamps.
        self.blobs: dict[str, str] = {}
        self.listed: dict[str, Stamp] = {}

    def __repr__(self) -> str:
        packages, groups = len(self.packages), len(self.groups)
        return (
            f"Workspace({self.root!r}: {packages} package{'s' * (packages != 1)}, "
            f"{groups} group{'s' * (groups != 1)})"
        )

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
        from versync.model.lookup import find_package

        return find_package(self.packages, name)

    def check(
        self, *, expect: str | None = None, group: str | None = None, package: str | None = None
    ) -> list[Finding]:
        """Every finding not ignored, sorted by file and line; with `expect`, also a
        `tag-mismatch` for each package of the group (every publishable package unless a
        group, or just `package`, is named) that is not at that version. `expect` may also be
        a release tag as `bump --tag` names them (`ryeos-core-v0.1.2`: package ryeos-core at
        0.1.2; `core-v0.3.0`: group core). The ignored findings are kept in `ignored`.
        Raises `VersionError` when `expect` is neither a version nor such a tag,
        `UsageError` for a bad group or package."""
        from versync import rules

        findings = rules.check(self.model) + journal.interrupted_at(self.root)
        if expect is not None:
            from versync.change.tags import expectation
            from versync.expectation import tag_mismatches

            wanted, members = expectation(
                self.model, self.config, self.package, expect, group, package
            )
            from versync.scanning import head_tags

            findings += tag_mismatches(
                self.model, wanted, group, members, lambda: head_tags(self.root)
            )
        ordered = sorted(findings, key=lambda f: (f.file, f.line, f.column, f.code))
        self.ignored = [f for f in ordered if self._ignores(f)]
        return [f for f in ordered if f not in self.ignored]

    def _ignores(self, finding: Finding) -> bool:
        """Whether an `ignore` entry or an inline `# versync: ignore[code]` covers it."""
        from versync.model.ignore import inline_ignores

        if any(entry.matches(finding) for entry in self.config.ignore):
            return True
        try:
            lines = self.file(finding.file).text.splitlines()
        except (PlanError, VersyncError):
            return False
        line = lines[finding.line - 1] if 0 < finding.line <= len(lines) else ""
        return "versync" in line and inline_ignores(line, finding.code)

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
        """A plan that sets `version` on a group or a package (default: every publishable
        package; `major`/`minor`/`patch` then move each group and each independent package
        from its own version). A package lockstep with others is refused unless
        `allow_drift`.

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

    def release(
        self,
        version: str | Version,
        *,
        tag: bool = False,
        pre: str | None = None,
        group: str | None = None,
        package: str | None = None,
        **bump_options: bool,
    ) -> Release:
        """`bump`, followed by a release commit (and with `tag`, an annotated tag on it).

        The commit holds exactly the files the bump changes, with the message of the config's
        `commit-message` (default `Release {version}`, `Release {group} {version}` or
        `Release {package} {version}`); the tag is named by the config's `tag` (default
        `v{version}` when the bump covers every publishable package or the repository has
        one group, else `{group}-v{version}` or `{package}-v{version}`). Raises `UsageError`,
        before anything is written, outside git, when a file the bump changes has edits of
        its own, or when the tag exists; otherwise as `bump`. Nothing is written or committed
        until `Release.apply()`. `bump_options` (`allow_downgrade=True`, ...) go to `bump`.
        A package whose version comes from git tags is released by its tag alone: with
        `tag`, nothing is written or committed and the tag goes on HEAD."""
        from versync.change.commit import plan_release
        from versync.change.plan import Plan

        tagged = package is not None and (found := self.package(package)) and found.vcs
        if tag and tagged:  # a version from git tags: the tag is the release, nothing to write
            plan = Plan(self.root)
        else:
            plan = self.bump(version, pre=pre, group=group, package=package, **bump_options)
        return plan_release(self.context(), plan, version, tag, pre, group, package)

    def fix(self) -> Plan:
        """A plan that repairs every fixable finding of `check()`; the findings it cannot
        repair are the plan's `notes`. Nothing is written until `Plan.apply()`."""
        from versync.change.fix import plan_fix

        findings = self.check()
        return plan_fix(self.context(), findings, self.ignored)

    def order(self, *, group: str | None = None, package: str | None = None) -> list[list[Package]]:
        """The publish order: the publishable packages (of `group`, or just `package`) in
        layers, layer 1 first; each package comes after every package of the repository it
        needs on the index (runtime requirements, build-system requires, Cargo
        `[dependencies]` and `[build-dependencies]`; not extras, dev-dependencies or
        dependency groups). Packages outside the selection are taken as published. Raises
        `DependencyCycle` (a `VersyncError`) naming the packages of a cycle, `UsageError` for
        an unknown group or package."""
        from versync.change.scope import release_scope
        from versync.model.order import publish_layers

        return publish_layers(release_scope(self.model, self.package, group, package))

    def published(
        self,
        *,
        group: str | None = None,
        package: str | None = None,
        index_url: str | None = None,
        cargo_index_url: str | None = None,
        timeout: float = 10.0,
    ) -> list[Finding]:
        """An `already-published` finding for each publishable package (of `group`, or just
        `package`) whose current version its index already holds. Python packages are looked
        up through the PEP 691 JSON simple API at `index_url` (default: the config's
        `index-url`, else PyPI), crates through the sparse index at `cargo_index_url` (the
        config's `cargo-index-url`, else crates.io), concurrently, each request within
        `timeout` seconds. A project the index does not know is not published. Raises
        `IndexUnavailable` (a `VersyncError`) naming the URL when an index cannot answer."""
        from versync._fs.index import CRATES_SPARSE, PYPI_SIMPLE
        from versync.change.published import published_findings
        from versync.change.scope import release_scope

        return published_findings(
            release_scope(self.model, self.package, group, package),
            index_url=index_url or self.config.index_url or PYPI_SIMPLE,
            cargo_index_url=cargo_index_url or self.config.cargo_index_url or CRATES_SPARSE,
            timeout=timeout,
        )

    def unreleased(
        self, *, since: str, group: str | None = None, package: str | None = None
    ) -> list[Finding]:
        """An `unreleased-change` finding for each publishable package (of `group`, or just
        `package`) whose own files changed between `since` and the work tree while its
        version stayed the same. Own files are those under its folder, less nested packages'
        folders and its tests (`tests/`, `test/`, `benches/`, `test_*.py`, `*_test.py`,
        `*_test.rs`, or the config's `since-ignore` globs). `since` is a commit or a tag, or
        `"last-tag"`: for each package the newest tag its scope's tag template makes, else the
        newest tag. Raises `UsageError` outside git or for a ref that names no commit."""
        from versync.change.scope import release_scope
        from versync.change.unreleased import unreleased_findings

        packages = release_scope(self.model, self.package, group, package)
        return unreleased_findings(self.root, self.model, self.config, packages, since)

    def init(self, *, pyproject: bool = False, force: bool = False) -> ConfigWrite:
        """The configuration that writes down the groups versync sees today (explicit or
        inferred, each with a comment saying why) and the template folders it skipped, as
        `versync.toml` or, with `pyproject`, `[tool.versync]` in the root pyproject.toml
        (comments and formatting survive). Raises `UsageError` when the target already has
        groups (unless `force`). Nothing is written until `ConfigWrite.apply()`."""
        from versync.change.init import plan_init

        return plan_init(self.root, self.model, self.config, pyproject=pyproject, force=force)

    def context(self) -> Context:
        """What the planner needs of this workspace."""
        from versync.change.context import Context

        return Context(
            self.root, self.model, self.config, self.file, self.proving_stamp, self.package
        )


def scan(root: str | os.PathLike[str] | None = None, *, base: str | None = None) -> Workspace:
    """Read every version source under `root` (default: the git top-level of the current
    folder). Groups not configured are inferred from the history up to `base` (default
    `HEAD`), and intent is read from what changed since it. Raises `UsageError` when `root`
    is not a folder or `base` no commit, `ConfigError` for a bad configuration; a malformed
    file is a `manifest-error` finding of `check`."""
    return scan_listed(listing_module.for_root(root), base=base)


def scan_listed(
    listing: listing_module.Listing,
    listed_stamps: Mapping[str, Stamp] | None = None,
    *,
    base: str | None = None,
    keep_texts: bool = True,
    hashing: Hashing | None = None,
) -> Workspace:
    """`scan`, for a file listing that may already be under way; `listed_stamps`, when given,
    are the `listed_file_stamps` of that listing, taken by the caller (`hashing`: git hashing
    files after those stamps were taken). Without `keep_texts`, a listed file's text is let
    go once parsed (`file` reads it again)."""
    started = time.time_ns()
    top = listing.root
    if not os.path.isdir(top):
        raise UsageError(f"{top}: not a directory")
    names = manifest_names()  # first: the formats register the records the cache rebuilds
    cache = ScanCache.for_root(top)  # loaded while git is still listing the files
    inputs = listed_inputs(listing, names, cache, listed_stamps)
    listed_stamps, inputs.keep_texts, inputs.hashing = inputs.listed, keep_texts, hashing
    # The configuration first: `exclude` applies before any other file is read.
    for path in CONFIG_FILES:
        if path in listed_stamps:
            inputs.read_listed(path, listed_stamps[path])
    bad_config = next((p for p in inputs.problems if p.file == CONFIG_FILE), None)
    if bad_config is not None:  # without its configuration versync cannot run
        raise ConfigError(f"{bad_config.location()}: {bad_config.message}")
    config = inputs.configure(_load_config(inputs.records))
    from versync.history import Scanned, prepare, with_history

    early = prepare(top, config, base, listed_stamps)
    rest = [p for p in listed_stamps if p not in CONFIG_FILES]
    inputs.read_many([p for p in rest if not config.excluded(p)])
    inputs.read_untracked(names, config.excluded)

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
    model = model._replace(refused=(*model.refused, *inputs.outside))  # listed, not read
    cache.save(set(inputs.records))
    model = with_history(top, model, config, base, Scanned(listing.blobs, inputs.blobs, early))
    workspace = Workspace(top, model, config, inputs.texts, inputs.stamps, inputs.extras, started)
    globbed = any(any(c in rule.path for c in "*?[") for rule in config.files)
    workspace.depends_on_more_than_files = inputs.asked_git or globbed
    workspace.blobs, workspace.listed = inputs.blobs, inputs.listed
    return workspace


def _load_config(records: dict[str, Any]) -> Config:
    versync_toml = records.get(CONFIG_FILE)
    if isinstance(versync_toml, dict):
        return parse_config(versync_toml, CONFIG_FILE)
    root_project = records.get("pyproject.toml")
    if isinstance(root_project, PyProject) and root_project.versync is not None:
        return parse_config(root_project.versync, "pyproject.toml [tool.versync]")
    return Config()
