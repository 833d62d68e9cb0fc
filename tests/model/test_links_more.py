"""uv.lock members: the projects a uv workspace's `members` and `exclude` globs make members,
and the locks uv never reads."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Run, write

HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'


def project(name: str, version: str, extra: str = "") -> str:
    return f'{HATCH}[project]\nname = "{name}"\nversion = "{version}"\n{extra}'


def lock(*entries: tuple[str, str | None, str]) -> str:
    """A uv.lock with editable entries (name, version or None, folder)."""
    text = 'version = 1\nrequires-python = ">=3.9"\n'
    for name, version, folder in entries:
        text += f'\n[[package]]\nname = "{name}"\n'
        if version is not None:
            text += f'version = "{version}"\n'
        text += f'source = {{ editable = "{folder}" }}\n'
    return text


def workspace(root: Path) -> None:
    write(
        root / "pyproject.toml",
        project(
            "root",
            "1.0",
            '[tool.uv.workspace]\nmembers = ["packages/*"]\nexclude = ["packages/skip"]\n',
        ),
    )
    write(root / "packages/a/pyproject.toml", project("a", "1.0"))
    write(root / "packages/skip/pyproject.toml", project("skip", "0.3"))
    write(root / "other/pyproject.toml", project("other", "0.5"))


def test_excluded_and_outside_projects_need_no_entry(tmp_path: Path, run: Run) -> None:
    workspace(tmp_path)
    write(tmp_path / "uv.lock", lock(("root", "1.0", "."), ("a", "1.0", "packages/a")))
    result = run("check", "--root", tmp_path)
    assert (result.code, result.out) == (0, "4 packages checked: all versions agree\n")


def test_a_member_missing_from_the_lock_is_stale(tmp_path: Path, run: Run) -> None:
    workspace(tmp_path)
    write(tmp_path / "uv.lock", lock(("root", "1.0", ".")))
    result = run("check", "--root", tmp_path)
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        "uv.lock:1:1: a: uv.lock has no entry for a; run `uv lock` "
        "(found no entry, expected a 1.0) [lock-stale]"
    )
    assert "skip" not in result.out and "other" not in result.out


def test_an_entry_without_a_version_is_not_compared(tmp_path: Path, run: Run) -> None:
    workspace(tmp_path)
    write(tmp_path / "uv.lock", lock(("root", "1.0", "."), ("a", None, "packages/a")))
    result = run("check", "--root", tmp_path)
    assert (result.code, result.out) == (0, "4 packages checked: all versions agree\n")


def test_a_lone_project_lock_is_compared_and_a_stray_lock_is_not(tmp_path: Path, run: Run) -> None:
    write(tmp_path / "p/pyproject.toml", project("p", "2.0"))
    write(tmp_path / "p/uv.lock", lock(("p", "1.9", ".")))
    write(tmp_path / "stray/uv.lock", lock(("x", "0.1", ".")))  # beside no pyproject.toml
    result = run("check", "--root", tmp_path)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith("p/uv.lock:"), result.out
    assert "p: p/uv.lock locks p 1.9, but p/pyproject.toml says 2.0" in lines[0], result.out
    assert "stray" not in result.out
