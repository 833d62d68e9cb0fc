"""Text for people: one line per finding with a summary, the package table, plan output."""

from __future__ import annotations

import os
from collections.abc import Sequence

from versync._typing import TYPE_CHECKING
from versync.records import Finding, Note, Package

if TYPE_CHECKING:
    from typing import TextIO


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
    packages: Sequence[str],
    findings: list[Finding],
    out: TextIO,
    notes: Sequence[Note] = (),
    ignored: Sequence[Finding] = (),
    verbose: bool = False,
) -> None:
    """Each note, one line per finding in package order (with `verbose`, the ignored ones
    too, marked), then a summary line and what to run."""
    for line in note_lines(notes):
        print(line, file=out)
    if not packages:
        print("no packages found", file=out)
        return
    for line in finding_lines(packages, findings, out):
        print(line, file=out)
    if verbose:
        for line in finding_lines(packages, list(ignored), out):
            print(f"ignored: {line}", file=out)
    print(summary(len(packages), findings, len(ignored)), file=out)


def finding_lines(packages: Sequence[str], findings: list[Finding], out: TextIO) -> list[str]:
    """One line per finding, in package order, as `check` prints them."""
    colour = Colour(out)
    order = {name: index for index, name in enumerate(packages)}
    return [
        f"{colour.bold(finding.location())}: {finding.package}: {finding.message} "
        f"(found {finding.found}, expected {finding.expected}) " + colour.red(f"[{finding.code}]")
        for finding in sorted(
            findings, key=lambda f: (order.get(f.package, len(order)), f.file, f.line)
        )
    ]


def note_lines(notes: Sequence[Note]) -> list[str]:
    """One `note: path:line: message [code]` line per note."""
    lines = []
    for note in notes:
        where = f"{note.location()}: " if note.location() else ""
        lines.append(f"note: {where}{note.message} [{note.code}]")
    return lines


def summary(packages: int, findings: list[Finding], ignored: int = 0) -> str:
    """The closing lines of `check`: how many findings, and what repairs them."""
    left_out = f" ({ignored} ignored finding{'s' if ignored != 1 else ''}: -v lists them)"
    if not findings:
        return f"{packages} package{'s' if packages != 1 else ''} checked: all versions agree" + (
            left_out if ignored else ""
        )
    affected = len({f.package for f in findings})
    fixable = sum(f.fixable for f in findings)
    plural = "s" if len(findings) != 1 else ""
    head = f"{len(findings)} finding{plural} in {affected} of {packages} packages" + (
        left_out if ignored else ""
    )
    if fixable == len(findings):
        return f"{head}\nrepair: versync fix"
    human = sorted({f.code for f in findings if not f.fixable})
    people = len(findings) - fixable
    verb = "needs" if people == 1 else "need"
    needs = f"{people} {verb} a person ({', '.join(human)}): as each line says"
    if fixable:
        return f"{head}\nrepair: versync fix repairs {fixable}; {needs}"
    return f"{head}\n{needs}"


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
