"""Extra version files: `[[files]]` patterns and package.json, checked and bumped losslessly."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import Run, snapshot, write

HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    write(tmp_path / "pyproject.toml", f'{HATCH}[project]\nname = "app"\nversion = "2.27.2"\n')
    write(tmp_path / "docs/conf.py", 'project = "app"\nrelease = "2.27.2"\n')
    write(
        tmp_path / "README.md",
        "# app\r\n![v](https://img.shields.io/badge/version-2.27.2-blue)\r\nSee 1.0.0.\r\n",
    )
    write(tmp_path / "Dockerfile", 'FROM python\nLABEL version="2.27.2"\n')
    write(tmp_path / "app/core.py", '_COMPATIBLE_CORE_VERSION = "2.27.2"\n')
    write(tmp_path / "setup.ini", "[app]\nversion = 2.27.2\n")
    write(
        tmp_path / "versync.toml",
        '[[files]]\npath = "docs/conf.py"\nsearch = \'release = "{version}"\'\n'
        '[[files]]\npath = "README.md"\nsearch = "badge/version-{version}-blue"\n'
        '[[files]]\npath = "Dockerfile"\nsearch = \'LABEL version="{current_version}"\'\n'
        "replace = 'LABEL version=\"{new_version}\"'\n"
        '[[files]]\npath = "app/*.py"\nsearch = \'_COMPATIBLE_CORE_VERSION = "{version}"\'\n'
        'package = "app"\n'
        '[[files]]\npath = "*.ini"\nsearch = "version = {version}"\n',
    )
    return tmp_path


def test_configured_files_are_checked(repo: Path, run: Run) -> None:
    assert run("check", "--root", repo).code == 0
    write(repo / "Dockerfile", 'FROM python\nLABEL version="2.27.1"\n')
    result = run("check", "--root", repo)
    assert result.code == 1
    assert result.out.startswith(
        "Dockerfile:2:16: app: Dockerfile is 2.27.1: app's manifests say 2.27.2"
    )


def test_a_file_without_the_pattern_is_a_finding(repo: Path, run: Run) -> None:
    write(repo / "docs/conf.py", 'project = "app"\n')
    result = run("check", "--root", repo)
    assert result.code == 1
    assert "docs/conf.py:1:1: app: no version where [[files]] search" in result.out


def test_configured_files_are_bumped_losslessly(repo: Path, run: Run) -> None:
    before = snapshot(repo)
    result = run("bump", "2.28.0", "--root", repo)
    assert result.code == 0, result.err
    after = snapshot(repo)
    changed = sorted(path for path in after if after[path] != before[path])
    assert changed == [
        "Dockerfile",
        "README.md",
        "app/core.py",
        "docs/conf.py",
        "pyproject.toml",
        "setup.ini",
    ]
    for path in changed:
        assert after[path] == before[path].replace(b"2.27.2", b"2.28.0"), path
    assert b"See 1.0.0.\r\n" in after["README.md"]
    assert run("check", "--root", repo).code == 0


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        pytest.param(
            'path = "x"\nsearch = "v"\n', "search must hold {version} once", id="no-version"
        ),
        pytest.param(
            'path = "x"\nsearch = "v{version}"\nreplace = "w{new_version}"\n',
            "replace must be search with the new version",
            id="replace-reshapes",
        ),
        pytest.param('path = "x"\npackage = "nope"\n', "no package 'nope'", id="no-such-package"),
        pytest.param('search = "{version}"\n', "path is required", id="no-path"),
    ],
)
def test_bad_files_entries_are_config_errors(
    repo: Path, run: Run, entry: str, message: str
) -> None:
    write(repo / "versync.toml", f"[[files]]\n{entry}")
    result = run("check", "--root", repo)
    assert result.code == 2 and message in result.err


def test_package_json_beside_a_crate_is_a_version_source(tmp_path: Path, run: Run) -> None:
    write(
        tmp_path / "bindings/node/Cargo.toml", '[package]\nname = "app-node"\nversion = "1.4.0"\n'
    )
    write(
        tmp_path / "bindings/node/package.json",
        '{\n  "name": "@app/node",\n  "scripts": {"version": "x"},\n  "version": "1.3.0"\n}\n',
    )
    write(tmp_path / "site/package.json", '{"name": "site", "private": true, "version": "0.0.1"}\n')
    write(tmp_path / "app/pyproject.toml", f'{HATCH}[project]\nname = "app"\nversion = "1.4.0"\n')
    write(tmp_path / "app/package.json", '{"name": "app", "version": "1.0.0"}\n')  # test tooling
    result = run("check", "--root", tmp_path)
    assert result.code == 1
    assert result.out.startswith(
        "bindings/node/package.json:4:15: app-node: bindings/node/package.json is 1.3.0"
    )
    assert run("bump", "1.5.0-rc.1", "--root", tmp_path).code == 0
    assert '"version": "1.5.0-rc.1"' in (tmp_path / "bindings/node/package.json").read_text()
    assert '"version": "x"' in (tmp_path / "bindings/node/package.json").read_text()


def test_a_new_file_matching_a_glob_is_seen_by_the_next_check(
    repo: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from versync._fs import cache

    monkeypatch.setattr(cache, "_RACY_NS", 0)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    assert run("check", "--root", repo).code == 0
    write(repo / "app/extra.py", '_COMPATIBLE_CORE_VERSION = "2.27.0"\n')
    result = run("check", "--root", repo)
    assert result.code == 1 and "app/extra.py:1:29" in result.out


def test_an_unreadable_configured_file_is_a_finding(repo: Path, run: Run) -> None:
    (repo / "Dockerfile").write_bytes(b'LABEL version="2.27.2" \xff\n')
    (repo / ".cargo").mkdir()
    (repo / ".cargo/config.toml").write_bytes(b"[source]\n\xff\n")
    result = run("check", "--root", repo)
    assert result.code == 1
    assert "Dockerfile:1:24: app: not valid UTF-8" in result.out
