"""`versync init`: targets without a [tool] table, BOMs, broken TOML, and writes that fail or
find the file changed since it was read."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import versync
from tests.conftest import Run, write
from versync.change import init
from versync.change.init import plan_init
from versync.errors import ConfigError, PlanError

HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'


@pytest.fixture
def two(tmp_path: Path) -> Path:
    """Two publishable packages outside git, no configuration: nothing inferred, no groups."""
    for name in ("app-core", "app-web"):
        write(
            tmp_path / name / "pyproject.toml",
            f'{HATCH}[project]\nname = "{name}"\nversion = "1.0"\n',
        )
    return tmp_path


def planned(root: Path, **options: bool) -> init.ConfigWrite:
    workspace = versync.scan(root)
    return plan_init(root.as_posix(), workspace.model, workspace.config, **options)


@pytest.mark.parametrize(
    ("original", "kept"),
    [
        pytest.param("", "", id="empty"),
        pytest.param(
            "[tool.ruff]\nline-length = 90\n", "[tool.ruff]\nline-length = 90\n", id="other-tool"
        ),
        pytest.param('[project]\nname = "ws"\n', '[project]\nname = "ws"\n', id="no-tool"),
    ],
)
def test_pyproject_gets_a_tool_versync_table_whatever_it_holds(
    two: Path, run: Run, original: str, kept: str
) -> None:
    write(two / "pyproject.toml", original)
    result = run("init", "--root", two, "--pyproject")
    assert (result.code, result.out) == (0, "pyproject.toml: groups none\n"), result.err
    text = (two / "pyproject.toml").read_text()
    assert text.startswith(kept)
    assert "[tool.versync.groups]" in text
    assert text.endswith("# no lockstep groups: every package is released on its own\n")
    assert run("check", "--root", two).code == 0
    again = run("init", "--root", two, "--pyproject")
    assert again.code == 2 and "pyproject.toml already has groups" in again.err


def test_a_bom_is_kept(two: Path) -> None:
    write(two / "versync.toml", '\ufeffpins = "track"\n')
    written = planned(two)
    assert written.text.startswith('\ufeffpins = "track"\n')
    assert written.apply() == "versync.toml"
    assert (two / "versync.toml").read_bytes().startswith(b'\xef\xbb\xbfpins = "track"\n')


def test_a_pyproject_that_is_not_toml_is_a_config_error(two: Path) -> None:
    workspace = versync.scan(two)
    write(two / "pyproject.toml", "[tool\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml: not valid TOML"):
        plan_init(two.as_posix(), workspace.model, workspace.config, pyproject=True)


def test_a_file_changed_since_it_was_read_is_not_overwritten(two: Path) -> None:
    written = planned(two)
    assert repr(written) == "ConfigWrite(versync.toml: 0 groups)"
    write(two / "versync.toml", 'pins = "track"\n')
    with pytest.raises(PlanError, match=r"versync\.toml: changed on disk since it was read"):
        written.apply()
    assert (two / "versync.toml").read_text() == 'pins = "track"\n'


def test_a_failed_write_leaves_no_temporary_file(
    two: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(two / "versync.toml", 'pins = "track"\n')
    written = planned(two)

    def refuse(source: str, target: str) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PlanError, match=r"versync\.toml: cannot write: Read-only file system"):
        written.apply()
    assert sorted(os.listdir(two)) == ["app-core", "app-web", "versync.toml"]
    assert (two / "versync.toml").read_text() == 'pins = "track"\n'


def test_an_existing_files_mode_is_kept(two: Path) -> None:
    path = write(two / "versync.toml", 'pins = "track"\n')
    path.chmod(0o600)
    planned(two).apply()
    assert path.stat().st_mode & 0o777 == 0o600


def test_json_with_dry_run_says_nothing_was_written(two: Path, run: Run) -> None:
    result = run("init", "--root", two, "--json", "--dry-run")
    assert result.code == 0
    assert json.loads(result.out) == {
        "path": "versync.toml",
        "written": False,
        "groups": {},
        "exclude": [],
    }
    assert not (two / "versync.toml").exists()


def test_a_configured_group_says_where_it_came_from(two: Path, run: Run) -> None:
    write(two / "versync.toml", '[groups]\nweb = ["app-web"]\ncore = ["app-core"]\n')
    result = run("init", "--root", two, "--force", "--dry-run")
    assert result.code == 0
    assert "# as configured in versync.toml\nweb = [" in result.out
    assert "# as configured in versync.toml\ncore = [" in result.out
