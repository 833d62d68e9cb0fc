from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from versync._fs import journal
from versync._fs.journal import Entry, JournalError


@given(st.binary(max_size=64), st.binary(max_size=64))
def test_an_entry_rebuilds_either_content_from_the_other(old: bytes, new: bytes) -> None:
    entry = Entry.of("a/pyproject.toml", old, new)
    assert entry.new_from(old) == new
    assert entry.old_from(new) == old
    assert len(entry.old_part) <= len(old) and len(entry.new_part) <= len(new)


def test_a_journal_is_read_back_as_written(tmp_path: Path) -> None:
    entries = [
        Entry.of("a/pyproject.toml", b'version = "0.1.9"\n', b'version = "0.1.10"\n'),
        Entry.of(
            "b/caf\u00e9.py", "v = '1.0' # \u00e9\n".encode(), "v = '2.0' # \u00e9\n".encode()
        ),
    ]
    journal.begin(str(tmp_path), entries)
    assert journal.exists(str(tmp_path))
    assert journal.load(str(tmp_path)) == journal.Journal(os.getpid(), entries)
    assert [p.name for p in tmp_path.iterdir()] == ["journal.json"]  # no temporary left
    journal.end(str(tmp_path))
    assert journal.load(str(tmp_path)) is None and not journal.exists(str(tmp_path))


@pytest.mark.parametrize(
    "content", [b"", b"{", b'{"f": "versync-journal-0"}', b'{"f": "versync-journal-1"}']
)
def test_an_unreadable_journal_is_an_error_and_a_finding(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "journal.json").write_bytes(content)
    with pytest.raises(JournalError, match="unreadable journal"):
        journal.load(str(tmp_path))
    [finding] = journal.interrupted(str(tmp_path))
    assert finding.code == "interrupted-bump" and "unreadable journal" in finding.message


def test_the_finding_tells_a_running_writer_from_a_dead_one(tmp_path: Path) -> None:
    assert journal.interrupted(str(tmp_path)) == []
    assert journal.interrupted(None) == []
    journal.begin(str(tmp_path), [Entry.of("x/Cargo.toml", b"1", b"2")])
    [running] = journal.interrupted(str(tmp_path))
    assert running.file == "x/Cargo.toml" and f"(pid {os.getpid()}) is writing" in running.message
    raw = (tmp_path / "journal.json").read_text().replace(f'"pid":{os.getpid()}', '"pid":999999')
    (tmp_path / "journal.json").write_text(raw)
    [dead] = journal.interrupted(str(tmp_path))
    assert "stopped while writing 1 files; run `versync recover`" in dead.message
