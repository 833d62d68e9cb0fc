"""The release guide's monorepo, consistent and in each kind of drift its authors shipped."""

from __future__ import annotations

from pathlib import Path

import pytest

import versync
from tests.conftest import Run, replace_in
from tests.seedrepo import BUNDLES, HATCH_PACKAGES, MATURIN_PACKAGES, write_seed

PYPROJECT_VERSION = (
    7,
    12,
)  # line, column of the version literal in the seed's pyproject.toml files
CARGO_VERSION = (3, 12)
LOCK_VERSION = (7, 12)
BUNDLE_VERSION = (7, 17)


def findings(root: Path) -> list[tuple[str, str, int, int, str, str]]:
    return sorted(
        (f.code, f.file, f.line, f.column, f.found, f.expected) for f in versync.scan(root).check()
    )


def set_version(root: Path, paths: list[str], version: str, current: str = "0.1.2") -> None:
    """A hand edit of each file's version literal (the first quoted `current` in it)."""
    for path in paths:
        replace_in(root / path, f'"{current}"', f'"{version}"')


def test_seed_is_consistent(seed: Path, run: Run) -> None:
    result = run("check", "--root", seed)
    assert (result.code, result.err) == (0, "")
    assert result.out == "11 packages checked: all versions agree\n"


def test_seed_model(seed: Path) -> None:
    workspace = versync.scan(seed)
    by_name = {p.name: p for p in workspace.packages}
    assert sorted(by_name) == sorted(
        [name for name, _ in HATCH_PACKAGES.values()]
        + list(MATURIN_PACKAGES.values())
        + ["registry-api"]
    )
    assert sorted(p.name for p in workspace.groups["ryeos"]) == sorted(
        set(by_name) - {"registry-api"}
    )
    assert by_name["registry-api"].group is None and not by_name["registry-api"].publishable
    proc = by_name["lillux-proc"]
    assert proc.backend == "maturin" and proc.crate_name == "lillux-proc"
    assert [(s.kind, s.file, s.line) for s in proc.sources] == [
        ("pyproject", "lillux/proc/pyproject.toml", 7),
        ("cargo", "lillux/proc/Cargo.toml", 3),
    ]
    core = by_name["ryeos-core"]
    assert [(s.kind, s.file) for s in core.sources] == [
        ("pyproject", "ryeos/bundles/core/pyproject.toml"),
        ("bundle", "ryeos/bundles/core/ryeos_core/bundle.py"),
    ]
    assert [(d.name, d.specifier, d.literal.line) for d in core.dependencies] == [
        ("ryeos-engine", "==0.1.1", 13)
    ]
    assert str(core.published_version) == "0.1.1"


def test_maturin_cargo_bumped_pyproject_not(tmp_path: Path) -> None:
    root = write_seed(tmp_path, "0.1.2")
    set_version(root, ["lillux/proc/pyproject.toml"], "0.1.1")
    # lillux pins lillux-proc==0.1.2, and the wheel it would get is 0.1.1: both are reported.
    assert findings(root) == [
        ("maturin-precedence", "lillux/proc/pyproject.toml", *PYPROJECT_VERSION, "0.1.1", "0.1.2"),
        ("pin-mismatch", "lillux/kernel/pyproject.toml", 13, 6, "==0.1.2", "0.1.1"),
    ]
    message = versync.scan(root).check()[1].message
    assert "the wheel will be 0.1.1, not 0.1.2" in message and "pyproject.toml" in message


def test_maturin_pyproject_ahead_of_cargo(tmp_path: Path) -> None:
    root = write_seed(tmp_path, "0.1.2")
    set_version(root, ["lillux/watch/Cargo.toml", "lillux/watch/Cargo.lock"], "0.1.1")
    assert findings(root) == [
        ("maturin-precedence", "lillux/watch/Cargo.toml", *CARGO_VERSION, "0.1.1", "0.1.2"),
    ]


def test_bump_that_forgot_the_bundles(tmp_path: Path) -> None:
    root = write_seed(tmp_path, "0.1.2")
    set_version(root, [f"{path}/ryeos_{name}/bundle.py" for path, name in BUNDLES.items()], "0.1.1")
    assert findings(root) == sorted(
        ("package-mismatch", f"{path}/ryeos_{name}/bundle.py", *BUNDLE_VERSION, "0.1.1", "0.1.2")
        for path, name in BUNDLES.items()
    )


def test_part_of_the_set_left_behind(tmp_path: Path, run: Run) -> None:
    root = write_seed(tmp_path, "0.1.2")
    behind = ["ryeos-cli/pyproject.toml", "ryeos-mcp/pyproject.toml"]
    set_version(root, behind, "0.1.1")
    assert findings(root) == [
        ("group-drift", path, *PYPROJECT_VERSION, "0.1.1", "0.1.2") for path in behind
    ]
    result = run("check", "--root", root)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith(
        "ryeos-cli/pyproject.toml:7:12: ryeos-cli: ryeos-cli/pyproject.toml is 0.1.1: "
        "8 of 10 packages in group 'ryeos' are 0.1.2"
    )
    assert lines[0].endswith("(found 0.1.1, expected 0.1.2) [group-drift]")
    assert lines[-2:] == ["2 findings in 2 of 11 packages", "repair: versync fix"]


def test_cargo_lock_one_release_behind(tmp_path: Path) -> None:
    root = write_seed(tmp_path, "0.1.2")
    set_version(root, ["lillux/watch/Cargo.lock"], "0.1.1")
    assert findings(root) == [
        ("lock-stale", "lillux/watch/Cargo.lock", *LOCK_VERSION, "0.1.1", "0.1.2")
    ]


def test_cargo_lock_naming_a_renamed_crate(seed: Path) -> None:
    replace_in(seed / "lillux/watch/Cargo.toml", 'name = "lillux-watch"', 'name = "lillux-watcher"')
    result = versync.scan(seed).check()
    assert [(f.code, f.file, f.line, f.found, f.expected, f.fixable) for f in result] == [
        ("lock-stale", "lillux/watch/Cargo.lock", 1, "no entry", "lillux-watcher 0.1.1", False)
    ]
    assert "it lists lillux-watch, which no crate is called now" in result[0].message
    assert "cargo update --workspace" in result[0].message


@pytest.mark.parametrize(
    ("requirement", "found"),
    [
        pytest.param("ryeos==0.1.0", "==0.1.0", id="exact-pin-behind"),
        pytest.param("ryeos>=0.2", ">=0.2", id="lower-bound-ahead"),
        pytest.param(
            "ryeos[extra] (<0.1.1) ; python_version >= '3'",
            "<0.1.1",
            id="parenthesised-with-marker",
        ),
    ],
)
def test_pin_excluding_the_sibling(seed: Path, requirement: str, found: str) -> None:
    replace_in(seed / "ryeos/bundles/web/pyproject.toml", '"ryeos==0.1.1"', f'"{requirement}"')
    assert findings(seed) == [
        ("pin-mismatch", "ryeos/bundles/web/pyproject.toml", 13, 6, found, "0.1.1")
    ]


def test_pin_admitting_a_pre_release_sibling(seed: Path) -> None:
    replace_in(seed / "ryeos/bundles/web/pyproject.toml", '"ryeos==0.1.1"', '"ryeos~=0.1"')
    replace_in(seed / "ryeos/bundles/code/pyproject.toml", '"ryeos>=0.1.1"', '"ryeos>=0.1.1,<1"')
    assert findings(seed) == []


def test_dynamic_conflict(seed: Path) -> None:
    replace_in(
        seed / "ryeos-cli/pyproject.toml",
        "requires-python",
        'dynamic = ["version"]\nrequires-python',
    )
    assert findings(seed) == [
        (
            "dynamic-conflict",
            "ryeos-cli/pyproject.toml",
            *PYPROJECT_VERSION,
            'dynamic = ["version"]',
            "static or dynamic, not both",
        )
    ]


@pytest.mark.parametrize(
    ("path", "old", "new", "expected"),
    [
        pytest.param(
            "ryeos-cli/pyproject.toml", '"0.1.1"', '"0.1.x"', "a PEP 440 version", id="pyproject"
        ),
        pytest.param(
            "ryeos/bundles/web/ryeos_web/bundle.py",
            '"0.1.1"',
            '"0.1.1-x.y"',
            "a PEP 440 version",
            id="bundle",
        ),
        pytest.param(
            "lillux/proc/Cargo.toml", '"0.1.1"', '"0.1"', "a SemVer version", id="cargo-not-semver"
        ),
        pytest.param(
            "lillux/proc/Cargo.toml",
            '"0.1.1"',
            '"0.1.1-nightly.5"',
            "a PEP 440-compatible version",
            id="cargo-maturin-cannot-read",
        ),
    ],
)
def test_invalid_version(seed: Path, path: str, old: str, new: str, expected: str) -> None:
    replace_in(seed / path, old, new)
    if path.endswith("Cargo.toml"):
        replace_in(seed / path.replace("Cargo.toml", "Cargo.lock"), old, new)
    codes = [(f.code, f.file, f.found, f.expected, f.fixable) for f in versync.scan(seed).check()]
    assert codes == [("invalid-version", path, new.strip('"'), expected, False)]


def test_the_footer_suggests_fix_only_for_what_fix_repairs(tmp_path: Path, run: Run) -> None:
    root = write_seed(tmp_path, "0.1.2")
    set_version(root, ["ryeos-cli/pyproject.toml"], "0.1.1")
    set_version(root, ["ryeos/bundles/web/ryeos_web/bundle.py"], "0.1.x")
    lines = run("check", "--root", root).out.splitlines()
    assert lines[-2:] == [
        "2 findings in 2 of 11 packages",
        "repair: versync fix repairs 1; 1 needs a person (invalid-version): as each line says",
    ]
