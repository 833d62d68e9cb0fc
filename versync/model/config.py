"""versync's configuration: `versync.toml` at the root, else `[tool.versync]` in the root
pyproject.toml."""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from versync.errors import ConfigError
from versync.syntax.globs import glob

PinPolicy = Literal["track", "fix"]
_KEYS = {"exclude", "files", "groups", "independent", "pins"}
_FILE_KEYS = {"path", "search", "replace", "package", "group"}
_PLACEHOLDERS = ("{version}", "{current_version}", "{new_version}")


class FileRule(NamedTuple):
    """A `[[files]]` entry: files (`path`, a glob) that repeat a version where `search` says
    (`{version}` marks it), for `package` or `group` (the only group when neither is given)."""

    path: str
    search: str = "{version}"
    package: str | None = None
    group: str | None = None


class Config(NamedTuple):
    origin: str | None = None
    exclude: tuple[str, ...] = ()
    groups: dict[str, tuple[str, ...]] | None = None
    independent: tuple[str, ...] = ()
    pins: PinPolicy = "track"
    files: tuple[FileRule, ...] = ()

    def excluded(self, path: str) -> bool:
        """Whether a repository-relative path, or a folder above it, matches an `exclude` glob."""
        if not self.exclude:
            return False
        parts = path.split("/")
        candidates = ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]
        return any(glob(pattern).fullmatch(c) for pattern in self.exclude for c in candidates)


def parse(table: dict[str, Any], origin: str) -> Config:
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(
            f"{origin}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})"
        )
    pins = table.get("pins", "track")
    if pins not in ("track", "fix"):
        raise ConfigError(f'{origin}: pins must be "track" or "fix", not {pins!r}')
    return Config(
        origin=origin,
        exclude=_globs(table, "exclude", origin),
        groups=_groups(table, origin),
        independent=_globs(table, "independent", origin),
        pins=pins,
        files=_files(table, origin),
    )


def _files(table: dict[str, Any], origin: str) -> tuple[FileRule, ...]:
    value = table.get("files", [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ConfigError(f"{origin}: files must be an array of tables ([[files]])")
    return tuple(_file_rule(item, f"{origin}: files[{index}]") for index, item in enumerate(value))


def _file_rule(item: dict[str, Any], where: str) -> FileRule:
    unknown = sorted(set(item) - _FILE_KEYS)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_FILE_KEYS))})"
        )
    for key in _FILE_KEYS:
        if key in item and not isinstance(item[key], str):
            raise ConfigError(f"{where}: {key} must be a string")
    if "path" not in item:
        raise ConfigError(f"{where}: path is required")
    if "package" in item and "group" in item:
        raise ConfigError(f"{where}: give package or group, not both")
    search = _normal_placeholder(item.get("search", "{version}"))
    if search.count("{version}") != 1:
        raise ConfigError(f"{where}: search must hold {{version}} once, not {search!r}")
    if "replace" in item and _normal_placeholder(item["replace"]) != search:
        raise ConfigError(
            f"{where}: replace must be search with the new version in place of the old "
            f"(versync edits only the version), not {item['replace']!r}"
        )
    return FileRule(item["path"], search, item.get("package"), item.get("group"))


def _normal_placeholder(text: str) -> str:
    for placeholder in _PLACEHOLDERS:
        text = text.replace(placeholder, "{version}")
    return text


def _globs(table: dict[str, Any], key: str, origin: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{origin}: {key} must be an array of strings")
    return tuple(value)


def _groups(table: dict[str, Any], origin: str) -> dict[str, tuple[str, ...]] | None:
    value = table.get("groups")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ConfigError(f"{origin}: groups must be a table of group name to package globs")
    return {name: _globs(value, name, f"{origin}: groups") for name in value}
