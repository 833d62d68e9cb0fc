"""Cargo workspaces as cargo builds them: an explicit `package.workspace` path, locks cargo
ignores, and path dependencies that lead nowhere."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import versync
from tests.conftest import Run, replace_in, write

CARGO = shutil.which("cargo") or "/root/.cargo/bin/cargo"


def crate(name: str, version: str = '"1.0.0"', extra: str = "") -> str:
    return f'[package]\nname = "{name}"\nversion = {version}\nedition = "2021"\n{extra}'


@pytest.mark.skipif(not Path(CARGO).exists(), reason="cargo is not installed")
def test_an_explicit_package_workspace_path_gives_the_workspace_version(
    tmp_path: Path, run: Run
) -> None:
    write(
        tmp_path / "ws/Cargo.toml",
        '[workspace]\nmembers = ["../crates/a"]\nresolver = "2"\n'
        '[workspace.package]\nversion = "2.0.0"\n',
    )
    write(
        tmp_path / "crates/a/Cargo.toml",
        crate("a", "{ workspace = true }", 'workspace = "../../ws"\n'),
    )
    write(tmp_path / "crates/a/src/lib.rs", "")
    subprocess.run(
        [CARGO, "generate-lockfile", "--offline", "--manifest-path", "ws/Cargo.toml"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    assert 'name = "a"\nversion = "2.0.0"' in (tmp_path / "ws/Cargo.lock").read_text()
    (package,) = versync.scan(tmp_path).packages
    assert package.id == "cargo:crates/a"
    assert [(s.kind, s.literal.file, s.literal.text) for s in package.sources] == [
        ("cargo-workspace", "ws/Cargo.toml", "2.0.0")
    ]
    assert run("check", "--root", tmp_path).code == 0
    replace_in(tmp_path / "ws/Cargo.toml", '"2.0.0"', '"2.1.0"')
    result = run("check", "--root", tmp_path)
    assert result.code == 1
    assert result.out.startswith(
        "ws/Cargo.lock:7:12: a: ws/Cargo.lock locks a 2.0.0, but ws/Cargo.toml says 2.1.0"
    ), result.out


def test_an_explicit_workspace_path_to_no_manifest_leaves_the_version_unread(
    tmp_path: Path, run: Run
) -> None:
    write(
        tmp_path / "crates/a/Cargo.toml",
        crate("a", "{ workspace = true }", 'workspace = "../../nowhere"\n'),
    )
    result = run("check", "--root", tmp_path)
    assert result.code == 1
    assert "crates/a/Cargo.toml:1:1: a: version.workspace = true, but no [workspace.package]" in (
        result.out
    )


def test_locks_cargo_ignores_and_dangling_paths_are_silent(tmp_path: Path, run: Run) -> None:
    write(
        tmp_path / "Cargo.toml",
        '[workspace]\nmembers = ["a", "b"]\nresolver = "2"\n'
        '[workspace.dependencies]\nserde = "1"\nb = { path = "b" }\n',
    )
    write(
        tmp_path / "a/Cargo.toml",
        crate(
            "a",
            extra="[dependencies]\nserde = { workspace = true }\nb = { workspace = true }\n"
            'ghost = { path = "../ghost" }\n',
        ),
    )
    write(tmp_path / "b/Cargo.toml", crate("b"))
    stale = 'version = 4\n\n[[package]]\nname = "b"\nversion = "0.1.0"\n'
    write(tmp_path / "b/Cargo.lock", stale)  # a leftover lock in a member: cargo ignores it
    write(tmp_path / "stray/Cargo.lock", stale)  # a lock beside no manifest
    result = run("check", "--root", tmp_path)
    assert (result.code, result.out) == (0, "2 packages checked: all versions agree\n")
    write(tmp_path / "Cargo.lock", stale)  # the workspace's own lock is read
    result = run("check", "--root", tmp_path)
    assert result.code == 1
    assert [line.split(" (found")[0] for line in result.out.splitlines()[:2]] == [
        "Cargo.lock:1:1: a: Cargo.lock has no entry for a; run `cargo update --workspace`",
        "Cargo.lock:5:12: b: Cargo.lock locks b 0.1.0, but b/Cargo.toml says 1.0.0",
    ]


def test_a_malformed_cargo_configuration_does_not_stop_the_scan(tmp_path: Path, run: Run) -> None:
    write(tmp_path / "a/Cargo.toml", crate("a"))
    write(tmp_path / ".cargo/config.toml", "[source\n")
    result = run("check", "--root", tmp_path)
    assert (result.code, result.out) == (0, "1 package checked: all versions agree\n")


@pytest.mark.skipif(not Path(CARGO).exists(), reason="cargo is not installed")
def test_a_member_without_a_version_is_locked_at_0_0_0_and_not_compared(
    tmp_path: Path, run: Run
) -> None:
    write(tmp_path / "Cargo.toml", '[workspace]\nmembers = ["d", "e"]\nresolver = "2"\n')
    write(tmp_path / "d/Cargo.toml", '[package]\nname = "d"\nedition = "2021"\n')
    write(tmp_path / "e/Cargo.toml", crate("e"))
    write(tmp_path / "d/src/lib.rs", "")
    write(tmp_path / "e/src/lib.rs", "")
    subprocess.run(
        [CARGO, "generate-lockfile", "--offline"], cwd=tmp_path, check=True, capture_output=True
    )
    assert 'name = "d"\nversion = "0.0.0"' in (tmp_path / "Cargo.lock").read_text()
    result = run("check", "--root", tmp_path)
    assert (result.code, result.out) == (0, "2 packages checked: all versions agree\n")
    replace_in(tmp_path / "e/Cargo.toml", '"1.0.0"', '"1.1.0"')
    result = run("check", "--root", tmp_path)
    assert result.code == 1
    assert "Cargo.lock locks e 1.0.0, but e/Cargo.toml says 1.1.0" in result.out
    assert ": d: " not in result.out
