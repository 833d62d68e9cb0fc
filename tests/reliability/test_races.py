"""Other processes writing while versync writes: an editor saving, a second bump."""

from __future__ import annotations

import os
import random
import time
from collections import Counter
from pathlib import Path

from tests.reliability.procs import (
    PYPROJECT,
    environment,
    make_repo,
    one_line,
    spawn,
    versions,
    versync,
)

PACKAGES = 60
TARGET = f"packages/pkg-{PACKAGES - 1:03d}/pyproject.toml"  # the last file versync writes


def save(path: Path, marker: str, in_place: bool) -> None:
    """What an editor does on save: read the file, add a line at the top (every later byte
    moves), write it in place (truncate and write) or to a new file renamed over it."""
    data = (marker + path.read_text(encoding="utf-8")).encode()
    if in_place:
        with open(path, "wb") as handle:
            handle.write(data)
    else:
        temporary = path.with_name(".editor-save")
        temporary.write_bytes(data)
        os.replace(temporary, path)


def realign(target: Path, version: str) -> None:
    """Give the edited file the version of the others again (keeping the editor's lines)."""
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    edits = "".join(line for line in lines if line.startswith("# saved by the editor"))
    index = PACKAGES - 1
    dependency = f'    "pkg-{index - 1:03d} == {version}",\n'
    target.write_text(
        edits + PYPROJECT.format(index=index, version=version, dependencies=dependency),
        encoding="utf-8",
    )


def test_an_editor_saving_during_50_bumps_never_loses_its_edit_nor_tears_a_file(
    tmp_path: Path,
) -> None:
    root = make_repo(tmp_path / "repo", PACKAGES)
    target = root / TARGET
    started = time.perf_counter()
    assert versync(root, "bump", "0.1.2").returncode == 0
    duration = time.perf_counter() - started
    rng = random.Random(15)
    outcomes: Counter[str] = Counter()
    for trial in range(50):
        version = f"0.2.{trial}"
        before = versions(root)
        marker = f"# saved by the editor in trial {trial}\n"
        process = spawn(root, "bump", version)
        time.sleep(rng.uniform(0.6, 1.2) * duration)
        save(target, marker, in_place=trial % 2 == 0)
        _, err = process.communicate(timeout=60)
        now = versions(root)  # every file still parses: none is torn
        assert marker in target.read_text(encoding="utf-8"), "the editor's save was lost"
        others_now = {path: v for path, v in now.items() if path != TARGET}
        if process.returncode == 0:
            assert set(others_now.values()) == {version}
            assert now[TARGET] in (version, before[TARGET])
            if now[TARGET] != version:  # the editor saved what it had read before the bump
                outcomes["bumped, then the editor saved its older copy"] += 1
                realign(target, version)
            else:
                outcomes["bumped"] += 1
        else:
            assert process.returncode == 2
            assert one_line(err).startswith(f"versync: {TARGET}: changed"), err
            assert others_now == {path: v for path, v in before.items() if path != TARGET}
            outcomes["refused and restored"] += 1
    print(dict(outcomes))
    assert sum(outcomes.values()) == 50


def test_two_bumps_at_once_leave_one_version_everywhere(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", PACKAGES)
    for trial in range(4):
        first, second = f"0.3.{2 * trial}", f"0.3.{2 * trial + 1}"
        processes = [
            spawn(root, "bump", version, "--allow-downgrade") for version in (first, second)
        ]
        for process in processes:
            _, err = process.communicate(timeout=60)
            assert process.returncode == 0 or (process.returncode == 2 and one_line(err))
        final = set(versions(root).values())
        assert len(final) == 1 and final <= {first, second}, final


def test_a_second_writer_waits_then_names_the_holder_and_check_does_not_block(
    tmp_path: Path,
) -> None:
    root = make_repo(tmp_path / "repo", 8)
    env = environment(VERSYNC_TEST_PAUSE_AFTER_WRITE="0", VERSYNC_TEST_PAUSE_SECONDS="3.5")
    holder = spawn(root, "bump", "0.4.0", env=env)
    assert holder.stderr is not None
    assert holder.stderr.readline() == "versync: test pause after write 0\n"

    started = time.perf_counter()
    check = versync(root, "check")
    assert time.perf_counter() - started < 1.5  # check never waits for the lock
    assert check.returncode == 1 and f"versync (pid {holder.pid}) is writing" in check.stdout

    second = versync(root, "fix")
    assert second.returncode == 2
    assert f"another versync (pid {holder.pid}) is writing this repository" in one_line(
        second.stderr
    )
    holder.communicate(timeout=30)
    assert holder.returncode == 0
    assert set(versions(root).values()) == {"0.4.0"}
    assert versync(root, "check").returncode == 0
