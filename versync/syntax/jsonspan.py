"""Where a top-level string value of a JSON object is written (package.json's `"version"`)."""

from __future__ import annotations

import json
from typing import Any

from versync.errors import InputError
from versync.records import Span
from versync.syntax.text import line_col


def parse(path: str, text: str) -> Any:
    """The JSON value of `text`; `InputError` at the place of a syntax error."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}") from exc


def top_level_string(path: str, text: str, key: str) -> Span | None:
    """The span of the string value of `key` in the top-level object, when it is written
    without escapes; None when absent or not a plain string."""
    depth = 0
    index = 0
    expecting_key = False
    while index < len(text):
        char = text[index]
        if char == '"':
            end = _string_end(text, index)
            if depth == 1 and expecting_key and text[index + 1 : end] == key:
                return _value_after(path, text, end + 1)
            expecting_key = False
            index = end + 1
            continue
        if char in "{[":
            depth += 1
            expecting_key = char == "{" and depth == 1
        elif char in "}]":
            depth -= 1
        elif char == "," and depth == 1:
            expecting_key = True
        index += 1
    return None


def _string_end(text: str, start: int) -> int:
    index = start + 1
    while index < len(text) and text[index] != '"':
        index += 2 if text[index] == "\\" else 1
    return index


def _value_after(path: str, text: str, index: int) -> Span | None:
    colon = text.find(":", index)
    if colon < 0:
        return None
    start = colon + 1
    while start < len(text) and text[start] in " \t\r\n":
        start += 1
    if start >= len(text) or text[start] != '"':
        return None
    end = _string_end(text, start)
    value = text[start + 1 : end]
    if "\\" in value:
        return None
    line, column = line_col(text, start + 1)
    return Span(file=path, line=line, column=column, start=start + 1, end=end, text=value)
