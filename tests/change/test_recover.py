"""`recover`, in-process: a write left half done by a run that died is finished or undone
from its journal, verified by hashes (the real kills are in tests/reliability)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import versync
from tests.conftest import replace_in, snapshot
from tests.seedrepo import write_seed
from versync.change import plan as plan_module
from versync.change import write as write_module
from versync.errors import PlanError


class _Killed(BaseException):
    """Stands for the run dying between two writes."""


@pytest.fixture
def half_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, bytes]]:
    """The seed in git, bumped to 0.1.2 by a run that died after its third write: returns
    the repository and its files as they were before that run."""
    root = write_seed(tmp_path / "repo", "0.1.1")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    before = snapshot(root)
    plan = versync.scan(root).bump("0.1.2")
    real_write = write_module.write
    count = [0]

    def dying(*args: object, **kwargs: object) -> None:
        if count[0] == 3:
            raise _Killed
        count[0] += 1
        real_write(*args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(write_module, "write", dying)
        # A killed run puts nothing back and leaves its journal.
        patch.setattr(plan_module.Plan, "_restore", lambda self, done, modes: ["(killed)"])
        with pytest.raises(_Killed):
            plan.apply()
    assert sum(snapshot(root)[p] != before[p] for p in before) == 3
    return root, before


def test_check_reports_the_interrupted_bump(half_written: tuple[Path, dict[str, bytes]]) -> None:
    root, _ = half_written
    assert "interrupted-bump" in {f.code for f in versync.scan(root).check()}
    (root / "NOTES").write_bytes(b"")
    other = plan_module.Plan(str(root), [plan_module.FileChange("NOTES", b"", b"x")])
    with pytest.raises(PlanError, match="interrupted"):  # no new write over a journal
        other.apply()
    assert (root / "NOTES").read_bytes() == b""


def _files(root: Path) -> dict[str, bytes]:
    return {p: data for p, data in snapshot(root).items() if not p.startswith(".git/")}


def test_recover_finishes_the_write(
    half_written: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    root, _ = half_written
    half = _files(root)
    written = versync.recover(root)
    assert written and all(half[p] != _files(root)[p] for p in written)
    assert _files(root) == _files(write_seed(tmp_path / "expected", "0.1.2"))
    after = versync.scan(root)
    assert {str(p.published_version) for p in after.packages if p.group} == {"0.1.2"}
    assert after.check() == []
    assert versync.recover(root) == []  # the journal is gone: nothing more to do


def test_rollback_puts_back_what_was_written(
    half_written: tuple[Path, dict[str, bytes]],
) -> None:
    root, before = half_written
    assert len(versync.recover(root, rollback=True)) == 3
    assert snapshot(root) == before


def test_a_file_changed_since_is_named_and_nothing_written(
    half_written: tuple[Path, dict[str, bytes]],
) -> None:
    root, _ = half_written
    replace_in(root / "ryeos-cli/pyproject.toml", "0.1.1", "7.7.7")
    edited = snapshot(root)
    with pytest.raises(PlanError, match=r"ryeos-cli/pyproject\.toml: holds neither"):
        versync.recover(root)
    assert snapshot(root) == edited
    assert versync.recover(root, discard=True) == []  # repaired by hand: the journal goes
    assert "interrupted-bump" not in {f.code for f in versync.scan(root).check()}
