"""`[[files]]` entries: which packages a file's version belongs to, and what becomes of a
file the pattern finds nothing in or that cannot be read."""

from __future__ import annotations

import subprocess
from pathlib import Path

import versync
from tests.conftest import Run, write

HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'


def project(name: str, version: str) -> str:
    return f'{HATCH}[project]\nname = "{name}"\nversion = "{version}"\n'


def file_sources(root: Path) -> dict[str, list[tuple[str, str]]]:
    """Each package's `file` sources as (file, version text)."""
    return {
        p.name: [(s.literal.file, s.literal.text) for s in p.sources if s.kind == "file"]
        for p in versync.scan(root).packages
    }


def two_packages(root: Path) -> None:
    write(root / "a/pyproject.toml", project("a", "1.0"))
    write(root / "b/pyproject.toml", project("b", "1.0"))


def test_a_rule_naming_a_group_gives_the_file_to_each_member(tmp_path: Path) -> None:
    two_packages(tmp_path)
    write(tmp_path / "docs/conf.py", 'release = "1.0"\n')
    write(
        tmp_path / "versync.toml",
        '[groups]\nab = ["a", "b"]\n[[files]]\npath = "docs/conf.py"\n'
        'search = "release = \\"{version}\\""\ngroup = "ab"\n',
    )
    assert file_sources(tmp_path) == {
        "a": [("docs/conf.py", "1.0")],
        "b": [("docs/conf.py", "1.0")],
    }


def test_without_owner_the_only_group_owns_the_file(tmp_path: Path, run: Run) -> None:
    two_packages(tmp_path)
    write(tmp_path / "README.md", "badge v0.9\n")
    write(
        tmp_path / "versync.toml",
        '[groups]\nab = ["a", "b"]\n[[files]]\npath = "*.md"\nsearch = "v{version}"\n',
    )
    assert file_sources(tmp_path) == {"a": [("README.md", "0.9")], "b": [("README.md", "0.9")]}
    result = run("check", "--root", tmp_path)
    assert result.code == 1
    assert "README.md:1:8: a: README.md is 0.9: its group 'ab' is at 1.0" in result.out


def test_without_owner_or_group_the_only_publishable_package_owns_the_file(
    tmp_path: Path,
) -> None:
    write(tmp_path / "a/pyproject.toml", project("a", "2.1"))
    write(tmp_path / "Dockerfile", 'LABEL version="2.1"\n')
    write(
        tmp_path / "versync.toml",
        '[[files]]\npath = "Dockerfile"\nsearch = "version=\\"{version}\\""\n',
    )
    assert file_sources(tmp_path) == {"a": [("Dockerfile", "2.1")]}


def test_a_package_rule_matches_by_glob(tmp_path: Path) -> None:
    write(tmp_path / "a/pyproject.toml", project("core-a", "1.0"))
    write(tmp_path / "b/pyproject.toml", project("core-b", "1.0"))
    write(tmp_path / "c/pyproject.toml", project("other", "1.0"))
    write(tmp_path / "VERSION", "1.0\n")
    write(tmp_path / "versync.toml", '[[files]]\npath = "VERSION"\npackage = "core-*"\n')
    sources = file_sources(tmp_path)
    assert sources["core-a"] == sources["core-b"] == [("VERSION", "1.0")]
    assert sources["other"] == []


def test_a_file_without_a_match_or_unreadable_is_a_finding_on_that_file(
    tmp_path: Path, run: Run
) -> None:
    write(tmp_path / "a/pyproject.toml", project("a", "1.0"))
    write(tmp_path / "OK.md", "v1.0\n")
    write(tmp_path / "EMPTY.md", "no version here\n")
    (tmp_path / "BIN.md").write_bytes(b"\xff\xfe\x00v1.0")
    write(tmp_path / "versync.toml", '[[files]]\npath = "*.md"\nsearch = "v{version}"\n')
    result = run("check", "--root", tmp_path)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith("BIN.md:1:1: a: not valid UTF-8"), result.out
    assert lines[1].startswith(
        "EMPTY.md:1:1: a: no version where [[files]] search 'v{version}' says"
    ), result.out
    assert all(line.endswith("[manifest-error]") for line in lines[:2])
    assert "OK.md" not in result.out  # the agreeing file is a source, silent
    assert file_sources(tmp_path) == {"a": [("OK.md", "1.0")]}


def test_a_matched_symlink_out_of_the_root_is_a_finding_not_an_abort(
    tmp_path: Path, run: Run
) -> None:
    write(tmp_path / "secret.md", "v6.6.6\n")
    root = tmp_path / "repo"
    write(root / "a/pyproject.toml", project("a", "1.0"))
    write(root / "OK.md", "v1.0\n")
    (root / "LINK.md").symlink_to(tmp_path / "secret.md")
    write(root / "versync.toml", '[[files]]\npath = "*.md"\nsearch = "v{version}"\n')
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)  # git lists the symlink
    result = run("check", "--root", root)
    assert result.code == 1, result.err
    line = result.out.splitlines()[0]
    assert line.startswith("LINK.md:1:1: a: resolves to "), result.out
    assert "outside the repository root" in line and line.endswith("[manifest-error]")
    assert "6.6.6" not in result.out
    assert file_sources(root) == {"a": [("OK.md", "1.0")]}
