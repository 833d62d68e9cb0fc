"""versync's configuration: `versync.toml` at the root, else `[tool.versync]` in the root
pyproject.toml."""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from versync._fs.reading import MAX_FILE_SIZE
from versync.errors import ConfigError
from versync.syntax.globs import excluded

PinPolicy = Literal["track", "fix"]
_KEYS = {"exclude", "groups", "independent", "max-file-size", "pins"}


class Config(NamedTuple):
    origin: str | None = None
    exclude: tuple[str, ...] = ()
    groups: dict[str, tuple[str, ...]] | None = None
    independent: tuple[str, ...] = ()
    pins: PinPolicy = "track"
    max_file_size: int = MAX_FILE_SIZE

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
    )


def _max_file_size(table: dict[str, Any], origin: str) -> int:
    value = table.get("max-file-size", MAX_FILE_SIZE)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{origin}: max-file-size must be a positive number of bytes")
    return value


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
