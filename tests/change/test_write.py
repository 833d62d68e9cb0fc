"""Writing one file: in place with pwrite, or with seek and write where pwrite is missing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from versync.change import write


@pytest.mark.parametrize("pwrite", [True, False], ids=["pwrite", "seek-and-write-fallback"])
@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param(b'version = "0.1.1"\n', b'version = "0.1.2"\n', id="same-length-in-place"),
        pytest.param(b'version = "0.1.9"\n', b'version = "0.1.10"\n', id="longer-via-rename"),
        pytest.param(b'a = "1"\r\nb = "1"\r\n', b'a = "2"\r\nb = "2"\r\n', id="crlf-two-places"),
    ],
)
def test_a_file_becomes_exactly_the_new_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pwrite: bool, old: bytes, new: bytes
) -> None:
    monkeypatch.setattr(write, "HAS_PWRITE", pwrite)
    path = tmp_path / "pyproject.toml"
    path.write_bytes(old)
    inode = path.stat().st_ino
    write.write(str(path), old, new, 0o644)
    assert path.read_bytes() == new
    assert (path.stat().st_ino == inode) is (len(old) == len(new))
    assert os.listdir(tmp_path) == ["pyproject.toml"]


def test_the_fallback_never_uses_pwrite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(write, "HAS_PWRITE", False)
    monkeypatch.delattr(os, "pwrite")
    path = tmp_path / "Cargo.toml"
    path.write_bytes(b'version = "0.1.1"\n')
    write.write(str(path), b'version = "0.1.1"\n', b'version = "0.2.1"\n', 0o644)
    assert path.read_bytes() == b'version = "0.2.1"\n'
