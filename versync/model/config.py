"""versync's configuration: `versync.toml` at the root, else `[tool.versync]` in the root
pyproject.toml."""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from versync.errors import ConfigError
from versync.model.ignore import IgnoreEntry, parse_ignore
from versync.syntax.globs import glob

PinPolicy = Literal["track", "fix"]
_KEYS = {"exclude", "groups", "ignore", "independent", "pins"}


class Config(NamedTuple):
    origin: str | None = None
    exclude: tuple[str, ...] = ()
    groups: dict[str, tuple[str, ...]] | None = None
    independent: tuple[str, ...] = ()
    pins: PinPolicy = "track"
    ignore: tuple[IgnoreEntry, ...] = ()

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
        ignore=parse_ignore(table.get("ignore", []), origin),
    )


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
