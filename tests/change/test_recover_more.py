"""`recover_journal` against journals that do not fit the files: a path outside the root, a
journal whose recorded change does not rebuild the file, files already as wanted."""

from __future__ import annotations

from pathlib import Path

import pytest

from versync._fs import journal
from versync._fs.journal import Entry
from versync.change.recover import recover_journal
from versync.errors import PlanError


@pytest.fixture
def roots(tmp_path: Path) -> tuple[Path, Path]:
    """A repository folder and a state folder outside it."""
    (tmp_path / "repo").mkdir()
    return tmp_path / "repo", tmp_path / "state"


def test_a_journal_naming_a_file_outside_the_root_writes_nothing(
    roots: tuple[Path, Path],
) -> None:
    root, state = roots
    outside = root.parent / "outside.toml"
    outside.write_bytes(b"1")
    journal.begin(str(state), [Entry.of("../outside.toml", b"1", b"2")])
    with pytest.raises(PlanError, match="nothing was written"):
        recover_journal(str(root), str(state))
    assert outside.read_bytes() == b"1" and journal.exists(str(state))


def test_a_journal_that_does_not_rebuild_the_file_writes_nothing(
    roots: tuple[Path, Path],
) -> None:
    root, state = roots
    (root / "first.toml").write_bytes(b"old one\n")
    (root / "v.toml").write_bytes(b'version = "2"\n')
    good = Entry.of("first.toml", b"old one\n", b"new one\n")
    # The hashes say the file is new, but the recorded change does not lead back to old.
    bad = Entry.of("v.toml", b'version = "1"\n', b'version = "2"\n')._replace(old_part=b"9")
    journal.begin(str(state), [good, bad])
    with pytest.raises(PlanError, match=r"v\.toml: the journal does not rebuild it"):
        recover_journal(str(root), str(state), rollback=True)
    assert (root / "first.toml").read_bytes() == b"old one\n"  # all or nothing
    assert (root / "v.toml").read_bytes() == b'version = "2"\n'
    assert journal.exists(str(state))


@pytest.mark.parametrize(
    ("content", "rollback"),
    [
        pytest.param(b"new\n", False, id="finish-a-file-already-new"),
        pytest.param(b"old\n", True, id="roll-back-a-file-never-written"),
    ],
)
def test_files_already_as_wanted_are_not_written(
    roots: tuple[Path, Path], content: bytes, rollback: bool
) -> None:
    root, state = roots
    (root / "f.toml").write_bytes(content)
    stamp = (root / "f.toml").stat().st_mtime_ns
    journal.begin(str(state), [Entry.of("f.toml", b"old\n", b"new\n")])
    assert recover_journal(str(root), str(state), rollback=rollback) == []
    assert (root / "f.toml").read_bytes() == content
    assert (root / "f.toml").stat().st_mtime_ns == stamp
    assert not journal.exists(str(state))
