"""Every invalid key or value of versync's configuration is one line naming the key, and
`check` exits 2 (it could not run) instead of guessing what was meant."""

from __future__ import annotations

from pathlib import Path

import pytest

import versync
from tests.conftest import Run, write
from versync.errors import ConfigError

HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'


def project(name: str, version: str) -> str:
    return f'{HATCH}[project]\nname = "{name}"\nversion = "{version}"\n'


@pytest.mark.parametrize(
    ("config", "message"),
    [
        pytest.param("pins = 1\n", "pins must be", id="pins-not-a-string"),
        pytest.param("max-file-size = true\n", "max-file-size must be", id="size-bool"),
        pytest.param("max-file-size = 0\n", "max-file-size must be", id="size-zero"),
        pytest.param('max-file-size = "1k"\n', "max-file-size must be", id="size-string"),
        pytest.param("index-url = 3\n", "index-url must be a non-empty string", id="url-int"),
        pytest.param(
            'cargo-index-url = ""\n', "cargo-index-url must be a non-empty string", id="url-empty"
        ),
        pytest.param('tag = "v{tag}"\n', "tag has an unknown placeholder {tag}", id="tag-field"),
        pytest.param('tag = "release"\n', "tag must contain {version}", id="tag-no-version"),
        pytest.param(
            'commit-message = "bump {package} to {new}"\n',
            "commit-message has an unknown placeholder {new}",
            id="message-field",
        ),
        pytest.param('exclude = "a/*"\n', "exclude must be an array of strings", id="glob-str"),
        pytest.param("independent = [1]\n", "independent must be an array of strings", id="int"),
        pytest.param('since-ignore = "docs"\n', "since-ignore must be an array", id="since"),
        pytest.param('groups = ["a"]\n', "groups must be a table", id="groups-array"),
        pytest.param('[groups]\nab = "a"\n', "groups: ab must be an array", id="group-str"),
        pytest.param('files = "README.md"\n', "files must be an array of tables", id="files-str"),
        pytest.param('files = ["README.md"]\n', "files must be an array of tables", id="files-s"),
    ],
)
def test_an_invalid_value_is_one_line_naming_the_key(
    tmp_path: Path, run: Run, config: str, message: str
) -> None:
    write(tmp_path / "a/pyproject.toml", project("a", "1.0"))
    write(tmp_path / "versync.toml", config)
    result = run("check", "--root", tmp_path)
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1, result.err
    assert result.err.startswith("versync: versync.toml: "), result.err
    assert message in result.err, result.err


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        pytest.param('pattern = "x"\npath = "R"\n', "files[0]: unknown key 'pattern'", id="key"),
        pytest.param("path = 1\n", "files[0]: path must be a string", id="path-int"),
        pytest.param('path = "R"\nsearch = 2\n', "search must be a string", id="search-int"),
        pytest.param('search = "v{version}"\n', "files[0]: path is required", id="no-path"),
        pytest.param(
            'path = "R"\npackage = "a"\ngroup = "g"\n', "package or group, not both", id="both"
        ),
        pytest.param(
            'path = "R"\nsearch = "v"\n', "search must hold {version} once, not 'v'", id="none"
        ),
        pytest.param(
            'path = "R"\nsearch = "{version}-{new_version}"\n',
            "search must hold {version} once",
            id="twice",
        ),
        pytest.param(
            'path = "R"\nsearch = "v{version}"\nreplace = "version {new_version}"\n',
            "replace must be search with the new version in place of the old",
            id="replace-other-text",
        ),
        pytest.param('path = "R"\npackage = "zzz"\n', "files[0]: no package 'zzz'", id="pkg"),
        pytest.param('path = "R"\ngroup = "zzz"\n', "files[0]: no group 'zzz'", id="group"),
        pytest.param('path = "R"\n', "name the package or group", id="ambiguous-owner"),
    ],
)
def test_an_invalid_files_rule_names_its_index(
    tmp_path: Path, run: Run, rule: str, message: str
) -> None:
    write(tmp_path / "a/pyproject.toml", project("a", "1.0"))
    write(tmp_path / "b/pyproject.toml", project("b", "1.0"))
    write(tmp_path / "R", "version 1.0\n")
    write(tmp_path / "versync.toml", f"[[files]]\n{rule}")
    result = run("check", "--root", tmp_path)
    assert result.code == 2
    assert result.err.count("\n") == 1, result.err
    assert message in result.err, result.err


def test_the_library_raises_config_error_from_pyproject_tool_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", project("a", "1.0") + '[tool.versync]\npins = "pin"\n')
    with pytest.raises(ConfigError, match=r"pyproject\.toml.*pins must be \"track\" or \"fix\""):
        versync.scan(tmp_path)


def test_valid_release_keys_are_accepted(tmp_path: Path, run: Run) -> None:
    write(tmp_path / "a/pyproject.toml", project("a", "1.0"))
    write(
        tmp_path / "versync.toml",
        'tag = "{package}-v{version}"\ncommit-message = "release {group} {version}"\n'
        'index-url = "http://127.0.0.1:1/simple"\nmax-file-size = 4096\n'
        'since-ignore = ["docs/**"]\n',
    )
    result = run("check", "--root", tmp_path)
    assert (result.code, result.out) == (0, "1 package checked: all versions agree\n")
