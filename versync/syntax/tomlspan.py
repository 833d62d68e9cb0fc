"""Where each string value of a TOML document is written.

`tomllib` gives values but no positions. This scanner walks a document that `tomllib` has
already accepted and records, for every string value, its key path (as `tomllib` would index
it) and the exact span of its characters, so a caller can replace those characters and nothing
else.
"""

from __future__ import annotations

import re
from typing import NamedTuple

Key = tuple[str | int, ...]

_SKIP = re.compile(r"(?:[ \t]+|#[^\n]*)*")
_SKIP_LINES = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_KEY_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')
_DOT = re.compile(r"[ \t]*\.[ \t]*")
_BASIC = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_LITERAL = re.compile(r"'([^'\n]*)'")
_ML_BASIC = re.compile(r'"""((?:\\[\s\S]|[^\\])*?)"""("{0,2})')
_ML_LITERAL = re.compile(r"'''([\s\S]*?)'''('{0,2})")
_SCALAR = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
    r"(?:[Zz]|[+-][0-9]{2}:[0-9]{2})?)?|[A-Za-z0-9_+.:-]+"
)
# Fast paths for the lines most manifests are made of; anything else takes the general path.
# `key = "text"` or `key = 12` / `true` (a bare key, then the end of the line or a comment):
_SIMPLE_PAIR = re.compile(
    r'([A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:"([^"\\\n]*)"|(?:true|false|[0-9]+)(?![0-9A-Za-z_.:+-]))'
    r"[ \t]*(?=\r?\n|#|\Z)"
)
# `key = [`, a bare key and an array:
_ARRAY_PAIR = re.compile(r"([A-Za-z0-9_-]+)[ \t]*=[ \t]*(?=\[)")
# `[a.b]` with bare keys:
_SIMPLE_HEADER = re.compile(r"\[([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\][ \t]*(?=\r?\n|#|\Z)")
# an array element `"text"`:
_SIMPLE_ELEMENT = re.compile(r'"([^"\\\n]*)"(?!")')
# A whole array of such strings, with comments and line breaks between them (most arrays of
# a manifest: dependencies, classifiers, keywords); its strings, and the comments to skip:
_GAP = r"(?:[ \t\r\n]|#[^\n]*+)*+"  # possessive: a comment is never split, no backtracking
_SIMPLE_ARRAY = re.compile(rf'\[{_GAP}(?:"[^"\\\n]*"{_GAP},{_GAP})*(?:"[^"\\\n]*"{_GAP})?\]')
_ELEMENT_OR_COMMENT = re.compile(r'"([^"\\\n]*)"|#[^\n]*')
_BLANK = frozenset(" \t\r\n#")


class StringSpan(NamedTuple):
    start: int  # first character of the content, after the opening quote(s)
    end: int  # just after the last content character
    quote: str
    raw: str  # the content as written, escapes not processed


def string_spans(text: str) -> dict[Key, StringSpan]:
    """Every string value of a valid TOML document, by key path."""
    return _Scanner(text).document()


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.found: dict[Key, StringSpan] = {}
        self.array_tables: dict[Key, int] = {}

    def document(self) -> dict[Key, StringSpan]:
        table: Key = ()
        while True:
            self._skip(lines=True)
            if self.pos >= len(self.text):
                return self.found
            if self.text.startswith("[[", self.pos):
                table = self._array_table_header()
            elif self.text.startswith("[", self.pos):
                header = _SIMPLE_HEADER.match(self.text, self.pos)
                if header is None:
                    table = self._table_header()
                else:
                    table = self._resolve(tuple(header[1].split(".")))
                    self.pos = header.end()
            else:
                pair = _SIMPLE_PAIR.match(self.text, self.pos)
                if pair is None:
                    array = _ARRAY_PAIR.match(self.text, self.pos)
                    if array is None:
                        self._key_value(table)
                    else:
                        self.pos = array.end()
                        self._array((*table, array[1]))
                else:
                    if pair.start(2) >= 0:
                        start, end = pair.span(2)
                        self.found[(*table, pair[1])] = StringSpan(start, end, '"', pair[2])
                    self.pos = pair.end()

    def _table_header(self) -> Key:
        self.pos += 1
        path = self._resolve(self._key())
        self._expect("]")
        return path

    def _array_table_header(self) -> Key:
        self.pos += 2
        keys = self._key()
        path = self._resolve(keys[:-1]) + keys[-1:]
        index = self.array_tables.get(path, -1) + 1
        self.array_tables[path] = index
        self._expect("]]")
        return (*path, index)

    def _resolve(self, keys: Key) -> Key:
        """A header's keys with the current element of each array of tables they pass through."""
        path: Key = ()
        for key in keys:
            path = (*path, key)
            if path in self.array_tables:
                path = (*path, self.array_tables[path])
        return path

    def _key_value(self, table: Key) -> None:
        path = table + self._key()
        self._expect("=")
        self._value(path)

    def _key(self) -> Key:
        parts: list[str | int] = []
        while True:
            self._skip(lines=False)
            bare = _BARE_KEY.match(self.text, self.pos)
            quoted = bare or _KEY_STRING.match(self.text, self.pos)
            if quoted is None:
                raise ValueError(f"expected a key at offset {self.pos}")
            token = quoted[0]
            parts.append(token if bare else _quoted_key(token))
            self.pos = quoted.end()
            dot = _DOT.match(self.text, self.pos)
            if dot is None:
                self._skip(lines=False)
                return tuple(parts)
            self.pos = dot.end()

    def _value(self, path: Key) -> None:
        self._skip(lines=False)
        char = self.text[self.pos : self.pos + 1]
        if char in ('"', "'"):
            self._string(path)
        elif char == "[":
            self._array(path)
        elif char == "{":
            self._inline_table(path)
        else:
            scalar = _SCALAR.match(self.text, self.pos)
            if scalar is None:
                raise ValueError(f"unexpected value at offset {self.pos}")
            self.pos = scalar.end()

    def _string(self, path: Key) -> None:
        if self.text.startswith('"', self.pos):
            multi = self.text.startswith('"""', self.pos)
            pattern, quote = (_ML_BASIC, '"""') if multi else (_BASIC, '"')
        else:
            multi = self.text.startswith("'''", self.pos)
            pattern, quote = (_ML_LITERAL, "'''") if multi else (_LITERAL, "'")
        match = pattern.match(self.text, self.pos)
        if match is None:
            raise ValueError(f"unterminated string at offset {self.pos}")
        start = match.start(1)
        end = match.end() - len(quote)
        self.found[path] = StringSpan(start, end, quote, self.text[start:end])
        self.pos = match.end()

    def _array(self, path: Key) -> None:
        simple = _SIMPLE_ARRAY.match(self.text, self.pos)
        if simple is not None:
            index = 0
            for token in _ELEMENT_OR_COMMENT.finditer(self.text, self.pos, simple.end()):
                if token.start(1) >= 0:
                    start, end = token.span(1)
                    self.found[(*path, index)] = StringSpan(start, end, '"', token[1])
                    index += 1
            self.pos = simple.end()
            return
        self.pos += 1
        index = 0
        while True:
            self._skip(lines=True)
            if self.text.startswith("]", self.pos):
                self.pos += 1
                return
            element = _SIMPLE_ELEMENT.match(self.text, self.pos)
            if element is None:
                self._value((*path, index))
            else:
                start, end = element.span(1)
                self.found[(*path, index)] = StringSpan(start, end, '"', element[1])
                self.pos = element.end()
            index += 1
            self._skip(lines=True)
            if self.text.startswith(",", self.pos):
                self.pos += 1

    def _inline_table(self, path: Key) -> None:
        self.pos += 1
        while True:
            self._skip(lines=True)
            if self.text.startswith("}", self.pos):
                self.pos += 1
                return
            key = self._key()
            self._expect("=")
            self._value(path + key)
            self._skip(lines=True)
            if self.text.startswith(",", self.pos):
                self.pos += 1

    def _skip(self, *, lines: bool) -> None:
        if self.text[self.pos : self.pos + 1] not in _BLANK:
            return
        skipped = (_SKIP_LINES if lines else _SKIP).match(self.text, self.pos)
        assert skipped is not None  # both patterns match the empty string
        self.pos = skipped.end()

    def _expect(self, token: str) -> None:
        self._skip(lines=False)
        if not self.text.startswith(token, self.pos):
            raise ValueError(f"expected {token!r} at offset {self.pos}")
        self.pos += len(token)


def _quoted_key(token: str) -> str:
    import tomllib

    return str(tomllib.loads(f"k = {token}")["k"])
