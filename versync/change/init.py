"""`versync init`: write down the groups versync sees today (explicit or inferred) and the
template folders it skipped, as `versync.toml` or `[tool.versync]` in the root pyproject.toml.

This is the one place versync writes TOML it did not read a version from, so it uses tomlkit
(imported here only): the comments and formatting of an existing file survive.
"""

from __future__ import annotations

import os
import posixpath
from typing import Any

from versync.errors import ConfigError, PlanError, UsageError
from versync.model import Model
from versync.model.config import Config
from versync.model.config import parse as parse_config
from versync.records import Note

CONFIG_FILE = "versync.toml"
PYPROJECT = "pyproject.toml"
SKIPPED_CODES = ("template", "fixture")  # notes of packages the scan skipped on purpose


class ConfigWrite:
    """The configuration `init` writes: where, the new text, and what it holds. `apply()`
    writes it, unless the file changed since it was read."""

    def __init__(
        self,
        root: str,
        path: str,
        old: bytes | None,
        text: str,
        groups: dict[str, list[str]],
        exclude: list[str],
    ) -> None:
        self.root = root
        self.path = path
        self.old = old
        self.text = text
        self.groups = groups
        self.exclude = exclude

    def __repr__(self) -> str:
        return f"ConfigWrite({self.path}: {len(self.groups)} groups)"

    def apply(self) -> str:
        """Write the file (through a temporary file renamed over it); returns its path."""
        full = os.path.join(self.root, self.path)
        if _read(full) != self.old:
            raise PlanError(f"{self.path}: changed on disk since it was read; run init again")
        temporary = f"{full}.versync-init.{os.getpid()}"
        try:
            with open(temporary, "w", encoding="utf-8", newline="") as handle:
                handle.write(self.text)
            if self.old is not None:
                os.chmod(temporary, os.stat(full).st_mode & 0o7777)
            os.replace(temporary, full)
        except OSError as exc:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise PlanError(f"{self.path}: cannot write: {exc.strerror or exc}") from exc
        return self.path


def plan_init(
    root: str, model: Model, config: Config, *, pyproject: bool = False, force: bool = False
) -> ConfigWrite:
    """The configuration that makes today's groups explicit. Raises `UsageError` when the
    target already has `groups` (unless `force`), when `--pyproject` is asked but
    versync.toml exists (it would take precedence) or there is no root pyproject.toml."""
    import tomlkit

    path = PYPROJECT if pyproject else CONFIG_FILE
    full = os.path.join(root, path)
    if pyproject and os.path.exists(os.path.join(root, CONFIG_FILE)):
        raise UsageError(f"{CONFIG_FILE} exists and takes precedence: edit it, or remove it")
    old = _read(full)
    if pyproject and old is None:
        raise UsageError(f"no {PYPROJECT} at the root: run versync init without --pyproject")
    text = (old or b"").decode("utf-8-sig")
    try:
        document = tomlkit.parse(text)
    except Exception as exc:  # tomlkit's ParseError, and anything it raises on odd input
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    table = _versync_table(document) if pyproject else document
    if "groups" in table and not force:
        raise UsageError(f"{path} already has groups: versync init --force replaces them")
    groups = {name: _names(members) for name, members in model.groups.items()}
    exclude = _merged_excludes(table, _template_folders(model.notes))
    if exclude:
        table["exclude"] = exclude
    if "groups" in table:
        del table["groups"]
    table["groups"] = _groups_table(tomlkit, groups, model, config)
    written = tomlkit.dumps(document)
    if not text:
        written = "# versync: packages released together, written by `versync init`\n\n" + written
    _validate(path, written, pyproject)
    if old is not None and old.startswith(b"\xef\xbb\xbf"):
        written = "\ufeff" + written
    return ConfigWrite(root, path, old, written, groups, exclude)


def _read(full: str) -> bytes | None:
    try:
        with open(full, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _versync_table(document: Any) -> Any:
    import tomlkit

    if "tool" not in document:
        document["tool"] = tomlkit.table(is_super_table=True)
    tool = document["tool"]
    if "versync" not in tool:
        tool["versync"] = tomlkit.table()
    return tool["versync"]


def _names(members: list[Any]) -> list[str]:
    return list(dict.fromkeys(package.name for package in members))


def _template_folders(notes: list[Note]) -> list[str]:
    """The folders of the packages skipped as templates or fixtures (a note names the
    manifest it skipped, or the folder)."""
    from versync.formats import manifest_names

    names = manifest_names()
    folders = []
    for note in notes:
        if note.code in SKIPPED_CODES and note.file:
            name = note.file.rpartition("/")[2]
            folder = posixpath.dirname(note.file) if name in names else note.file
            folders.append(folder or ".")
    return sorted(set(folders))


def _merged_excludes(table: Any, folders: list[str]) -> list[str]:
    current = [str(item) for item in table.get("exclude", [])]
    return current + [f for f in folders if f not in current and f != "."]


def _groups_table(tomlkit: Any, groups: dict[str, list[str]], model: Model, config: Config) -> Any:
    table = tomlkit.table()
    if not groups:
        table.add(tomlkit.comment("no lockstep groups: every package is released on its own"))
    for name, members in groups.items():
        for line in _reasons(name, model, config):
            table.add(tomlkit.comment(line))
        array = tomlkit.array()
        array.extend(members)
        table.add(name, array.multiline(len(members) > 3))
    return table


def _reasons(name: str, model: Model, config: Config) -> list[str]:
    """Why the group is what it is: the notes that explain it, else where it came from."""
    explained = [
        n.message
        for n in model.notes
        if n.code.startswith("group") and (f"'{name}'" in n.message or f" {name} " in n.message)
    ]
    if explained:
        return explained
    inferred = getattr(model, "inferred", None)  # group -> the commit that released it
    if isinstance(inferred, dict) and isinstance(inferred.get(name), str):
        return [f"released together in {inferred[name][:7]}"]
    if config.groups is not None:
        return [f"as configured in {config.origin}"]
    return ["every publishable package: no groups were configured, so one lockstep group"]


def _validate(path: str, text: str, pyproject: bool) -> None:
    """The written configuration must read back as a valid versync configuration."""
    import tomllib

    data = tomllib.loads(text)
    table = data.get("tool", {}).get("versync", {}) if pyproject else data
    parse_config(table, path)
