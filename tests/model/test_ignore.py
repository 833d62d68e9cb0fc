"""`ignore` entries and inline `# versync: ignore[code]` comments: what they leave out is
counted and listed with -v, and `fix` leaves it alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run, snapshot, write

HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
MATURIN = '[build-system]\nrequires = ["maturin>=1.5"]\nbuild-backend = "maturin"\n\n'


def maturin_disagreeing(root: Path) -> None:
    write(root / "m/pyproject.toml", MATURIN + '[project]\nname = "m"\nversion = "0.2.0"\n')
    write(root / "m/Cargo.toml", '[package]\nname = "m"\nversion = "0.1.1"\n')


def test_an_ignore_entry_by_code_and_package(tmp_path: Path, run: Run) -> None:
    maturin_disagreeing(tmp_path)
    assert run("check", "--root", tmp_path).code == 1
    write(tmp_path / "versync.toml", 'ignore = [{ code = "maturin-precedence", package = "m" }]\n')
    result = run("check", "--root", tmp_path)
    assert (result.code, result.out) == (
        0,
        "1 package checked: all versions agree (1 ignored finding: -v lists them)\n",
    )
    verbose = run("check", "-v", "--root", tmp_path).out.splitlines()
    assert verbose[0].startswith("ignored: m/pyproject.toml:7:12: m: the wheel will be 0.2.0")
    document = json.loads(run("check", "--json", "--root", tmp_path).out)
    assert document["findings"] == [] and len(document["ignored"]) == 1
    before = snapshot(tmp_path)
    assert run("fix", "--root", tmp_path).code == 0 and snapshot(tmp_path) == before


def test_an_ignore_entry_for_another_package_or_code_ignores_nothing(
    tmp_path: Path, run: Run
) -> None:
    maturin_disagreeing(tmp_path)
    write(
        tmp_path / "versync.toml",
        'ignore = [{ code = "maturin-precedence", package = "other" }, { code = "lock-stale" }]\n',
    )
    assert run("check", "--root", tmp_path).code == 1


def test_a_glob_of_files(tmp_path: Path, run: Run) -> None:
    write(tmp_path / "legacy/old/pyproject.toml", '[project]\nname = "old"\nversion = "1.x"\n')
    assert run("check", "--root", tmp_path).code == 1
    write(tmp_path / "versync.toml", 'ignore = ["legacy/**"]\n')
    assert run("check", "--root", tmp_path).code == 0


@pytest.mark.parametrize(
    ("comment", "code"),
    [
        pytest.param("  # versync: ignore[invalid-version]", 0, id="that-code"),
        pytest.param("  # versync: ignore[lock-stale, invalid-version]", 0, id="a-list"),
        pytest.param("  # versync: ignore", 0, id="every-code"),
        pytest.param("  # versync: ignore[lock-stale]", 1, id="another-code"),
        pytest.param("", 1, id="none"),
    ],
)
def test_an_inline_comment_on_the_version_line(
    tmp_path: Path, run: Run, comment: str, code: int
) -> None:
    write(
        tmp_path / "pyproject.toml",
        HATCH + f'[project]\nname = "p"\nversion = "1.x"{comment}\n',
    )
    result = run("check", "--root", tmp_path)
    assert result.code == code
    assert ("1 ignored finding" in result.out) == (code == 0)


def test_fix_leaves_an_ignored_drift_alone(tmp_path: Path, run: Run) -> None:
    for name, version in [("c-a", "1.0.0"), ("c-b", "1.0.0"), ("c-c", "2.0.0")]:
        write(
            tmp_path / name / "pyproject.toml",
            HATCH + f'[project]\nname = "{name}"\nversion = "{version}"\n',
        )
    write(
        tmp_path / "versync.toml",
        '[groups]\ncore = ["c-*"]\n',
    )
    assert run("check", "--root", tmp_path).code == 1
    write(
        tmp_path / "versync.toml",
        'ignore = [{ code = "group-drift", package = "c-c" }]\n[groups]\ncore = ["c-*"]\n',
    )
    before = snapshot(tmp_path)
    result = run("fix", "--root", tmp_path)
    assert (result.code, result.out) == (0, "nothing to fix\n") and snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param("ignore = 3", id="not-an-array"),
        pytest.param('ignore = [{ code = "x", line = "3" }]', id="unknown-key"),
        pytest.param("ignore = [{}]", id="empty"),
        pytest.param("ignore = [{ code = 3 }]", id="not-a-string"),
    ],
)
def test_a_malformed_ignore_entry_is_a_config_error(tmp_path: Path, run: Run, entry: str) -> None:
    write(tmp_path / "versync.toml", entry + "\n")
    result = run("check", "--root", tmp_path)
    assert result.code == 2 and "ignore" in result.err
