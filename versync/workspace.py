"""The library's entry point: `scan(root)` reads a repository into a `Workspace`."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from versync import config as config_module
from versync import discovery, rules
from versync.config import Config
from versync.core import Finding, Package
from versync.formats.toml import parse as parse_toml
from versync.model import Model, build
from versync.pep508 import canonical_name
from versync.text import FileText

if TYPE_CHECKING:
    from versync.plan import Plan

CONFIG_FILE = "versync.toml"


class Workspace:
    """A scanned repository: its packages, groups, and the files they were read from."""

    def __init__(self, root: str, files: dict[str, FileText], model: Model, config: Config) -> None:
        self.root = root
        self.files = files
        self.model = model
        self.config = config

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
    files = {path: discovery.read(top, path) for path in discovery.list_manifests(top)}
    config = _load_config(files)

    def read_extra(path: str) -> FileText | None:
        if path not in files:
            if path.startswith("../") or not discovery.exists(top, path):
                return None
            files[path] = discovery.read(top, path)
        return files[path]

    return Workspace(top, files, build(files, read_extra, config), config)


def _load_config(files: dict[str, FileText]) -> Config:
    if CONFIG_FILE in files:
        return config_module.parse(parse_toml(CONFIG_FILE, files[CONFIG_FILE].text), CONFIG_FILE)
    if "pyproject.toml" in files:
        data = parse_toml("pyproject.toml", files["pyproject.toml"].text)
        table = data.get("tool", {}).get("versync")
        if isinstance(table, dict):
            return config_module.parse(table, "pyproject.toml [tool.versync]")
    return Config()
