"""The TOML string locator agrees with tomllib on every string value and its place."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from versync.syntax.tomlspan import Key, string_spans

CASES = {
    "pep621": (
        '[project]\nname = "a"\nversion = "1.0"  # v\ndependencies = [\n  "b>=1",  # first\n\n  # between\n  \'c\',\n]\n',
        {("project", "version"): "1.0", ("project", "dependencies", 1): "c"},
    ),
    "poetry-inline": (
        '[tool.poetry.dependencies]\npython = "^3.11"\nx = { version = "^1.2", path = "../x" }\n',
        {("tool", "poetry", "dependencies", "x", "version"): "^1.2"},
    ),
    "cargo": (
        '[package]\nname = "a"\nversion.workspace = true\n[workspace.package]\nversion = "2.0.0"\n'
        '[workspace.dependencies]\nx = { path = "x", version = "=2.0.0" }\n',
        {
            ("workspace", "package", "version"): "2.0.0",
            ("workspace", "dependencies", "x", "version"): "=2.0.0",
        },
    ),
    "cargo-lock": (
        'version = 4\n\n[[package]]\nname = "a"\nversion = "0.1.0"\ndependencies = [\n "b",\n "c 0.2.0",\n]\n\n'
        '[[package]]\nname = "b"\nversion = "0.3.0"\nsource = "registry+https://x"\nchecksum = "ab"\n',
        {
            ("package", 0, "version"): "0.1.0",
            ("package", 0, "dependencies", 1): "c 0.2.0",
            ("package", 1, "version"): "0.3.0",
        },
    ),
    "nested-array-tables": (
        '[[a]]\nn = "1"\n[[a.b]]\nn = "1.1"\n[[a.b]]\nn = "1.2"\n[[a]]\nn = "2"\n[[a.b]]\nn = "2.1"\n[a.c]\nn = "2c"\n',
        {("a", 0, "b", 1, "n"): "1.2", ("a", 1, "b", 0, "n"): "2.1", ("a", 1, "c", "n"): "2c"},
    ),
    "dotted-and-quoted-keys": (
        'project.version = "1"\na."quoted.key".b = \'x\'\n"é\\u0041" = "y"\n',
        {("project", "version"): "1", ("a", "quoted.key", "b"): "x", ("éA",): "y"},
    ),
    "multi-line-strings": (
        'a = """\nline "one" # not a comment ]\n"""\nb = \'\'\'it\'s\'\'\'\nc = """x\\\n  y"""\nd = "after"\n',
        {("d",): "after", ("b",): "it's"},
    ),
    "crlf-and-headers-with-spaces": (
        '[ project ]\r\nname = "a"\r\n[ tool . "x y" ]\r\nversion = "3"\r\n',
        {("project", "name"): "a", ("tool", "x y", "version"): "3"},
    ),
    "scalars": (
        "i = 1_000\nh = 0xff\nf = -1.5e3\nn = +inf\nb = true\nd = 1979-05-27T07:32:00Z\ns = 1979-05-27 07:32:00\nt = 07:32:00\n"
        'a = [1, [2, "in"], {k = "v"}]\nz = "end"\n',
        {("a", 1, 1): "in", ("a", 2, "k"): "v", ("z",): "end"},
    ),
    "string-arrays-with-comments": (
        'a = [ "x" , # c "q" ] #\n "y",\n# ["z"]\n ]\nb = ["""m""", "n"]\nc = [[ "p", "q" ], ["r"]]\n'
        'd = []\ne = [\r\n  "#not-a-comment",\r\n]\nf = ["1", \'2\', "3"]\n',
        {
            ("a", 1): "y",
            ("b", 1): "n",
            ("c", 1, 0): "r",
            ("e", 0): "#not-a-comment",
            ("f", 2): "3",
        },
    ),
    "an-array-that-leaves-the-fast-path-after-a-long-comment": (
        'a = [\n  "x", # ' + "#" * 5000 + '\n  {b = "c"},\n]\n',
        {("a", 0): "x", ("a", 1, "b"): "c"},
    ),
    "array-of-inline-tables": (
        'x = [\n  { name = "p", version = "1" },  # c\n  { name = "q" },\n]\n',
        {("x", 0, "version"): "1", ("x", 1, "name"): "q"},
    ),
}


def index(document: Any, key: Key) -> Any:
    for part in key:
        document = document[part]
    return document


def all_strings(node: Any, key: Key = ()) -> dict[Key, str]:
    found: dict[Key, str] = {}
    if isinstance(node, str):
        found[key] = node
    elif isinstance(node, dict):
        for name, value in node.items():
            found.update(all_strings(value, (*key, name)))
    elif isinstance(node, list):
        for position, value in enumerate(node):
            found.update(all_strings(value, (*key, position)))
    return found


def assert_agrees_with_tomllib(text: str) -> None:
    spans = string_spans(text)
    document = tomllib.loads(text)
    assert set(spans) == set(all_strings(document))
    for key, span in spans.items():
        assert text[span.start : span.end] == span.raw
        if "\\" not in span.raw and len(span.quote) == 1:
            assert index(document, key) == span.raw


@pytest.mark.parametrize(("text", "expected"), list(CASES.values()), ids=list(CASES))
def test_cases(text: str, expected: dict[Key, str]) -> None:
    spans = string_spans(text)
    assert {key: spans[key].raw for key in expected} == expected
    assert_agrees_with_tomllib(text)


def test_quotes_are_recorded() -> None:
    spans = string_spans("a = 'x'\nb = \"y\"\nc = '''z'''\n")
    assert [spans[(k,)].quote for k in "abc"] == ["'", '"', "'''"]


KEYS = st.from_regex(r"[a-z][a-z0-9_-]{0,6}", fullmatch=True)
SAFE = st.from_regex(r"[A-Za-z0-9.+-]{1,10}", fullmatch=True)


@st.composite
def documents(draw: st.DrawFn) -> str:
    newline = draw(st.sampled_from(["\n", "\r\n"]))

    def key() -> str:
        parts = draw(st.lists(KEYS, min_size=1, max_size=2))
        style = draw(st.sampled_from(["bare", "double", "single"]))
        quoted = [
            f'"{p}"' if style == "double" else f"'{p}'" if style == "single" else p for p in parts
        ]
        return draw(st.sampled_from([".", " . "])).join(quoted)

    def value(depth: int = 0) -> str:
        scalar = st.one_of(
            SAFE.map(lambda s: f'"{s}"'),
            SAFE.map(lambda s: f"'{s}'"),
            st.integers(-99, 99).map(str),
            st.sampled_from(["true", "false", "1.5"]),
        )
        if depth > 0:
            return draw(scalar)
        kind = draw(st.sampled_from(["scalar", "array", "inline"]))
        if kind == "array":
            items = [value(depth + 1) for _ in range(draw(st.integers(0, 3)))]
            return "[" + f",{draw(st.sampled_from([' ', newline + '  ']))}".join(items) + "]"
        if kind == "inline":
            names = draw(st.lists(KEYS, max_size=3, unique=True))
            return "{ " + ", ".join(f"{n} = {value(depth + 1)}" for n in names) + " }"
        return draw(scalar)

    lines: list[str] = []
    for table in draw(st.lists(KEYS, min_size=1, max_size=3, unique=True)):
        lines.append(f"[{table}]{draw(st.sampled_from(['', '  # t']))}")
        used: set[str] = set()
        for _ in range(draw(st.integers(0, 4))):
            name = key()
            if any(
                name.replace('"', "").replace("'", "").replace(" ", "").startswith(u) for u in used
            ):
                continue
            used.add(name.replace('"', "").replace("'", "").replace(" ", ""))
            lines.append(f"{name} = {value()}{draw(st.sampled_from(['', ' # c']))}")
    return newline.join(lines) + newline


@settings(max_examples=200, deadline=None)
@given(documents(), st.data())
def test_generated_documents(text: str, data: st.DataObject) -> None:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return  # a generated key clash (a.b after a = 1): not a document
    assert_agrees_with_tomllib(text)
    spans = string_spans(text)
    if not spans:
        return
    key = data.draw(st.sampled_from(sorted(spans, key=str)))
    replacement = data.draw(SAFE)
    span = spans[key]
    edited = tomllib.loads(text[: span.start] + replacement + text[span.end :])
    parent = index(document, key[:-1])
    parent[key[-1]] = replacement
    assert edited == document
