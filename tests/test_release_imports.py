"""The release helpers stay off the hook path: a plain `versync check` imports none of them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

RELEASE_ONLY = {
    "versync._fs.index",
    "versync.change.commit",
    "versync.change.init",
    "versync.change.published",
    "versync.change.unreleased",
    "versync.model.order",
    "versync._output.order",
    "tomlkit",
    "urllib.request",
    "concurrent.futures",
}


def test_check_imports_no_release_helper(seed: Path) -> None:
    command = [sys.executable, "-X", "importtime", "-m", "versync", "check", "--root", str(seed)]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "VERSYNC_NO_CACHE": "1"},
    )
    assert done.returncode == 0, done.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "versync.rules" in imported  # the check did run
    assert imported & RELEASE_ONLY == set()
