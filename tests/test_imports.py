"""What the pre-commit hook imports: every module on the warm path of `versync check` costs
every commit, so the list is kept here and a heavy import cannot creep onto it unnoticed."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tests.seedrepo import write_seed
from versync._cli import _parser
from versync._cli.check import check_defaults

# versync's own modules a warm `versync check` (answered from the verdict) imports.
WARM_VERSYNC_MODULES = {
    "versync",
    "versync.__about__",
    "versync._cli",
    "versync._cli.check",
    "versync._cli.common",
    "versync._fs",
    "versync._fs.build",
    "versync._fs.cache",
    "versync._fs.git",
    "versync._fs.head",
    "versync._fs.listing",
    "versync._fs.lock",
    "versync._fs.plain",
    "versync._fs.reading",
    "versync._output",
    "versync._output.text",
    "versync._typing",
    "versync.errors",
    "versync.formats",  # the package only: its readers are imported to scan
    "versync.records",
    "versync.syntax",
    "versync.syntax.text",
    "versync.verdict",
}
# Never on the warm path: parsers, the model, and the standard library's heavy modules.
NEVER_WARM = {
    "argparse",
    "ast",
    "dataclasses",
    "hashlib",
    "inspect",
    "packaging",
    "pathlib",
    "shutil",
    "subprocess",
    "tomli",
    "tomllib",
    "typing",  # about 2 ms: the warm path's modules take its names from `versync._typing`
    "versync.model",
    "versync.formats.pyproject",
    "versync.rules",
    "versync.syntax.pep508",
    "versync.syntax.python",
    "versync.syntax.toml",
    "versync.syntax.tomlspan",
    "versync.workspace",
}


# `python -X importtime -m versync check` does not show modules imported by
# `importlib.import_module` (the format modules): the modules loaded at exit are listed instead.
_LIST_MODULES = """
import sys
from versync._cli import main
code = main(["check"])
print("\\n".join(sorted(sys.modules)), file=sys.stderr)
raise SystemExit(code)
"""


def imported_modules(repo: Path) -> set[str]:
    """The modules a `versync check` in `repo` has loaded when it exits."""
    done = subprocess.run(
        [sys.executable, "-c", _LIST_MODULES], cwd=repo, capture_output=True, text=True, check=True
    )
    return set(done.stderr.split())


def test_a_warm_check_imports_only_the_listed_modules(tmp_path: Path) -> None:
    repo = write_seed(tmp_path / "seed")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "seed"], cwd=repo, check=True)
    time.sleep(2.1)  # a verdict keeps the stamps of files older than two seconds only
    subprocess.run([sys.executable, "-m", "versync", "check"], cwd=repo, check=True)
    assert (repo / ".git/versync/check-verdict.json").is_file()
    modules = imported_modules(repo)
    assert {m for m in modules if m.split(".")[0] == "versync"} == WARM_VERSYNC_MODULES
    assert {m.split(".")[0] for m in modules} & NEVER_WARM == set()
    assert modules & NEVER_WARM == set()


def test_the_hook_arguments_are_the_parsers_defaults() -> None:
    parsed = vars(_parser().parse_args(["check"]))
    assert vars(check_defaults()) == parsed
