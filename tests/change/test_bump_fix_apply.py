"""bump and fix: exact rewrites, pins and locks that follow, refusals, and the seed's release."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import versync
from tests.conftest import Run, replace_in, snapshot, write
from tests.seedrepo import VERSION_FILES, write_seed
from versync._fs import cache
from versync.change import write as write_module
from versync.errors import ApplyError, PlanError, UsageError

HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
SEED_LOCKS = ["lillux/proc/Cargo.lock", "lillux/watch/Cargo.lock"]


def bump(root: Path, version: str, **kwargs: str) -> list[str]:
    return versync.scan(root).bump(version, **kwargs).apply()  # type: ignore[arg-type]


# --- golden rewrites, one table per format ---------------------------------------------------

GOLDEN = [
    pytest.param(
        "pyproject.toml",
        b'[project]\nname = "a"\nversion = "1.0.0"\n',
        b'[project]\nname = "a"\nversion = "1.1.0"\n',
        id="pep621",
    ),
    pytest.param(
        "pyproject.toml",
        b"[project]\nname = 'a'\nversion = '1.0.0'  # keep\n",
        b"[project]\nname = 'a'\nversion = '1.1.0'  # keep\n",
        id="single-quotes-comment",
    ),
    pytest.param(
        "pyproject.toml",
        b'[project]\r\nname = "a"\r\nversion = "1.0.0"\r\n',
        b'[project]\r\nname = "a"\r\nversion = "1.1.0"\r\n',
        id="crlf",
    ),
    pytest.param(
        "pyproject.toml",
        b'\xef\xbb\xbf[project]\nname = "a"\nversion = "1.0.0"\n',
        b'\xef\xbb\xbf[project]\nname = "a"\nversion = "1.1.0"\n',
        id="bom",
    ),
    pytest.param(
        "pyproject.toml",
        b'[project]\nname = "a"\nversion = "1.0.0"',
        b'[project]\nname = "a"\nversion = "1.1.0"',
        id="no-final-newline",
    ),
    pytest.param(
        "pyproject.toml",
        b'project.name = "a"\nproject.version = "1.0.0"\n',
        b'project.name = "a"\nproject.version = "1.1.0"\n',
        id="dotted-keys",
    ),
    pytest.param(
        "pyproject.toml",
        b'project = { name = "a", version = "1.0.0" }\n',
        b'project = { name = "a", version = "1.1.0" }\n',
        id="inline-table",
    ),
    pytest.param(
        "pyproject.toml",
        b'[tool.poetry]\nname = "a"\nversion   =   "1.0.0"\n',
        b'[tool.poetry]\nname = "a"\nversion   =   "1.1.0"\n',
        id="poetry",
    ),
    pytest.param(
        "Cargo.toml",
        b'[package]\nname = "a"\nversion = "1.0.0" # semver\nedition = "2021"\n',
        b'[package]\nname = "a"\nversion = "1.1.0" # semver\nedition = "2021"\n',
        id="cargo-package",
    ),
    pytest.param(
        "Cargo.toml",
        b"[package]\nname = 'a'\nversion = '1.0.0'\r\n",
        b"[package]\nname = 'a'\nversion = '1.1.0'\r\n",
        id="cargo-single-quotes-mixed-endings",
    ),
]


@pytest.mark.parametrize(("name", "before", "after"), GOLDEN)
def test_golden_toml(tmp_path: Path, name: str, before: bytes, after: bytes) -> None:
    (tmp_path / name).write_bytes(before)
    assert bump(tmp_path, "1.1.0") == [name]
    assert (tmp_path / name).read_bytes() == after


def test_golden_cargo_workspace_and_lock(tmp_path: Path) -> None:
    write(
        tmp_path / "Cargo.toml",
        '[workspace]\nmembers = ["a", "b"]\n\n[workspace.package]\nversion = "0.3.0"\n\n[workspace.dependencies]\na = { path = "a", version = "0.3.0" }\n',
    )
    write(tmp_path / "a/Cargo.toml", '[package]\nname = "a"\nversion.workspace = true\n')
    write(
        tmp_path / "b/Cargo.toml",
        '[package]\nname = "b"\nversion = { workspace = true }\n\n[dependencies]\na = { workspace = true }\n',
    )
    lock = '# generated\nversion = 4\n\n[[package]]\nname = "a"\nversion = "0.3.0"\n\n[[package]]\nname = "b"\nversion = "0.3.0"\ndependencies = [\n "a",\n "serde",\n]\n\n[[package]]\nname = "serde"\nversion = "0.3.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n'
    write(tmp_path / "Cargo.lock", lock)
    write(
        tmp_path / "a/Cargo.lock", '[[package]]\nname = "a"\nversion = "0.3.0"\n'
    )  # a leftover cargo ignores
    assert sorted(bump(tmp_path, "0.4.0-rc.1")) == ["Cargo.lock", "Cargo.toml"]
    assert (
        (tmp_path / "Cargo.toml").read_text()
        == '[workspace]\nmembers = ["a", "b"]\n\n[workspace.package]\nversion = "0.4.0-rc.1"\n\n[workspace.dependencies]\na = { path = "a", version = "0.4.0-rc.1" }\n'
    )
    assert (tmp_path / "Cargo.lock").read_text() == lock.replace(
        '"a"\nversion = "0.3.0"', '"a"\nversion = "0.4.0-rc.1"'
    ).replace('"b"\nversion = "0.3.0"', '"b"\nversion = "0.4.0-rc.1"')
    assert (tmp_path / "a/Cargo.lock").read_text() == '[[package]]\nname = "a"\nversion = "0.3.0"\n'
    assert versync.scan(tmp_path).check() == []


@pytest.mark.parametrize(
    ("source", "after"),
    [
        pytest.param('__version__ = "1.0.0"\n', '__version__ = "1.1.0"\n', id="double"),
        pytest.param(
            "# v\nVERSION = 'v1.0.0'\r\n", "# v\nVERSION = 'v1.1.0'\r\n", id="single-crlf-v-prefix"
        ),
    ],
)
def test_golden_hatch_version_file(tmp_path: Path, source: str, after: str) -> None:
    write(
        tmp_path / "pyproject.toml",
        HATCH
        + '[project]\nname = "a"\ndynamic = ["version"]\n[tool.hatch.version]\npath = "a/about.py"\n',
    )
    write(tmp_path / "a/about.py", source)
    assert bump(tmp_path, "1.1.0") == ["a/about.py"]
    assert (tmp_path / "a/about.py").read_bytes() == after.encode()


@pytest.mark.parametrize(
    ("source", "after"),
    [
        pytest.param(
            'BUNDLE = {\n    "version": "1.0.0",  # same as pyproject\n}\n',
            'BUNDLE = {\n    "version": "1.1.0",  # same as pyproject\n}\n',
            id="dict",
        ),
        pytest.param(
            "bundle(name='é', version='1.0.0')",
            "bundle(name='é', version='1.1.0')",
            id="keyword-non-ascii-no-newline",
        ),
    ],
)
def test_golden_bundle(tmp_path: Path, source: str, after: str) -> None:
    write(tmp_path / "pyproject.toml", HATCH + '[project]\nname = "a"\nversion = "1.0.0"\n')
    write(tmp_path / "a/bundle.py", source)
    assert sorted(bump(tmp_path, "1.1.0")) == ["a/bundle.py", "pyproject.toml"]
    assert (tmp_path / "a/bundle.py").read_text(encoding="utf-8") == after


def test_python_sources_keep_the_version_as_typed_and_cargo_gets_semver(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[build-system]\nbuild-backend = "maturin"\n[project]\nname = "m"\nversion = "1.44.0.dev"\n',
    )
    write(tmp_path / "Cargo.toml", '[package]\nname = "m"\nversion = "1.44.0-dev"\n')
    write(tmp_path / "m/bundle.py", 'B = {"version": "1.44.0.dev"}\n')
    bump(tmp_path, "1.45.0.dev")
    assert '"1.45.0.dev"' in (tmp_path / "pyproject.toml").read_text()
    assert '"1.45.0.dev"' in (tmp_path / "m/bundle.py").read_text()
    assert '"1.45.0-dev.0"' in (tmp_path / "Cargo.toml").read_text()
    assert versync.scan(tmp_path).check() == []


@pytest.mark.parametrize(
    ("version", "reason"),
    [
        pytest.param("1!2.0.0", "epoch", id="epoch"),
        pytest.param("2.0.0+local", "local", id="local"),
        pytest.param("2.0.0.post1", "post", id="post"),
    ],
)
def test_versions_with_no_faithful_cargo_form_are_refused(
    seed: Path, version: str, reason: str
) -> None:
    before = snapshot(seed)
    with pytest.raises(UsageError, match=reason):
        versync.scan(seed).bump(version)
    assert snapshot(seed) == before


# --- pins ------------------------------------------------------------------------------------


def two_packages(tmp_path: Path, requirement: str, config: str = "") -> Path:
    write(
        tmp_path / "a/pyproject.toml",
        HATCH + '[project]\nname = "opentelemetry-api"\nversion = "1.44.0.dev"\n',
    )
    write(
        tmp_path / "b/pyproject.toml",
        HATCH
        + f'[project]\nname = "b"\nversion = "1.44.0.dev"\ndependencies = ["{requirement}"]\n',
    )
    if config:
        write(tmp_path / "versync.toml", config)
    return tmp_path


@pytest.mark.parametrize(
    ("requirement", "after"),
    [
        pytest.param(
            "opentelemetry-api == 1.44.0.dev", "opentelemetry-api == 1.45.0.dev", id="equal"
        ),
        pytest.param(
            "opentelemetry-api >= 1.44.0.dev", "opentelemetry-api >= 1.45.0.dev", id="at-least"
        ),
        pytest.param(
            "opentelemetry-api ~= 1.44.0.dev", "opentelemetry-api ~= 1.45.0.dev", id="compatible"
        ),
        pytest.param(
            "opentelemetry-api>=1.44.0.dev,<2", "opentelemetry-api>=1.45.0.dev,<2", id="range"
        ),
        pytest.param(
            "opentelemetry-api>=1.0", "opentelemetry-api>=1.0", id="not-tracking-but-admitting"
        ),
    ],
)
def test_pins_track_the_old_version(tmp_path: Path, requirement: str, after: str) -> None:
    root = two_packages(tmp_path, requirement)
    bump(root, "1.45.0.dev")
    assert f'dependencies = ["{after}"]' in (root / "b/pyproject.toml").read_text()
    assert versync.scan(root).check() == []


def test_pin_that_would_exclude_the_new_version_stops_the_bump(tmp_path: Path) -> None:
    root = two_packages(tmp_path, "opentelemetry-api>=1.0,<1.45")
    before = snapshot(root)
    with pytest.raises(
        PlanError,
        match=r"b/pyproject.toml:8:18: requirement 'opentelemetry-api>=1.0,<1.45' of b would exclude 1.45.0.dev",
    ):
        versync.scan(root).bump("1.45.0.dev")
    assert snapshot(root) == before


def test_pin_policy_fix_rewrites_only_excluding_clauses(tmp_path: Path) -> None:
    root = two_packages(tmp_path, "opentelemetry-api>=1.44.0.dev", 'pins = "fix"\n')
    bump(root, "1.45.0.dev")
    assert '"opentelemetry-api>=1.44.0.dev"' in (root / "b/pyproject.toml").read_text()
    root2 = two_packages(tmp_path / "two", "opentelemetry-api==1.44.0.dev", 'pins = "fix"\n')
    bump(root2, "1.45.0.dev")
    assert '"opentelemetry-api==1.45.0.dev"' in (root2 / "b/pyproject.toml").read_text()


def test_two_groups_bumped_group_by_group(tmp_path: Path) -> None:
    for name, version, requirement in [
        ("core", "1.4.0", ""),
        ("cli", "1.4.0", "core>=1.4.0"),
        ("beta-a", "0.9.0b1", "core~=1.4"),
        ("beta-b", "0.9.0b1", "beta-a==0.9.0b1"),
        ("beta-c", "0.9.0b1", "beta-a~=0.9.0b1"),
    ]:
        dependencies = f'dependencies = ["{requirement}"]\n' if requirement else ""
        write(
            tmp_path / name / "pyproject.toml",
            HATCH + f'[project]\nname = "{name}"\nversion = "{version}"\n{dependencies}',
        )
    write(tmp_path / "versync.toml", '[groups]\nstable = ["core", "cli"]\nbeta = ["beta-*"]\n')
    before = snapshot(tmp_path)
    with pytest.raises(PlanError, match=r"'core~=1.4' of beta-a would exclude 2.0.0"):
        versync.scan(tmp_path).bump("2.0.0")  # no scope: every package, and a pin stops it
    assert snapshot(tmp_path) == before
    assert sorted(bump(tmp_path, "0.9.0b2", group="beta")) == [
        "beta-a/pyproject.toml",
        "beta-b/pyproject.toml",
        "beta-c/pyproject.toml",
    ]
    assert '"beta-a==0.9.0b2"' in (tmp_path / "beta-b/pyproject.toml").read_text()
    assert '"beta-a~=0.9.0b2"' in (tmp_path / "beta-c/pyproject.toml").read_text()
    assert sorted(bump(tmp_path, "1.5.0", group="stable")) == [
        "cli/pyproject.toml",
        "core/pyproject.toml",
    ]
    assert '"core>=1.5.0"' in (tmp_path / "cli/pyproject.toml").read_text()
    assert (
        '"core~=1.4"' in (tmp_path / "beta-a/pyproject.toml").read_text()
    )  # admits 1.5.0: untouched
    assert versync.scan(tmp_path).check() == []


# --- the seed's release ----------------------------------------------------------------------


def test_seed_bumped_from_0_1_1_to_0_1_2(seed: Path, run: Run) -> None:
    before = snapshot(seed)
    result = run("bump", "0.1.2", "--root", seed)
    assert result.code == 0
    changed = sorted(path for path, data in snapshot(seed).items() if before[path] != data)
    assert changed == sorted(VERSION_FILES + SEED_LOCKS)
    assert result.out.splitlines() == [
        *sorted(VERSION_FILES + SEED_LOCKS),
        "bumped 10 packages in 1 group to 0.1.2: 18 files",
    ]
    assert snapshot(seed) == snapshot(write_seed(seed.parent / "expected", "0.1.2"))
    assert run("check", "--root", seed).code == 0


def test_bump_to_the_current_version_changes_nothing(seed: Path, run: Run) -> None:
    before = snapshot(seed)
    result = run("bump", "0.1.1", "--root", seed)
    assert (result.code, result.out) == (
        0,
        "nothing to change: every package in scope is already 0.1.1\n",
    )
    assert snapshot(seed) == before
    result = run("bump", "0.1.1", "--group", "ryeos", "--root", seed)
    assert result.out == "nothing to change: every package in 'ryeos' is already 0.1.1\n"


def test_downgrade_needs_a_flag(seed: Path, run: Run) -> None:
    result = run("bump", "0.1.0", "--root", seed)
    assert result.code == 2 and "--allow-downgrade" in result.err
    assert run("bump", "0.1.0", "--allow-downgrade", "--root", seed).code == 0
    assert run("check", "--root", seed).code == 0


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        pytest.param(["patch"], "0.1.2", id="patch"),
        pytest.param(["minor"], "0.2.0", id="minor"),
        pytest.param(["major"], "1.0.0", id="major"),
        pytest.param(["minor", "--pre", "rc"], "0.2.0rc1", id="minor-rc"),
    ],
)
def test_relative_bumps(seed: Path, run: Run, argv: list[str], expected: str) -> None:
    assert run("bump", *argv, "--root", seed).code == 0
    workspace = versync.scan(seed)
    assert {str(p.published_version) for p in workspace.groups["ryeos"]} == {expected}
    assert workspace.check() == []


def test_relative_bump_of_an_inconsistent_target_is_refused(seed: Path, run: Run) -> None:
    replace_in(seed / "ryeos-cli/pyproject.toml", '"0.1.1"', '"0.1.0"')
    result = run("bump", "patch", "--root", seed)
    assert result.code == 2
    assert "give an explicit version, or run `versync fix` first" in result.err


def test_bump_one_package(seed: Path) -> None:
    assert bump(seed, "0.3.1", package="registry-api") == ["services/registry-api/pyproject.toml"]


def test_dry_run_prints_a_diff_and_writes_nothing(seed: Path, run: Run) -> None:
    before = snapshot(seed)
    result = run("bump", "0.1.2", "--dry-run", "--root", seed)
    assert result.code == 0 and snapshot(seed) == before
    assert "--- a/lillux/proc/Cargo.toml\n+++ b/lillux/proc/Cargo.toml\n" in result.out
    assert '-version = "0.1.1"\n+version = "0.1.2"\n' in result.out
    assert result.out.count("\n+++ b/") + result.out.startswith("+++") == len(
        VERSION_FILES + SEED_LOCKS
    )


# --- fix -------------------------------------------------------------------------------------


def test_fix_repairs_every_drift_of_the_seed(tmp_path: Path, run: Run) -> None:
    root = write_seed(tmp_path / "repo", "0.1.2")
    replace_in(root / "lillux/proc/pyproject.toml", '"0.1.2"', '"0.1.1"')  # maturin left behind
    replace_in(
        root / "ryeos/bundles/web/ryeos_web/bundle.py", '"0.1.2"', '"0.1.1"'
    )  # bundle forgotten
    replace_in(root / "ryeos-cli/pyproject.toml", '"0.1.2"', '"0.1.1"')  # part of the set
    replace_in(root / "lillux/watch/Cargo.lock", '"0.1.2"', '"0.1.1"')  # lock behind
    replace_in(
        root / "ryeos/bundles/web/pyproject.toml", '"ryeos==0.1.2"', '"ryeos==0.1.0"'
    )  # stale pin
    assert run("check", "--root", root).code == 1
    result = run("fix", "--root", root)
    assert result.code == 1
    assert result.out.splitlines() == [
        "lillux/proc/pyproject.toml",
        "lillux/watch/Cargo.lock",
        "ryeos-cli/pyproject.toml",
        "ryeos/bundles/web/pyproject.toml",
        "ryeos/bundles/web/ryeos_web/bundle.py",
        "fixed 6 findings: 5 files",
    ]
    assert snapshot(root) == snapshot(write_seed(tmp_path / "expected", "0.1.2"))
    assert run("fix", "--root", root).code == 0


def test_fix_leaves_what_needs_a_decision_and_says_so(seed: Path, run: Run) -> None:
    replace_in(seed / "lillux/watch/Cargo.toml", 'name = "lillux-watch"', 'name = "lillux-watcher"')
    result = run("fix", "--root", seed)
    assert result.code == 1  # a finding remains: the fix hook must not pass the commit
    lines = result.out.splitlines()
    assert lines[0].startswith(
        "lillux/watch/Cargo.lock:1:1: lillux-watch: lillux/watch/Cargo.lock has no entry for "
        "lillux-watcher"
    )
    assert lines[1:] == ["nothing fixed: 1 finding needs a decision"]


# --- all or nothing --------------------------------------------------------------------------


def test_a_read_only_file_in_the_middle_leaves_every_file_as_it_was(seed: Path, run: Run) -> None:
    before = snapshot(seed)
    (seed / "ryeos-cli/pyproject.toml").chmod(0o444)
    result = run("bump", "0.1.2", "--root", seed)
    assert result.code == 2
    assert (
        result.err
        == "versync: ryeos-cli/pyproject.toml: cannot write: the file is read-only; no file was changed\n"
    )
    assert snapshot(seed) == before
    assert not [p for p in seed.rglob("*.versync")]


@pytest.mark.parametrize(
    "racy", [True, False], ids=["files-moments-old-compared-by-bytes", "older-files-by-stamp"]
)
@pytest.mark.parametrize("keep_mtime", [True, False], ids=["same-size-same-mtime", "plain-edit"])
def test_a_file_edited_between_scan_and_write_is_detected(
    seed: Path, monkeypatch: pytest.MonkeyPatch, racy: bool, keep_mtime: bool
) -> None:
    if not racy:
        monkeypatch.setattr(cache, "_RACY_NS", 0)
    plan = versync.scan(seed).bump("0.1.2")
    assert all((change.stamp is None) == racy for change in plan.files)
    path = seed / "ryeos-mcp/pyproject.toml"
    stat_before = path.stat()
    replace_in(path, "pyyaml>=6.0", "pyyaml>=6.1")
    if keep_mtime:
        os.utime(path, ns=(stat_before.st_atime_ns, stat_before.st_mtime_ns))
    before = snapshot(seed)
    with pytest.raises(
        PlanError, match=r"ryeos-mcp/pyproject\.toml: changed on disk since it was read"
    ):
        plan.apply()
    assert snapshot(seed) == before


def test_unchanged_stamps_spare_reading_the_files_again(
    seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "_RACY_NS", 0)
    plan = versync.scan(seed).bump("0.1.2")
    touched = seed / "ryeos-cli/pyproject.toml"
    os.utime(touched, ns=(1, touched.stat().st_mtime_ns + 1))  # same bytes, new stamp
    compared: list[str] = []
    real_read = write_module.read_bytes

    def recording_read(path: str, expected_size: int = 0) -> bytes:
        compared.append(os.path.relpath(path, seed))
        return real_read(path, expected_size)

    monkeypatch.setattr(write_module, "read_bytes", recording_read)
    assert len(plan.apply()) == len(plan.files) > 10
    assert compared == ["ryeos-cli/pyproject.toml"]
    assert versync.scan(seed).check() == []


def test_an_interrupt_while_writing_puts_back_the_files_already_written(
    seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = versync.scan(seed).bump("0.1.2")
    before = snapshot(seed)
    real_overwrite = write_module._overwrite
    calls: list[str] = []

    def interrupted_on_third_file(path: str, offset: int, data: bytes, fd: int) -> None:
        calls.append(path)
        real_overwrite(path, offset, data, fd)
        if len(calls) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(write_module, "_overwrite", interrupted_on_third_file)
    with pytest.raises(KeyboardInterrupt):
        plan.apply()
    assert len(calls) == 3 + 3  # three written, then those three put back
    assert snapshot(seed) == before


def test_a_failed_restore_is_named(seed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing the third file fails, and so does putting the first one back."""
    plan = versync.scan(seed).bump("0.1.2")
    real_overwrite = write_module._overwrite
    calls: list[str] = []

    def failing(path: str, offset: int, data: bytes, fd: int) -> None:
        calls.append(os.path.relpath(path, seed))
        if len(calls) in (3, 5):
            raise OSError(28, "No space left on device")
        real_overwrite(path, offset, data, fd)

    monkeypatch.setattr(write_module, "_overwrite", failing)
    first, second, third = (change.path for change in plan.files[:3])
    with pytest.raises(ApplyError) as raised:
        plan.apply()
    assert str(raised.value) == (
        f"{third}: cannot write: No space left on device; could not restore {first}"
    )
    assert calls == [first, second, third, second, first]
    assert (seed / second).read_bytes() == next(c.old for c in plan.files if c.path == second)


def test_a_file_removed_after_planning_stops_the_write(seed: Path) -> None:
    plan = versync.scan(seed).bump("0.1.2")
    before = snapshot(seed)
    (seed / "ryeos-mcp/pyproject.toml").unlink()
    with pytest.raises(PlanError, match=r"ryeos-mcp/pyproject\.toml: cannot read it again"):
        plan.apply()
    assert snapshot(seed) == {k: v for k, v in before.items() if k != "ryeos-mcp/pyproject.toml"}


def test_file_mode_is_kept(seed: Path) -> None:
    path = seed / "ryeos-cli/pyproject.toml"
    path.chmod(0o640)
    bump(seed, "0.1.2")
    assert path.stat().st_mode & 0o777 == 0o640


FULL_DISK = """
import resource, signal, sys
from versync._cli import main
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (300, 300))
sys.exit(main(["bump", sys.argv[2], "--root", sys.argv[1]]))
"""


@pytest.mark.parametrize(
    ("new_version", "padding_before"),
    [
        pytest.param("10.0.0", False, id="longer-version-written-via-temporary-file"),
        pytest.param("2.0.0", True, id="same-length-version-overwritten-in-place"),
    ],
)
def test_a_write_failing_midway_restores_the_files_already_written(
    tmp_path: Path, new_version: str, padding_before: bool
) -> None:
    """A file-size limit of 300 bytes makes the second write fail as a full disk would (EFBIG):
    the temporary copy of b outgrows it, or b's version lies beyond it."""
    write(tmp_path / "a/pyproject.toml", '[project]\nname = "a"\nversion = "1.0.0"\n')
    padding = "# padding\n" * 40
    b_text = '[project]\nname = "b"\nversion = "1.0.0"\n'
    b_text = padding + b_text if padding_before else b_text + padding
    write(tmp_path / "b/pyproject.toml", b_text)
    before = snapshot(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(tmp_path), new_version],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert (
        result.stderr
        == "versync: b/pyproject.toml: cannot write: File too large; no file was changed\n"
    )
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.rglob("*")) == [
        "a",
        "b",
        "pyproject.toml",
        "pyproject.toml",
    ]


def test_a_same_length_bump_keeps_each_file_and_its_hard_links(seed: Path) -> None:
    path = seed / "ryeos-cli/pyproject.toml"
    link = seed.parent / "hard-link-to-cli-pyproject.toml"
    os.link(path, link)
    inode = path.stat().st_ino
    bump(seed, "0.1.2")
    assert path.stat().st_ino == inode
    assert link.read_bytes() == path.read_bytes() and b'version = "0.1.2"' in link.read_bytes()


def test_a_longer_version_keeps_the_file_mode(seed: Path) -> None:
    path = seed / "ryeos-cli/pyproject.toml"
    path.chmod(0o640)
    bump(seed, "0.1.10")
    assert path.stat().st_mode & 0o777 == 0o640
    assert b'version = "0.1.10"' in path.read_bytes()


def test_poetry_sibling_pins_follow(tmp_path: Path) -> None:
    write(tmp_path / "a/pyproject.toml", '[tool.poetry]\nname = "pa"\nversion = "0.1.1"\n')
    write(
        tmp_path / "b/pyproject.toml",
        '[tool.poetry]\nname = "pb"\nversion = "0.1.1"\n\n[tool.poetry.dependencies]\npython = "^3.11"\npa = "0.1.1"\n\n[tool.poetry.group.dev.dependencies]\npa = { version = "^0.1.1", path = "../a" }\n',
    )
    bump(tmp_path, "0.2.0")
    text = (tmp_path / "b/pyproject.toml").read_text()
    assert 'pa = "0.2.0"\n' in text and 'pa = { version = "^0.2.0", path = "../a" }' in text
    assert versync.scan(tmp_path).check() == []


def test_fix_dry_run_shows_the_diff_and_exits_1(tmp_path: Path, run: Run) -> None:
    root = write_seed(tmp_path / "repo")
    replace_in(root / "ryeos-cli/pyproject.toml", '"0.1.1"', '"0.1.0"')
    before = snapshot(root)
    result = run("fix", "--dry-run", "--root", root)
    assert result.code == 1 and snapshot(root) == before
    assert result.out == (
        "--- a/ryeos-cli/pyproject.toml\n+++ b/ryeos-cli/pyproject.toml\n@@ -4,7 +4,7 @@\n \n"
        ' [project]\n name = "ryeos-cli"\n-version = "0.1.0"\n+version = "0.1.1"\n'
        ' description = "ryeos-cli, part of Rye OS"\n readme = "README.md"\n requires-python = ">=3.11"\n'
    )


def test_fix_leaves_invalid_versions_alone(tmp_path: Path, run: Run) -> None:
    root = write_seed(tmp_path / "repo")
    replace_in(root / "ryeos/bundles/web/ryeos_web/bundle.py", '"0.1.1"', '"0.1.x"')
    replace_in(root / "ryeos/bundles/web/pyproject.toml", '"0.1.1"', '"0.1.0"')
    result = run("fix", "--root", root)
    assert result.code == 1
    assert result.out.splitlines() == [
        "ryeos/bundles/web/pyproject.toml",
        "ryeos/bundles/web/ryeos_web/bundle.py:7:17: ryeos-web: '0.1.x' is not a valid PEP 440 "
        "version (found 0.1.x, expected a PEP 440 version) [invalid-version]",
        "fixed 1 finding: 1 file",
    ]
    assert '"version": "0.1.x"' in (root / "ryeos/bundles/web/ryeos_web/bundle.py").read_text()


def hatch_pattern_package(root: Path, version_file: str) -> Path:
    write(
        root / "pyproject.toml",
        HATCH + '[project]\nname = "a"\ndynamic = ["version"]\n[tool.hatch.version]\n'
        'path = "a.py"\npattern = "release: (?P<version>[^ ]+)"\n',
    )
    write(root / "a.py", version_file)
    return root


def test_a_version_inside_a_docstring_is_rewritten_after_a_full_parse(tmp_path: Path) -> None:
    root = hatch_pattern_package(tmp_path, '"""a.\n\nrelease: 3.0.1 (stable)\n"""\n')
    assert bump(root, "3.1.0") == ["a.py"]
    assert (root / "a.py").read_text() == '"""a.\n\nrelease: 3.1.0 (stable)\n"""\n'


def test_a_version_outside_any_string_is_refused(tmp_path: Path) -> None:
    root = hatch_pattern_package(tmp_path, "# release: 3.0.1 (stable)\nX = 1\n")
    before = snapshot(root)
    with pytest.raises(
        PlanError, match=r"a\.py: the rewritten file does not read back '3\.1\.0' in a string"
    ):
        bump(root, "3.1.0")
    assert snapshot(root) == before
