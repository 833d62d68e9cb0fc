"""Bytes to text and back: the bytes a file held are its text encoded again."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from versync.errors import InputError
from versync.syntax.text import decode


@given(st.text(), st.booleans())
def test_the_bytes_of_a_decoded_file_are_the_bytes_read(text: str, bom: bool) -> None:
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8", "surrogatepass")
    try:
        decoded = decode("f.toml", data)
    except InputError:
        assert any(0xD800 <= ord(c) <= 0xDFFF for c in text)  # lone surrogates are not UTF-8
        return
    assert decoded.data == data
    assert decoded.bom == (bom or text.startswith("\ufeff"))


@pytest.mark.parametrize(
    ("data", "where"),
    [
        pytest.param(b"a = 1\n\xff", "2:1", id="second-line"),
        pytest.param(b"\xc3(", "1:1", id="truncated-sequence"),
    ],
)
def test_bytes_that_are_not_utf8_are_an_input_error_with_their_place(
    data: bytes, where: str
) -> None:
    with pytest.raises(InputError, match="not valid UTF-8") as raised:
        decode("f.toml", data)
    assert f"{raised.value.line}:{raised.value.column}" == where
