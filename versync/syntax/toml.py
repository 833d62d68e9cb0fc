"""Reading TOML: values from `tomllib`, places of string literals from `versync.syntax.tomlspan`."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from versync.errors import InputError
from versync.records import Span

if TYPE_CHECKING:  # the scanner is imported by the first span asked for
    from versync.syntax.tomlspan import Key, StringSpan

_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)$")
_MISSING = object()
_SEARCHES_BEFORE_SCAN = 32


class TomlFile:
    """A parsed TOML file that can say where each of its string values is written."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.data = parse(path, text)
        self._spans: dict[Key, StringSpan] | None = None
        self._simple: bool | None = None  # see `_written_once`
        self._searches = 0
        self._counted = (0, 1)  # an offset and the line it is on (see `_line_col`)

    def get(self, *key: str | int) -> Any:
        node: Any = self.data
        for part in key:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    def table(self, *key: str | int) -> dict[str, Any]:
        value = self.get(*key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.type_error(key, "a table", value)
        return value

    def string(self, *key: str | int) -> Span | None:
        """The literal at `key`, or None when absent; an error when it is not a string."""
        value = self.text_at(*key)
        return None if value is None else self.span(key, value)

    def text_at(self, *key: str | int) -> str | None:
        """The string at `key` (as `string`, without its place)."""
        value = self.get(*key)
        if value is not None and not isinstance(value, str):
            raise self.type_error(key, "a string", value)
        return value

    def span(self, key: Key, value: str) -> Span:
        """The place of the string `value`, which the document holds at `key`."""
        start = self._written_once(value) if self._spans is None else None
        if start is None:
            if self._spans is None:
                from versync.syntax.tomlspan import string_spans

                self._spans = string_spans(self.text)
            found = self._spans[key]
            start, end = found.start, found.end
        else:
            end = start + len(value)
        line, column = self._line_col(start)
        return Span(file=self.path, line=line, column=column, start=start, end=end, text=value)

    def _written_once(self, value: str) -> int | None:
        """Where `value` is written, without scanning the document, when that can be known:
        in a document with no backslash and no multi-line string, every string is written
        as its value between quotes, so a value whose quoted form appears exactly once in
        the whole text (comments included) is written there. Else None: the scanner says.
        Most manifests are such documents, and most version and requirement strings are
        unique in them. Each search reads the whole text: past a few, one scan costs less
        (a lock file asks for thousands)."""
        self._searches += 1
        if self._searches > _SEARCHES_BEFORE_SCAN:
            return None
        if self._simple is None:
            text = self.text
            self._simple = "\\" not in text and '"""' not in text and "'''" not in text
        if not self._simple:
            return None
        found = None
        for quoted in (f'"{value}"', f"'{value}'"):
            at = self.text.find(quoted)
            while at >= 0:  # overlapping occurrences count: `"a"a"` holds `"a"` twice
                if found is not None:
                    return None
                found = at + 1
                at = self.text.find(quoted, at + 1)
        return found

    def _line_col(self, offset: int) -> tuple[int, int]:
        """`line_col` of `offset`, counting lines from the last place asked when it lies
        before `offset` (places are asked in document order: counting from the start each
        time costs a lock file of thousands of entries quadratic time)."""
        counted, line = self._counted
        if offset < counted:
            counted, line = 0, 1
        line += self.text.count("\n", counted, offset)
        self._counted = (offset, line)
        return line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1

    def type_error(self, key: Key, wanted: str, value: object) -> InputError:
        dotted = ".".join(str(part) for part in key)
        line = self.key_line(key)
        return InputError(
            self.path, line, 1, f"{dotted} must be {wanted}, not {type(value).__name__}"
        )

    def key_line(self, key: Key) -> int:
        """Best-effort line of a key that holds no string (for error messages only)."""
        names = [part for part in key if isinstance(part, str)]
        match = (
            re.search(rf"(?m)^[ \t]*{re.escape(names[-1])}[ \t]*[=.]", self.text) if names else None
        )
        return self.text.count("\n", 0, match.start()) + 1 if match else 1


_Parser = tuple[Callable[[str], dict[str, Any]], type[ValueError]]
# tomli costs ~8 ms more to import than tomllib and saves ~0.1 ms a manifest: a run that parses
# a few files (a hook run after an edit) keeps to tomllib, a cold run switches after these many.
_STANDARD_FIRST = 64
_chosen: list[_Parser] = []  # the parser of this process, once past the first documents
_parsed = [0]


def expect(documents: int) -> None:
    """Say how many documents are about to be parsed: past `_STANDARD_FIRST`, the compiled
    parser is chosen at once rather than after the first of them."""
    if documents > _STANDARD_FIRST and not _chosen:
        _chosen.append(parser())


def parse(path: str, text: str) -> dict[str, Any]:
    """The values of a TOML document; `InputError` (with its line and column) when malformed."""
    _parsed[0] += 1
    if _chosen:
        loads, error = _chosen[0]
    elif _parsed[0] > _STANDARD_FIRST:
        _chosen.append(parser())
        loads, error = _chosen[0]
    else:
        import tomllib

        loads, error = tomllib.loads, tomllib.TOMLDecodeError
    try:
        return loads(text)
    except RecursionError as exc:
        raise InputError(
            path, 1, 1, "invalid TOML: arrays or tables nested too deeply to parse"
        ) from exc
    except error as exc:
        message = str(exc)
        position = _POSITION.search(message)
        line, column = (int(position[1]), int(position[2])) if position else (1, 1)
        reason = _POSITION.sub("", message).strip()
        raise InputError(path, line, column, f"invalid TOML: {reason}") from exc


def parser() -> _Parser:
    """`loads` and its error class: `tomli` before 2.3 where installed (the same TOML 1.0
    parser as the standard library's `tomllib`, whose wheels are compiled with mypyc and
    parse three times as fast), else `tomllib`. tomli 2.3 and later read TOML 1.1, which
    accepts documents `tomllib`, cargo and uv reject. Imported here, not at the top: a run
    served by the caches parses nothing."""
    try:
        import tomli

        toml_1_0 = tuple(int(part) for part in tomli.__version__.split(".")[:2]) < (2, 3)
    except (ImportError, AttributeError, ValueError):
        toml_1_0 = False
    if not toml_1_0:
        import tomllib

        return tomllib.loads, tomllib.TOMLDecodeError
    return tomli.loads, tomli.TOMLDecodeError
