"""The Python reader's tree and walk are `ast.parse`'s and `ast.walk`'s, without `ast`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from versync.errors import InputError
from versync.syntax import python

SOURCES = sorted(Path(__file__).resolve().parents[2].glob("versync/**/*.py"))


def test_every_module_of_versync_parses_and_walks_as_ast_does() -> None:
    assert len(SOURCES) > 50
    for source in SOURCES:
        text = source.read_text(encoding="utf-8")
        tree = python.parse(str(source), text)
        assert ast.dump(tree, include_attributes=True) == ast.dump(
            ast.parse(text), include_attributes=True
        ), source
        assert list(python.walk(tree)) == list(ast.walk(tree)), source


@pytest.mark.parametrize(
    ("text", "where"),
    [("x = (\n", (1, 5)), ("def f(:\n    pass\n", (1, 7))],
    ids=["unclosed-bracket", "bad-parameter"],
)
def test_a_syntax_error_is_an_input_error_at_its_place(text: str, where: tuple[int, int]) -> None:
    with pytest.raises(InputError) as caught:
        python.parse("m.py", text)
    assert (caught.value.line, caught.value.column) == where
    assert "invalid Python" in str(caught.value)
