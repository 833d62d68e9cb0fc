"""Globs: one translator for config globs and Cargo members, checked against cargo and git."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import write
from versync._cli import main
from versync.formats import read_manifest
from versync.model.cargo import is_member
from versync.syntax.globs import excluded, glob


@pytest.mark.parametrize(
    ("pattern", "name", "matches"),
    [
        ("crates/*", "crates/a", True),
        ("crates/*", "crates/a/b", False),
        ("crates/**", "crates/a/b", True),
        ("**/tests", "a/b/tests", True),
        ("**/tests", "tests", True),
        ("crates/?", "crates/a", True),
        ("crates/?", "crates/ab", False),
        ("crates/[a-m]*", "crates/alpha", True),
        ("crates/[a-m]*", "crates/zeta", False),
        ("crates/[!a-m]*", "crates/zeta", True),
        ("crates/[!a-m]*", "crates/alpha", False),
        ("crates/[^a-m]*", "crates/zeta", True),
        ("a[]b]c", "a]c", True),
        ("a[!/]c", "a/c", False),
        ("a[/]c", "a/c", False),
        ("[abc", "[abc", True),
        ("a.b", "aXb", False),
        ("lib[+]", "lib+", True),
        ("x[\\]y", "x\\y", True),
    ],
    ids=lambda value: repr(value) if isinstance(value, str) else str(value),
)
def test_glob_table(pattern: str, name: str, matches: bool) -> None:
    assert bool(glob(pattern).fullmatch(name)) is matches


@pytest.mark.parametrize(
    ("rules", "path", "left_out"),
    [
        pytest.param((), "a/pyproject.toml", False, id="no-rules"),
        pytest.param(("examples/**",), "examples/x/pyproject.toml", True, id="glob-below"),
        pytest.param(("examples",), "examples/x/pyproject.toml", True, id="folder-above"),
        pytest.param(
            ("examples/**", "!examples/keep/**"), "examples/keep/pyproject.toml", False,
            id="taken-back-inside-an-excluded-folder",
        ),
        pytest.param(
            ("examples/**", "!examples/keep/**"), "examples/other/pyproject.toml", True,
            id="the-rest-stays-excluded",
        ),
        pytest.param(("!a", "a"), "a/pyproject.toml", True, id="the-last-match-wins"),
        pytest.param(("a", "!a"), "a/pyproject.toml", False, id="the-last-match-wins-back"),
        pytest.param(("fixtures/[0-9]*",), "fixtures/7z/Cargo.toml", True, id="class"),
        pytest.param(("fixtures/[!0-9]*",), "fixtures/7z/Cargo.toml", False, id="negated-class"),
    ],
)  # fmt: skip
def test_exclude_rules(rules: tuple[str, ...], path: str, left_out: bool) -> None:
    assert excluded(path, rules) is left_out


segments = st.from_regex(r"[ab_-][ab._-]{0,2}", fullmatch=True)
patterns = st.lists(
    st.sampled_from(["a", "b", "*", "?", "[ab]", "[!a]", "**", "a*", "[a-b]?"]),
    min_size=1,
    max_size=3,
).map("/".join)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@given(st.lists(patterns, min_size=1, max_size=3), st.lists(segments, min_size=1, max_size=3))
def test_exclude_agrees_with_git_where_git_can_answer(rules: list[str], parts: list[str]) -> None:
    """Without `!`, versync's exclude rules say what a `.gitignore` anchored at the root says
    (patterns with a slash, as versync's are repository-relative)."""
    path = "/".join(parts)
    anchored = [f"/{rule}" for rule in rules]
    answer = subprocess.run(
        ["git", "check-ignore", "--no-index", "-q", "--stdin"],
        input=path,
        text=True,
        cwd=_git_repo_with_ignore("\n".join(anchored)),
        check=False,
    )
    assert excluded(path, rules) is (answer.returncode == 0)


_REPOS: dict[str, Path] = {}


def _git_repo_with_ignore(ignore: str) -> Path:
    import tempfile

    if ignore not in _REPOS:
        folder = Path(tempfile.mkdtemp())
        subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
        (folder / ".gitignore").write_text(ignore + "\n")
        _REPOS[ignore] = folder
    return _REPOS[ignore]


def _crate(root: Path, folder: str) -> None:
    name = folder.rsplit("/", 1)[-1]
    write(root / folder / "Cargo.toml", f'[package]\nname = "c-{name}"\nversion = "0.1.0"\n')
    write(root / folder / "src/lib.rs", "")


@pytest.mark.skipif(shutil.which("cargo") is None, reason="needs cargo")
@pytest.mark.parametrize(
    ("members", "exclude"),
    [
        pytest.param(["crates/[a-m]*"], [], id="class"),
        pytest.param(["crates/[!a-m]*"], [], id="negated-class"),
        pytest.param(["crates/*"], ["crates/mid"], id="exclude-is-a-path"),
        pytest.param(["crates/?x*"], [], id="question-mark"),
        pytest.param(["crates/*", "nested/*"], ["nested/deep"], id="two-globs-and-an-exclude"),
        pytest.param(["crates/alpha", "nested/two"], [], id="plain-paths"),
    ],
)
def test_cargo_members_as_cargo_reads_them(
    tmp_path: Path, members: list[str], exclude: list[str]
) -> None:
    folders = [
        "crates/alpha",
        "crates/mid",
        "crates/zeta",
        "crates/ox",
        "nested/deep",
        "nested/two",
    ]
    for folder in folders:
        _crate(tmp_path, folder)
    text = f'[workspace]\nmembers = {json.dumps(members)}\nexclude = {json.dumps(exclude)}\nresolver = "2"\n'
    write(tmp_path / "Cargo.toml", text)
    metadata = subprocess.run(
        ["cargo", "metadata", "--no-deps", "--offline", "--format-version", "1"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert metadata.returncode == 0, metadata.stderr
    by_cargo = sorted(p["name"][2:] for p in json.loads(metadata.stdout)["packages"])
    manifest = read_manifest("Cargo.toml", text)
    by_versync = sorted(f.rsplit("/", 1)[-1] for f in folders if is_member(manifest, f))
    assert by_versync == by_cargo


def test_a_member_glob_with_a_class_is_checked_not_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        tmp_path / "crates/alpha/Cargo.toml",
        '[package]\nname = "alpha"\nversion.workspace = true\n',
    )
    write(
        tmp_path / "Cargo.toml",
        '[workspace]\nmembers = ["crates/[a-m]*"]\n[workspace.package]\nversion = "1.2.3"\n',
    )
    assert main(["check", "--root", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "1 package checked: all versions agree\n"


def test_an_excluded_folder_can_be_taken_back_in_the_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder, version in (("extras/keep", "2.0"), ("extras/demo", "9.9")):
        write(
            tmp_path / folder / "pyproject.toml",
            f'[project]\nname = "{folder[7:]}"\nversion = "{version}"\n',
        )
    write(tmp_path / "versync.toml", 'exclude = ["extras/**", "!extras/keep/**"]\n')
    assert main(["list", "--root", str(tmp_path)]) == 0
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()] == ["PACKAGE", "keep"]
