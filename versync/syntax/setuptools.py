"""setup.py and setup.cfg: the name and version setuptools would build, read without running
any code (`ast` for setup.py, a line scan for setup.cfg's `[metadata]`)."""

from __future__ import annotations

import _ast
import re
from typing import TYPE_CHECKING, NamedTuple

from versync.records import Span
from versync.syntax import python
from versync.syntax.text import line_col

if TYPE_CHECKING:
    import ast

_SECTION = re.compile(r"^\[(?P<name>[^\]]+)\]\s*$")
_OPTION = re.compile(r"^(?P<key>[A-Za-z_][\w.-]*)\s*[=:]\s*(?P<value>.*?)\s*$")


class SetupInfo(NamedTuple):
    """What a setup.py or setup.cfg says of the package: its name, and its version as a
    literal (`version`), an `attr:` path, a `file:` path, or `dynamic` when it is computed."""

    name: str | None
    version: Span | None = None
    attr: str | None = None
    file: str | None = None
    dynamic: bool = False


def read_setup_cfg(path: str, text: str) -> SetupInfo:
    """`[metadata] name` and `version` (`1.2.3`, `attr: pkg.__version__`, `file: VERSION`)."""
    section = ""
    name: str | None = None
    found: dict[str, Span] = {}
    offset = 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        header = _SECTION.match(line)
        if header is not None:
            section = header["name"].strip()
        elif section == "metadata" and (option := _OPTION.match(line)) is not None:
            start = offset + option.start("value")
            row, column = line_col(text, start)
            value = option["value"]
            span = Span(
                file=path, line=row, column=column, start=start, end=start + len(value), text=value
            )
            found[option["key"].lower()] = span
        offset += len(raw)
    if "name" in found:
        name = found["name"].text
    version = found.get("version")
    if version is None:
        return SetupInfo(name)
    for directive in ("attr:", "file:"):
        if version.text.startswith(directive):
            target = version.text[len(directive) :].strip().split(",")[0].strip()
            if directive == "attr:":
                return SetupInfo(name, attr=target)
            return SetupInfo(name, file=target)
    return SetupInfo(name, version=version)


def read_setup_py(path: str, text: str) -> SetupInfo | None:
    """The `setup(...)` call's `name` and `version`: a string literal, or a module-level
    constant holding one; `dynamic` when the version is anything else. None without a call."""
    tree = python.parse(path, text)
    call = next(
        (
            node
            for node in python.walk(tree)
            if isinstance(node, _ast.Call) and _called_name(node.func) == "setup"
        ),
        None,
    )
    if call is None:
        return None
    keywords = {kw.arg: kw.value for kw in call.keywords if kw.arg is not None}
    name_node = keywords.get("name")
    name = str(name_node.value) if python.is_str(name_node) else None
    version = keywords.get("version")
    if version is None:
        return SetupInfo(name)
    if python.is_str(version):
        return SetupInfo(name, version=python.constant_span(path, text, version))
    if isinstance(version, _ast.Name):
        span = python.assigned_string(path, text, version.id)
        if span is not None:
            return SetupInfo(name, version=span)
    return SetupInfo(name, dynamic=True)


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, _ast.Name):
        return func.id
    if isinstance(func, _ast.Attribute):
        return func.attr
    return None
