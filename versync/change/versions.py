"""A package's new version, in the forms its sources write it."""

from __future__ import annotations

from typing import NamedTuple

from packaging.version import Version

from versync.errors import VersionError
from versync.records import Package
from versync.syntax.semver import to_semver


class NewVersion(NamedTuple):
    """A package's new version: as the user wrote it (Python files) and in Cargo's form."""

    pep440: str
    version: Version
    semver: str | None

    def literal_for(self, scheme: str) -> str:
        """The text to write into a source of `scheme` ("pep440" or "semver")."""
        if scheme == "semver":
            assert self.semver is not None
            return self.semver
        return self.pep440


def semver_for(version: str, targets: list[Package]) -> str:
    """The Cargo form of `version`; `VersionError` naming the crates when there is none."""
    try:
        return to_semver(version)
    except VersionError as exc:
        crates = ", ".join(p.name for p in targets if any(s.scheme == "semver" for s in p.sources))
        raise VersionError(f"cannot write {version} into Cargo.toml ({crates}): {exc}") from exc


def new_version(text: str, version: Version, packages: list[Package]) -> NewVersion:
    """`text` as the new version of `packages`, with a Cargo form when one of them needs it."""
    needs_semver = any(s.scheme == "semver" for p in packages for s in p.sources)
    return NewVersion(text, version, semver_for(text, packages) if needs_semver else None)
