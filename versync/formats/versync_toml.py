"""versync.toml: versync's own configuration, as plain TOML values."""

from __future__ import annotations

from typing import Any

from versync.formats import Reader, register
from versync.syntax.toml import parse


def read(path: str, text: str) -> dict[str, Any]:
    """The configuration table; `versync.model.config` gives it meaning."""
    return parse(path, text)


READER = register(Reader("config", ("versync.toml",), read))
