"""Text for people: one line per finding with a summary, the package table, plan output."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TextIO

from versync.records import Finding, Note, Package


class Colour:
    """ANSI colour on a terminal, unless `NO_COLOR` is set; plain text elsewhere."""

    def __init__(self, out: TextIO) -> None:
        self.enabled = out.isatty() and "NO_COLOR" not in os.environ

    def _wrap(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.enabled else text

    def bold(self, text: str) -> str:
        """`text` in bold."""
        return self._wrap("1", text)

    def red(self, text: str) -> str:
        """`text` in red."""
        return self._wrap("31", text)


def print_findings(
    packages: Sequence[str], findings: list[Finding], out: TextIO, notes: Sequence[Note] = ()
) -> None:
    """One line per finding, in package order, then each note, then a summary line and
    what to run."""
    colour = Colour(out)
    for line in note_lines(notes):
        print(line, file=out)
    if not packages:
        print("no packages found", file=out)
        return
    order = {name: index for index, name in enumerate(packages)}
    for finding in sorted(
        findings, key=lambda f: (order.get(f.package, len(order)), f.file, f.line)
    ):
        print(
            f"{colour.bold(finding.location())}: {finding.package}: {finding.message} "
            f"(found {finding.found}, expected {finding.expected}) "
            + colour.red(f"[{finding.code}]"),
            file=out,
        )
    print(summary(len(packages), findings), file=out)


def note_lines(notes: Sequence[Note]) -> list[str]:
    """One `note: path:line: message [code]` line per note."""
    lines = []
    for note in notes:
        where = f"{note.location()}: " if note.location() else ""
        lines.append(f"note: {where}{note.message} [{note.code}]")
    return lines


def summary(packages: int, findings: list[Finding]) -> str:
    """The closing lines of `check`: how many findings, and what repairs them."""
    if not findings:
        return f"{packages} package{'s' if packages != 1 else ''} checked: all versions agree"
    affected = len({f.package for f in findings})
    fixable = sum(f.fixable for f in findings)
    plural = "s" if len(findings) != 1 else ""
    head = f"{len(findings)} finding{plural} in {affected} of {packages} packages"
    if fixable == len(findings):
        return f"{head}\nrepair: versync fix"
    if fixable:
        return (
            f"{head}\nrepair: versync fix ({fixable} of them); the rest need a decision: "
            "versync bump VERSION, or as each line says"
        )
    return f"{head}\nrepair: versync bump VERSION, or as each line says"


def package_table(packages: list[Package]) -> list[str]:
    """`versync list`: a header and one aligned row per package."""
    rows = [("PACKAGE", "VERSION", "GROUP", "BACKEND", "PATH")]
    rows += [(p.name, shown_version(p), p.group or "-", p.backend, p.path) for p in packages]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def shown_version(package: Package) -> str:
    """The version a package is listed at: its primary source, else `unknown` or `-`."""
    if package.primary is not None:
        return package.primary.text
    return "unknown" if package.version_unknown else "-"
