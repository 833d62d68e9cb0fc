"""`TomlFile.span` places every string value exactly where the span scanner does, and asks
the scanner only when a value's place cannot be read off the text."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.syntax.test_toml_parsers import suite_documents
from tests.syntax.test_tomlspan import CASES, all_strings, documents
from versync.syntax import toml as toml_module
from versync.syntax import tomlspan
from versync.syntax.text import line_col
from versync.syntax.toml import TomlFile


def assert_spans_agree_with_the_scanner(text: str) -> None:
    """Every string value, asked of one `TomlFile` in document order, then of another in
    reverse order, is placed where the scanner places it, on the line and column it is on."""
    scanned = tomlspan.string_spans(text)
    values = all_strings(tomllib.loads(text))
    for order in (list(values), list(reversed(values))):
        toml = TomlFile("x.toml", text)
        for key in order:
            span = toml.span(key, values[key])
            assert (span.start, span.end) == (scanned[key].start, scanned[key].end), key
            assert (span.line, span.column) == line_col(text, span.start), key
            assert span.text == values[key]


def scanner_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the span scanner is asked to scan from now on."""
    calls: list[str] = []
    scan = tomlspan.string_spans

    def counted(text: str) -> dict[tomlspan.Key, tomlspan.StringSpan]:
        calls.append(text)
        return scan(text)

    monkeypatch.setattr(tomlspan, "string_spans", counted)
    return calls


def test_every_document_of_the_suite_gets_the_scanners_spans(tmp_path: Path) -> None:
    documents = suite_documents(tmp_path)
    assert len(documents) > 40
    for text in documents.values():
        assert_spans_agree_with_the_scanner(text)


def test_a_value_written_once_in_a_plain_document_is_placed_without_the_scanner(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = scanner_calls(monkeypatch)
    text = '[project]\nname = "a"\nversion = \'1.0\'  # released\ndependencies = ["b>=1"]\n'
    toml = TomlFile("pyproject.toml", text)
    version = toml.span(("project", "version"), "1.0")
    requirement = toml.span(("project", "dependencies", 0), "b>=1")
    assert calls == []
    assert (version.line, version.column, text[version.start : version.end]) == (3, 12, "1.0")
    assert (requirement.line, text[requirement.start : requirement.end]) == (4, "b>=1")


@pytest.mark.parametrize(
    "text",
    [
        '[a]\nversion = "1.0"\n[b]\nversion = "1.0"\n',
        '# version = "1.0" was the last release\n[a]\nversion = "1.0"\n',
        "[a]\nversion = '1.0'\nname = \"'1.0'\"\n",
        '[a]\nversion = "1.0"\npath = "C:\\\\x"\n',
        '[a]\nversion = "1.0"\nabout = """\nsome text\n"""\n',
        "[a]\nversion = \"1.0\"\nabout = '''\nsome text\n'''\n",
        '[a]\nversion = "1.0"\nnote = \'"1.0"1.0"\'\n',
    ],
    ids=[
        "written-twice",
        "quoted-in-a-comment",
        "inside-another-string",
        "a-backslash-anywhere",
        "a-multi-line-basic-string",
        "a-multi-line-literal-string",
        "overlapping-occurrences",
    ],
)
def test_a_value_whose_place_the_text_does_not_settle_is_left_to_the_scanner(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    calls = scanner_calls(monkeypatch)
    span = TomlFile("x.toml", text).span(("a", "version"), "1.0")
    assert calls == [text]
    lines = text.splitlines()
    line = 1 + next(n for n, written in enumerate(lines) if written.startswith("version = "))
    assert (span.line, span.column, text[span.start : span.end]) == (line, 12, "1.0")


@pytest.mark.parametrize(("text", "_"), list(CASES.values()), ids=list(CASES))
def test_the_scanners_cases_get_its_spans(text: str, _: object) -> None:
    assert_spans_agree_with_the_scanner(text)


@st.composite
def documents_with_copies(draw: st.DrawFn) -> str:
    """A generated document with, here and there, comments and strings that quote its values
    again: the places a search of the text could mistake for a value's."""
    text = draw(documents())
    values = sorted({*all_strings(tomllib.loads(text)).values()}) if _valid(text) else []
    copies = [f'# "{value}"' for value in values] + [
        f"# '{value}' and \"{value}\"" for value in values
    ]
    lines = text.splitlines(keepends=True)
    for copy in draw(st.lists(st.sampled_from(copies), max_size=3)) if copies else []:
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, copy + "\n")
    extra = draw(st.sampled_from(["", 'zz_last = "{}"\n', "zz_last = '{}'\n"]))
    if extra and values:
        lines.append(extra.format(draw(st.sampled_from(values))))
    return "".join(lines)


def _valid(text: str) -> bool:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(documents_with_copies())
def test_generated_documents_get_the_scanners_spans(text: str) -> None:
    if not _valid(text):
        return  # a generated key clash, or a copy inserted inside an array: not a document
    assert_spans_agree_with_the_scanner(text)


def test_a_document_asked_for_many_places_is_scanned_once_not_searched_for_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A lock file: thousands of places asked, each search reading the whole text.
    text = "version = 4\n" + "".join(
        f'\n[[package]]\nname = "p{n}"\nversion = "0.{n}.0"\n' for n in range(200)
    )
    calls = scanner_calls(monkeypatch)
    searched: list[str] = []
    find = str.find

    class Text(str):
        def find(self, *args: object) -> int:
            searched.append("")
            return find(self, *args)  # type: ignore[arg-type]

    toml = TomlFile("Cargo.lock", Text(text))
    for n in range(200):
        name = toml.span(("package", n, "name"), f"p{n}")
        version = toml.span(("package", n, "version"), f"0.{n}.0")
        assert text[name.start : name.end] == f"p{n}"
        assert text[version.start : version.end] == f"0.{n}.0"
        assert version.line == 5 + 4 * n
    assert len(calls) == 1
    assert len(searched) <= 4 * toml_module._SEARCHES_BEFORE_SCAN
    assert_spans_agree_with_the_scanner(text)


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ('[package]\nname = "a"\n', ("package", "name"), "a"),
        ("[package]\nversion = 1\n", ("package", "name"), None),
        ("[[package]]\nname = 'b'\n", ("package", 0, "name"), "b"),
    ],
    ids=["a-string", "absent", "in-an-array-of-tables"],
)
def test_text_at_is_the_string_without_its_place(
    monkeypatch: pytest.MonkeyPatch, text: str, key: tuple[str | int, ...], expected: str | None
) -> None:
    calls = scanner_calls(monkeypatch)
    assert TomlFile("x.toml", text).text_at(*key) == expected
    assert calls == []


@pytest.mark.parametrize("reader", ["pyproject.toml", "Cargo.toml", "Cargo.lock"])
def test_a_name_that_is_not_a_string_is_an_error_at_its_line(reader: str) -> None:
    from versync.errors import InputError
    from versync.formats import read_manifest

    table = {"pyproject.toml": "[project]", "Cargo.toml": "[package]", "Cargo.lock": "[[package]]"}
    text = f"{table[reader]}\n\nname = 5\n"
    with pytest.raises(InputError, match=r"name must be a string, not int") as caught:
        read_manifest(reader, text)
    assert caught.value.line == 3
