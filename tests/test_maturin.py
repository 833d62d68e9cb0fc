"""versync's reading of maturin packages against maturin itself: the version maturin writes into
the wheel's metadata must be the version versync says the package publishes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import versync
from tests.conftest import write

MATURIN = Path(sys.executable).with_name("maturin")
pytestmark = [
    pytest.mark.skipif(shutil.which("cargo") is None, reason="cargo is not installed"),
    pytest.mark.skipif(not MATURIN.exists(), reason="maturin is not installed (test extra)"),
]


def maturin_package(
    root: Path, cargo_version: str, pyproject_version: str | None, manifest: str = "Cargo.toml"
) -> Path:
    version = f'version = "{pyproject_version}"' if pyproject_version else 'dynamic = ["version"]'
    manifest_key = f'manifest-path = "{manifest}"\n' if manifest != "Cargo.toml" else ""
    write(
        root / "pyproject.toml",
        '[build-system]\nrequires = ["maturin>=1,<2"]\nbuild-backend = "maturin"\n\n'
        f'[project]\nname = "proc-tool"\n{version}\n\n[tool.maturin]\nbindings = "bin"\n{manifest_key}',
    )
    crate = (root / manifest).parent
    write(
        crate / "Cargo.toml",
        f'[package]\nname = "proc-tool"\nversion = "{cargo_version}"\nedition = "2021"\n',
    )
    write(crate / "src/main.rs", "fn main() {}\n")
    return root


def wheel_version(root: Path, target: Path) -> str | None:
    """The Version: maturin writes into the wheel metadata, or None when maturin fails."""
    out = root.parent / f"{root.name}-dist-info"
    result = subprocess.run(
        [str(MATURIN), "pep517", "write-dist-info", "--metadata-directory", str(out)],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CARGO_TARGET_DIR": str(target)},
    )
    if result.returncode != 0:
        return None
    [metadata] = out.glob("*.dist-info/METADATA")
    match = re.search(r"^Version: (.+)$", metadata.read_text(), re.MULTILINE)
    assert match is not None
    return match[1]


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cargo-target")


@pytest.mark.parametrize(
    ("cargo", "pyproject", "wheel"),
    [
        pytest.param("0.1.1", "0.1.1", "0.1.1", id="static-equal"),
        pytest.param("0.1.2", "0.1.1", "0.1.1", id="static-behind-cargo"),
        pytest.param("0.1.1", "0.2.0", "0.2.0", id="static-ahead-of-cargo"),
        pytest.param("0.1.1", None, "0.1.1", id="dynamic"),
        pytest.param("1.0.0-alpha.1", None, "1.0.0a1", id="dynamic-alpha"),
        pytest.param("1.0.0-beta.2", None, "1.0.0b2", id="dynamic-beta"),
        pytest.param("1.0.0-rc.1", None, "1.0.0rc1", id="dynamic-rc"),
        pytest.param("1.0.0-pre.1", None, "1.0.0rc1", id="dynamic-pre"),
        pytest.param("1.0.0-dev.2", None, "1.0.0.dev2", id="dynamic-dev"),
        pytest.param("1.0.0-1", None, "1.0.0.post1", id="dynamic-numeric-pre-is-post"),
    ],
)
def test_published_version_is_the_wheel_version(
    tmp_path: Path, target: Path, cargo: str, pyproject: str | None, wheel: str
) -> None:
    root = maturin_package(tmp_path / "pkg", cargo, pyproject)
    assert wheel_version(root, target) == wheel
    [package] = versync.scan(root).packages
    assert str(package.published_version) == wheel
    findings = versync.scan(root).check()
    if pyproject is not None and pyproject != cargo:
        # Nothing shows which file is meant (no history): one finding, fix leaves it.
        assert [(f.code, f.file, f.fixable) for f in findings] == [
            ("maturin-precedence", "pyproject.toml", False)
        ]
        assert f"the wheel will be {wheel}" in findings[0].message
        assert f"versync bump {cargo} --package" in findings[0].message
    else:
        assert findings == []


def test_manifest_path(tmp_path: Path, target: Path) -> None:
    root = maturin_package(tmp_path / "pkg", "3.1.4", None, manifest="rust/Cargo.toml")
    assert wheel_version(root, target) == "3.1.4"
    [package] = versync.scan(root).packages
    assert (str(package.published_version), package.sources[0].file) == ("3.1.4", "rust/Cargo.toml")


def test_cargo_version_maturin_cannot_read(tmp_path: Path, target: Path) -> None:
    root = maturin_package(tmp_path / "pkg", "1.0.0-nightly.5", "1.0.0")
    assert wheel_version(root, target) is None  # the build fails even with a static version
    findings = versync.scan(root).check()
    assert [(f.code, f.file, f.found) for f in findings] == [
        ("invalid-version", "Cargo.toml", "1.0.0-nightly.5")
    ]


def test_bumped_cargo_form_reads_back_in_maturin(tmp_path: Path, target: Path) -> None:
    root = maturin_package(tmp_path / "pkg", "1.9.0", None)
    versync.scan(root).bump("2.0.0rc1").apply()
    assert 'version = "2.0.0-rc.1"' in (root / "Cargo.toml").read_text()
    assert wheel_version(root, target) == "2.0.0rc1"
