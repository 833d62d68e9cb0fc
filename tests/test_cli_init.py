"""`versync init`: the groups versync sees today, written down; check and list unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import versync
from tests.conftest import Run, replace_in, write
from tests.seedrepo import write_seed
from tests.test_history import commit_all, git
from versync.change.init import plan_init
from versync.records import Note

# The seed's publishable packages, in the order versync lists them.
SEED_GROUP = [
    "lillux",
    "lillux-proc",
    "lillux-watch",
    "ryeos-engine",
    "ryeos-cli",
    "ryeos-mcp",
    "ryeos-code",
    "ryeos-core",
    "ryeos",
    "ryeos-web",
]
SEED_CONFIG = """\
# versync: packages released together, written by `versync init`

[groups]
# released together in {commit}
lillux = [
    "lillux",
    "lillux-proc",
    "lillux-watch",
    "ryeos-engine",
    "ryeos-cli",
    "ryeos-mcp",
    "ryeos-code",
    "ryeos-core",
    "ryeos",
    "ryeos-web",
]
"""


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    """The release guide's layout with no configuration, in git, released together once
    (0.1.0, then 0.1.1 for all in one commit): what versync infers is what init writes."""
    root = write_seed(tmp_path / "repo", "0.1.0", groups=False)
    git(root, "init", "-q")
    commit_all(root, "0.1.0")
    write_seed(root, "0.1.1", groups=False)
    commit_all(root, "release 0.1.1")
    return root


def table(listed: str) -> list[str]:
    """`versync list` less the lines saying a group was inferred (init records it)."""
    return [line for line in listed.splitlines() if " inferred: " not in line]


def seed_config(root: Path) -> str:
    return SEED_CONFIG.format(commit=git(root, "rev-parse", "--short=7", "HEAD"))


def test_init_writes_todays_groups_and_check_and_list_stay_the_same(seed: Path, run: Run) -> None:
    replace_in(seed / "ryeos-cli/pyproject.toml", '"0.1.1"', '"0.1.0"')  # a finding to keep
    listed, checked = run("list", "--root", seed), run("check", "--root", seed, "--json")
    result = run("init", "--root", seed)
    assert (result.code, result.out) == (0, "versync.toml: groups lillux (10)\n")
    assert (seed / "versync.toml").read_text() == seed_config(seed)
    assert table(run("list", "--root", seed).out) == table(listed.out)
    after = run("check", "--root", seed, "--json")
    assert (after.code, _places(after.out)) == (1, _places(checked.out))


def _places(out: str) -> list[tuple[str, str, int, str]]:
    """Each finding's code, file, line and found value (the messages of a group that was
    inferred say so; once init has written it down, they no longer do)."""
    findings = json.loads(out)["findings"]
    return [(f["code"], f["file"], f["line"], f["found"]) for f in findings]


def test_refuses_to_replace_groups_without_force(seed: Path, run: Run) -> None:
    config = '# ours\npins = "fix"  # keep\n\n[groups]\nkernel = ["lillux*"]\ncore = ["ryeos*"]\n'
    write(seed / "versync.toml", config)
    refused = run("init", "--root", seed)
    assert refused.code == 2
    assert (
        refused.err
        == "versync: versync.toml already has groups: versync init --force replaces them\n"
    )
    assert (seed / "versync.toml").read_text() == config
    listed = run("list", "--root", seed).out
    assert run("init", "--root", seed, "--force").code == 0
    text = (seed / "versync.toml").read_text()
    assert text.startswith('# ours\npins = "fix"  # keep\n')
    assert (
        '# as configured in versync.toml\nkernel = ["lillux", "lillux-proc", "lillux-watch"]\n'
        in text
    )
    assert run("list", "--root", seed).out == listed


def test_pyproject_keeps_its_comments_and_formatting(seed: Path, run: Run) -> None:
    original = '# the workspace root\n[tool.ruff]\nline-length = 90   # wide\n\n[tool.versync]\npins = "track"\n'
    write(seed / "pyproject.toml", original)
    listed = run("list", "--root", seed).out
    result = run("init", "--root", seed, "--pyproject", "--json")
    assert result.code == 0
    assert json.loads(result.out) == {
        "path": "pyproject.toml",
        "written": True,
        "groups": {"lillux": SEED_GROUP},
        "exclude": [],
    }
    text = (seed / "pyproject.toml").read_text()
    assert text.startswith(original)
    assert "[tool.versync.groups]\n# released together in " in text
    assert table(run("list", "--root", seed).out) == table(listed)
    assert run("check", "--root", seed).code == 0


def test_pyproject_refusals(seed: Path, run: Run) -> None:
    missing = run("init", "--root", seed, "--pyproject")
    assert (missing.code, missing.err) == (
        2,
        "versync: no pyproject.toml at the root: run versync init without --pyproject\n",
    )
    write(seed / "pyproject.toml", "[tool.other]\n")
    write(seed / "versync.toml", 'pins = "track"\n')
    shadowed = run("init", "--root", seed, "--pyproject")
    assert shadowed.code == 2 and "versync.toml exists and takes precedence" in shadowed.err


def test_dry_run_writes_nothing(seed: Path, run: Run) -> None:
    result = run("init", "--root", seed, "--dry-run")
    assert (result.code, result.out) == (0, seed_config(seed))
    assert not (seed / "versync.toml").exists()


def test_template_folders_become_excludes(seed: Path) -> None:
    workspace = versync.scan(seed)
    notes = [
        Note(code="template", message="skipped", file="templates/app/pyproject.toml"),
        Note(code="fixture", message="skipped", file="tests/fixtures/crate.v2/Cargo.toml"),
        Note(code="fixture", message="skipped", file="tests/data/v1.2"),
        Note(code="vendored", message="kept", file="vendor"),
    ]
    planned = plan_init(seed.as_posix(), workspace.model._replace(notes=notes), workspace.config)
    assert planned.exclude == ["templates/app", "tests/data/v1.2", "tests/fixtures/crate.v2"]
    assert (
        'exclude = ["templates/app", "tests/data/v1.2", "tests/fixtures/crate.v2"]\n'
        in planned.text
    )


def test_no_groups_is_written_as_an_empty_table(tmp_path: Path, run: Run) -> None:
    write(tmp_path / "a/pyproject.toml", '[project]\nname = "a"\nversion = "1.0"\n')
    write(tmp_path / "versync.toml", 'independent = ["*"]\n')
    listed = run("list", "--root", tmp_path).out
    assert run("init", "--root", tmp_path, "--force").code == 0
    text = (tmp_path / "versync.toml").read_text()
    assert text.endswith("[groups]\n# no lockstep groups: every package is released on its own\n")
    assert run("list", "--root", tmp_path).out == listed
