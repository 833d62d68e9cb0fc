"""The exceptions versync raises. The library raises; only the command line prints and exits.

Errors caused by a bad value given to versync (a version that does not parse, a group that
does not exist) are `ValueError`s too, so callers may catch either.
"""

from __future__ import annotations


class VersyncError(Exception):
    """Base of every error versync raises on purpose."""


class InputError(VersyncError):
    """A file versync reads is malformed: bad TOML or Python, bad encoding, wrong types.

    `path`, `line` and `column` (1-based) say where; `message` says what.
    """

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path = path
        self.line = line
        self.column = column
        self.message = message


class ConfigError(VersyncError):
    """The versync configuration is invalid."""


class UsageError(VersyncError, ValueError):
    """A request that cannot be carried out as asked (unknown group, bad version, ...)."""


class VersionError(UsageError):
    """A version that does not parse, or cannot be written where it was asked to go."""


class PlanError(VersyncError):
    """A computed change failed verification, or conflicts with the files on disk."""


class ApplyError(VersyncError):
    """Writing a plan failed; the files already written were restored."""


class OutsideRoot(VersyncError):
    """A path versync was asked to read or write is not a regular file inside the root: an
    absolute path, one that climbs out or resolves out through a symlink, or a special file
    (a device, a FIFO). It is never opened. `path` is the path as written; `reason` says why."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
