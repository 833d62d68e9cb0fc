"""Packages and their version sources in edge cases: dynamic versions whose source is missing
or holds no version, maturin manifests that are not there, package.json beside a crate."""

from __future__ import annotations

from pathlib import Path

import pytest

import versync
from tests.conftest import Run, write
from versync.records import Package

HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
MATURIN = '[build-system]\nrequires = ["maturin>=1"]\nbuild-backend = "maturin"\n'


def by_id(root: Path) -> dict[str, Package]:
    return {p.id: p for p in versync.scan(root).packages}


def sources(package: Package) -> list[tuple[str, str, str]]:
    return [(s.kind, s.literal.file, s.literal.text) for s in package.sources]


def hatch_dynamic(name: str, path: str) -> str:
    return (
        f'{HATCH}[project]\nname = "{name}"\ndynamic = ["version"]\n'
        f'[tool.hatch.version]\npath = "{path}"\n'
    )


@pytest.mark.parametrize(
    ("files", "line"),
    [
        pytest.param(
            {},
            "a/pyproject.toml:8:9: a: [tool.hatch.version] path a/src/a/v.py does not exist",
            id="missing",
        ),
        pytest.param(
            {"a/src/a/v.py": "VERSION = compute()\n"},
            "a/src/a/v.py:1:1: a: no version found by the [tool.hatch.version] pattern",
            id="no-version",
        ),
    ],
)
def test_a_hatch_version_path_without_a_version_is_a_finding_and_unknown(
    tmp_path: Path, run: Run, files: dict[str, str], line: str
) -> None:
    write(tmp_path / "a/pyproject.toml", hatch_dynamic("a", "src/a/v.py"))
    for path, text in files.items():
        write(tmp_path / path, text)
    package = by_id(tmp_path)["pypi:a"]
    assert (package.version_unknown, package.sources) == (True, ())
    result = run("check", "--root", tmp_path)
    assert result.code == 1
    assert result.out.startswith(line), result.out
    assert result.out.splitlines()[0].endswith("[manifest-error]")


def test_a_hatch_version_path_with_a_version_is_the_source(tmp_path: Path, run: Run) -> None:
    write(tmp_path / "a/pyproject.toml", hatch_dynamic("a", "src/a/v.py"))
    write(tmp_path / "a/src/a/v.py", '__version__ = "3.2.1"\n')
    assert sources(by_id(tmp_path)["pypi:a"]) == [("version-file", "a/src/a/v.py", "3.2.1")]
    assert run("check", "--root", tmp_path).code == 0


def test_a_missing_maturin_manifest_matters_only_without_a_static_version(
    tmp_path: Path, run: Run
) -> None:
    manifest = '[tool.maturin]\nmanifest-path = "rust/Cargo.toml"\n'
    write(
        tmp_path / "c/pyproject.toml",
        f'{MATURIN}[project]\nname = "c"\ndynamic = ["version"]\n{manifest}',
    )
    write(
        tmp_path / "d/pyproject.toml",
        f'{MATURIN}[project]\nname = "d"\nversion = "1.0"\n{manifest}',
    )
    packages = by_id(tmp_path)
    assert packages["pypi:c"].version_unknown
    assert sources(packages["pypi:d"]) == [("pyproject", "d/pyproject.toml", "1.0")]
    result = run("check", "--root", tmp_path)
    assert result.code == 1
    assert result.out.splitlines()[0].startswith(
        "c/pyproject.toml:1:1: c: maturin manifest c/rust/Cargo.toml not found"
    )
    assert "d/" not in result.out


def test_an_unreadable_maturin_manifest_is_one_finding_on_the_wheel(
    tmp_path: Path, run: Run
) -> None:
    write(tmp_path / "c/pyproject.toml", f'{MATURIN}[project]\nname = "c"\ndynamic = ["version"]\n')
    (tmp_path / "c/Cargo.toml").write_bytes(b'[package]\nname = "c"\nversion = "1.0.0\n')
    result = run("check", "--root", tmp_path)
    assert result.code == 1
    lines = result.out.splitlines()
    assert [line for line in lines if line.startswith("c/")] == [lines[0]], result.out
    assert lines[0].startswith("c/Cargo.toml:"), result.out
    assert ": c: " in lines[0] and lines[0].endswith("[manifest-error]")


@pytest.mark.parametrize(
    ("package_json", "expected"),
    [
        pytest.param(
            '{"name": "e", "version": "1.0.0"}',
            [("cargo", "e/Cargo.toml", "1.0.0"), ("package.json", "e/package.json", "1.0.0")],
            id="public",
        ),
        pytest.param(
            '{"name": "e", "version": "1.0.0", "private": true}',
            [("cargo", "e/Cargo.toml", "1.0.0")],
            id="private",
        ),
        pytest.param('{"name": "e"}', [("cargo", "e/Cargo.toml", "1.0.0")], id="no-version"),
    ],
)
def test_a_package_json_beside_a_crate_repeats_its_version_unless_private(
    tmp_path: Path, package_json: str, expected: list[tuple[str, str, str]]
) -> None:
    write(tmp_path / "e/Cargo.toml", '[package]\nname = "e"\nversion = "1.0.0"\n')
    write(tmp_path / "e/package.json", package_json)
    assert sources(by_id(tmp_path)["cargo:e"]) == expected


def test_a_package_json_beside_a_python_project_is_not_its_source(tmp_path: Path) -> None:
    write(tmp_path / "p/pyproject.toml", f'{HATCH}[project]\nname = "p"\nversion = "1.0"\n')
    write(tmp_path / "p/package.json", '{"name": "p-docs", "version": "9.9.9"}')
    assert sources(by_id(tmp_path)["pypi:p"]) == [("pyproject", "p/pyproject.toml", "1.0")]
