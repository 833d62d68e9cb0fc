"""A file that cannot be read is a `manifest-error` finding on that file; the rest of the
repository is still checked, and a change that must edit the file refuses to go ahead."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run, snapshot, write

HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'


def project(name: str, version: str, *dependencies: str) -> str:
    listed = ", ".join(f'"{d}"' for d in dependencies)
    return f'{HATCH}[project]\nname = "{name}"\nversion = "{version}"\ndependencies = [{listed}]\n'


def codes(output: str) -> list[str]:
    return [line.rsplit("[", 1)[1].rstrip("]") for line in output.splitlines() if "[" in line]


def test_an_invalid_requirement_on_an_internal_package_is_a_finding(
    tmp_path: Path, run: Run
) -> None:
    write(tmp_path / "a/pyproject.toml", project("a", "1.0"))
    write(tmp_path / "b/pyproject.toml", project("b", "1.0", "a >>= 1"))
    result = run("check", "--root", tmp_path)
    assert result.code == 1
    assert result.out.startswith("b/pyproject.toml:7:18: b: invalid requirement 'a >>= 1': "), (
        result.out
    )
    assert codes(result.out) == ["manifest-error"]


def test_an_invalid_requirement_on_an_external_package_is_read_by_name_only(
    tmp_path: Path, run: Run
) -> None:
    write(tmp_path / "a/pyproject.toml", project("a", "1.0", "numpy >>= 1", "requests[x"))
    result = run("check", "--root", tmp_path)
    assert (result.code, result.out) == (0, "1 package checked: all versions agree\n")


def test_the_rest_of_the_repository_is_still_checked(tmp_path: Path, run: Run) -> None:
    write(tmp_path / "a/pyproject.toml", project("a", "1.0"))
    write(tmp_path / "b/pyproject.toml", project("b", "0.9"))
    write(tmp_path / "c/Cargo.toml", '[package]\nname = "c"\nversion = 1\n')
    write(tmp_path / "versync.toml", '[groups]\nab = ["a", "b"]\n')
    result = run("check", "--root", tmp_path)
    assert result.code == 1
    assert set(codes(result.out)) == {"group-drift", "manifest-error"}  # the rest is checked
    assert "c/Cargo.toml:3:1: c/Cargo.toml: package.version must be a string" in result.out


def test_a_missing_workspace_version_is_a_finding_on_the_crate(tmp_path: Path, run: Run) -> None:
    write(tmp_path / "Cargo.toml", '[workspace]\nmembers = ["a"]\n')
    write(tmp_path / "a/Cargo.toml", '[package]\nname = "a"\nversion.workspace = true\n')
    result = run("check", "--root", tmp_path)
    assert result.code == 1
    assert result.out.startswith(
        "a/Cargo.toml:1:1: a: version.workspace = true, but no [workspace.package] version"
    )


def test_exclude_applies_before_a_file_is_read(tmp_path: Path, run: Run) -> None:
    write(tmp_path / "versync.toml", 'exclude = ["fixtures/**"]\n')
    write(tmp_path / "a/pyproject.toml", project("a", "1.0"))
    write(tmp_path / "fixtures/bad/pyproject.toml", "[project\n")
    write(tmp_path / "fixtures/bad/bundle.py", "x = {\n")
    result = run("check", "--root", tmp_path)
    assert (result.code, result.out) == (0, "1 package checked: all versions agree\n")


def test_a_bump_of_a_package_with_a_missing_version_file_writes_nothing(
    tmp_path: Path, run: Run
) -> None:
    write(
        tmp_path / "a/pyproject.toml",
        f'{HATCH}[project]\nname = "a"\ndynamic = ["version"]\n'
        '[tool.hatch.version]\npath = "a/about.py"\n',  # missing
    )
    write(tmp_path / "b/pyproject.toml", project("b", "0.9"))
    before = snapshot(tmp_path)
    result = run("bump", "1.1", "--root", tmp_path)
    assert result.code == 2, result
    assert result.err.startswith("versync: a/pyproject.toml:8:9: [tool.hatch.version] path")
    assert "nothing was written" in result.err
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", [("bump", "1.1.0"), ("fix",)], ids=["bump", "fix"])
def test_a_broken_lock_stops_a_change_to_a_package_it_locks(
    tmp_path: Path, run: Run, command: tuple[str, ...]
) -> None:
    write(tmp_path / "Cargo.toml", '[package]\nname = "a"\nversion = "1.0.0"\n')
    write(tmp_path / "b/pyproject.toml", project("b", "1.1.0"))
    write(tmp_path / "c/pyproject.toml", project("c", "1.1.0"))  # a majority leaves a behind
    write(tmp_path / "Cargo.lock", "version = 4\n[[package]\nname = 'a'\n")
    write(tmp_path / "versync.toml", '[groups]\nabc = ["a", "b", "c"]\n')
    before = snapshot(tmp_path)
    check = run("check", "--root", tmp_path)
    assert check.code == 1 and set(codes(check.out)) == {"group-drift", "manifest-error"}
    result = run(*command, "--root", tmp_path)
    assert result.code == 2 and result.err.startswith("versync: Cargo.lock:2:")
    assert snapshot(tmp_path) == before


def test_a_broken_file_elsewhere_does_not_stop_a_bump(tmp_path: Path, run: Run) -> None:
    write(tmp_path / "a/pyproject.toml", project("a", "1.0"))
    write(tmp_path / "b/pyproject.toml", "[project\n")
    result = run("bump", "1.1", "--package", "a", "--root", tmp_path)
    assert (result.code, result.out) == (0, "a/pyproject.toml\nbumped 1 package to 1.1: 1 file\n")
    assert 'version = "1.1"' in (tmp_path / "a/pyproject.toml").read_text()
