"""Cargo requirement semantics checked against cargo itself: does cargo accept a path
dependency's `version` for the crate's actual version?"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import write
from tests.syntax.test_versions import CARGO_CASES
from versync.syntax.semver import cargo_req_admits

pytestmark = pytest.mark.skipif(shutil.which("cargo") is None, reason="cargo is not installed")


@pytest.fixture(scope="module")
def crates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("crates")
    write(root / "app/src/main.rs", "fn main() {}\n")
    write(root / "lib/src/lib.rs", "")
    return root


def cargo_accepts(root: Path, requirement: str, version: str) -> bool:
    write(
        root / "lib/Cargo.toml",
        f'[package]\nname = "lib"\nversion = "{version}"\nedition = "2021"\n',
    )
    write(
        root / "app/Cargo.toml",
        '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n'
        f'[dependencies]\nlib = {{ path = "../lib", version = "{requirement}" }}\n',
    )
    (root / "app/Cargo.lock").unlink(missing_ok=True)
    result = subprocess.run(
        ["cargo", "generate-lockfile", "--offline"],
        cwd=root / "app",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 or "failed to select a version" in result.stderr, result.stderr
    return result.returncode == 0


@pytest.mark.parametrize(("requirement", "version", "admitted"), CARGO_CASES, ids=lambda v: str(v))
def test_cargo_agrees(crates: Path, requirement: str, version: str, admitted: bool) -> None:
    assert cargo_accepts(crates, requirement, version) is admitted
    assert cargo_req_admits(requirement, version) is admitted
