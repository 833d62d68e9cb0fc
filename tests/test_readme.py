"""The README shows only what exists: its table of codes is `RULES`, every `versync` command it
shows parses, and nothing is installed from a release that has not been published."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from versync._cli import _arranged, _parser
from versync.rules import RULES

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_the_table_of_codes_is_the_rules() -> None:
    rows = re.findall(r"^\| `([a-z-]+)` \| (.+) \|$", README, re.MULTILINE)
    assert dict(rows) == {code: entry.summary for code, entry in RULES.items()}


def shown_commands() -> list[str]:
    blocks = re.findall(r"```(?:sh|yaml)\n(.*?)```", README, re.DOTALL)
    commands = []
    for block in blocks:
        for line in block.splitlines():
            line = re.sub(r"^\s*(?:-\s*)?(?:run:\s*)?", "", line)
            command = line.split("#")[0].split("&&")[-1].strip()
            if re.match(r"versync(\s|$)", command):
                commands.append(command)
    return commands


@pytest.mark.parametrize("command", shown_commands())
def test_every_command_shown_parses(command: str) -> None:
    argv = shlex.split(command)[1:]
    args = _parser().parse_args(_arranged(argv))
    assert args.run is not None


def test_there_are_commands_to_check() -> None:
    assert len(shown_commands()) >= 10


def test_nothing_is_installed_from_an_unpublished_release() -> None:
    assert re.search(r"pip install versync\b", README) is None
    assert re.search(r"rev: v\d", README) is None
