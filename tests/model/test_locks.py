"""Lock files: which ones the tools read, when they are stale, and how they follow a bump."""

from __future__ import annotations

from pathlib import Path

import versync
from tests.conftest import snapshot, write

ROOT_PYPROJECT = '[project]\nname = "root-app"\nversion = "0.1.1"\n\n[tool.uv.workspace]\nmembers = ["packages/*"]\n'
UV_LOCK = """\
version = 1
requires-python = ">=3.11"

[manifest]
members = ["member-a", "member-b", "root-app"]

[[package]]
name = "member-a"
version = "{a}"
source = {{ editable = "packages/member-a" }}

[[package]]
name = "member-b"
source = {{ editable = "packages/member-b" }}

[[package]]
name = "requests"
version = "0.1.1"
source = {{ registry = "https://pypi.org/simple" }}

[[package]]
name = "root-app"
version = "{root}"
source = {{ virtual = "." }}
"""


def uv_workspace(root: Path, a: str = "0.1.1", lock_root: str = "0.1.1") -> Path:
    write(root / "pyproject.toml", ROOT_PYPROJECT)
    write(
        root / "packages/member-a/pyproject.toml",
        '[project]\nname = "member-a"\nversion = "0.1.1"\n',
    )
    write(
        root / "packages/member-b/pyproject.toml",
        '[project]\nname = "member-b"\ndynamic = ["version"]\n[tool.setuptools_scm]\n',
    )
    write(root / "uv.lock", UV_LOCK.format(a=a, root=lock_root))
    return root


def test_consistent_uv_workspace(tmp_path: Path) -> None:
    assert versync.scan(uv_workspace(tmp_path)).check() == []


def test_stale_uv_lock_entries(tmp_path: Path) -> None:
    root = uv_workspace(tmp_path, a="0.1.0", lock_root="0.0.9")
    assert [
        (f.code, f.package, f.file, f.line, f.found, f.expected, f.fixable)
        for f in versync.scan(root).check()
    ] == [
        ("lock-stale", "member-a", "uv.lock", 9, "0.1.0", "0.1.1", True),
        ("lock-stale", "root-app", "uv.lock", 23, "0.0.9", "0.1.1", True),
    ]


def test_uv_lock_follows_a_bump_and_nothing_else_moves(tmp_path: Path) -> None:
    root = uv_workspace(tmp_path)
    versync.scan(root).bump("0.2.0").apply()
    assert (root / "uv.lock").read_text() == UV_LOCK.format(a="0.2.0", root="0.2.0")
    assert versync.scan(root).check() == []


def test_uv_lock_inside_a_member_is_not_read(tmp_path: Path) -> None:
    root = uv_workspace(tmp_path)
    leftover = UV_LOCK.format(a="0.0.1", root="0.0.1")
    write(root / "packages/member-a/uv.lock", leftover)
    assert versync.scan(root).check() == []
    versync.scan(root).bump("0.2.0").apply()
    assert (root / "packages/member-a/uv.lock").read_text() == leftover


CARGO_LOCK = '# generated\nversion = 4\n\n[[package]]\nname = "{name}"\nversion = "{version}"\n'


def test_cargo_lock_member_missing_is_not_fixable(tmp_path: Path) -> None:
    write(tmp_path / "Cargo.toml", '[package]\nname = "new-name"\nversion = "1.0.0"\n')
    write(tmp_path / "Cargo.lock", CARGO_LOCK.format(name="old-name", version="1.0.0"))
    before = snapshot(tmp_path)
    plan = versync.scan(tmp_path).fix()
    assert plan.files == []
    assert plan.notes == [
        "Cargo.lock:1:1: Cargo.lock has no entry for new-name (it lists old-name, which no crate "
        "is called now); run `cargo update --workspace` [lock-stale]"
    ]
    assert snapshot(tmp_path) == before


def test_cargo_lock_path_dependency_outside_the_workspace(tmp_path: Path) -> None:
    write(
        tmp_path / "app/Cargo.toml",
        '[package]\nname = "app"\nversion = "1.0.0"\n[dependencies]\nlib = { path = "../lib", version = "1.0.0" }\n',
    )
    write(tmp_path / "lib/Cargo.toml", '[package]\nname = "lib"\nversion = "1.0.0"\n')
    write(
        tmp_path / "app/Cargo.lock",
        CARGO_LOCK.format(name="app", version="1.0.0")
        + '\n[[package]]\nname = "lib"\nversion = "0.9.0"\n',
    )
    [finding] = versync.scan(tmp_path).check()
    assert (finding.code, finding.file, finding.line, finding.found, finding.expected) == (
        "lock-stale",
        "app/Cargo.lock",
        10,
        "0.9.0",
        "1.0.0",
    )
