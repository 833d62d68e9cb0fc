"""Several packages whose version comes from git tags read the same tag."""

from __future__ import annotations

from pathlib import Path

import versync
from tests.conftest import Run, git, write


def hatch_vcs(name: str) -> str:
    return (
        '[build-system]\nrequires = ["hatchling", "hatch-vcs"]\nbuild-backend = "hatchling.build"\n'
        f'[project]\nname = "{name}"\ndynamic = ["version"]\n[tool.hatch.version]\nsource = "vcs"\n'
    )


def test_every_tag_versioned_package_reads_the_one_tag(tmp_path: Path, run: Run) -> None:
    write(tmp_path / "a/pyproject.toml", hatch_vcs("a"))
    write(tmp_path / "b/pyproject.toml", hatch_vcs("b"))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "start")
    git(tmp_path, "tag", "v2.4.0")
    found = {
        p.name: (p.vcs, [(s.kind, s.literal.text) for s in p.sources], p.version_unknown)
        for p in versync.scan(tmp_path).packages
    }
    assert found == {
        "a": ("hatch-vcs", [("vcs", "2.4.0")], False),
        "b": ("hatch-vcs", [("vcs", "2.4.0")], False),
    }
    assert run("check", "--root", tmp_path).code == 0
