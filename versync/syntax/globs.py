"""Globs on `/`-separated paths and on package names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=256)
def glob(pattern: str) -> re.Pattern[str]:
    """A glob as a regular expression: `*` and `?` stay inside one path segment, `**` spans any."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        else:
            char = pattern[index]
            out.append("[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char))
            index += 1
    return re.compile("".join(out))


def matches_any(name: str, patterns: Iterable[str]) -> bool:
    return any(glob(pattern).fullmatch(name) for pattern in patterns)
