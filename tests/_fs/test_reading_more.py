"""Reading files with their stamps: special files, missing files, folders linked outside."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import write
from versync._fs.reading import (
    Confinement,
    blob_id,
    exists,
    followed_file_stamp,
    outside_listed,
    read_stamped,
    regular_file_stamp,
)
from versync.errors import OutsideRoot, VersyncError


def test_read_stamped_gives_the_bytes_and_the_stamp_of_the_open_file(tmp_path: Path) -> None:
    write(tmp_path / "a.toml", "\ufeffname = 1\r\n")
    text, stamp = read_stamped(str(tmp_path), "a.toml")
    assert text.data == "\ufeffname = 1\r\n".encode() and text.bom
    assert text.text == "name = 1\r\n"
    info = os.stat(tmp_path / "a.toml")
    assert stamp == (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    assert stamp == regular_file_stamp(str(tmp_path / "a.toml"))
    assert (
        blob_id(text.data)
        == subprocess.run(
            ["git", "hash-object", str(tmp_path / "a.toml")], capture_output=True, text=True
        ).stdout.strip()
    )


def test_a_special_file_is_never_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")  # opening it for reading would block without O_NONBLOCK
    with pytest.raises(OutsideRoot, match="a special file"):
        read_stamped(str(tmp_path), "fifo")
    assert regular_file_stamp(str(tmp_path / "fifo")) is None
    assert followed_file_stamp(str(tmp_path / "fifo")) is None
    assert not exists(str(tmp_path), "fifo")


def test_a_missing_file_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(VersyncError, match=r"^gone\.toml: cannot read: "):
        read_stamped(str(tmp_path), "gone.toml")
    assert regular_file_stamp(str(tmp_path / "gone.toml")) is None
    assert not exists(str(tmp_path), "gone.toml")


def test_stamps_of_links_and_folders(tmp_path: Path) -> None:
    write(tmp_path / "real.toml", "")
    (tmp_path / "link.toml").symlink_to(tmp_path / "real.toml")
    assert regular_file_stamp(str(tmp_path / "link.toml")) is None
    assert followed_file_stamp(str(tmp_path / "link.toml")) == regular_file_stamp(
        str(tmp_path / "real.toml")
    )
    assert regular_file_stamp(str(tmp_path)) is None
    assert exists(str(tmp_path), "link.toml") and not exists(str(tmp_path), ".")


def test_files_in_a_folder_linked_outside_are_findings_unless_stamped(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write(tmp_path / "elsewhere/pyproject.toml", "")
    write(root / "inside/pyproject.toml", "")
    write(root / "inner/pyproject.toml", "")
    (root / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (root / "alias").symlink_to(root / "inner", target_is_directory=True)
    listed = [
        "alias/pyproject.toml",
        "gone/deep/pyproject.toml",
        "inside/pyproject.toml",
        "linked/pyproject.toml",
        "linked/sub/Cargo.toml",
    ]
    found = outside_listed(str(root), listed, {})
    assert [(f.code, f.file, f.package) for f in found] == [
        ("outside-root", "linked/pyproject.toml", "linked"),
        ("outside-root", "linked/sub/Cargo.toml", "linked/sub"),
    ]
    assert found[0].message.startswith("linked is a symlink to ")
    assert found[0].message.endswith("outside the repository root; it is not read")
    stamp = (1, 2, 3, 4)
    assert (
        outside_listed(str(root), ["linked/pyproject.toml"], {"linked/pyproject.toml": stamp}) == []
    )
    confinement = Confinement(str(root))
    assert confinement.problem("gone/deep/pyproject.toml") is None  # nothing there to follow
    assert confinement.problem("pyproject.toml") is None
