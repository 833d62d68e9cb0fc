"""Python files that hold a version: bundle.py, hatch version files, setuptools `attr:` modules."""

from __future__ import annotations

import _ast  # the syntax tree's classes, built in: `ast` itself costs a cold run 3.5 ms to import
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple, TypeGuard, cast

from versync.errors import InputError
from versync.records import Span
from versync.syntax.text import line_col

if TYPE_CHECKING:
    import ast

HATCH_DEFAULT_PATTERN = r"(?i)^(__version__|VERSION) *= *(['\"])v?(?P<version>.+?)\2"
_STRING_PREFIX = re.compile(r"(?i)[rub]*('''|\"\"\"|'|\")")


class BundleVersion(NamedTuple):
    """A version a bundle.py repeats, with the names the same dict or call gives its package
    (`"name"`, `"bundle_id"`, `"package"`), if any."""

    span: Span
    names: tuple[str, ...] = ()


_NAMING_KEYS = ("name", "bundle_id", "package")


def bundle_versions(path: str, text: str) -> list[BundleVersion]:
    """Every `"version": "<literal>"` dict item and `version="<literal>"` keyword argument, with
    the package names beside it."""
    tree = _parse(path, text)
    found: list[tuple[ast.Constant, tuple[str, ...]]] = []
    for node in walk(tree):
        items: list[tuple[str | None, ast.expr | None]] = []
        if isinstance(node, _ast.Dict):
            items = [
                (str(key.value) if _is_str(key) else None, value)
                for key, value in zip(node.keys, node.values, strict=True)
            ]
        elif isinstance(node, _ast.Call):
            items = [(kw.arg, kw.value) for kw in node.keywords]
        names = tuple(
            str(value.value) for key, value in items if key in _NAMING_KEYS and _is_str(value)
        )
        found += [(value, names) for key, value in items if key == "version" and _is_str(value)]
    found.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
    return [BundleVersion(_constant_span(path, text, node), names) for node, names in found]


def plain_strings(path: str, text: str) -> set[tuple[int, int]]:
    """The content spans of every string literal written plainly (no escapes, not joined)."""
    spans = set()
    for node in walk(_parse(path, text)):
        if _is_str(node):
            span = _constant_span(path, text, node)
            if text[span.start : span.end] == node.value:
                spans.add((span.start, span.end))
    return spans


def assigned_string(path: str, text: str, name: str) -> Span | None:
    """The string literal assigned to module-level `name`, if it is one."""
    for node in _parse(path, text).body:
        targets: list[ast.expr]
        value: ast.expr | None
        if isinstance(node, _ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, _ast.AnnAssign):
            targets, value = [node.target], node.value
        else:
            continue
        if any(isinstance(t, _ast.Name) and t.id == name for t in targets) and _is_str(value):
            return _constant_span(path, text, value)
    return None


def pattern_version(path: str, text: str, pattern: str | None) -> Span | None:
    """The version hatchling's regex source finds: the first match of the pattern."""
    try:
        match = re.search(pattern or HATCH_DEFAULT_PATTERN, text, flags=re.MULTILINE)
    except re.error as exc:
        raise InputError(path, 1, 1, f"invalid [tool.hatch.version] pattern: {exc}") from exc
    if match is None:
        return None
    group = "version" if "version" in match.re.groupindex else 1
    start, end = match.span(group)
    line, column = line_col(text, start)
    return Span(file=path, line=line, column=column, start=start, end=end, text=match[group])


def _parse(path: str, text: str) -> ast.Module:
    try:
        tree = compile(text, path, "exec", _ast.PyCF_ONLY_AST, dont_inherit=True)  # ast.parse
        return cast("ast.Module", tree)
    except SyntaxError as exc:
        raise InputError(
            path, exc.lineno or 1, exc.offset or 1, f"invalid Python: {exc.msg}"
        ) from exc
    except (RecursionError, MemoryError) as exc:
        raise InputError(path, 1, 1, "invalid Python: nested too deeply to parse") from exc


def walk(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node of `tree`, in the order `ast.walk` gives them (breadth first)."""
    pending = [tree]
    for node in pending:  # the list grows as it is walked
        for field in node._fields:
            child = getattr(node, field, None)
            if isinstance(child, _ast.AST):
                pending.append(child)
            elif isinstance(child, list):
                pending += [item for item in child if isinstance(item, _ast.AST)]
        yield node


def _is_str(node: ast.AST | None, value: str | None = None) -> TypeGuard[ast.Constant]:
    return (
        isinstance(node, _ast.Constant)
        and isinstance(node.value, str)
        and (value is None or node.value == value)
    )


def _constant_span(path: str, text: str, node: ast.Constant) -> Span:
    """Where the string's characters are. ast counts columns in UTF-8 bytes; we count characters.

    When the literal is not a plain string (escapes, implicit concatenation), the span covers
    the whole expression, so an edit there is refused by the edit layer's check.
    """
    start = _offset(text, node.lineno, node.col_offset)
    end = _offset(text, node.end_lineno or node.lineno, node.end_col_offset or node.col_offset)
    opening = _STRING_PREFIX.match(text, start)
    if opening is not None:
        quote = opening[1]
        content_start, content_end = opening.end(), end - len(quote)
        if text[content_start:content_end] == node.value and text.endswith(quote, 0, end):
            start, end = content_start, content_end
    line, column = line_col(text, start)
    return Span(file=path, line=line, column=column, start=start, end=end, text=str(node.value))


def _offset(text: str, lineno: int, byte_col: int) -> int:
    line_start = 0
    for _ in range(lineno - 1):
        line_start = text.index("\n", line_start) + 1
    line_end = text.find("\n", line_start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return line_start + len(line.encode("utf-8")[:byte_col].decode("utf-8"))


def parse(path: str, text: str) -> ast.Module:
    """The module's syntax tree; `InputError` at the place of a syntax error."""
    return _parse(path, text)


def is_str(node: ast.AST | None) -> TypeGuard[ast.Constant]:
    """Whether `node` is a string literal."""
    return _is_str(node)


def constant_span(path: str, text: str, node: ast.Constant) -> Span:
    """Where a string literal's characters are (see `_constant_span`)."""
    return _constant_span(path, text, node)
