"""Versions build backends compute: from git tags (real git), setup.cfg and setup.py."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Run, git, snapshot, write

HATCH_VCS = (
    '[build-system]\nrequires = ["hatchling", "hatch-vcs"]\nbuild-backend = "hatchling.build"\n'
    '[project]\nname = "tagged"\ndynamic = ["version"]\n[tool.hatch.version]\nsource = "vcs"\n'
)
SETUPTOOLS = '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'


def commit(root: Path, message: str = "change") -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message, "--allow-empty")


def packages(run: Run, root: Path) -> list[dict[str, object]]:
    result = run("list", "--root", root, "--json")
    assert result.code == 0, result
    found: list[dict[str, object]] = json.loads(result.out)["packages"]
    return found


def summary(run: Run, root: Path) -> list[tuple[object, ...]]:
    return [
        (p["name"], p["version"], p["group"], [s["kind"] for s in p["sources"]])  # type: ignore[attr-defined]
        for p in packages(run, root)
    ]


@pytest.fixture
def tagged(tmp_path: Path) -> Path:
    write(tmp_path / "pyproject.toml", HATCH_VCS)
    write(
        tmp_path / "lib/pyproject.toml", f'{SETUPTOOLS}[project]\nname = "lib"\nversion = "3.0"\n'
    )
    git(tmp_path, "init", "-q")
    commit(tmp_path, "initial")
    return tmp_path


@pytest.mark.parametrize(
    "config",
    [
        pytest.param(HATCH_VCS, id="hatch-vcs"),
        pytest.param(
            f'{SETUPTOOLS}[project]\nname = "tagged"\ndynamic = ["version"]\n[tool.setuptools_scm]\n',
            id="setuptools-scm",
        ),
        pytest.param(
            '[build-system]\nrequires = ["hatchling", "uv-dynamic-versioning"]\n'
            'build-backend = "hatchling.build"\n[project]\nname = "tagged"\n'
            'dynamic = ["version"]\n[tool.hatch.version]\nsource = "uv-dynamic-versioning"\n',
            id="uv-dynamic-versioning",
        ),
        pytest.param(
            '[build-system]\nrequires = ["poetry-core", "poetry-dynamic-versioning"]\n'
            'build-backend = "poetry_dynamic_versioning.backend"\n'
            '[tool.poetry]\nname = "tagged"\nversion = "0.0.0"\n'
            "[tool.poetry-dynamic-versioning]\nenable = true\n",
            id="poetry-dynamic-versioning",
        ),
    ],
)
def test_a_version_from_git_tags_is_the_tag_and_joins_no_group(
    tagged: Path, run: Run, config: str
) -> None:
    write(tagged / "pyproject.toml", config)
    commit(tagged)
    git(tagged, "tag", "v1.2.0")
    assert summary(run, tagged)[0] == ("tagged", "1.2.0", None, ["vcs"])
    assert run("check", "--root", tagged).code == 0


def test_without_tags_the_version_is_unknown_with_a_note(tagged: Path, run: Run) -> None:
    assert summary(run, tagged)[0] == ("tagged", None, None, [])
    result = run("check", "-v", "--root", tagged)
    assert result.code == 0
    assert result.out.startswith(
        "note: pyproject.toml: version from git tags (hatch-vcs) unknown: "
        "no tag is reachable from HEAD; fetch tags: git fetch --tags --unshallow [vcs]\n"
    )
    assert "unknown" in run("list", "--root", tagged).out


def test_bump_explains_that_the_version_comes_from_tags(tagged: Path, run: Run) -> None:
    git(tagged, "tag", "v1.2.0")
    before = snapshot(tagged)
    result = run("bump", "1.3.0", "--package", "tagged", "--root", tagged)
    assert result.code == 2
    assert "tagged takes its version from git tags (hatch-vcs)" in result.err
    assert "git tag" in result.err
    (tagged / "lib/pyproject.toml").unlink()
    alone = run("bump", "1.3.0", "--root", tagged)
    assert alone.code == 2 and "tagged takes the version from git tags" in alone.err
    before.pop("lib/pyproject.toml")
    assert snapshot(tagged) == before


def _out(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def test_tag_is_how_a_package_versioned_by_git_tags_is_released(
    tagged: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("GIT_COMMITTER_NAME", "GIT_AUTHOR_NAME"):
        monkeypatch.setenv(variable, "t")
    for variable in ("GIT_COMMITTER_EMAIL", "GIT_AUTHOR_EMAIL"):
        monkeypatch.setenv(variable, "t@example.invalid")
    git(tagged, "tag", "v1.2.0")
    files = {p: b for p, b in snapshot(tagged).items() if not p.startswith(".git/")}
    head = _out(tagged, "rev-parse", "HEAD")
    result = run("bump", "1.3.0", "--package", "tagged", "--tag", "--root", tagged)
    assert result.code == 0, result.err
    assert {p: b for p, b in snapshot(tagged).items() if not p.startswith(".git/")} == files
    assert _out(tagged, "rev-parse", "HEAD") == head  # nothing written, nothing committed
    assert _out(tagged, "tag", "--points-at", "HEAD").split() == ["tagged-v1.3.0", "v1.2.0"]
    assert _out(tagged, "cat-file", "-t", "tagged-v1.3.0") == "tag"  # annotated
    assert {p["name"]: p["version"] for p in packages(run, tagged)}["tagged"] == "1.3.0"


def test_expect_passes_only_when_head_carries_the_tag(tagged: Path, run: Run) -> None:
    write(
        tagged / "lib/pyproject.toml", f'{SETUPTOOLS}[project]\nname = "lib"\nversion = "1.2.0"\n'
    )
    commit(tagged)
    nothing = run("check", "--expect", "v1.2.0", "--root", tagged)
    assert nothing.code == 2 and "git fetch --tags" in nothing.err
    git(tagged, "tag", "v1.2.0")
    assert run("check", "--expect", "v1.2.0", "--root", tagged).code == 0
    commit(tagged, "after the release")
    moved = run("check", "--expect", "v1.2.0", "--root", tagged)
    assert moved.code == 1
    assert "tagged takes its version from git tags, but HEAD is not tagged 1.2.0" in moved.out


def test_a_group_naming_a_tag_versioned_package_is_a_config_error(tagged: Path, run: Run) -> None:
    write(tagged / "versync.toml", '[groups]\nall = ["*"]\n')
    result = run("check", "--root", tagged)
    assert result.code == 2
    assert "group 'all' names 'tagged', whose version comes from git tags" in result.err


# -- setup.cfg and setup.py ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "kind", "changed"),
    [
        pytest.param(
            {"setup.cfg": "[metadata]\nname = legacy\nversion = 2.4.0\n"},
            "setup.cfg",
            {"setup.cfg": "[metadata]\nname = legacy\nversion = 2.5.0\n"},
            id="cfg-literal",
        ),
        pytest.param(
            {
                "setup.cfg": "[metadata]\nname = legacy\nversion = attr: legacy.__version__\n",
                "legacy/__init__.py": '__version__ = "2.4.0"\n',
            },
            "version-file",
            {"legacy/__init__.py": '__version__ = "2.5.0"\n'},
            id="cfg-attr",
        ),
        pytest.param(
            {
                "setup.cfg": "[metadata]\nname = legacy\nversion = file: VERSION\n",
                "VERSION": "2.4.0\n",
            },
            "version-file",
            {"VERSION": "2.5.0\n"},
            id="cfg-file",
        ),
        pytest.param(
            {"setup.py": 'from setuptools import setup\nsetup(name="legacy", version="2.4.0")\n'},
            "setup.py",
            {"setup.py": 'from setuptools import setup\nsetup(name="legacy", version="2.5.0")\n'},
            id="py-literal",
        ),
        pytest.param(
            {
                "setup.py": 'import setuptools\nVERSION = "2.4.0"\n'
                'setuptools.setup(name="legacy", version=VERSION)\n'
            },
            "setup.py",
            {
                "setup.py": 'import setuptools\nVERSION = "2.5.0"\n'
                'setuptools.setup(name="legacy", version=VERSION)\n'
            },
            id="py-constant",
        ),
    ],
)
def test_setuptools_versions_are_read_and_bumped(
    tmp_path: Path, run: Run, files: dict[str, str], kind: str, changed: dict[str, str]
) -> None:
    for path, text in files.items():
        write(tmp_path / path, text)
    assert summary(run, tmp_path) == [("legacy", "2.4.0", None, [kind])]
    result = run("bump", "2.5.0", "--root", tmp_path)
    *written, closing = result.out.splitlines()
    assert (result.code, written) == (0, sorted(changed))
    assert closing == f"bumped 1 package to 2.5.0: {len(changed)} file{'s' * (len(changed) > 1)}"
    for path, text in changed.items():
        assert (tmp_path / path).read_text() == text


def test_setup_cfg_gives_the_version_of_a_dynamic_pyproject(tmp_path: Path, run: Run) -> None:
    write(
        tmp_path / "pyproject.toml", f'{SETUPTOOLS}[project]\nname = "app"\ndynamic = ["version"]\n'
    )
    write(tmp_path / "setup.cfg", "[metadata]\nversion = 1.0.0\n[options]\nversion = 9\n")
    assert summary(run, tmp_path) == [("app", "1.0.0", None, ["setup.cfg"])]


def test_a_computed_setup_py_version_is_listed_as_unknown(tmp_path: Path, run: Run) -> None:
    write(
        tmp_path / "setup.py",
        "from setuptools import setup\nsetup(name='legacy', version=open('V').read())\n",
    )
    assert summary(run, tmp_path) == [("legacy", None, None, [])]
    result = run("check", "-v", "--root", tmp_path)
    assert result.code == 0
    assert result.out.startswith("note: legacy (.): version not determined")


def test_a_new_tag_is_seen_by_the_next_check(
    tagged: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hook's stored verdict cannot prove a tag unchanged: it is not kept for such repos."""
    from versync._fs import cache

    monkeypatch.setattr(cache, "_RACY_NS", 0)
    write(tagged / "tagged/bundle.py", 'BUNDLE = {"name": "tagged", "version": "1.2.0"}\n')
    commit(tagged)
    git(tagged, "tag", "v1.1.0")
    stale = run("check", "--root", tagged)
    # The copy follows the version git gives the package (the tag is the manifest here).
    assert stale.code == 1
    assert (
        "tagged/bundle.py:1:41: tagged: tagged/bundle.py is 1.2.0: tagged's manifests say 1.1.0"
        in stale.out
    )
    commit(tagged, "release 1.2.0")  # no file changes: only git knows
    git(tagged, "tag", "v1.2.0")
    assert run("check", "--root", tagged).code == 0
