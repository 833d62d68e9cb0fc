"""Another program writing a file at the last moment: caught after the write, never lost."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import versync
from tests.conftest import snapshot
from versync.change import write as write_module
from versync.errors import PlanError

EDIT = b"# saved by an editor\n"


def edit_during(
    monkeypatch: pytest.MonkeyPatch, name: str, target: Path, edit: Callable[[Path], None]
) -> None:
    """Run `edit` on `target` right after `write_module.<name>` returns for it."""
    real = getattr(write_module, name)

    def then_edit(*args: Any) -> Any:
        result = real(*args)
        if target.samefile(args[1] if name == "_verified" else args[0]):
            edit(target)
        return result

    monkeypatch.setattr(write_module, name, then_edit)


def renamed_over(path: Path) -> None:
    data = EDIT + path.read_bytes()
    path.with_name("editor.tmp").write_bytes(data)
    os.replace(path.with_name("editor.tmp"), path)


def written_in_place(path: Path) -> None:
    data = EDIT + path.read_bytes()
    with open(path, "r+b") as handle:
        handle.write(data)


@pytest.mark.parametrize(
    ("version", "moment", "edit"),
    [
        pytest.param("0.1.2", "_verified", renamed_over, id="in-place-then-editor-renames"),
        pytest.param("0.1.10", "_still_named", written_in_place, id="rename-editor-writes-old"),
        pytest.param("0.1.10", "_verified", written_in_place, id="rename-editor-writes-early"),
    ],
)
def test_a_late_edit_stops_the_run_restores_the_rest_and_survives(
    seed: Path,
    monkeypatch: pytest.MonkeyPatch,
    version: str,
    moment: str,
    edit: Callable[[Path], None],
) -> None:
    plan = versync.scan(seed).bump(version)
    target_change = plan.files[len(plan.files) // 2]
    target = seed / target_change.path
    before = snapshot(seed)
    edit_during(monkeypatch, moment, target, edit)
    with pytest.raises(PlanError) as raised:
        plan.apply()
    assert str(raised.value) == (
        f"{target_change.path}: changed by another program while versync was writing; "
        "the files already written were restored; run again"
    )
    after = snapshot(seed)
    assert after[target_change.path].startswith(EDIT)  # the editor's save is there
    assert {p: d for p, d in after.items() if p != target_change.path} == {
        p: d for p, d in before.items() if p != target_change.path
    }
    assert not [p for p in after if p.endswith(".versync")]


def test_where_an_open_file_cannot_be_renamed_over_it_is_closed_first(
    seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(write_module, "_RENAME_OVER_OPEN_FILES", False)
    plan = versync.scan(seed).bump("0.1.10")
    target = seed / plan.files[0].path
    verified = write_module._verified
    edit_during(monkeypatch, "_verified", target, renamed_over)
    with pytest.raises(PlanError, match="changed by another program"):
        plan.apply()
    assert target.read_bytes().startswith(EDIT)
    monkeypatch.setattr(write_module, "_verified", verified)
    assert versync.scan(seed).bump("0.1.10").apply()
    assert b"0.1.10" in (seed / plan.files[1].path).read_bytes()
