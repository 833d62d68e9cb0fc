"""The light PEP 508 split agrees with packaging's full parser."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from versync.syntax.pep508 import canonical_name, parse_requirement

NAMES = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,8}[A-Za-z0-9])?", fullmatch=True)
CLAUSES = st.builds(
    lambda op, version, space: f"{op}{space}{version}",
    st.sampled_from(["==", ">=", "<=", "~=", "!=", "<", ">"]),
    st.sampled_from(["1.0", "0.1.1", "2.0.0rc1", "1.44.0.dev"]),
    st.sampled_from(["", " "]),
)


@st.composite
def requirements(draw: st.DrawFn) -> str:
    name = draw(NAMES)
    extras = draw(st.sampled_from(["", "[a]", "[a,b]", " [x] "]))
    if draw(st.booleans()) and draw(st.booleans()):
        return f"{name}{extras} @ https://example.invalid/{name}.whl"
    spec = ",".join(draw(st.lists(CLAUSES, max_size=3)))
    if spec and draw(st.booleans()):
        spec = f"({spec})"
    marker = draw(st.sampled_from(["", "; python_version >= '3.11'", " ; os_name == 'posix'"]))
    return f"{name}{extras}{draw(st.sampled_from(['', ' ']))}{spec}{marker}"


@given(requirements())
def test_agrees_with_packaging(text: str) -> None:
    expected = Requirement(text)
    parsed = parse_requirement(text)
    assert canonical_name(parsed.name) == canonical_name(expected.name)
    assert parsed.url == (expected.url is not None)
    if not parsed.url:
        assert SpecifierSet(parsed.specifier) == expected.specifier
        assert text[parsed.offset : parsed.offset + len(parsed.specifier)] == parsed.specifier


@pytest.mark.parametrize("bad", ["b >>= 1", "-leading", "x (>=1", "x =="], ids=repr)
def test_invalid_requirements_raise_with_packagings_message(bad: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        parse_requirement(bad)


@pytest.mark.parametrize(("name", "canonical"), [("Ryeos_Core", "ryeos-core"), ("a.b--c", "a-b-c")])
def test_canonical_name(name: str, canonical: str) -> None:
    assert canonical_name(name) == canonical
