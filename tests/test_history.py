"""Groups inferred from release history and repair by intent, in real git repositories."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import versync
from tests.conftest import Run, replace_in, snapshot, write
from versync._fs import history

ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
}
HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=root, env=ENV, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def commit_all(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message, "--no-verify")
    return git(root, "rev-parse", "HEAD")


def python_package(root: Path, name: str, version: str, requires: str = "") -> Path:
    dependencies = f'dependencies = ["{requires}"]\n' if requires else ""
    return write(
        root / name / "pyproject.toml",
        HATCH + f'[project]\nname = "{name}"\nversion = "{version}"\n{dependencies}',
    )


def set_version(root: Path, name: str, old: str, new: str) -> None:
    replace_in(root / name / "pyproject.toml", f'version = "{old}"', f'version = "{new}"')


@pytest.fixture
def released(tmp_path: Path) -> tuple[Path, str]:
    """ryeos-core and ryeos-web created at 0.1.0, then released together as 0.2.0; lone
    created at 0.2.0 beside them and never released."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    python_package(root, "ryeos-core", "0.1.0")
    python_package(root, "ryeos-web", "0.1.0", "ryeos-core==0.1.0")
    commit_all(root, "create")
    python_package(root, "lone", "0.2.0")
    commit_all(root, "lone")
    set_version(root, "ryeos-core", "0.1.0", "0.2.0")
    set_version(root, "ryeos-web", "0.1.0", "0.2.0")
    replace_in(root / "ryeos-web/pyproject.toml", "ryeos-core==0.1.0", "ryeos-core==0.2.0")
    release = commit_all(root, "release 0.2.0")
    return root, release


def groups(root: Path) -> dict[str, list[str]]:
    workspace = versync.scan(root)
    return {name: [p.name for p in members] for name, members in workspace.groups.items()}


def test_packages_released_together_are_one_group_named_by_their_prefix(
    released: tuple[Path, str], run: Run
) -> None:
    root, release = released
    assert groups(root) == {"ryeos": ["ryeos-core", "ryeos-web"]}
    assert versync.scan(root).model.inferred == {"ryeos": release}
    listed = run("list", "--root", root)
    assert "ryeos-core  0.2.0    ryeos  hatchling  ryeos-core" in listed.out.splitlines()
    assert "lone        0.2.0    -      hatchling  lone" in listed.out.splitlines()
    assert listed.out.splitlines()[-1] == (
        f"group 'ryeos' inferred: its packages were released together in commit {release[:12]} "
        "(record it under [groups] in versync.toml to make it explicit)"
    )
    document = json.loads(run("list", "--json", "--root", root).out)
    assert document["groups"] == {
        "ryeos": {"packages": ["ryeos-core", "ryeos-web"], "inferred_from": release}
    }
    assert run("check", "--root", root).code == 0


def test_one_package_bumped_by_hand_is_drift_reported_on_the_one_left_behind(
    released: tuple[Path, str], run: Run
) -> None:
    root, release = released
    set_version(root, "ryeos-core", "0.2.0", "0.2.1")
    finding, pin = versync.scan(root).check()
    assert (finding.code, finding.file, finding.found, finding.expected) == (
        "group-drift",
        "ryeos-web/pyproject.toml",
        "0.2.0",
        "0.2.1",
    )
    assert (pin.code, pin.found) == ("pin-mismatch", "==0.2.0")
    assert finding.message.startswith(
        "ryeos-web/pyproject.toml is 0.2.0: this change bumped ryeos-core's pyproject.toml to 0.2.1"
    )
    assert f"inferred from commit {release[:12]}" in finding.message
    assert "[groups] in versync.toml" in finding.message
    result = run("fix", "--root", root)
    assert result.code == 1
    assert result.out.splitlines() == [
        "ryeos-web/pyproject.toml",
        "fixed 2 findings: 1 file",
    ]
    text = (root / "ryeos-web/pyproject.toml").read_text()
    assert 'version = "0.2.1"' in text and "ryeos-core==0.2.1" in text
    assert run("fix", "--root", root).code == 0


def test_a_partial_bump_committed_past_the_hook_is_caught_with_base(
    released: tuple[Path, str], run: Run
) -> None:
    root, release = released
    set_version(root, "ryeos-core", "0.2.0", "0.3.0")
    commit_all(root, "bump core only")
    # At HEAD the two were not released together any more: no group, no drift...
    assert "[group-drift]" not in run("check", "--root", root).out
    # ...but the change under review, judged against its base, is a partial release.
    result = run("check", "--root", root, "--base", release)
    assert result.code == 1
    assert "ryeos-web/pyproject.toml:7:12: ryeos-web: ryeos-web/pyproject.toml is 0.2.0" in (
        result.out
    )
    fixed = run("fix", "--root", root, "--base", release)
    assert (
        fixed.code == 1 and 'version = "0.3.0"' in (root / "ryeos-web/pyproject.toml").read_text()
    )
    assert run("check", "--root", root, "--base", release).code == 0


def test_packages_created_together_and_never_released_are_independent(
    tmp_path: Path, run: Run
) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    python_package(root, "a-one", "0.1.0")
    python_package(root, "a-two", "0.1.0")
    commit_all(root, "together")
    python_package(root, "a-three", "0.1.0")
    commit_all(root, "apart")
    assert groups(root) == {}
    set_version(root, "a-one", "0.1.0", "0.5.0")  # an independent release: the owner's call
    assert versync.scan(root).check() == []
    assert run("check", "--root", root).code == 0


def test_a_shallow_clone_infers_nothing_and_says_why(
    released: tuple[Path, str], tmp_path: Path, run: Run
) -> None:
    root, _ = released
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{root}", str(clone))
    workspace = versync.scan(clone)
    assert workspace.groups == {}
    [note] = workspace.notes
    assert note.code == "groups-not-inferred" and "shallow clone" in note.message
    assert "git fetch --unshallow" in note.message and "[groups] in versync.toml" in note.message
    verbose = run("check", "-v", "--root", clone)
    assert verbose.code == 0 and "shallow clone" in verbose.out


def test_outside_git_nothing_is_inferred(tmp_path: Path) -> None:
    python_package(tmp_path, "b-one", "0.1.0")
    python_package(tmp_path, "b-two", "0.2.0")
    workspace = versync.scan(tmp_path)
    assert workspace.groups == {}
    assert [n.message.split(";")[0] for n in workspace.notes] == [
        "groups not inferred: not a git repository"
    ]
    assert workspace.check() == []


def test_explicit_groups_turn_inference_off_and_independent_takes_packages_out(
    released: tuple[Path, str],
) -> None:
    root, _ = released
    write(root / "versync.toml", 'independent = ["ryeos-web"]\n')
    assert groups(root) == {}
    write(root / "versync.toml", '[groups]\nall = ["lone", "ryeos-*"]\n')
    assert groups(root) == {"all": ["lone", "ryeos-core", "ryeos-web"]}


def test_the_answer_is_cached_per_commit_and_reused_as_head_moves(
    released: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, release = released
    assert groups(root) == {"ryeos": ["ryeos-core", "ryeos-web"]}
    stored = json.loads((root / ".git/versync/history.json").read_text())
    assert list(stored["commits"]) == [release]
    write(root / "README.md", "docs\n")
    moved = commit_all(root, "docs only")
    walks: list[list[history.Track]] = []
    real_walk = history._walk

    def counting_walk(*args: object) -> object:
        walks.append(list(args[2]))  # type: ignore[call-overload]
        return real_walk(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(history, "_walk", counting_walk)
    assert groups(root) == {"ryeos": ["ryeos-core", "ryeos-web"]}  # from the ancestor's answer
    assert walks == []
    stored = json.loads((root / ".git/versync/history.json").read_text())
    assert list(stored["commits"]) == [release, moved]


# --- intent ------------------------------------------------------------------------------------


@pytest.fixture
def core(tmp_path: Path) -> Path:
    """An explicit group `core` of three packages at 0.3.0, committed."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    for name in ("c-a", "c-b", "c-c"):
        python_package(root, name, "0.3.0")
    write(root / "versync.toml", '[groups]\ncore = ["c-*"]\n')
    commit_all(root, "core 0.3.0")
    return root


def test_a_next_version_propagates_to_the_group(core: Path, run: Run) -> None:
    set_version(core, "c-b", "0.3.0", "0.4.0rc1")
    assert [(f.file, f.expected, f.fixable) for f in versync.scan(core).check()] == [
        ("c-a/pyproject.toml", "0.4.0rc1", True),
        ("c-c/pyproject.toml", "0.4.0rc1", True),
    ]
    assert run("fix", "--root", core).code == 1
    assert versync.scan(core).check() == []


def test_a_jump_is_refused_on_the_edited_file(core: Path, run: Run) -> None:
    set_version(core, "c-b", "0.3.0", "9.3.0")
    [finding] = versync.scan(core).check()
    assert (finding.code, finding.file, finding.fixable) == (
        "group-drift",
        "c-b/pyproject.toml",
        False,
    )
    assert "edited from 0.3.0 to 9.3.0, not a next version of group 'core'" in finding.message
    before = snapshot(core)
    result = run("fix", "--root", core)
    assert result.code == 1 and snapshot(core) == before
    assert "to settle it: versync bump 9.3.0 --group core" in result.out.splitlines()
    footer = run("check", "--root", core).out.splitlines()[-1]
    assert footer == "1 needs a person (group-drift): as each line says"


def test_a_downgrade_is_refused(core: Path) -> None:
    set_version(core, "c-a", "0.3.0", "0.2.9")
    assert [(f.file, f.fixable) for f in versync.scan(core).check()] == [
        ("c-a/pyproject.toml", False)
    ]


def test_two_different_next_versions_are_refused(core: Path, run: Run) -> None:
    set_version(core, "c-a", "0.3.0", "0.3.1")
    set_version(core, "c-b", "0.3.0", "0.4.0")
    assert [(f.file, f.fixable) for f in versync.scan(core).check()] == [
        ("c-a/pyproject.toml", False),
        ("c-b/pyproject.toml", False),
    ]
    lines = run("fix", "--root", core).out.splitlines()
    assert "to settle it: versync bump 0.3.1 --group core --allow-downgrade" in lines
    assert "to settle it: versync bump 0.4.0 --group core" in lines


def test_without_intent_a_tie_is_refused_and_a_majority_wins(tmp_path: Path, run: Run) -> None:
    for name, version in [("t-a", "1.0.0"), ("t-b", "1.0.0"), ("t-c", "2.0.0"), ("t-d", "2.0.0")]:
        python_package(tmp_path, name, version)
    write(tmp_path / "versync.toml", '[groups]\nt = ["t-*"]\n')
    before = snapshot(tmp_path)
    result = run("fix", "--root", tmp_path)
    assert result.code == 1 and snapshot(tmp_path) == before
    assert [line for line in result.out.splitlines() if line.startswith("to settle")] == [
        "to settle it: versync bump 1.0.0 --group t --allow-downgrade",
        "to settle it: versync bump 2.0.0 --group t",
    ]
    for command in ("bump 1.0.0 --group t --allow-downgrade", "bump 2.0.0 --group t"):
        # Each printed command runs as printed and settles the group.
        assert run(*command.split(), "--root", tmp_path).code == 0
        assert versync.scan(tmp_path).check() == []
    for name, version in [("t-a", "1.0.0"), ("t-b", "1.0.0"), ("t-c", "2.0.0"), ("t-d", "2.0.0")]:
        python_package(tmp_path, name, version)
    set_version(tmp_path, "t-d", "2.0.0", "1.0.0")
    [finding] = versync.scan(tmp_path).check()
    assert (finding.file, finding.expected) == ("t-c/pyproject.toml", "1.0.0")
    assert "3 of 4 packages in group 't' are 1.0.0" in finding.message


MATURIN = '[build-system]\nrequires = ["maturin>=1.5"]\nbuild-backend = "maturin"\n\n'


def maturin_package(root: Path, version: str) -> None:
    write(root / "m/pyproject.toml", MATURIN + f'[project]\nname = "m"\nversion = "{version}"\n')
    write(root / "m/Cargo.toml", f'[package]\nname = "m"\nversion = "{version}"\n')


def test_cargo_bumped_and_pyproject_forgotten_in_an_independent_package(
    tmp_path: Path, run: Run
) -> None:
    git(tmp_path, "init", "-q")
    maturin_package(tmp_path, "0.1.0")
    commit_all(tmp_path, "m")
    replace_in(tmp_path / "m/Cargo.toml", '"0.1.0"', '"0.1.1"')
    [finding] = versync.scan(tmp_path).check()
    assert (finding.code, finding.file, finding.expected) == (
        "maturin-precedence",
        "m/pyproject.toml",
        "0.1.1",
    )
    assert "this change bumped m's Cargo.toml to 0.1.1" in finding.message
    assert run("fix", "--root", tmp_path).code == 1
    assert 'version = "0.1.1"' in (tmp_path / "m/pyproject.toml").read_text()


def test_an_independent_package_moved_as_a_whole_is_never_a_finding(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    maturin_package(tmp_path, "1.2.3")
    commit_all(tmp_path, "m")
    for name in ("pyproject.toml", "Cargo.toml"):
        replace_in(tmp_path / "m" / name, '"1.2.3"', '"2.0.0"')
    assert versync.scan(tmp_path).check() == []


def test_bump_package_in_a_lockstep_group_needs_allow_drift(core: Path, run: Run) -> None:
    before = snapshot(core)
    result = run("bump", "0.4.0", "--package", "c-a", "--root", core)
    assert result.code == 2 and snapshot(core) == before
    assert "group 'core'" in result.err and "--group core" in result.err
    assert run("bump", "0.4.0", "--package", "c-a", "--allow-drift", "--root", core).code == 0
    assert 'version = "0.4.0"' in (core / "c-a/pyproject.toml").read_text()


def test_bump_without_scope_moves_each_group_and_each_package_from_its_own_version(
    core: Path, run: Run
) -> None:
    python_package(core, "solo", "1.4.2")
    result = run("bump", "minor", "--root", core)
    assert result.code == 0
    workspace = versync.scan(core)
    assert {p.name: str(p.published_version) for p in workspace.packages} == {
        "c-a": "0.4.0",
        "c-b": "0.4.0",
        "c-c": "0.4.0",
        "solo": "1.5.0",
    }
    assert result.out.splitlines()[-1] == (
        "bumped 4 packages in 1 group and 1 independent: group 'core' 0.3.0 -> 0.4.0, "
        "solo 1.4.2 -> 1.5.0; 4 files"
    )
    assert run("bump", "2.0.0", "--root", core).out.splitlines()[-1] == (
        "bumped 4 packages in 1 group and 1 independent to 2.0.0: 4 files"
    )
    expect = run("check", "--expect", "2.0.1", "--root", core)
    assert expect.code == 1 and expect.out.count("[tag-mismatch]") == 4


def test_a_jump_in_part_of_an_independent_package_is_refused(tmp_path: Path, run: Run) -> None:
    git(tmp_path, "init", "-q")
    maturin_package(tmp_path, "0.1.0")
    commit_all(tmp_path, "m")
    replace_in(tmp_path / "m/Cargo.toml", '"0.1.0"', '"0.5.0"')
    [finding] = versync.scan(tmp_path).check()
    assert (finding.code, finding.file, finding.fixable) == (
        "maturin-precedence",
        "m/Cargo.toml",
        False,
    )
    assert "not a next version of m 0.1.0" in finding.message
    before = snapshot(tmp_path)
    result = run("fix", "--root", tmp_path)
    assert result.code == 1 and snapshot(tmp_path) == before
    assert "to settle it: versync bump 0.5.0 --package m" in result.out.splitlines()


def test_an_inferred_group_is_bumped_by_its_name(released: tuple[Path, str], run: Run) -> None:
    root, _ = released
    result = run("bump", "minor", "--group", "ryeos", "--root", root)
    assert result.code == 0
    assert result.out.splitlines()[-1] == "bumped 2 packages in 1 group to 0.3.0: 2 files"
    assert 'version = "0.2.0"' in (root / "lone/pyproject.toml").read_text()


def test_without_intent_a_packages_disagreeing_manifests_follow_the_group(
    tmp_path: Path, run: Run
) -> None:
    maturin_package(tmp_path, "0.3.0")
    replace_in(tmp_path / "m/Cargo.toml", '"0.3.0"', '"0.4.0"')
    for name in ("g-a", "g-b"):
        python_package(tmp_path, name, "0.3.0")
    write(tmp_path / "versync.toml", '[groups]\ng = ["g-*", "m"]\n')
    [finding] = versync.scan(tmp_path).check()
    assert (finding.code, finding.file, finding.expected, finding.fixable) == (
        "maturin-precedence",
        "m/Cargo.toml",
        "0.3.0",
        True,
    )
    assert run("fix", "--root", tmp_path).code == 1
    assert 'version = "0.3.0"' in (tmp_path / "m/Cargo.toml").read_text()


def test_packages_are_dated_by_the_version_file_their_build_reads(tmp_path: Path, run: Run) -> None:
    git(tmp_path, "init", "-q")
    for name in ("d-one", "d-two"):
        write(
            tmp_path / name / "pyproject.toml",
            HATCH + f'[project]\nname = "{name}"\ndynamic = ["version"]\n'
            '[tool.hatch.version]\npath = "about.py"\n',
        )
        write(tmp_path / name / "about.py", '__version__ = "1.0.0"\n')
    commit_all(tmp_path, "create")
    for name in ("d-one", "d-two"):
        replace_in(tmp_path / name / "about.py", '"1.0.0"', '"1.1.0"')
    release = commit_all(tmp_path, "release 1.1.0")
    workspace = versync.scan(tmp_path)
    assert {n: [p.name for p in m] for n, m in workspace.groups.items()} == {
        "d": ["d-one", "d-two"]
    }
    assert workspace.model.inferred == {"d": release}
    replace_in(tmp_path / "d-two/about.py", '"1.1.0"', '"1.2.0"')
    [finding] = versync.scan(tmp_path).check()
    assert (finding.file, finding.expected) == ("d-one/about.py", "1.2.0")


def test_an_uncommitted_package_beside_a_released_group_changes_no_inference(
    released: tuple[Path, str],
) -> None:
    root, release = released
    python_package(root, "ryeos-new", "0.2.0")  # untracked: not part of the baseline
    workspace = versync.scan(root)
    assert workspace.model.inferred == {"ryeos": release}
    assert [p.name for p in workspace.groups["ryeos"]] == ["ryeos-core", "ryeos-web"]
    answers = json.loads((root / ".git/versync/history.json").read_text())["commits"][release]
    assert answers["pyproject\0ryeos-new/pyproject.toml"] is None  # no such file at HEAD
    assert answers["pyproject\0ryeos-core/pyproject.toml"] == ["0.2.0", release, "0.1.0"]
