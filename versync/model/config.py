"""versync's configuration: `versync.toml` at the root, else `[tool.versync]` in the root
pyproject.toml."""

from __future__ import annotations

import re
from typing import Any, Literal, NamedTuple

from versync._fs.reading import MAX_FILE_SIZE
from versync.errors import ConfigError
from versync.model.ignore import IgnoreEntry, parse_ignore
from versync.syntax.globs import excluded

PinPolicy = Literal["track", "fix"]
_KEYS = {"exclude", "files", "groups", "ignore", "independent", "max-file-size", "pins"}
# Release keys: the indexes `check --published` asks, the commit message and tag templates of
# `bump --commit --tag` (placeholders {version}, {group}, {package}), and the globs of files
# `check --since` does not count as a package's own.
_RELEASE_KEYS = {"index-url", "cargo-index-url", "commit-message", "tag", "since-ignore"}
_KEYS |= _RELEASE_KEYS
_PLACEHOLDERS = re.compile(r"\{([^{}]*)\}")
_FIELDS = ("version", "group", "package")  # what a template may name
_FILE_KEYS = {"path", "search", "replace", "package", "group"}
_FILE_PLACEHOLDERS = ("{version}", "{current_version}", "{new_version}")


class FileRule(NamedTuple):
    """A `[[files]]` entry: files (`path`, a glob) that repeat a version where `search` says
    (`{version}` marks it), for `package` or a configured `group` (neither: the only configured
    group, else the only publishable package)."""

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
    max_file_size: int = MAX_FILE_SIZE
    index_url: str | None = None
    cargo_index_url: str | None = None
    commit_message: str | None = None
    tag: str | None = None
    since_ignore: tuple[str, ...] | None = None  # None: the defaults of `check --since`
    ignore: tuple[IgnoreEntry, ...] = ()
    files: tuple[FileRule, ...] = ()

    def excluded(self, path: str) -> bool:
        """Whether the `exclude` rules leave out a repository-relative path (see
        `versync.syntax.globs.excluded`: globs, `!` takes back, the last match wins)."""
        return excluded(path, self.exclude)


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
        max_file_size=_max_file_size(table, origin),
        index_url=_string(table, "index-url", origin),
        cargo_index_url=_string(table, "cargo-index-url", origin),
        commit_message=_template(table, "commit-message", origin),
        tag=_template(table, "tag", origin),
        since_ignore=_globs(table, "since-ignore", origin) if "since-ignore" in table else None,
        ignore=parse_ignore(table.get("ignore", []), origin),
        files=_files(table, origin),
    )


def _max_file_size(table: dict[str, Any], origin: str) -> int:
    value = table.get("max-file-size", MAX_FILE_SIZE)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{origin}: max-file-size must be a positive number of bytes")
    return value


def _string(table: dict[str, Any], key: str, origin: str) -> str | None:
    value = table.get(key)
    if value is not None and (not isinstance(value, str) or not value):
        raise ConfigError(f"{origin}: {key} must be a non-empty string")
    return value


def _template(table: dict[str, Any], key: str, origin: str) -> str | None:
    value = _string(table, key, origin)
    if value is None:
        return None
    unknown = [name for name in _PLACEHOLDERS.findall(value) if name not in _FIELDS]
    if unknown:
        raise ConfigError(
            f"{origin}: {key} has an unknown placeholder {{{unknown[0]}}} "
            "(known: {version}, {group}, {package})"
        )
    if "{version}" not in value:
        raise ConfigError(f"{origin}: {key} must contain {{version}}")
    return value


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
    for placeholder in _FILE_PLACEHOLDERS:
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
