"""The hooks' `files:` filter covers every file versync reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from versync.formats import manifest_names

ROOT = Path(__file__).resolve().parent.parent


def hook_filters() -> list[tuple[str, str]]:
    found = []
    for name in (".pre-commit-hooks.yaml", ".pre-commit-config.yaml"):
        text = (ROOT / name).read_text(encoding="utf-8")
        found += [(name, m) for m in re.findall(r"^\s*files: (?:&\S+ )?(\S.*)$", text, re.M)]
    return [(name, pattern) for name, pattern in found if not pattern.startswith("*")]


EXTRA = ["VERSION", "pkg/VERSION.txt", ".cargo/config.toml", "a/.cargo/config", "x/setup.py"]


@pytest.mark.parametrize(("hooks", "pattern"), hook_filters(), ids=lambda value: str(value)[:24])
def test_every_file_versync_reads_runs_the_hook(hooks: str, pattern: str) -> None:
    matcher = re.compile(pattern)
    names = sorted(manifest_names()) + EXTRA
    missed = [name for name in names if not matcher.search(f"deep/{name}")]
    assert missed == [], f"{hooks}: {missed}"
    assert not matcher.search("src/lib.rs") and not matcher.search("setup.cfg.bak")


def test_the_readme_filter_example_is_a_valid_pattern() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"^\s*files: (\S.*)$", text, re.M)
    assert example is not None
    assert re.compile(example[1]).search("docs/conf.py")
