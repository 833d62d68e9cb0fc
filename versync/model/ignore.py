"""What the maintainer told versync to leave alone: `ignore` entries in the configuration
(`{ code = "maturin-precedence", package = "x" }`, `{ file = "legacy/**" }`, or a plain glob
of files) and an inline `# versync: ignore[code]` comment on the line a finding is on.
Ignored findings are counted and listed (`check -v`), never silently lost."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from versync.errors import ConfigError
from versync.records import Finding
from versync.syntax.globs import glob
from versync.syntax.pep508 import canonical_name

_KEYS = frozenset({"code", "package", "file"})
INLINE = re.compile(r"#\s*versync:\s*ignore(?:\[(?P<codes>[A-Za-z0-9_,\s-]*)\])?")


class IgnoreEntry(NamedTuple):
    """One `ignore` entry: every field given must match (globs for `package` and `file`)."""

    code: str | None = None
    package: str | None = None
    file: str | None = None

    def matches(self, finding: Finding) -> bool:
        """Whether this entry ignores `finding`."""
        if self.code is not None and finding.code != self.code:
            return False
        if self.package is not None and not (
            glob(self.package).fullmatch(finding.package)
            or glob(canonical_name(self.package)).fullmatch(canonical_name(finding.package))
        ):
            return False
        return self.file is None or glob(self.file).fullmatch(finding.file) is not None


def parse_ignore(value: Any, origin: str) -> tuple[IgnoreEntry, ...]:
    """The `ignore` entries of a configuration; `ConfigError` for a malformed one."""
    if not isinstance(value, list):
        raise ConfigError(f"{origin}: ignore must be an array of file globs or tables")
    entries = []
    for item in value:
        if isinstance(item, str):
            entries.append(IgnoreEntry(file=item))
            continue
        if not isinstance(item, dict) or not item or set(item) - _KEYS:
            raise ConfigError(
                f"{origin}: each ignore entry is a file glob or a table of code, package and "
                f"file (found {item!r})"
            )
        if not all(isinstance(v, str) for v in item.values()):
            raise ConfigError(f"{origin}: ignore entry {item!r}: values must be strings")
        entries.append(IgnoreEntry(**item))
    return tuple(entries)


def inline_ignores(line: str, code: str) -> bool:
    """Whether `line` carries `# versync: ignore` (all codes) or `# versync: ignore[code]`."""
    match = INLINE.search(line)
    if match is None:
        return False
    codes = match["codes"]
    return codes is None or code in {c.strip() for c in codes.split(",")}
