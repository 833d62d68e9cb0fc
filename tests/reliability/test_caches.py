"""Caches that cannot lie or run code: one planted in a parent folder's `.git`, one altered
so that it still decodes, one written by another build: each is ignored, none is executed."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

from tests.reliability.procs import make_repo, versync

# A run that stores its caches although the files were written moments ago (the racy-clean
# rule would otherwise keep them out of the cache for two seconds).
POPULATE = """
import sys
from versync._fs import cache
cache._RACY_NS = 0
from versync._cli import main
sys.exit(main(["check"]))
"""
CACHE_NAMES = ("scan-cache", "check-verdict", "scan-cache.json", "check-verdict.json")


class Payload:
    """Unpickling this runs `touch MARKER`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, ...]]:
        return (os.system, (f"touch {self.marker}",))


def drifted(root: Path, *, git: bool = True) -> Path:
    """pkg-001 pins pkg-000 == 0.1.1, and pkg-000 is at 0.1.2: `check` must say so."""
    make_repo(root, 2, git=git)
    path = root / "packages/pkg-000/pyproject.toml"
    path.write_text(path.read_text().replace('version = "0.1.1"', 'version = "0.1.2"'))
    return root


def populate(root: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", POPULATE], cwd=root, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1, result.stderr
    assert (root / ".git/versync/check-verdict.json").is_file()
    assert (root / ".git/versync/scan-cache.json").is_file()


def assert_drift_reported(root: Path) -> None:
    result = versync(root, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[pin-mismatch]" in result.stdout and "Traceback" not in result.stderr


def test_a_cache_planted_in_a_parent_folders_git_is_never_loaded(tmp_path: Path) -> None:
    parent = tmp_path / "parent"
    planted = parent / ".git/versync"
    planted.mkdir(parents=True)
    marker = tmp_path / "code-ran"
    for name in CACHE_NAMES:
        (planted / name).write_bytes(pickle.dumps(Payload(marker)))
    before = sorted(p.name for p in planted.iterdir())
    project = drifted(parent / "project", git=False)
    assert_drift_reported(project)
    fixed = versync(project, "fix")  # writes: its lock and journal must not go there either
    assert fixed.returncode == 1 and "packages/pkg-001/pyproject.toml" in fixed.stdout
    assert not marker.exists()
    assert sorted(p.name for p in planted.iterdir()) == before  # nothing stored there either


def test_a_cache_altered_so_that_it_still_decodes_is_ignored(tmp_path: Path) -> None:
    root = drifted(tmp_path / "repo")
    populate(root)
    assert_drift_reported(root)  # served by the verdict
    verdict = root / ".git/versync/check-verdict.json"
    header, _, payload = verdict.read_bytes().partition(b"\n")
    document = json.loads(payload)
    assert document["a"][3][0] == "findings" and document["a"][3][1]
    document["a"][3][1] = []  # "all versions agree"
    verdict.write_bytes(header + b"\n" + json.dumps(document, separators=(",", ":")).encode())
    assert_drift_reported(root)

    verdict.unlink()  # the scan cache next: its record of pkg-000 made to say 0.1.1
    scan_cache = root / ".git/versync/scan-cache.json"
    header, _, payload = scan_cache.read_bytes().partition(b"\n")
    assert payload.count(b'"0.1.2"') >= 1
    scan_cache.write_bytes(header + b"\n" + payload.replace(b'"0.1.2"', b'"0.1.1"'))
    assert_drift_reported(root)


def test_a_cache_from_another_build_or_holding_code_is_ignored(tmp_path: Path) -> None:
    root = drifted(tmp_path / "repo")
    populate(root)
    folder = root / ".git/versync"
    for name in ("check-verdict.json", "scan-cache.json"):
        header, _, payload = (folder / name).read_bytes().partition(b"\n")
        fields = json.loads(header)
        fields["build"] = fields["build"].rsplit("|", 1)[0] + "|0badbeef"  # same version
        (folder / name).write_bytes(json.dumps(fields, sort_keys=True).encode() + b"\n" + payload)
    assert_drift_reported(root)

    marker = tmp_path / "code-ran"
    for name in CACHE_NAMES:
        (folder / name).write_bytes(pickle.dumps(Payload(marker)))
    assert_drift_reported(root)
    assert not marker.exists()
