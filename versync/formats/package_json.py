"""package.json: an npm package's version (napi-rs bindings shipped beside their crate). It is
a version source of the crate in the same folder; a `"private": true` package.json (a docs
site, a web front-end) is never one."""

from __future__ import annotations

from typing import NamedTuple

from versync._fs.plain import cacheable
from versync.formats import Reader, register
from versync.records import Span
from versync.syntax.jsonspan import parse, top_level_string


@cacheable
class PackageJson(NamedTuple):
    """What versync reads of a package.json."""

    name: str | None
    version: Span | None
    private: bool


def read(path: str, text: str) -> PackageJson:
    """The name, the `"version"` literal and whether the package is private."""
    data = parse(path, text)
    if not isinstance(data, dict):
        return PackageJson(None, None, True)
    name = data.get("name")
    version = (
        top_level_string(path, text, "version") if isinstance(data.get("version"), str) else None
    )
    return PackageJson(
        name if isinstance(name, str) else None, version, data.get("private") is True
    )


READER = register(Reader("package-json", ("package.json",), read))
