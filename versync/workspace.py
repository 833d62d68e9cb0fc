"""The library's entry point: `scan(root)` reads a repository into a `Workspace`."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from versync import config as config_module
from versync import discovery, rules
from versync.cache import ScanCache, Stamp, regular_file_stamp, stamp
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
    ) -> None:
        self.root = root
        self.model = model
        self.config = config
        self._texts = texts
        self._stamps = stamps

    def file(self, path: str) -> FileText:
        """A scanned file's content, as it was when scanned (read now if the scan cache had it)."""
        if path not in self._texts:
            before = stamp(os.path.join(self.root, path))
            file = discovery.read(self.root, path)
            if before != self._stamps.get(path):
                raise PlanError(f"{path}: changed on disk since it was scanned; run again")
            self._texts[path] = file
        return self._texts[path]

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


def scan_listed(listing: discovery.Listing) -> Workspace:
    """`scan`, for a file listing that may already be under way."""
    top = listing.root
    paths = listing.paths()
    cache = ScanCache.for_root(top)
    texts: dict[str, FileText] = {}
    stamps: dict[str, Stamp] = {}
    records: dict[str, Record] = {}
    for path in paths:
        current = regular_file_stamp(os.path.join(top, path))
        if current is None:
            continue
        stamps[path] = current
        record = cache.get(path, current)
        if record is None:
            texts[path] = discovery.read(top, path)
            record = read_manifest(path, texts[path].text)
            cache.put(path, stamps[path], record)
        records[path] = record

    def read_extra(path: str) -> FileText | None:
        if path not in texts:
            if path.startswith("../") or not discovery.exists(top, path):
                return None
            stamps[path] = stamp(os.path.join(top, path))
            texts[path] = discovery.read(top, path)
        return texts[path]

    config = _load_config(records)
    model = build(records, read_extra, config)
    cache.save(set(records))
    return Workspace(top, model, config, texts, stamps)


def _load_config(records: dict[str, Record]) -> Config:
    versync_toml = records.get(CONFIG_FILE)
    if isinstance(versync_toml, dict):
        return config_module.parse(versync_toml, CONFIG_FILE)
    root_project = records.get("pyproject.toml")
    if isinstance(root_project, PyProject) and root_project.versync is not None:
        return config_module.parse(root_project.versync, "pyproject.toml [tool.versync]")
    return Config()
