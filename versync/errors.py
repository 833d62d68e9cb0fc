"""The exceptions versync raises; the CLI maps each to an exit code."""

from __future__ import annotations


class VersyncError(Exception):
    """Base of every error versync raises on purpose."""


class InputError(VersyncError):
    """A file versync reads is malformed: bad TOML or Python, bad encoding, wrong types."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path = path
        self.line = line
        self.column = column
        self.message = message


class ConfigError(VersyncError):
    """The versync configuration is invalid."""


class UsageError(VersyncError):
    """A request that cannot be carried out as asked (unknown group, bad version, ...)."""


class PlanError(VersyncError):
    """A computed change failed verification, or conflicts with the files on disk."""


class ApplyError(VersyncError):
    """Writing a plan failed; the files already written were restored."""
