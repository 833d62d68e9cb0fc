"""Cargo.lock and uv.lock as their tools resolve them, proved against real cargo: which crates a
lock holds, how `workspace = true` resolves, and that a bump leaves `cargo ... --locked`
working."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import versync
from tests.conftest import Run, replace_in, snapshot, write

CARGO = shutil.which("cargo") or "/root/.cargo/bin/cargo"
needs_cargo = pytest.mark.skipif(not os.path.exists(CARGO), reason="cargo is not installed")
HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'


def crate(root: Path, folder: str, name: str, version: str = "0.1.0", tail: str = "") -> None:
    version_line = "version.workspace = true" if version == "inherit" else f'version = "{version}"'
    write(
        root / folder / "Cargo.toml",
        f'[package]\nname = "{name}"\n{version_line}\nedition = "2021"\n{tail}',
    )
    write(root / folder / "src/lib.rs", "")


def cargo(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CARGO_TARGET_DIR": str(root.parent / "target")}
    return subprocess.run(
        [CARGO, *args, "--offline"], cwd=root, env=env, capture_output=True, text=True
    )


def lock(root: Path) -> None:
    result = cargo(root, "generate-lockfile")
    assert result.returncode == 0, result.stderr


def locked_ok(root: Path) -> bool:
    return cargo(root, "metadata", "--locked", "--format-version", "1").returncode == 0


def lock_names(root: Path) -> set[str]:
    text = (root / "Cargo.lock").read_text()
    return {line.split('"')[1] for line in text.splitlines() if line.startswith("name = ")}


def members_of(root: Path) -> dict[str, list[str]]:
    model = versync.scan(root).model
    found: dict[str, list[str]] = {}
    for member in model.lock_members:
        found.setdefault(member.lock, []).append(member.name)
    return {lock: sorted(names) for lock, names in found.items()}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A workspace whose lock holds optional, cfg(...) and dev path dependencies, a crate
    outside it whose dev-dependency cargo never locks, and an unused workspace dependency.
    The repository is the fixture's folder; the workspace is its `ws` folder."""
    root = tmp_path / "repo" / "ws"
    write(
        root / "Cargo.toml",
        '[workspace]\nmembers = ["app"]\nresolver = "2"\n'
        '[workspace.dependencies]\nunused = { path = "unused" }\n'
        'shared = { path = "shared", version = "0.1.0" }\n',
    )
    crate(
        root,
        "app",
        "app",
        tail='[dependencies]\nopt = { path = "../opt", optional = true }\n'
        "shared = { workspace = true }\n"
        'outside = { path = "../../outside" }\n'
        "[target.'cfg(windows)'.dependencies]\nwin = { path = \"../win\" }\n"
        '[dev-dependencies]\nhelper = { path = "../helper" }\n',
    )
    for name in ("opt", "win", "shared", "unused"):
        crate(root, name, name)
    crate(root, "helper", "helper", tail='[dev-dependencies]\nhelper-dev = { path = "../hd" }\n')
    crate(root, "hd", "helper-dev")
    crate(
        root.parent, "outside", "outside", tail='[dev-dependencies]\nodev = { path = "../odev" }\n'
    )
    crate(root.parent, "odev", "odev")
    lock(root)
    return root


@needs_cargo
def test_the_lock_holds_what_cargo_locks(workspace: Path, run: Run) -> None:
    expected = {"app", "opt", "win", "shared", "helper", "helper-dev", "outside"}
    assert lock_names(workspace) == expected  # cargo's own answer
    assert members_of(workspace.parent) == {"ws/Cargo.lock": sorted(expected)}
    assert run("check", "--root", workspace.parent).code == 0


@needs_cargo
def test_a_bump_moves_every_lock_entry_and_cargo_accepts_the_lock(
    workspace: Path, run: Run
) -> None:
    result = run("bump", "0.2.0", "--root", workspace.parent)
    assert result.code == 0, result.err
    assert locked_ok(workspace), cargo(workspace, "metadata", "--locked").stderr
    assert (
        'shared = { path = "shared", version = "0.2.0" }' in (workspace / "Cargo.toml").read_text()
    )
    assert run("check", "--root", workspace).code == 0


@needs_cargo
def test_a_stale_entry_is_reported_where_cargo_would_fail(workspace: Path, run: Run) -> None:
    replace_in(workspace / "win/Cargo.toml", '"0.1.0"', '"0.1.1"')
    assert not locked_ok(workspace)
    result = run("check", "--root", workspace.parent)
    assert result.code == 1 and "Cargo.lock locks win 0.1.0" in result.out
    assert run("fix", "--root", workspace.parent).code == 1
    assert locked_ok(workspace)


@needs_cargo
def test_inherited_version_through_a_path_dependency(tmp_path: Path, run: Run) -> None:
    """cargo makes a crate inside the workspace's folder that a member reaches by path a
    member: it inherits the workspace's version."""
    write(
        tmp_path / "Cargo.toml",
        '[workspace]\nmembers = ["a"]\nresolver = "2"\n[workspace.package]\nversion = "2.0.0"\n',
    )
    crate(tmp_path, "a", "a", "inherit", '[dependencies]\nb = { path = "../crates/b" }\n')
    crate(tmp_path, "crates/b", "b", "inherit")
    lock(tmp_path)
    assert run("check", "--root", tmp_path).code == 0
    assert members_of(tmp_path) == {"Cargo.lock": ["a", "b"]}
    assert run("bump", "2.1.0", "--root", tmp_path).code == 0
    assert locked_ok(tmp_path)


@needs_cargo
def test_nested_workspace_dependencies_resolve_in_their_own_workspace(
    tmp_path: Path, run: Run
) -> None:
    write(tmp_path / "Cargo.toml", '[workspace]\nmembers = ["top"]\nexclude = ["inner"]\n')
    crate(tmp_path, "top", "top", "1.0.0")
    inner = tmp_path / "inner"
    write(
        inner / "Cargo.toml",
        '[workspace]\nmembers = ["x", "y"]\nresolver = "2"\n'
        '[workspace.dependencies]\ny = { path = "y", version = "1.0.0" }\n',
    )
    crate(inner, "x", "x", "1.0.0", "[dependencies]\ny = { workspace = true }\n")
    crate(inner, "y", "y", "1.0.0")
    lock(tmp_path)
    lock(inner)
    assert members_of(tmp_path) == {"Cargo.lock": ["top"], "inner/Cargo.lock": ["x", "y"]}
    assert run("bump", "1.1.0", "--root", tmp_path).code == 0
    assert locked_ok(tmp_path) and locked_ok(inner)
    assert 'y = { path = "y", version = "1.1.0" }' in (inner / "Cargo.toml").read_text()


@pytest.fixture
def inherited(tmp_path: Path) -> Path:
    write(
        tmp_path / "Cargo.toml",
        '[workspace]\nmembers = ["a", "b"]\nresolver = "2"\n[workspace.package]\nversion = "1.0.0"\n',
    )
    crate(tmp_path, "a", "a", "inherit")
    crate(tmp_path, "b", "b", "inherit")
    if os.path.exists(CARGO):
        lock(tmp_path)
    return tmp_path


def test_a_bump_of_an_inherited_version_names_the_crates_outside_its_scope(
    inherited: Path, run: Run
) -> None:
    before = snapshot(inherited)
    result = run("bump", "1.1.0", "--package", "a", "--root", inherited)
    assert result.code == 2
    assert "[workspace.package] version, which b inherits too" in result.err
    assert "--allow-drift" in result.err
    assert snapshot(inherited) == before


@needs_cargo
def test_allow_drift_moves_the_inheriting_crates_and_their_lock_entries(
    inherited: Path, run: Run
) -> None:
    result = run("bump", "1.1.0", "--package", "a", "--allow-drift", "--root", inherited)
    *written, closing = result.out.splitlines()
    assert (result.code, sorted(written)) == (0, ["Cargo.lock", "Cargo.toml"])
    assert closing.startswith("bumped 1 package to 1.1.0")
    assert locked_ok(inherited)
    build = cargo(inherited, "build", "--locked")
    assert build.returncode == 0, build.stderr


# -- uv.lock -------------------------------------------------------------------------------


def uv_lock(*entries: tuple[str, str, str]) -> str:
    text = 'version = 1\nrevision = 3\nrequires-python = ">=3.11"\n'
    for name, version, source in entries:
        text += f'\n[[package]]\nname = "{name}"\nversion = "{version}"\nsource = {source}\n'
    return text


@pytest.fixture
def uv_workspace(tmp_path: Path) -> Path:
    write(
        tmp_path / "pyproject.toml",
        f'{HATCH}[project]\nname = "app"\nversion = "1.0.0"\n'
        '[tool.uv.workspace]\nmembers = ["libs/*"]\n',
    )
    write(
        tmp_path / "libs/core/pyproject.toml",
        f'{HATCH}[project]\nname = "core"\nversion = "1.0.0"\n',
    )
    return tmp_path


def test_a_uv_workspace_member_missing_from_the_lock_is_stale(uv_workspace: Path, run: Run) -> None:
    write(uv_workspace / "uv.lock", uv_lock(("app", "1.0.0", '{ editable = "." }')))
    result = run("check", "--root", uv_workspace)
    assert result.code == 1
    assert "uv.lock:1:1: core: uv.lock has no entry for core; run `uv lock`" in result.out


def test_a_bump_updates_uv_lock(uv_workspace: Path, run: Run) -> None:
    write(
        uv_workspace / "uv.lock",
        uv_lock(
            ("app", "1.0.0", '{ editable = "." }'), ("core", "1.0.0", '{ editable = "libs/core" }')
        ),
    )
    assert run("check", "--root", uv_workspace).code == 0
    assert run("bump", "1.1.0", "--root", uv_workspace).code == 0
    text = (uv_workspace / "uv.lock").read_text()
    assert text.count('version = "1.1.0"') == 2
    assert run("check", "--root", uv_workspace).code == 0
