"""The journal's less travelled paths: a failed write leaves no temporary, foreign and
malformed documents, a journal gone between the stat and the read, the hash fallbacks."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from versync._fs import journal
from versync._fs.journal import Entry, JournalError


def test_a_journal_that_cannot_be_renamed_into_place_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError, match="No space left"):
        journal.begin(str(tmp_path / "state"), [Entry.of("a", b"1", b"2")])
    assert list((tmp_path / "state").iterdir()) == []
    assert not journal.exists(str(tmp_path / "state"))


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"[]", id="not-an-object"),
        pytest.param(b'{"f": "versync-journal-1", "pid": 1, "files": [["a", 0]]}', id="short"),
        pytest.param(b'{"f": "versync-journal-1", "pid": "x", "files": []}', id="bad-pid"),
        pytest.param(b'{"f": "versync-journal-1", "pid": 1, "files": 3}', id="bad-files"),
        pytest.param(
            b'{"f": "versync-journal-1", "pid": 1, "files": [["a", 0, "\\u0100", "", "", ""]]}',
            id="not-latin-1",
        ),
        pytest.param(b"\xff\xfe", id="not-utf-8"),
    ],
)
def test_a_malformed_journal_is_a_journal_error(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "journal.json").write_bytes(content)
    with pytest.raises(JournalError, match=r"journal\.json: unreadable journal: "):
        journal.load(str(tmp_path))


def test_a_journal_that_is_a_folder_is_a_journal_error(tmp_path: Path) -> None:
    (tmp_path / "journal.json").mkdir()
    with pytest.raises(JournalError, match="unreadable journal"):
        journal.load(str(tmp_path))
    [finding] = journal.interrupted(str(tmp_path))
    assert finding.file == str(tmp_path / "journal.json")
    assert finding.message.endswith("remove it once the files are checked")


def test_a_journal_removed_between_the_stat_and_the_read_is_no_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal, "exists", lambda folder: True)
    assert journal.interrupted(str(tmp_path)) == []


def test_a_journal_of_no_files_is_reported_on_itself(tmp_path: Path) -> None:
    journal.begin(str(tmp_path), [])
    assert journal.load(str(tmp_path)) == journal.Journal(os.getpid(), [])
    [finding] = journal.interrupted(str(tmp_path))
    assert finding.file == str(tmp_path / "journal.json")
    assert "is writing 0 files now" in finding.message


def test_interrupted_at_looks_in_the_git_directory(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    assert journal.interrupted_at(str(tmp_path)) == []
    journal.begin(str(tmp_path / ".git" / "versync"), [Entry.of("Cargo.toml", b"1", b"2")])
    [finding] = journal.interrupted_at(str(tmp_path))
    assert (finding.code, finding.file, finding.fixable) == (
        "interrupted-bump",
        "Cargo.toml",
        False,
    )


@pytest.mark.parametrize(
    "missing",
    [pytest.param(("_sha256",), id="no-_sha256"), pytest.param(("_sha256", "_sha2"), id="none")],
)
def test_the_digest_is_sha256_whichever_module_provides_it(
    monkeypatch: pytest.MonkeyPatch, missing: tuple[str, ...]
) -> None:
    for name in missing:
        monkeypatch.setitem(sys.modules, name, None)  # `import name` raises ImportError
    data = b'version = "0.1.0"\n'
    assert journal.digest(data) == hashlib.sha256(data).hexdigest()[:24]
    assert journal.digest(data) != journal.digest(data + b"\n")
