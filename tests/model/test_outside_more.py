"""A version file a build backend names outside the repository is never read: an
`outside-root` finding on the manifest line that names it (or a `manifest-error` on the path
when no manifest line does), and the package's version is unknown."""

from __future__ import annotations

from pathlib import Path

import versync
from tests.conftest import Run, write

HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
SETUPTOOLS = '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
SECRET = '__version__ = "6.6.6"\n'


def unknown(root: Path) -> dict[str, tuple[bool, int]]:
    """Each package's id -> (version unknown, number of sources)."""
    return {p.id: (p.version_unknown, len(p.sources)) for p in versync.scan(root).packages}


def test_a_hatch_path_climbing_out_of_the_root_is_not_read(tmp_path: Path, run: Run) -> None:
    write(tmp_path / "secret.py", SECRET)
    root = tmp_path / "repo"
    write(
        root / "a/pyproject.toml",
        f'{HATCH}[project]\nname = "a"\ndynamic = ["version"]\n'
        '[tool.hatch.version]\npath = "../../secret.py"\n',
    )
    assert unknown(root) == {"pypi:a": (True, 0)}
    result = run("check", "--root", root)
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        "a/pyproject.toml:8:9: a: ../../secret.py: outside the repository root "
        "(found ../secret.py, expected a file inside the repository) [outside-root]"
    )
    assert "6.6.6" not in result.out


def test_a_setuptools_attr_module_linked_outside_the_root_is_not_read(
    tmp_path: Path, run: Run
) -> None:
    write(tmp_path / "secret.py", SECRET)
    root = tmp_path / "repo"
    write(
        root / "b/pyproject.toml",
        f'{SETUPTOOLS}[project]\nname = "b"\ndynamic = ["version"]\n'
        '[tool.setuptools.dynamic]\nversion = {attr = "b.__version__"}\n',
    )
    (root / "b/b.py").symlink_to(tmp_path / "secret.py")
    assert unknown(root) == {"pypi:b": (True, 0)}
    result = run("check", "--root", root)
    assert result.code == 1
    line = result.out.splitlines()[0]
    assert line.startswith("b/pyproject.toml:8:20: b: b.__version__: resolves to "), line
    assert line.endswith("(found b/b.py, expected a file inside the repository) [outside-root]")


def test_a_setup_cfg_version_file_outside_the_root_is_a_manifest_error(
    tmp_path: Path, run: Run
) -> None:
    write(tmp_path / "secret.txt", "6.6.6\n")
    root = tmp_path / "repo"
    write(root / "g/setup.cfg", "[metadata]\nname = g\nversion = file: ../../secret.txt\n")
    assert unknown(root) == {"pypi:g": (True, 0)}
    result = run("check", "--root", root)
    assert result.code == 1
    assert result.out.splitlines()[0].startswith(
        "../secret.txt:1:1: g: outside the repository root"
    ), result.out
    assert "6.6.6" not in result.out


def test_packages_without_a_readable_version_are_unknown_and_silent(
    tmp_path: Path, run: Run
) -> None:
    write(
        tmp_path / "c/pyproject.toml",
        f'{SETUPTOOLS}[project]\nname = "c"\ndynamic = ["version"]\n',
    )
    write(tmp_path / "d/Cargo.toml", '[package]\nname = "d"\nedition = "2021"\n')  # cargo: 0.0.0
    write(
        tmp_path / "e/setup.py",
        'from setuptools import setup\nsetup(name="e", version=open("V").read())\n',
    )
    write(  # a fixture folder's setup.py is test data, not a package
        tmp_path / "tests/fixtures/f/setup.py",
        'from setuptools import setup\nsetup(name="f", version="1.0")\n',
    )
    assert unknown(tmp_path) == {
        "pypi:c": (True, 0),
        "cargo:d": (False, 0),
        "pypi:e": (True, 0),
    }
    result = run("check", "--root", tmp_path)
    assert (result.code, result.out) == (0, "3 packages checked: all versions agree\n")
