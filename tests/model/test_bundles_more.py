"""bundle.py versions: which package a repeated version belongs to, and the "versions" that
are none."""

from __future__ import annotations

from pathlib import Path

import versync
from tests.conftest import Run, write

HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'


def bundle_sources(root: Path) -> dict[str, list[tuple[str, str]]]:
    return {
        p.id: [(s.literal.file, s.literal.text) for s in p.sources if s.kind == "bundle"]
        for p in versync.scan(root).packages
    }


def test_a_bundle_beside_a_wheel_and_a_crate_belongs_to_the_wheel(tmp_path: Path, run: Run) -> None:
    write(tmp_path / "w/Cargo.toml", '[package]\nname = "w-core"\nversion = "1.0.0"\n')
    write(tmp_path / "w/pyproject.toml", f'{HATCH}[project]\nname = "w"\nversion = "1.0"\n')
    write(tmp_path / "w/sub/bundle.py", 'BUNDLE = {"version": "0.9"}\n')
    assert bundle_sources(tmp_path) == {
        "pypi:w": [("w/sub/bundle.py", "0.9")],
        "cargo:w": [],
    }
    result = run("check", "--root", tmp_path)
    assert result.code == 1
    assert result.out.startswith("w/sub/bundle.py:1:23: w: "), result.out


def test_a_bundle_outside_every_package_or_without_a_version_is_no_source(
    tmp_path: Path, run: Run
) -> None:
    write(tmp_path / "pkg/pyproject.toml", f'{HATCH}[project]\nname = "p"\nversion = "1.0"\n')
    write(tmp_path / "tools/bundle.py", 'BUNDLE = {"version": "0.1"}\n')  # no package around
    write(tmp_path / "pkg/bundle.py", 'SCHEMA = {"version": "latest"}\n')
    assert bundle_sources(tmp_path) == {"pypi:pkg": []}
    result = run("check", "--root", tmp_path)
    assert (result.code, result.out) == (0, "1 package checked: all versions agree\n")
