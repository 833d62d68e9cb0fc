"""GitHub Actions workflow commands: one `::error` annotation per finding."""

from __future__ import annotations

from versync.records import Finding


def github_annotations(findings: list[Finding]) -> list[str]:
    """One `::error` workflow command per finding, escaped as GitHub's runner expects."""
    return [
        f"::error file={_escape_property(f.file)},line={f.line},col={f.column},"
        f"title={_escape_property('versync ' + f.code)}::"
        f"{_escape_data(f'{f.message} (found {f.found}, expected {f.expected})')}"
        for f in findings
    ]


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
