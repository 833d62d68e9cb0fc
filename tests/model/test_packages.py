"""Packages, sources and dependencies read from each kind of layout."""

from __future__ import annotations

from pathlib import Path

import pytest

import versync
from tests.conftest import write
from versync.records import Package

HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
MATURIN = '[build-system]\nrequires = ["maturin>=1,<2"]\nbuild-backend = "maturin"\n\n'


def sources(package: Package) -> list[tuple[str, str, int, int, str]]:
    return [(s.kind, s.file, s.line, s.literal.column, s.text) for s in package.sources]


def only(root: Path) -> Package:
    workspace = versync.scan(root)
    assert len(workspace.packages) == 1, [p.name for p in workspace.packages]
    return workspace.packages[0]


def test_cargo_workspace_inheritance(tmp_path: Path) -> None:
    write(
        tmp_path / "Cargo.toml",
        '[workspace]\nmembers = ["crates/*"]\n\n[workspace.package]\nversion = "2.1.0"\nedition = "2021"\n',
    )
    for name in ("alpha", "beta"):
        write(
            tmp_path / f"crates/{name}/Cargo.toml",
            f'[package]\nname = "{name}"\nversion.workspace = true\n',
        )
    write(
        tmp_path / "crates/beta/Cargo.toml",
        '[package]\nname = "beta"\nversion = { workspace = true }\n[dependencies]\nalpha = { path = "../alpha", version = "2.0" }\n',
    )
    workspace = versync.scan(tmp_path)
    assert [p.name for p in workspace.packages] == ["alpha", "beta"]
    for package in workspace.packages:
        assert sources(package) == [("cargo-workspace", "Cargo.toml", 5, 12, "2.1.0")]
    [pin] = workspace.model.dependencies
    assert (pin.owner, pin.name, pin.scheme, pin.specifier, pin.literal.line) == (
        "beta",
        "alpha",
        "cargo",
        "2.0",
        5,
    )
    assert workspace.check() == []


def test_workspace_dependencies_are_pins(tmp_path: Path) -> None:
    write(
        tmp_path / "Cargo.toml",
        '[workspace]\nmembers = ["a", "b"]\n\n[workspace.dependencies]\na = { path = "a", version = "=0.3.0" }\n',
    )
    write(tmp_path / "a/Cargo.toml", '[package]\nname = "a"\nversion = "0.4.0"\n')
    write(
        tmp_path / "b/Cargo.toml",
        '[package]\nname = "b"\nversion = "0.4.0"\n[dependencies]\na.workspace = true\n',
    )
    [finding] = versync.scan(tmp_path).check()
    assert (
        finding.code,
        finding.package,
        finding.file,
        finding.line,
        finding.found,
        finding.expected,
    ) == ("pin-mismatch", "Cargo.toml", "Cargo.toml", 5, "=0.3.0", "0.4.0")


def test_hatch_version_path(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        HATCH
        + '[project]\nname = "pkg"\ndynamic = ["version"]\n\n[tool.hatch.version]\npath = "src/pkg/__about__.py"\n',
    )
    write(tmp_path / "src/pkg/__about__.py", '# about\n__version__ = "1.4.0"\nVERSION = "9"\n')
    assert sources(only(tmp_path)) == [("version-file", "src/pkg/__about__.py", 2, 16, "1.4.0")]


def test_hatch_version_custom_pattern(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        HATCH
        + '[project]\nname = "pkg"\ndynamic = ["version"]\n\n[tool.hatch.version]\npath = "pkg.py"\npattern = "release: (?P<version>[^ ]+)"\n',
    )
    write(tmp_path / "pkg.py", '"""pkg.\n\nrelease: 3.0.1 (stable)\n"""\n')
    assert sources(only(tmp_path)) == [("version-file", "pkg.py", 3, 10, "3.0.1")]


def test_static_version_wins_over_a_missing_hatch_path(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        HATCH
        + '[project]\nname = "pkg"\nversion = "1.0"\n\n[tool.hatch.version]\npath = "gone.py"\n',
    )
    assert sources(only(tmp_path)) == [("pyproject", "pyproject.toml", 7, 12, "1.0")]


def test_setuptools_attr(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "tool"\ndynamic = ["version"]\n[tool.setuptools.dynamic]\nversion = {attr = "tool.__version__"}\n',
    )
    write(tmp_path / "src/tool/__init__.py", "__version__: str = '0.9.1'\n")
    assert sources(only(tmp_path)) == [("version-file", "src/tool/__init__.py", 1, 21, "0.9.1")]


def test_setuptools_scm_is_unknown_and_never_drift(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "scm"\ndynamic = ["version"]\n[tool.setuptools_scm]\n',
    )
    write(tmp_path / "scm/bundle.py", 'BUNDLE = {"version": "0.0.1"}\n')
    package = only(tmp_path)
    assert package.version_unknown and package.published_version is None
    assert versync.scan(tmp_path).check() == []


def test_maturin_manifest_path(tmp_path: Path) -> None:
    write(
        tmp_path / "py/pyproject.toml",
        MATURIN
        + '[project]\nname = "fast-thing"\ndynamic = ["version"]\n\n[tool.maturin]\nmanifest-path = "../rust/Cargo.toml"\n',
    )
    write(
        tmp_path / "rust/Cargo.toml", '[package]\nname = "fast_thing"\nversion = "1.0.0-alpha.1"\n'
    )
    package = only(tmp_path)
    assert (package.name, package.backend, package.crate_name) == (
        "fast-thing",
        "maturin",
        "fast_thing",
    )
    assert sources(package) == [("cargo", "rust/Cargo.toml", 3, 12, "1.0.0-alpha.1")]
    assert str(package.published_version) == "1.0.0a1"


def test_poetry(tmp_path: Path) -> None:
    write(
        tmp_path / "a/pyproject.toml",
        '[tool.poetry]\nname = "pa"\nversion = "1.2.0"\n\n[tool.poetry.dependencies]\npython = "^3.11"\npb = { version = "^1.1", path = "../b" }\n',
    )
    write(
        tmp_path / "b/pyproject.toml",
        '[tool.poetry]\nname = "pb"\nversion = "1.2.0"\n[tool.poetry.group.dev.dependencies]\npa = "1.1.0"\n',
    )
    workspace = versync.scan(tmp_path)
    assert [sources(p) for p in workspace.packages] == [
        [("poetry", "a/pyproject.toml", 3, 12, "1.2.0")],
        [("poetry", "b/pyproject.toml", 3, 12, "1.2.0")],
    ]
    assert [(f.code, f.file, f.line, f.found) for f in workspace.check()] == [
        ("pin-mismatch", "b/pyproject.toml", 5, "1.1.0")
    ]


def test_bundle_using_installed_metadata_is_not_a_source(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", HATCH + '[project]\nname = "bun"\nversion = "2.0.0"\n')
    write(
        tmp_path / "bun/bundle.py",
        "import importlib.metadata\nfrom importlib.metadata import version\n\n"
        'BUNDLE = dict(name="bun", version=version("bun"))\n'
        'OTHER = {"version": importlib.metadata.version("bun")}\n',
    )
    assert sources(only(tmp_path)) == [("pyproject", "pyproject.toml", 7, 12, "2.0.0")]


@pytest.mark.parametrize(
    ("bundle", "expected"),
    [
        pytest.param('BUNDLE = {"version": "1.0"}\n', (1, 23), id="dict-literal"),
        pytest.param("make(name='x', version='1.0')\n", (1, 25), id="keyword-single-quotes"),
        pytest.param(
            '# é\nBUNDLE = {"naïve": 1, "version": "1.0"}\n', (2, 35), id="non-ascii-before"
        ),
    ],
)
def test_bundle_forms(tmp_path: Path, bundle: str, expected: tuple[int, int]) -> None:
    write(tmp_path / "pyproject.toml", HATCH + '[project]\nname = "bun"\nversion = "1.0"\n')
    write(tmp_path / "bun/bundle.py", bundle)
    assert sources(only(tmp_path))[1] == ("bundle", "bun/bundle.py", *expected, "1.0")


def test_bundle_belongs_to_the_nearest_package(seed: Path) -> None:
    workspace = versync.scan(seed)
    engine = workspace.package("ryeos-engine")
    assert engine is not None and [s.kind for s in engine.sources] == ["pyproject"]


def test_requirements_by_url_are_not_pins(tmp_path: Path) -> None:
    write(tmp_path / "a/pyproject.toml", HATCH + '[project]\nname = "a"\nversion = "1.0"\n')
    write(
        tmp_path / "b/pyproject.toml",
        HATCH
        + '[project]\nname = "b"\nversion = "1.0"\ndependencies = ["a @ file:///srv/a", "a[x]>=1.0; python_version >= \'3.11\'"]\n',
    )
    workspace = versync.scan(tmp_path)
    assert [(d.name, d.specifier) for d in workspace.model.dependencies] == [("a", ">=1.0")]
