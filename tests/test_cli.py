"""The command line, called in-process: exit codes, output, and bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Run, replace_in, write
from tests.seedrepo import write_seed


def test_json_shape(seed: Path, run: Run) -> None:
    replace_in(seed / "ryeos-cli/pyproject.toml", '"0.1.1"', '"0.1.0"')
    result = run("check", "--root", seed, "--json")
    assert result.code == 1
    document = json.loads(result.out)
    assert document["root"] == str(seed)
    cli = next(p for p in document["packages"] if p["name"] == "ryeos-cli")
    assert {k: cli[k] for k in ("name", "path", "version", "backend", "group")} == {
        "name": "ryeos-cli",
        "path": "ryeos-cli",
        "version": "0.1.0",
        "backend": "hatchling",
        "group": "ryeos",
    }
    assert cli["sources"] == [
        {
            "file": "ryeos-cli/pyproject.toml",
            "line": 7,
            "column": 12,
            "kind": "pyproject",
            "version": "0.1.0",
        }
    ]
    assert document["findings"] == [
        {
            "code": "group-drift",
            "package": "ryeos-cli",
            "file": "ryeos-cli/pyproject.toml",
            "line": 7,
            "column": 12,
            "found": "0.1.0",
            "expected": "0.1.1",
            "message": "ryeos-cli/pyproject.toml is 0.1.0: 9 of 10 packages in group 'ryeos' are "
            "0.1.1",
            "fixable": True,
        }
    ]


def test_check_is_the_default_command(seed: Path, run: Run) -> None:
    assert run("--root", seed).out == run("check", "--root", seed).out


def test_list_table_and_json(seed: Path, run: Run) -> None:
    result = run("list", "--root", seed)
    lines = result.out.splitlines()
    assert result.code == 0
    assert lines[0].split() == ["PACKAGE", "VERSION", "GROUP", "BACKEND", "PATH"]
    assert "lillux-proc   0.1.1    ryeos  maturin     lillux/proc" in lines
    # no build-backend: front-ends build it with setuptools' legacy backend (PEP 517)
    assert "registry-api  0.3.0    -      setuptools  services/registry-api" in lines
    assert len({line.index("0.") for line in lines[1:]}) == 1  # the columns line up
    listed = json.loads(run("list", "--root", seed, "--json").out)
    assert [p["name"] for p in listed["packages"]][:2] == ["lillux", "lillux-proc"]


def test_no_packages(tmp_path: Path, run: Run) -> None:
    result = run("check", "--root", tmp_path)
    assert (result.code, result.out) == (0, "no packages found\n")


@pytest.mark.parametrize(
    ("path", "content", "message"),
    [
        pytest.param(
            "pyproject.toml",
            '[project]\nname = "x"\nversion = 1.0\n',
            "pyproject.toml:3:1: project.version must be a string, not float",
            id="version-not-a-string",
        ),
        pytest.param(
            "pyproject.toml",
            '[project]\nname = "x"\nversion = "1.0\n',
            "pyproject.toml:3:15: invalid TOML: Illegal character '\\n'",
            id="malformed-toml",
        ),
        pytest.param(
            "Cargo.toml",
            b'[package]\nname = "x"\nversion = "1.0.0" # \xff\n',
            "Cargo.toml:3:21: not valid UTF-8",
            id="not-utf8",
        ),
        pytest.param(
            "x/bundle.py",
            'BUNDLE = {"version": "1.0"\n',
            "x/bundle.py:1:10: invalid Python: '{' was never closed",
            id="malformed-python",
        ),
        pytest.param(
            "pyproject.toml",
            '[project]\nname = "x"\ndynamic = ["version"]\n[tool.hatch.version]\npath = "x/about.py"\n',
            "pyproject.toml:5:9: [tool.hatch.version] path x/about.py does not exist",
            id="missing-hatch-file",
        ),
    ],
)
def test_a_bad_file_is_a_finding_on_that_file(
    tmp_path: Path, run: Run, path: str, content: str | bytes, message: str
) -> None:
    target = tmp_path / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        write(target, content)
    if path == "x/bundle.py":
        write(tmp_path / "pyproject.toml", '[project]\nname = "x"\nversion = "1.0"\n')
    write(tmp_path / "other/pyproject.toml", '[project]\nname = "other"\nversion = "1.0"\n')
    result = run("check", "--root", tmp_path)
    assert result.code == 1 and result.err == ""
    location, _, reason = message.partition(": ")
    line = next(line for line in result.out.splitlines() if line.startswith(location))
    assert line.endswith(
        f"{reason}; versync skipped what it could not read "
        "(found unreadable, expected a file its build tool accepts) [manifest-error]"
    )
    assert "[manifest-error]" in result.out and "Traceback" not in result.out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param('exclud = ["a"]\n', "versync.toml: unknown key 'exclud'", id="unknown-key"),
        pytest.param('exclude = ["a"\n', "versync.toml:1:1: invalid TOML", id="malformed"),
    ],
)
def test_a_bad_configuration_exits_2(tmp_path: Path, run: Run, content: str, message: str) -> None:
    write(tmp_path / "versync.toml", content)
    result = run("check", "--root", tmp_path)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith(f"versync: {message}")
    assert result.err.count("\n") == 1 and "Traceback" not in result.err


@pytest.mark.parametrize(
    ("config", "message"),
    [
        pytest.param(
            '[groups]\nrye = ["ryeos*"]\nall = ["*"]\n',
            "package 'ryeos-engine' is in groups 'rye' and 'all'",
            id="two-groups",
        ),
        pytest.param(
            '[groups]\nnone = ["nothing-*"]\n', "group 'none' matches no package", id="empty-group"
        ),
        pytest.param('pins = "loose"\n', 'pins must be "track" or "fix"', id="bad-pin-policy"),
    ],
)
def test_config_errors(seed: Path, run: Run, config: str, message: str) -> None:
    write(seed / "versync.toml", config)
    result = run("check", "--root", seed)
    assert result.code == 2 and message in result.err


def test_groups_and_independent_packages(seed: Path, run: Run) -> None:
    write(seed / "versync.toml", '[groups]\nlillux = ["lillux*"]\nryeos = ["ryeos*"]\n')
    replace_in(seed / "lillux/kernel/pyproject.toml", '"0.1.1"', '"0.2.0"')
    replace_in(seed / "lillux/kernel/pyproject.toml", '"lillux-proc==0.1.1"', '"lillux-proc>=0.1"')
    replace_in(seed / "ryeos/pyproject.toml", '"lillux==0.1.1"', '"lillux>=0.1"')
    result = run("check", "--root", seed, "--json")
    document = json.loads(result.out)
    assert {p["name"]: p["group"] for p in document["packages"]}["registry-api"] is None
    # No history shows a release in progress: the strict majority of the group wins.
    assert [(f["code"], f["package"], f["expected"]) for f in document["findings"]] == [
        ("group-drift", "lillux", "0.1.1"),
    ]
    write(seed / "versync.toml", 'independent = ["lillux*"]\n')
    assert run("check", "--root", seed).code == 0


def test_exclude(seed: Path, run: Run) -> None:
    replace_in(seed / "ryeos-cli/pyproject.toml", '"0.1.1"', '"0.0.9"')
    (seed / "versync.toml").unlink()  # [tool.versync] is read only without a versync.toml
    write(
        seed / "pyproject.toml",
        '[tool.versync]\nexclude = ["ryeos-c*/**"]\n[tool.versync.groups]\nall = ["lillux*", "ryeos*"]\n',
    )
    assert run("check", "--root", seed).code == 0


def test_python_dash_m_and_console_script(seed: Path) -> None:
    module = subprocess.run(
        [sys.executable, "-m", "versync", "check", "--root", str(seed)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (module.returncode, module.stdout) == (0, "11 packages checked: all versions agree\n")
    script = Path(sys.executable).with_name("versync")
    console = subprocess.run(
        [str(script), "--root", str(seed)], capture_output=True, text=True, check=False
    )
    assert (console.returncode, console.stdout) == (0, module.stdout)


def test_no_colour_without_a_terminal(seed: Path, run: Run) -> None:
    replace_in(seed / "ryeos-cli/pyproject.toml", '"0.1.1"', '"0.1.0"')
    assert "\033[" not in run("check", "--root", seed).out


def test_github_annotations_parse_back(tmp_path: Path, run: Run) -> None:
    root = write_seed(tmp_path / "repo", "0.1.2")
    replace_in(root / "ryeos-cli/pyproject.toml", '"0.1.2"', '"0.1.1"')
    replace_in(root / "lillux/watch/Cargo.lock", '"0.1.2"', '"0.1.1"')
    result = run("check", "--root", root, "--format", "github")
    assert result.code == 1
    annotations = [ANNOTATION.fullmatch(line) for line in result.out.splitlines()]
    assert all(annotations), result.out
    parsed = [
        (m["file"], int(m["line"]), m["title"], unescape(m["message"])) for m in annotations if m
    ]
    assert parsed == [
        (
            "lillux/watch/Cargo.lock",
            7,
            "versync lock-stale",
            "lillux/watch/Cargo.lock locks lillux-watch 0.1.1, but lillux/watch/Cargo.toml says 0.1.2 (found 0.1.1, expected 0.1.2)",
        ),
        (
            "ryeos-cli/pyproject.toml",
            7,
            "versync group-drift",
            "ryeos-cli/pyproject.toml is 0.1.1: 9 of 10 packages in group 'ryeos' are 0.1.2 "
            "(found 0.1.1, expected 0.1.2)",
        ),
    ]


ANNOTATION = re.compile(
    r"::error file=(?P<file>[^,]+),line=(?P<line>\d+),col=\d+,title=(?P<title>[^:]+)::(?P<message>.*)"
)


def unescape(text: str) -> str:
    return text.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


@pytest.mark.parametrize(
    ("expect", "code", "mismatched"),
    [
        pytest.param("0.1.1", 0, 0, id="plain-matching"),
        pytest.param("v0.1.1", 0, 0, id="v-prefix-matching"),
        pytest.param("0.1.2", 1, 10, id="plain-not-matching"),
        pytest.param("v0.1.2", 1, 10, id="v-prefix-not-matching"),
    ],
)
def test_expect(seed: Path, run: Run, expect: str, code: int, mismatched: int) -> None:
    result = run("check", "--root", seed, "--expect", expect, "--json")
    assert result.code == code
    findings = json.loads(result.out)["findings"]
    assert [f["code"] for f in findings] == ["tag-mismatch"] * mismatched
    assert all(f["expected"] == expect.lstrip("v") and f["found"] == "0.1.1" for f in findings)


def test_expect_rejects_a_non_version(seed: Path, run: Run) -> None:
    result = run("check", "--root", seed, "--expect", "release-1")
    assert (
        result.code == 2
        and "'release-1' is not a valid PEP 440 version, nor a release tag" in result.err
    )


@pytest.mark.parametrize(
    ("no_color", "coloured"), [(None, True), ("1", False)], ids=["terminal", "terminal-NO_COLOR"]
)
def test_colour_on_a_terminal_unless_no_color(
    seed: Path, no_color: str | None, coloured: bool
) -> None:
    import os
    import pty

    replace_in(seed / "ryeos-cli/pyproject.toml", '"0.1.1"', '"0.1.0"')
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    if no_color is not None:
        env["NO_COLOR"] = no_color
    leader, follower = pty.openpty()
    result = subprocess.run(
        [sys.executable, "-m", "versync", "check", "--root", str(seed)],
        stdout=follower,
        env=env,
        check=False,
    )
    os.close(follower)
    output = os.read(leader, 65536).decode()
    os.close(leader)
    assert result.returncode == 1
    assert ("\033[31m[group-drift]\033[0m" in output) is coloured
    assert "ryeos-cli/pyproject.toml:7:12" in output


# --- the command line as users type it ---------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["--json", "--root", "{root}", "check"], id="json-and-root-before-check"),
        pytest.param(["--root", "{root}", "check", "--json"], id="root-before"),
        pytest.param(["check", "--root", "{root}", "--format", "json"], id="all-after"),
        pytest.param(["--format", "json", "--root", "{root}"], id="no-command"),
    ],
)
def test_root_and_json_before_or_after_the_command(seed: Path, run: Run, argv: list[str]) -> None:
    result = run(*[arg.format(root=seed) for arg in argv])
    assert result.code == 0 and result.err == ""
    assert json.loads(result.out)["findings"] == []


def test_list_takes_its_options_before_or_after(seed: Path, run: Run) -> None:
    first = run("--root", seed, "--json", "list")
    second = run("list", "--root", seed, "--format", "json")
    assert first.code == second.code == 0 and first.out == second.out
    assert [p["name"] for p in json.loads(first.out)["packages"]][:1] == ["lillux"]


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        pytest.param(
            ["check", "--json", "--expect", "vX"], "not a valid PEP 440 version", id="usage"
        ),
        pytest.param(["bump", "0.2.0", "--group", "nope", "--json"], "no group 'nope'", id="group"),
        pytest.param(["--json", "check", "--bogus"], "unrecognized arguments", id="argparse"),
    ],
)
def test_with_json_errors_are_json_on_stdout(
    seed: Path, run: Run, argv: list[str], error: str
) -> None:
    result = run(*argv, "--root", seed)
    assert result.code == 2 and result.err == ""
    document = json.loads(result.out)
    assert error in document["error"] and document["file"] is None and document["line"] is None


def test_a_config_error_with_json(seed: Path, run: Run) -> None:
    write(seed / "versync.toml", 'pins = "loose"\n')
    result = run("--json", "--root", seed)
    assert (result.code, result.err) == (2, "")
    assert 'pins must be "track" or "fix"' in json.loads(result.out)["error"]


def test_a_mistyped_command_suggests_the_right_one(seed: Path, run: Run) -> None:
    result = run("chek", "--root", seed)
    assert result.code == 2
    assert "unknown command 'chek': did you mean `versync check`?" in result.err


def test_a_closed_pipe_exits_quietly(
    seed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from versync._cli import main

    class ClosedPipe:
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

        def isatty(self) -> bool:
            return False

        def fileno(self) -> int:
            raise OSError("no descriptor")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["list", "--root", str(seed)]) == 141
    assert capsys.readouterr().err == ""


def test_a_closed_pipe_through_a_shell(seed: Path) -> None:
    padding = "x" * 200  # 400 rows of 400 characters: more than a pipe holds
    for index in range(400):
        write(
            seed / f"extra/{padding}{index}/pyproject.toml",
            f'[project]\nname = "p{index}-{padding}"\nversion = "1.0"\n',
        )
    script = Path(sys.executable).with_name("versync")
    done = subprocess.run(
        ["sh", "-c", f'"{script}" list --root "{seed}" | head -1'],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.startswith("PACKAGE") and done.stderr == ""


def test_outside_git_the_current_folder_is_walked(
    seed: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(seed / "ryeos")
    result = run("check")
    assert (result.code, result.out) == (0, "5 packages checked: all versions agree\n")


def test_a_file_error_as_json_names_the_file_and_line(capsys: pytest.CaptureFixture[str]) -> None:
    from versync._cli import _report
    from versync.errors import InputError

    _report(InputError("a/pyproject.toml", 3, 9, "expected '='"), as_json=True)
    captured = capsys.readouterr()
    assert captured.err == ""
    assert json.loads(captured.out) == {
        "error": "expected '='",
        "file": "a/pyproject.toml",
        "line": 3,
        "column": 9,
    }


def test_bump_and_fix_with_json(seed: Path, run: Run) -> None:
    replace_in(seed / "ryeos/bundles/web/ryeos_web/bundle.py", '"0.1.1"', '"0.1.x"')
    replace_in(seed / "ryeos-cli/pyproject.toml", '"0.1.1"', '"0.1.0"')
    fixed = run("fix", "--json", "--root", seed)
    assert fixed.code == 1 and fixed.err == ""
    document = json.loads(fixed.out)
    assert document["files"] == ["ryeos-cli/pyproject.toml"] and document["written"] is True
    assert [f["code"] for f in document["remaining"]] == ["invalid-version"]
    replace_in(seed / "ryeos/bundles/web/ryeos_web/bundle.py", '"0.1.x"', '"0.1.1"')
    bumped = run("--json", "bump", "0.1.2", "--dry-run", "--root", seed)
    assert bumped.code == 0
    document = json.loads(bumped.out)
    assert document["written"] is False and len(document["files"]) == 18
    assert document["summary"] == "bumped 10 packages in 1 group to 0.1.2: 18 files"


def test_a_run_collects_garbage_less_often_and_leaves_the_process_as_it_found_it(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from versync import _cli

    calls: list[tuple[int, ...]] = []
    real = gc.set_threshold

    def recording(*thresholds: int) -> None:
        calls.append(thresholds)
        real(*thresholds)

    before = gc.get_threshold()
    monkeypatch.setattr(gc, "set_threshold", recording)
    write_seed(tmp_path)
    assert run("check", "--root", tmp_path).code == 0
    assert gc.get_threshold() == before
    assert calls == [(max(before[0], _cli.GC_FIRST_GENERATION), *before[1:]), before]
