"""bundle.py: a version is attributed to the package its dict or call names."""

from __future__ import annotations

from pathlib import Path

import pytest

import versync
from tests.conftest import write

HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'


def project(name: str, version: str) -> str:
    return f'{HATCH}[project]\nname = "{name}"\nversion = "{version}"\n'


def bundle_owners(root: Path) -> dict[str, list[str]]:
    return {
        p.name: [s.text for s in p.sources if s.kind == "bundle"]
        for p in versync.scan(root).packages
    }


@pytest.mark.parametrize(
    "bundle",
    [
        pytest.param('BUNDLES = [{"name": "plugin", "version": "2.0"}]\n', id="dict-name"),
        pytest.param('B = {"bundle_id": "plugin", "version": "2.0"}\n', id="dict-bundle-id"),
        pytest.param('register(package="plugin", version="2.0")\n', id="call-package"),
    ],
)
def test_a_bundle_naming_its_package_is_attributed_to_it(tmp_path: Path, bundle: str) -> None:
    write(tmp_path / "host/pyproject.toml", project("host", "1.0"))
    write(tmp_path / "plugin/pyproject.toml", project("plugin", "2.0"))
    write(tmp_path / "host/host/bundle.py", bundle)
    assert bundle_owners(tmp_path) == {"host": [], "plugin": ["2.0"]}


def test_a_bundle_naming_no_package_belongs_to_the_nearest(tmp_path: Path) -> None:
    write(tmp_path / "host/pyproject.toml", project("host", "1.0"))
    write(tmp_path / "host/host/bundle.py", 'B = {"name": "host-extras", "version": "1.0"}\n')
    assert bundle_owners(tmp_path) == {"host": ["1.0"]}


def test_a_version_key_holding_no_version_is_ignored(tmp_path: Path) -> None:
    write(tmp_path / "host/pyproject.toml", project("host", "1.0"))
    write(
        tmp_path / "host/host/bundle.py",
        'SCHEMA = {"version": "latest"}\nAPI = dict(version="v2 beta")\nB = {"version": "1.0"}\n',
    )
    assert bundle_owners(tmp_path) == {"host": ["1.0"]}
    assert versync.scan(tmp_path).check() == []
