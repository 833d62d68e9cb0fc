"""Plans built from edits: refusals before anything is written, and the diff they show."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from versync.change.plan import Edit, FileChange, Plan, build_plan
from versync.change.verify import verify
from versync.errors import ApplyError, PlanError
from versync.syntax.text import FileText, decode


def edit(path: str, text: str, old: str, new: str, *, nth: int = 0, pattern: str = "") -> Edit:
    """An edit replacing the `nth` occurrence of `old` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(old, start + 1)
    end = start + len(old)
    return Edit(path, start, end, old, new, text.count("\n", 0, start) + 1, (start, end), pattern)


def reader(files: dict[str, str]) -> Callable[[str], FileText]:
    def read(path: str) -> FileText:
        return decode(path, files[path].encode())

    return read


def plan_of(files: dict[str, str], *edits: Edit) -> Plan:
    return build_plan("/nowhere", reader(files), edits, [])


TOML = 'version = "0.1.0"\n'


def test_an_edit_inside_quotes_becomes_the_new_bytes() -> None:
    plan = plan_of({"a.toml": TOML}, edit("a.toml", TOML, "0.1.0", "0.2.0"))
    assert [(c.path, c.new) for c in plan.files] == [("a.toml", b'version = "0.2.0"\n')]


def test_an_edit_to_the_same_text_changes_no_file() -> None:
    plan = plan_of({"a.toml": TOML}, edit("a.toml", TOML, "0.1.0", "0.1.0"))
    assert plan.files == []


def test_two_different_values_for_one_place_are_refused() -> None:
    with pytest.raises(PlanError, match=r"a.toml:1: asked to become both 0.2.0 and 0.3.0"):
        plan_of(
            {"a.toml": TOML},
            edit("a.toml", TOML, "0.1.0", "0.2.0"),
            edit("a.toml", TOML, "0.1.0", "0.3.0"),
        )


def test_overlapping_edits_are_refused() -> None:
    first = edit("a.toml", TOML, "0.1.0", "0.2.0")
    inner = first._replace(start=first.start + 2, old="1.0", new="9.9")
    with pytest.raises(PlanError, match=r"a.toml:1: overlapping edits"):
        plan_of({"a.toml": TOML}, first, inner)


def test_an_edit_whose_literal_is_not_on_disk_is_refused() -> None:
    stale = edit("a.toml", TOML, "0.1.0", "0.2.0")._replace(old="0.0.9")
    with pytest.raises(PlanError, match=r"literal '0.0.9' is not written plainly"):
        plan_of({"a.toml": TOML}, stale)


@pytest.mark.parametrize("new", ['0.2.0"', "0.2 0", "0.2.0\n"], ids=["quote", "space", "newline"])
def test_a_value_that_is_not_a_plain_version_is_refused(new: str) -> None:
    with pytest.raises(PlanError, match="not a plain version string"):
        plan_of({"a.toml": TOML}, edit("a.toml", TOML, "0.1.0", new))


def test_a_toml_edit_outside_a_string_literal_is_refused() -> None:
    text = "version = 0.1.0x\n"  # touches a letter: not a whole token, not quoted
    with pytest.raises(PlanError, match="cannot verify an edit outside a string literal"):
        plan_of({"a.toml": text}, edit("a.toml", text, "0.1.0", "0.2.0"))


def test_a_whole_token_of_a_line_oriented_file_is_accepted() -> None:
    text = "[metadata]\nversion = 0.1.0\n"
    plan = plan_of({"setup.cfg": text}, edit("setup.cfg", text, "0.1.0", "0.2.0"))
    assert plan.files[0].new == b"[metadata]\nversion = 0.2.0\n"


def test_a_python_edit_outside_a_string_is_refused() -> None:
    text = "version = 1\nname = 'x'\n"
    with pytest.raises(PlanError, match=r"does not read back '2' in a string"):
        plan_of({"v.py": text}, edit("v.py", text, "1", "2"))


def test_a_python_file_that_would_not_parse_is_refused() -> None:
    text = "version = 1 (\n"
    with pytest.raises(PlanError, match="the rewritten file would not parse"):
        plan_of({"v.py": text}, edit("v.py", text, "1", "2"))


def test_a_python_version_inside_a_longer_string_is_accepted() -> None:
    text = "__version__ = 'v0.1.0-dev'\n"
    plan = plan_of({"v.py": text}, edit("v.py", text, "0.1.0", "0.2.0"))
    assert plan.files[0].new == b"__version__ = 'v0.2.0-dev'\n"


def test_verify_accepts_an_edit_enclosed_by_its_quotes() -> None:
    verify("x.json", '{"v": "1.0"}', [(7, 10)])  # must not raise


def test_a_files_pattern_that_no_longer_finds_the_version_is_refused() -> None:
    text = "release 0.1.0\n"
    pattern = r"release (?P<version>\S+)$"  # no MULTILINE: `$` never matches before "\n" mid-text
    bad = edit("NOTES", text, "0.1.0", "0.2.0", pattern=r"build (?P<version>\S+)")
    with pytest.raises(PlanError, match=r"NOTES: the rewritten file does not read back '0.2.0'"):
        plan_of({"NOTES": text}, bad)
    good = edit("NOTES", text, "0.1.0", "0.2.0", pattern=pattern)
    assert plan_of({"NOTES": text}, good).files[0].new == b"release 0.2.0\n"


def test_the_diff_marks_a_missing_final_newline() -> None:
    plan = Plan("/r", [FileChange("VERSION", b"0.1.0", b"0.2.0")])
    assert plan.diff() == (
        "--- a/VERSION\n+++ b/VERSION\n@@ -1 +1 @@\n"
        "-0.1.0\n\\ No newline at end of file\n+0.2.0\n\\ No newline at end of file\n"
    )


def test_the_repr_names_three_files_and_counts_the_rest() -> None:
    files = [FileChange(f"f{i}", b"a", b"b") for i in range(5)]
    assert repr(Plan("/r", files, ["n"])) == "Plan(5 files: f0, f1, f2, +2 more; 1 notes)"


def test_a_file_reached_through_a_symlink_out_of_the_root_is_never_written(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text(TOML)
    root = tmp_path / "repo"
    root.mkdir()
    os.symlink(outside, root / "pyproject.toml")
    plan = Plan(str(root), [FileChange("pyproject.toml", TOML.encode(), b'version = "0.2.0"\n')])
    plan.journaled = False
    with pytest.raises(PlanError, match="nothing was written"):
        plan.apply()
    assert outside.read_text() == TOML


def test_a_journal_that_cannot_be_recorded_changes_no_file(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "pyproject.toml").write_text(TOML)
    state = tmp_path / "state"
    state.mkdir()
    plan = Plan(str(root), [FileChange("pyproject.toml", TOML.encode(), b'version = "0.2.0"\n')])
    plan.state = str(state)
    from versync._fs import journal

    def refuse(*args: object) -> None:
        raise OSError(28, "No space left on device")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(journal, "begin", refuse)
        with pytest.raises(ApplyError, match="cannot record the journal: No space left on device"):
            plan.apply()
    assert (root / "pyproject.toml").read_text() == TOML
