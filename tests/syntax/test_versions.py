"""Version schemes: SemVer, maturin's reading, Cargo and Poetry requirements, relative bumps."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.version import Version

from versync.errors import UsageError
from versync.syntax.pep440 import bump_version, pep440_admits
from versync.syntax.poetry import poetry_to_pep440
from versync.syntax.semver import (
    cargo_req_admits,
    is_semver,
    maturin_reading,
    semver_key,
    to_semver,
)


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("1.0.0", True),
        ("0.1.1", True),
        ("1.0.0-alpha.1", True),
        ("1.0.0-x-y.0.a", True),
        ("1.0.0+build.5", True),
        ("1.0.0-rc.1+b", True),
        ("1.0", False),
        ("01.0.0", False),
        ("1.0.0-01", False),
        ("1.0.0-", False),
        ("v1.0.0", False),
        ("1.0.0.0", False),
    ],
    ids=lambda value: str(value),
)
def test_is_semver(text: str, valid: bool) -> None:
    assert is_semver(text) is valid


@pytest.mark.parametrize(
    ("cargo", "wheel"),
    [
        ("1.0.0-alpha.1", "1.0.0a1"),
        ("1.0.0-pre.1", "1.0.0rc1"),
        ("1.0.0-1", "1.0.0.post1"),
        ("1.0.0-preview.1", "1.0.0rc1"),
        ("1.0.0-dev", "1.0.0.dev0"),
        ("1.0.0+build5", "1.0.0+build5"),
        ("1.0.0-nightly.5", None),
        ("1.0.0-alpha.1.2", None),
        ("1.0.0-alpha.beta", None),
        ("1.0", None),
    ],
    ids=lambda value: str(value),
)
def test_maturin_reading(cargo: str, wheel: str | None) -> None:
    reading = maturin_reading(cargo)
    assert (str(reading) if reading else None) == wheel


@pytest.mark.parametrize(
    ("pep440", "semver"),
    [
        ("1.0.0", "1.0.0"),
        ("1.2", "1.2.0"),
        ("3", "3.0.0"),
        ("1.0.0rc1", "1.0.0-rc.1"),
        ("2.0.0a3", "2.0.0-alpha.3"),
        ("2.0.0b2", "2.0.0-beta.2"),
        ("1.0.0.dev2", "1.0.0-dev.2"),
        ("1.45.0.dev", "1.45.0-dev.0"),
    ],
    ids=lambda value: str(value),
)
def test_to_semver(pep440: str, semver: str) -> None:
    assert to_semver(pep440) == semver
    assert maturin_reading(semver) == Version(pep440)


@pytest.mark.parametrize(
    ("pep440", "reason"),
    [
        ("1!1.0.0", "no epoch"),
        ("1.0.0+local", "local version"),
        ("1.0.0.post1", "post release"),
        ("1.0.0.1", "three numbers"),
        ("1.0.0a1.dev2", "dev release of a pre-release"),
        ("not-a-version", "not a valid PEP 440"),
    ],
    ids=lambda value: str(value),
)
def test_to_semver_refuses(pep440: str, reason: str) -> None:
    with pytest.raises(UsageError, match=reason):
        to_semver(pep440)


@pytest.mark.parametrize(
    ("specifier", "version", "admitted"),
    [
        ("~= 1.3", "1.44.0.dev", True),
        (">=0.1.1", "0.2.0a1", True),
        ("==0.1.1", "0.1.2", False),
        ("", "9", True),
        (
            ">=1.0,<2",
            "2.0.0rc1",
            False,
        ),  # PEP 440: <2 excludes 2's pre-releases (">=1.0,<2", "2.0.0", False),
    ],
    ids=lambda value: str(value),
)
def test_pep440_admits(specifier: str, version: str, admitted: bool) -> None:
    assert pep440_admits(specifier, Version(version)) is admitted


CARGO_CASES = [
    ("0.1.1", "0.1.2", True),
    ("0.1.1", "0.2.0", False),
    ("1.0.0", "1.5.0", True),
    ("=0.1.1", "0.1.2", False),
    ("~0.1.1", "0.1.9", True),
    ("~1", "1.9.0", True),
    ("~1.2", "1.3.0", False),
    ("^0.0.3", "0.0.4", False),
    ("^0.0", "0.0.9", True),
    ("^0", "0.9.0", True),
    ("^1.2", "1.9.9", True),
    ("0.1.1", "0.1.2-alpha.1", False),
    ("0.2.0-alpha.1", "0.2.0-alpha.2", True),
    ("0.2.0-alpha.1", "0.2.0", True),
    ("0.2.0-alpha.1", "0.2.1-alpha.1", False),
    (">=0.1, <0.3", "0.2.5", True),
    (">=0.1, <0.3", "0.3.0", False),
    ("*", "7.0.0", True),
    ("1.*", "1.4.0", True),
    ("1.2.*", "1.3.0", False),
    (">1.2", "1.2.9", False),
    (">1.2", "1.3.0", True),
    ("<=1.2", "1.2.9", True),
    ("<1.0.0", "1.0.0-rc.1", False),
    ("=1.0.0-rc.1", "1.0.0-rc.1", True),
    (">1.0.0-alpha", "1.0.0-alpha.1", True),
]


@pytest.mark.parametrize(("requirement", "version", "admitted"), CARGO_CASES, ids=lambda v: str(v))
def test_cargo_req_admits(requirement: str, version: str, admitted: bool) -> None:
    assert cargo_req_admits(requirement, version) is admitted


@pytest.mark.parametrize("bad", ["", "^^1", "1.0.0.0", "abc"], ids=lambda v: repr(v))
def test_cargo_req_invalid(bad: str) -> None:
    with pytest.raises(
        ValueError, match=r"not a valid cargo clause|not a Cargo version requirement"
    ):
        cargo_req_admits(bad, "1.0.0")


@pytest.mark.parametrize(
    ("constraint", "specifier"),
    [
        ("0.1.1", "==0.1.1"),
        ("^0.1.1", ">=0.1.1,<0.2.0"),
        ("^1.2", ">=1.2,<2.0.0"),
        ("~1.2.3", ">=1.2.3,<1.3.0"),
        ("~1", ">=1,<2.0.0"),
        ("*", ""),
        (">=1.0,<2.0", ">=1.0,<2.0"),
        (">=1.0 <2.0", ">=1.0,<2.0"),
        ("1.2.*", "==1.2.*"),
    ],
    ids=lambda value: str(value),
)
def test_poetry_to_pep440(constraint: str, specifier: str) -> None:
    assert poetry_to_pep440(constraint) == specifier


def test_poetry_or_is_not_one_specifier() -> None:
    with pytest.raises(ValueError, match=r"'\|\|'"):
        poetry_to_pep440("^1.0 || ^2.0")


@pytest.mark.parametrize(
    ("current", "part", "pre", "expected"),
    [
        ("1.2.3", "major", None, "2.0.0"),
        ("1.2.3", "minor", None, "1.3.0"),
        ("1.2.3", "patch", None, "1.2.4"),
        ("1.2", "patch", None, "1.2.1"),
        ("1.2.3", "minor", "alpha", "1.3.0a1"),
        ("1.3.0a1", "minor", "alpha", "1.3.0a2"),
        ("1.3.0a2", "patch", "rc", "1.3.0rc1"),
        ("1.3.0rc2", "minor", None, "1.3.0"),
        ("1.3.0rc2", "major", None, "2.0.0"),
        ("1.3.0rc2", "patch", None, "1.3.0"),
        ("1.0.0.post1", "patch", None, "1.0.1"),
        ("1.0.0.dev3", "patch", None, "1.0.0"),
        ("1.0.0rc1.dev2", "patch", "rc", "1.0.0rc1"),
    ],
    ids=lambda value: str(value),
)
def test_bump_version(current: str, part: str, pre: str | None, expected: str) -> None:
    assert bump_version(current, part, pre) == expected


@pytest.mark.parametrize(
    ("current", "pre", "reason"),
    [
        ("1.0.0rc1", "alpha", "already past alpha"),
        ("1!1.0", None, "epoch"),
        ("x", None, "not a valid"),
    ],
    ids=lambda value: str(value),
)
def test_bump_version_refuses(current: str, pre: str | None, reason: str) -> None:
    with pytest.raises(UsageError, match=reason):
        bump_version(current, "patch", pre)


RELEASES = st.tuples(st.integers(0, 20), st.integers(0, 20), st.integers(0, 20))
SUFFIXES = st.one_of(
    st.just(""),
    st.tuples(st.sampled_from(["a", "b", "rc"]), st.integers(0, 9)).map(lambda t: f"{t[0]}{t[1]}"),
    st.integers(0, 9).map(lambda n: f".dev{n}"),
)
VERSIONS = st.builds(lambda r, s: ".".join(map(str, r)) + s, RELEASES, SUFFIXES)


@given(VERSIONS, VERSIONS)
def test_semver_form_round_trips_and_sorts_like_pep440(left: str, right: str) -> None:
    for version in (left, right):
        assert is_semver(to_semver(version))
        assert maturin_reading(to_semver(version)) == Version(version)
    a, b = Version(left), Version(right)
    if not _dev_against_pre(a, b) and not _dev_against_pre(b, a):
        assert (semver_key(to_semver(left)) < semver_key(to_semver(right))) == (a < b)


def _dev_against_pre(dev: Version, pre: Version) -> bool:
    """The documented disagreement: x.y.z-dev.N sorts after x.y.z-alpha.M in SemVer."""
    return (
        dev.release == pre.release
        and dev.dev is not None
        and dev.pre is None
        and pre.pre is not None
    )


PEP440_PARTS = st.builds(
    lambda epoch, release, pre, post, dev, local: (
        (f"{epoch}!" if epoch else "") + ".".join(map(str, release)) + pre + post + dev + local
    ),
    st.sampled_from([0, 0, 0, 1]),
    st.lists(st.integers(0, 3), min_size=1, max_size=4),
    st.sampled_from(["", "", "a1", "b2", "rc0", "rc1"]),
    st.sampled_from(["", "", ".post1", ".post0"]),
    st.sampled_from(["", "", ".dev0", ".dev2"]),
    st.sampled_from(["", "", "", "+local.1"]),
)
OPERATORS = st.sampled_from(["==", "!=", "<=", ">=", "<", ">", "~=", "===", "==*", "!=*"])


@st.composite
def clauses(draw: st.DrawFn) -> str:
    op = draw(OPERATORS)
    version = draw(PEP440_PARTS)
    if op.endswith("*"):
        public = Version(version)
        return f"{op[:-1]}{'.'.join(map(str, public.release))}.*"
    return f"{op}{version}"


@settings(max_examples=1000)
@given(st.lists(clauses(), min_size=1, max_size=3), PEP440_PARTS)
def test_pep440_admits_agrees_with_packaging(specifiers: list[str], version: str) -> None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    text = ", ".join(specifiers)
    try:
        expected: bool | None = SpecifierSet(text).contains(Version(version), prereleases=True)
    except InvalidSpecifier:
        expected = None
    try:
        actual: bool | None = pep440_admits(text, Version(version))
    except ValueError:
        actual = None
    assert actual == expected
