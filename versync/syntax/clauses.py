"""The one tokenizer of version constraints: PEP 440 specifiers, Cargo requirements and
Poetry constraints are split into clauses here, and nowhere else.

A clause is an operator (possibly empty) and a version, with the offsets of both in the text
it was read from, so that a caller can evaluate it (`pep440`, `semver`, `poetry`) or rewrite
exactly its version (the planner).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal, NamedTuple

ClauseScheme = Literal["pep440", "cargo", "poetry"]

_PEP440 = re.compile(r"\s*(?P<op>~=|===|==|!=|<=|>=|<|>)\s*(?P<version>[A-Za-z0-9.*+!_-]+)\s*")
_CARGO = re.compile(r"\s*(?P<op>\^|~|=|>=|>|<=|<)?\s*(?P<version>[0-9*xX][0-9A-Za-z.*+-]*)\s*")
_POETRY = re.compile(
    r"\s*(?P<op>\^|~=|~|===|==|!=|<=|>=|<|>)?\s*(?P<version>[0-9][0-9A-Za-z.*+!-]*|\*)\s*"
)
_PATTERNS = {"pep440": _PEP440, "cargo": _CARGO, "poetry": _POETRY}
# Poetry separates clauses with commas or with spaces before an operator.
_POETRY_SEPARATOR = re.compile(r",|\s+(?=[<>=!~^])")
_COMMA = re.compile(",")


class Clause(NamedTuple):
    """One comparison of a constraint. Offsets index the text given to `tokenize`."""

    operator: str  # "" when the scheme allows a bare version (Cargo's and Poetry's caret)
    version: str
    start: int  # of the version
    end: int
    clause_start: int  # of the whole clause, operator included
    alternative: int = 0  # Poetry's `||` alternatives, counted from 0


def tokenize(text: str, scheme: ClauseScheme, offset: int = 0) -> list[Clause]:
    """The clauses of `text`, a whole constraint in `scheme`'s syntax; `offset` is added to
    every position. Empty clauses are skipped, as `packaging` and Poetry skip them, except in
    Cargo, which rejects them. `ValueError` names the first clause that does not parse."""
    pattern = _PATTERNS[scheme]
    separator = _POETRY_SEPARATOR if scheme == "poetry" else _COMMA
    clauses: list[Clause] = []
    base = offset
    for index, alternative in enumerate(text.split("||") if scheme == "poetry" else [text]):
        for start, piece in _pieces(alternative, separator):
            if not piece.strip() and scheme != "cargo":
                continue
            match = pattern.fullmatch(piece)
            if match is None:
                raise ValueError(f"{piece.strip()!r} is not a valid {scheme} clause")
            at = base + start
            clauses.append(
                Clause(
                    match["op"] or "",
                    match["version"],
                    at + match.start("version"),
                    at + match.end("version"),
                    at + match.start("op" if match["op"] else "version"),
                    index,
                )
            )
        base += len(alternative) + 2
    return clauses


def _pieces(text: str, separator: re.Pattern[str]) -> Iterator[tuple[int, str]]:
    """Each clause text of one alternative, with where it starts."""
    start = 0
    for match in separator.finditer(text):
        yield start, text[start : match.start()]
        start = match.end()
    yield start, text[start:]
