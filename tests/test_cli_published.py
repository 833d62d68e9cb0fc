"""`versync check --published` against a loopback index serving PEP 691 and the sparse index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run, write
from tests.indexserver import Answer, Index, index

__all__ = ["index"]  # the fixture


def published(run: Run, root: Path, index: Index, *args: str) -> tuple[int, str, str]:
    result = run(
        "check",
        "--root",
        root,
        "--published",
        "--index-url",
        index.simple,
        "--cargo-index-url",
        index.sparse,
        *args,
    )
    return result.code, result.out, result.err


def test_already_published_version_is_a_finding_on_the_manifest_line(
    seed: Path, run: Run, index: Index
) -> None:
    index.project("ryeos-core", versions=["0.1.0", "0.1.1"])
    index.project("lillux-proc", files=["lillux_proc-0.1.0-py3-none-any.whl"])
    code, out, err = published(run, seed, index)
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == (
        "ryeos/bundles/core/pyproject.toml:7:12: ryeos-core: ryeos-core 0.1.1 is already on the "
        "index: bump it before publishing (found 0.1.1, expected a version not yet on the index) "
        "[already-published]"
    )
    assert len(out.splitlines()) == 3  # one finding, the summary, the repair line
    asked = {path for path, _ in index.requests}
    assert "/simple/ryeos-core/" in asked and "/simple/lillux-proc/" in asked
    assert "/simple/registry-api/" not in asked  # not published: not asked
    assert len(asked) == 10


def test_nothing_published_yet_is_clean(seed: Path, run: Run, index: Index) -> None:
    index.project("ryeos-core", versions=["0.1.0"])
    code, out, _ = published(run, seed, index)
    assert code == 0
    assert out.endswith("all versions agree\n")


def test_versions_compare_as_pep440(seed: Path, run: Run, index: Index) -> None:
    index.project("ryeos", versions=["0.1.1.0"])
    code, out, _ = published(run, seed, index, "--json")
    assert code == 1
    [found] = json.loads(out)["findings"]
    assert (found["code"], found["package"], found["file"], found["line"]) == (
        "already-published",
        "ryeos",
        "ryeos/bundles/standard/pyproject.toml",
        7,
    )


def test_crates_are_asked_on_the_sparse_index(tmp_path: Path, run: Run, index: Index) -> None:
    write(tmp_path / "Cargo.toml", '[package]\nname = "Abc"\nversion = "1.2.0+build5"\n')
    index.crate("3/a/abc", ["1.1.0", "1.2.0"])
    code, out, _ = published(run, tmp_path, index)
    assert code == 1
    assert "Abc 1.2.0+build5 is already on the index" in out
    assert index.requests == [("/crates/3/a/abc", "text/plain, */*")]


def test_package_restricts_the_questions(seed: Path, run: Run, index: Index) -> None:
    index.project("ryeos-core", versions=["0.1.1"])
    code, _, _ = published(run, seed, index, "--package", "ryeos-web")
    assert code == 0
    assert [path for path, _ in index.requests] == ["/simple/ryeos-web/"]


def test_config_names_the_indexes(seed: Path, run: Run, index: Index) -> None:
    write(
        seed / "versync.toml", f'index-url = "{index.simple}"\ncargo-index-url = "{index.sparse}"\n'
    )
    index.project("lillux", versions=["0.1.1"])
    result = run("check", "--root", seed, "--published")
    assert result.code == 1
    assert "lillux 0.1.1 is already on the index" in result.out


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        pytest.param(Answer(status=500, body=b"boom"), "HTTP 500 Internal Server Error", id="500"),
        pytest.param(
            Answer(body=b"\x00garbage"), "malformed answer: not PEP 691 JSON", id="garbage"
        ),
        pytest.param(
            Answer(body=b'{"versions": ["0.1.1"]}', delay=1.0),
            "no answer within 0.2 s",
            id="timeout",
        ),
    ],
)
def test_an_index_that_cannot_answer_exits_2_naming_url_and_reason(
    seed: Path, run: Run, index: Index, answer: Answer, reason: str
) -> None:
    index.answers["/simple/ryeos-mcp/"] = answer
    code, out, err = published(run, seed, index, "--timeout", "0.2")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"versync: {index.simple}ryeos-mcp/: ")
    assert reason in err


def test_timeout_must_be_positive(seed: Path, run: Run) -> None:
    result = run("check", "--root", seed, "--published", "--timeout", "0")
    assert result.code == 2
    assert "--timeout" in result.err and "not a positive number of seconds" in result.err


def test_bad_config_value(seed: Path, run: Run) -> None:
    write(seed / "versync.toml", "index-url = 3\n")
    result = run("check", "--root", seed, "--published")
    assert result.code == 2
    assert result.err == "versync: versync.toml: index-url must be a non-empty string\n"
