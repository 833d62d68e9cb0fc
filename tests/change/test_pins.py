"""Raised pins keep their precision and operator, admit the new version, and admit nothing
lower than they did; a refused pin names the smallest edit. Proved against `packaging` and
cargo's semver (`cargo_req_admits` is verified against cargo in tests/syntax)."""

from __future__ import annotations

from itertools import product
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

import versync
from tests.conftest import snapshot, write
from versync.change.pins import PinError, PinMode, pin_updates
from versync.change.versions import NewVersion
from versync.errors import PlanError
from versync.records import Dependency, Span
from versync.syntax.raising import rewritten
from versync.syntax.semver import cargo_req_admits, to_semver

GRID = [Version(f"{a}.{b}.{c}") for a, b, c in product(range(11), range(11), range(11))]


def dependency(literal: str, scheme: str) -> Dependency:
    offset = 1 if scheme == "pep508" else 0  # "x<spec>" in a PEP 508 string
    return Dependency(
        name="x",
        literal=Span(file="p", line=1, column=1, start=0, end=len(literal), text=literal),
        scheme=scheme,  # type: ignore[arg-type]
        specifier=literal[offset:],
        spec_offset=offset,
        owner="o",
    )


def admits(requirement: str, scheme: str, version: Version) -> bool:
    if scheme == "cargo":
        return cargo_req_admits(requirement, to_semver(str(version)))
    return SpecifierSet(requirement[1:]).contains(version, prereleases=True)


def rewrite(literal: str, scheme: str, old: str, new: str, policy: str) -> str:
    """The requirement after a bump from `old` to `new` under `policy` (the suggestion of
    the refusal when the policy leaves it excluding the new version)."""
    target = NewVersion(new, Version(new), to_semver(new))
    dep = dependency(literal, scheme)
    try:
        updates = pin_updates(
            dep, {Version(old)}, target, track=policy == "track", mode=PinMode.BUMP
        )
    except PinError as exc:
        assert exc.suggestion is not None
        return exc.suggestion
    return rewritten(dep, updates)


CASES = [
    # literal, scheme, old, new, policy, expected
    ("x~=1.15", "pep508", "1.15.0", "9.9.9", "fix", "x~=9.9"),
    ("x~=1.15", "pep508", "1.15", "9.9.9", "track", "x~=9.9"),
    ("x>=0.1.2,<0.2", "pep508", "0.1.2", "9.9.9", "track", "x>=9.9.9,<9.10"),
    ("x>=0.1.2,<0.2", "pep508", "0.1.2", "9.9.9", "fix", "x>=0.1.2,<9.10"),
    ("x<0.2", "pep508", "0.1.1", "0.2.0", "track", "x<0.3"),
    ("x<=0.1.1", "pep508", "0.1.0", "0.1.2", "fix", "x<=0.1.2"),
    ("x~=1.4", "pep508", "1.4.0", "2.0.0", "fix", "x~=2.0"),
    ("x==0.1.*", "pep508", "0.1.1", "0.2.0", "fix", "x==0.2.*"),
    ("x==0.1.1", "pep508", "0.1.1", "0.2.0", "track", "x==0.2.0"),
    ("^0.1", "cargo", "0.1.1", "9.9.9", "fix", "^9.9"),
    ("0.1", "cargo", "0.1.1", "9.9.9", "fix", "9.9"),
    ("~0.1.2", "cargo", "0.1.2", "9.9.9", "track", "~9.9.9"),
    (">=0.1.2, <0.2", "cargo", "0.1.2", "9.9.9", "track", ">=9.9.9, <9.10"),
    ("=0.1.1", "cargo", "0.1.1", "9.9.9", "track", "=9.9.9"),
]


@pytest.mark.parametrize(
    ("literal", "scheme", "old", "new", "policy", "expected"),
    [pytest.param(*case, id=f"{case[0]}->{case[5]}({case[4]})") for case in CASES],
)
def test_raised_pins_keep_precision_admit_the_new_version_and_nothing_lower(
    literal: str, scheme: str, old: str, new: str, policy: str, expected: str
) -> None:
    after = rewrite(literal, scheme, old, new, policy)
    assert after == expected
    assert admits(after, scheme, Version(new))
    before_lowest = min((v for v in GRID if admits(literal, scheme, v)), default=None)
    after_lowest = min(v for v in GRID if admits(after, scheme, v))
    assert before_lowest is None or after_lowest >= before_lowest


def test_a_refused_pin_names_the_smallest_edit_and_the_policy(tmp_path: Path) -> None:
    hatch = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    write(
        tmp_path / "proc/pyproject.toml",
        hatch + '[project]\nname = "lillux-proc"\nversion = "0.1.1"\n',
    )
    write(
        tmp_path / "kernel/pyproject.toml",
        hatch
        + '[project]\nname = "lillux"\nversion = "0.1.1"\ndependencies = ["lillux-proc<0.2"]\n',
    )
    before = snapshot(tmp_path)
    with pytest.raises(PlanError) as raised:
        versync.scan(tmp_path).bump("0.2.0", package="lillux-proc")
    message = str(raised.value)
    assert message.startswith("kernel/pyproject.toml:7:18: requirement 'lillux-proc<0.2'")
    assert '"lillux-proc<0.2" -> "lillux-proc<0.3"' in message
    assert 'pins = "fix"' in message and "nothing was written" in message
    assert snapshot(tmp_path) == before
    write(tmp_path / "versync.toml", 'pins = "fix"\n')
    versync.scan(tmp_path).bump("0.2.0", package="lillux-proc").apply()
    assert '"lillux-proc<0.3"' in (tmp_path / "kernel/pyproject.toml").read_text()


def test_a_pin_only_a_person_may_raise_names_the_smallest_edit(tmp_path: Path) -> None:
    hatch = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    write(
        tmp_path / "proc/pyproject.toml",
        hatch + '[project]\nname = "lillux-proc"\nversion = "0.2.0"\n',
    )
    write(
        tmp_path / "kernel/pyproject.toml",
        hatch
        + '[project]\nname = "lillux"\nversion = "0.1.1"\ndependencies = ["lillux-proc>=0.1,<0.2"]\n',
    )
    [finding] = versync.scan(tmp_path).check()
    assert (finding.code, finding.fixable) == ("pin-mismatch", False)
    assert finding.message.endswith(
        'the smallest edit that admits it: "lillux-proc>=0.1,<0.2" -> "lillux-proc>=0.1,<0.3" '
        '(with pins = "fix" in versync.toml, versync makes such edits when it bumps or fixes)'
    )
    write(tmp_path / "versync.toml", 'pins = "fix"\n')
    [finding] = versync.scan(tmp_path).check()
    assert (finding.code, finding.fixable) == ("pin-mismatch", True)  # fix will raise it
    versync.scan(tmp_path).fix().apply()
    assert '"lillux-proc>=0.1,<0.3"' in (tmp_path / "kernel/pyproject.toml").read_text()
    assert versync.scan(tmp_path).check() == []
