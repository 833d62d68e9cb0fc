"""Bytes to text and back, losing nothing: a BOM and every line ending survive."""

from __future__ import annotations

from typing import NamedTuple

from versync.errors import InputError

BOM = "\ufeff"


class FileText(NamedTuple):
    """A file's content as read: `text` has any BOM removed; `data` is the exact bytes."""

    path: str
    data: bytes
    text: str
    bom: bool

    def encode(self, text: str) -> bytes:
        return ((BOM if self.bom else "") + text).encode("utf-8")


def decode(path: str, data: bytes) -> FileText:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = line_col_bytes(data, exc.start)
        raise InputError(path, line, column, "not valid UTF-8") from exc
    bom = text.startswith(BOM)
    return FileText(path, data, text[1:] if bom else text, bom)


def line_col(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def line_col_bytes(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1
