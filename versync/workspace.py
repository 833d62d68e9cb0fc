"""The library's entry point: `scan(root)` reads a repository into a `Workspace`."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

from versync import config as config_module
from versync import discovery, rules
from versync.cache import ScanCache, Stamp, is_racy, listed_file_stamps
from versync.config import Config
from versync.core import Finding, Package
from versync.errors import PlanError
from versync.formats import Record, read_manifest
from versync.formats.pyproject import PyProject
from versync.model import Model, build
from versync.pep508 import canonical_name
from versync.text import FileText

if TYPE_CHECKING:
    from versync.plan import Plan

CONFIG_FILE = "versync.toml"


class Workspace:
    """A scanned repository: its packages, groups, and the files they were read from."""

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

    def file(self, path: str) -> FileText:
        """A scanned file's content, as it was when scanned (read now if the scan cache had it)."""
        if path not in self._texts:
            file, current = discovery.read_stamped(self.root, path)
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
        return self.model.packages

    @property
    def groups(self) -> dict[str, list[Package]]:
        return self.model.groups

    def package(self, name: str) -> Package | None:
        key = canonical_name(name)
        return next((p for p in self.packages if p.key == key or p.name == name), None)

    def check(self, *, expect: str | None = None, group: str | None = None) -> list[Finding]:
        """Every finding, in file order; with `expect`, also each package of the group (the only
        group unless named) that is not at that version."""
        findings = rules.check(self.model)
        if expect is not None:
            findings += rules.expect(self.model, expect, group)
        return sorted(findings, key=lambda f: (f.file, f.line, f.column, f.code))

    def bump(
        self,
        version: str,
        *,
        group: str | None = None,
        package: str | None = None,
        allow_downgrade: bool = False,
    ) -> Plan:
        from versync.edit import plan_bump

        return plan_bump(
            self, version, group=group, package=package, allow_downgrade=allow_downgrade
        )

    def fix(self) -> Plan:
        from versync.edit import plan_fix

        return plan_fix(self)


def scan(root: str | os.PathLike[str] | None = None) -> Workspace:
    """Read every version source under `root` (default: the git top-level of the cwd)."""
    top = os.fspath(root) if root is not None else discovery.find_root(os.getcwd())
    return scan_listed(discovery.Listing(top))


def scan_listed(
    listing: discovery.Listing, listed_stamps: Mapping[str, Stamp] | None = None
) -> Workspace:
    """`scan`, for a file listing that may already be under way; `listed_stamps`, when given,
    are the `listed_file_stamps` of that listing, taken by the caller."""
    started = time.time_ns()
    top = listing.root
    cache = ScanCache.for_root(top)  # loaded while git is still listing the files
    if listed_stamps is None:
        listed_stamps = listed_file_stamps(top, listing.paths())
    texts: dict[str, FileText] = {}
    stamps = dict(listed_stamps)
    records: dict[str, Record] = {}
    for path, current in listed_stamps.items():
        record = cache.get(path, current)
        if record is None:
            texts[path] = discovery.read(top, path)
            record = read_manifest(path, texts[path].text)
            cache.put(path, current, record)
        records[path] = record

    extras: dict[str, Stamp | None] = {}

    def read_extra(path: str) -> FileText | None:
        if path.startswith("../"):
            return None
        if path not in texts:
            if not discovery.exists(top, path):
                extras[path] = None
                return None
            texts[path], stamps[path] = discovery.read_stamped(top, path)
            extras[path] = stamps[path]
        return texts[path]

    config = _load_config(records)
    model = build(records, read_extra, config)
    cache.save(set(records))
    return Workspace(top, model, config, texts, stamps, extras, started)


def _load_config(records: dict[str, Record]) -> Config:
    versync_toml = records.get(CONFIG_FILE)
    if isinstance(versync_toml, dict):
        return config_module.parse(versync_toml, CONFIG_FILE)
    root_project = records.get("pyproject.toml")
    if isinstance(root_project, PyProject) and root_project.versync is not None:
        return config_module.parse(root_project.versync, "pyproject.toml [tool.versync]")
    return Config()
