"""The façade: `scan(root)` reads a repository into a `Workspace`, whose methods check it
and plan changes to it."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from versync._fs import listing as listing_module
from versync._fs import reading
from versync._fs.cache import ScanCache, is_racy
from versync._fs.reading import Stamp
from versync.errors import PlanError, UsageError
from versync.formats import manifest_names, read_manifest
from versync.formats.pyproject import PyProject
from versync.model import Model, build
from versync.model.config import Config
from versync.model.config import parse as parse_config
from versync.records import Finding, Note, Package
from versync.syntax.pep508 import canonical_name
from versync.syntax.text import FileText

if TYPE_CHECKING:
    from packaging.version import Version

    from versync.change.context import Context
    from versync.change.plan import Plan

CONFIG_FILE = "versync.toml"
# Reading and hashing a few files costs less than starting `git diff-files`.
_READ_RATHER_THAN_ASK = 16


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
        # The blob id of the bytes each file listed or read was modelled from.
        self.blobs: dict[str, str] = {}

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
        """The package called `name` (compared as PEP 503 names), or None."""
        key = canonical_name(name)
        return next((p for p in self.packages if p.key == key or p.name == name), None)

    def check(self, *, expect: str | None = None, group: str | None = None) -> list[Finding]:
        """Every finding, sorted by file and line; with `expect`, also a `tag-mismatch` for
        each package of the group (the only group unless named) that is not at that version.
        Raises `VersionError` when `expect` is not a version, `UsageError` for a bad group."""
        from versync import rules

        findings = rules.check(self.model)
        if expect is not None:
            findings += rules.expect(self.model, expect, group)
        return sorted(findings, key=lambda f: (f.file, f.line, f.column, f.code))

    def bump(
        self,
        version: str | Version,
        *,
        pre: str | None = None,
        group: str | None = None,
        package: str | None = None,
        allow_downgrade: bool = False,
    ) -> Plan:
        """A plan that sets `version` on a group or a package (the only group by default).

        `version` is a version string, a `packaging.version.Version`, or `"major"`,
        `"minor"`, `"patch"` (with `pre="alpha"|"beta"|"rc"` for a pre-release). `group` and
        `package` are exclusive. Internal requirements and lock entries follow. Raises
        `VersionError` for a bad version, `UsageError` for a bad request, `PlanError` when
        the change cannot be made safely. Nothing is written until `Plan.apply()`.
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


def scan(root: str | os.PathLike[str] | None = None) -> Workspace:
    """Read every version source under `root` (default: the git top-level of the current
    folder). Raises `UsageError` when `root` is not a folder, `InputError` for a malformed
    file, `ConfigError` for a bad configuration."""
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
    names = manifest_names()  # first: the cache's fingerprint names every format's records
    cache = ScanCache.for_root(top)  # loaded while git is still listing the files
    if listed_stamps is None:
        listed_stamps = reading.listed_file_stamps(top, listing.paths(names))
    texts: dict[str, FileText] = {}
    stamps = dict(listed_stamps)
    records: dict[str, Any] = {}
    blobs: dict[str, str] = {}
    missed: list[str] = []
    for path, current in listed_stamps.items():
        cached = cache.get(path, current)
        if cached is None:
            missed.append(path)
        else:
            blobs[path], records[path] = cached
    clean = listing.clean_blobs(missed, names) if len(missed) > _READ_RATHER_THAN_ASK else {}
    for path in missed:
        current = listed_stamps[path]
        cached = cache.get(path, current, clean.get(path))
        if cached is None:
            texts[path] = reading.read(top, path)
            blob = reading.blob_id(texts[path].data)
            cached = cache.get(path, current, blob) or (blob, read_manifest(path, texts[path].text))
            cache.put(path, current, *cached)
        blobs[path], records[path] = cached

    extras: dict[str, Stamp | None] = {}

    def read_extra(path: str) -> FileText | None:
        if path.startswith("../"):
            return None
        if path not in texts:
            if not reading.exists(top, path):
                extras[path] = None
                return None
            texts[path], stamps[path] = reading.read_stamped(top, path)
            extras[path] = stamps[path]
            blobs[path] = reading.blob_id(texts[path].data)
        return texts[path]

    config = _load_config(records)
    model = build(records, read_extra, config)
    cache.save(set(records))
    workspace = Workspace(top, model, config, texts, stamps, extras, started)
    workspace.blobs = blobs
    return workspace


def _load_config(records: dict[str, Any]) -> Config:
    versync_toml = records.get(CONFIG_FILE)
    if isinstance(versync_toml, dict):
        return parse_config(versync_toml, CONFIG_FILE)
    root_project = records.get("pyproject.toml")
    if isinstance(root_project, PyProject) and root_project.versync is not None:
        return parse_config(root_project.versync, "pyproject.toml [tool.versync]")
    return Config()
