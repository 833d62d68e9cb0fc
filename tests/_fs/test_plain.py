"""The caches' plain-value codec: what goes in comes back, and nothing else is ever built."""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from versync._fs import plain
from versync.formats import read_manifest
from versync.records import Dependency, Finding, Span


class _Unregistered(NamedTuple):
    a: int
    b: int


SPAN = Span(file="a/pyproject.toml", line=3, column=12, start=40, end=45, text="0.1.1")

# Values as TOML tables give them, including keys that look like the codec's own tags.
toml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["$", "v", "a", "dict", "Span", "x"]), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(toml_values)
def test_tables_come_back_as_they_were_even_when_they_look_like_tags(value: Any) -> None:
    assert plain.decode(plain.encode(value)) == value


def test_records_and_reader_results_come_back_equal() -> None:
    pin = Dependency(
        name="b", literal=SPAN, scheme="pep508", specifier=">=1", spec_offset=1, owner="a"
    )
    finding = Finding(
        code="group-drift", package="a", file="a", line=1, column=2, found="1", expected="2",
        message="m", fixable=True,
    )  # fmt: skip
    assert plain.decode(plain.encode([SPAN, pin, finding, {"k": [SPAN]}])) == [
        SPAN,
        pin,
        finding,
        {"k": [SPAN]},
    ]
    text = '[project]\nname = "a"\nversion = "1.0"\ndependencies = ["b>=1"]\n[tool.versync]\npins = "fix"\n'
    project = read_manifest("pyproject.toml", text)
    again = plain.decode(plain.encode(project))
    assert type(again) is type(project) and vars(again) == vars(project)


@pytest.mark.parametrize(
    "document",
    [
        pytest.param('{"path": "x"}', id="an-untagged-object"),
        pytest.param('{"$": "os.system", "v": ["echo"]}', id="an-unregistered-tag"),
        pytest.param('{"$": "Span", "v": ["too", "few"]}', id="missing-fields"),
        pytest.param('{"$": "Span", "v": [1,2,3,4,5,6], "x": 1}', id="extra-keys"),
        pytest.param('{"$": "dict", "a": {"k": 1}}', id="a-table-given-as-an-object"),
        pytest.param('{"$": "PyProject", "a": [["k"]]}', id="malformed-attributes"),
        pytest.param("[1, 2", id="truncated-json"),
    ],
)
def test_anything_but_a_tagged_document_is_refused(document: str) -> None:
    with pytest.raises(ValueError):
        plain.decode(document)


def test_tuples_come_back_as_tuples() -> None:
    assert plain.decode(plain.encode([(1, "a", (2,)), {"k": ()}])) == [(1, "a", (2,)), {"k": ()}]


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(_Unregistered(1, 2), id="an-unregistered-named-tuple"),
        pytest.param(object(), id="an-unregistered-object"),
    ],
)
def test_what_cannot_come_back_the_same_is_not_encoded(value: object) -> None:
    with pytest.raises(TypeError):
        plain.encode([value])


def test_the_fingerprint_names_the_schema_and_the_build() -> None:
    fingerprint = plain.fingerprint()
    assert "Span(file,line,column,start,end,text)" in fingerprint
    assert fingerprint.startswith("0.1.0/") and fingerprint == plain.fingerprint()
