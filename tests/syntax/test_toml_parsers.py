"""The parser versync uses (`tomli` where installed) agrees with the standard library's
`tomllib` on every TOML document of the test suite, valid or not, and the span scanner's fast
paths agree with `tomllib` on the same documents."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate
from tests.seedrepo import write_seed
from tests.syntax.test_tomlspan import CASES, assert_agrees_with_tomllib
from versync.errors import InputError
from versync.syntax import toml
from versync.syntax.tomlspan import string_spans

MALFORMED = {
    "missing-value": "a = \n",
    "duplicate-key": 'a = "1"\na = "2"\n',
    "unclosed-header": "[project\nname = 'a'\n",
    "bad-escape": 'a = "\\q"\n',
    "newline-in-string": 'a = "x\ny"\n',
    "table-redefined": "[a]\nx = 1\n[a]\ny = 2\n",
    "unclosed-array": 'a = ["x",\n',
    "leading-zero": "a = 012\n",
    "bare-word": "a = yes\n",
}


def suite_documents(root: Path) -> dict[str, str]:
    """Every TOML file the tests build (the seed layout, a generated monorepo with drift)
    and every TOML text of the span scanner's cases."""
    write_seed(root / "seed")
    generate(root / "generated", 12, drift=True)
    found = {
        str(path.relative_to(root)): path.read_text(encoding="utf-8")
        for pattern in ("**/*.toml", "**/*.lock")
        for path in sorted(root.glob(pattern))
        if "/target/" not in str(path) and "/node_modules/" not in str(path)
    }
    found.update({f"case:{name}": text for name, (text, _) in CASES.items()})
    return found


def outcome(loads: Any, error: type[Exception], text: str) -> object:
    try:
        return loads(text)
    except error as exc:
        return ("rejected", str(exc))


def test_versync_parses_with_tomli_where_it_reads_toml_1_0(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tomli = pytest.importorskip("tomli")
    monkeypatch.setattr(tomli, "__version__", "2.2.1")
    assert toml.parser() == (tomli.loads, tomli.TOMLDecodeError)
    monkeypatch.setattr(tomli, "__version__", "2.3.0")  # TOML 1.1: not what cargo and uv read
    assert toml.parser() == (tomllib.loads, tomllib.TOMLDecodeError)


def test_every_document_of_the_suite_parses_as_with_tomllib(tmp_path: Path) -> None:
    documents = suite_documents(tmp_path)
    assert len(documents) > 40
    loads, error = toml.parser()
    for name, text in documents.items():
        assert outcome(loads, error, text) == tomllib.loads(text), name
        assert_agrees_with_tomllib(text)


@pytest.mark.parametrize("text", MALFORMED.values(), ids=MALFORMED)
def test_malformed_documents_are_rejected_as_tomllib_rejects_them(text: str) -> None:
    loads, error = toml.parser()
    expected = outcome(tomllib.loads, tomllib.TOMLDecodeError, text)
    assert isinstance(expected, tuple)
    assert outcome(loads, error, text) == expected
    with pytest.raises(InputError, match="invalid TOML"):
        toml.parse("x.toml", text)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(CASES)), st.data())
def test_damaged_documents_get_the_verdict_tomllib_gives(name: str, data: st.DataObject) -> None:
    text = CASES[name][0]
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start, min(len(text), start + 3)))
    insert = data.draw(st.sampled_from(["", '"', "'", "[", "]", "=", "\n", "#", ",", "{", "."]))
    damaged = text[:start] + insert + text[end:]
    loads, error = toml.parser()
    expected = outcome(tomllib.loads, tomllib.TOMLDecodeError, damaged)
    assert outcome(loads, error, damaged) == expected
    if not isinstance(expected, tuple):
        assert_agrees_with_tomllib(damaged)


@pytest.mark.parametrize(
    "text",
    [
        'a = ""\nb = """x"""\nc = "y"  # c\n',
        'a = 1_000\nb = 1979-05-27\nc = 1.5\nd = true\ne = "x"\n',
        'a = [\n  "x"  # c\n  , "y",\n  """z""",\n]\n',
        '[a.b]\nc = "1"\n[ a . "d" ]\ne = "2"\n',
        'a = "x"\r\nb = ["y", "z"]\r\n',
    ],
    ids=["empty-and-multiline-strings", "scalars", "comma-after-comment", "headers", "crlf"],
)
def test_fast_paths_hand_unusual_lines_to_the_general_scanner(text: str) -> None:
    assert string_spans(text)
    assert_agrees_with_tomllib(text)


def test_a_run_that_parses_a_few_documents_does_not_import_tomli(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(toml, "_parsed", [0])
    monkeypatch.setattr(toml, "_chosen", [])
    monkeypatch.delitem(sys.modules, "tomli", raising=False)
    for _ in range(toml._STANDARD_FIRST):
        assert toml.parse("a.toml", 'a = "1"\n') == {"a": "1"}
    assert "tomli" not in sys.modules
    assert toml.parse("a.toml", 'a = "1"\n') == {"a": "1"}
    assert toml._chosen == [toml.parser()]
    with pytest.raises(InputError, match=r"invalid TOML: Invalid value"):
        toml.parse("a.toml", "a = \n")


def test_a_run_that_expects_many_documents_takes_the_compiled_parser_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(toml, "_parsed", [0])
    monkeypatch.setattr(toml, "_chosen", [])
    toml.expect(toml._STANDARD_FIRST)
    assert toml._chosen == []  # as many as the standard library parses first: no switch
    toml.expect(toml._STANDARD_FIRST + 1)
    assert toml._chosen == [toml.parser()]
    toml.expect(10_000)
    assert toml._chosen == [toml.parser()]  # chosen once
