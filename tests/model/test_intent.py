"""Next versions: what a release in progress may move a version to."""

from __future__ import annotations

import pytest
from packaging.version import Version

from versync.model.intent import is_next
from versync.syntax.semver import maturin_reading

NEXT = [
    ("0.3.0", "0.3.1", "patch"),
    ("0.3.0", "0.4.0", "minor"),
    ("0.3.0", "1.0.0", "major"),
    ("1.15", "1.16", "minor-two-parts"),
    ("1.15", "1.15.1", "patch-of-two-parts"),
    ("0.3.0", "0.4.0rc1", "pre-release-of-next-minor"),
    ("0.3.0", "0.3.1.dev1", "dev-release-of-next-patch"),
    ("0.3.0", "1.0.0a1", "alpha-of-next-major"),
    ("0.3.0", "0.3.0.post1", "own-post-release"),
    ("0.3.0.post1", "0.3.0.post2", "next-post-release"),
    ("0.4.0rc1", "0.4.0rc2", "later-rc"),
    ("0.4.0rc1", "0.4.0", "final-of-rc"),
    ("0.4.0a2", "0.4.0b1", "beta-after-alpha"),
    ("0.4.0.dev3", "0.4.0a1", "alpha-after-dev"),
    ("0.4.0.dev3", "0.4.0", "final-of-dev"),
]
NOT_NEXT = [
    ("0.3.0", "9.3.0", "jump"),
    ("0.3.0", "0.3.2", "skipped-patch"),
    ("0.3.0", "0.5.0", "skipped-minor"),
    ("0.3.0", "2.0.0", "skipped-major"),
    ("0.3.0", "0.2.9", "downgrade"),
    ("0.3.0", "0.3.0", "same"),
    ("0.4.0rc2", "0.4.0rc1", "earlier-rc"),
    ("0.4.0rc1", "0.4.0.post1", "post-of-unreleased"),
    ("0.3.0", "0.3.1+local", "local"),
    ("0.3.0", "1!0.3.1", "epoch"),
]


@pytest.mark.parametrize(("old", "new"), [pytest.param(o, n, id=i) for o, n, i in NEXT])
def test_next_versions(old: str, new: str) -> None:
    assert is_next(Version(old), Version(new))


@pytest.mark.parametrize(("old", "new"), [pytest.param(o, n, id=i) for o, n, i in NOT_NEXT])
def test_not_next_versions(old: str, new: str) -> None:
    assert not is_next(Version(old), Version(new))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param("0.4.0-rc.1", "0.4.0-rc.2", id="semver-later-rc"),
        pytest.param("0.4.0-rc.1", "0.4.0", id="semver-final"),
        pytest.param("0.3.0", "0.4.0-alpha.1", id="semver-alpha-of-next-minor"),
    ],
)
def test_semver_spellings_read_as_maturin_reads_them(old: str, new: str) -> None:
    before, after = maturin_reading(old), maturin_reading(new)
    assert before is not None and after is not None and is_next(before, after)
