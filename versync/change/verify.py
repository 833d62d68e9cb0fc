"""Proof that an edit changed a version inside its string literal and nothing else, without
parsing the rewritten file again where the quotes around the literal already prove it."""

from __future__ import annotations

import re

from versync.errors import PlanError, VersyncError

# A version literal may only become characters that cannot end or escape a string literal.
SAFE_LITERAL = re.compile(r"[A-Za-z0-9.+!_*-]+")


def verify_pattern(path: str, text: str, pattern: str, start: int, end: int) -> None:
    """A `[[files]]` edit must read back: its search pattern finds the new version there."""
    if not any(m.span("version") == (start, end) for m in re.finditer(pattern, text)):
        raise PlanError(
            f"{path}: the rewritten file does not read back {text[start:end]!r} where the "
            "[[files]] search says; nothing was written"
        )


def verify(path: str, text: str, owners: list[tuple[int, int]]) -> None:
    """Check that each edit changed a string value and never the file's structure.

    Every edit replaced characters inside a string literal that the scan located, with
    characters that cannot end or escape a string (`SAFE_LITERAL`). Where the literal is still
    enclosed by its quotes, the file therefore parses exactly as before except for that value:
    re-parsing would prove nothing more and costs a thousand times as much on a large
    repository. Anything else (a version that a custom hatch pattern finds inside a longer
    string, or outside any string) is re-parsed in full, and must lie inside a string.
    """
    if all(_quoted(text, start, end) for start, end in owners):
        return
    if not path.endswith((".py", ".toml", ".lock", ".json")) and all(
        _bounded(text, start, end) for start, end in owners
    ):
        return  # a whole token of a line-oriented file (setup.cfg, VERSION, a [[files]] match)
    if not path.endswith(".py"):
        raise PlanError(f"{path}: cannot verify an edit outside a string literal; edit it by hand")
    _verify_python(path, text, owners)


def _quoted(text: str, start: int, end: int) -> bool:
    return (
        start > 0 and end < len(text) and text[start - 1] in "'\"" and text[end] == text[start - 1]
    )


def _bounded(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a whole version token: nothing a version may hold touches it,
    so the edit changed that token and nothing around it."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not SAFE_LITERAL.fullmatch(before) and not SAFE_LITERAL.fullmatch(after)


def _verify_python(path: str, text: str, owners: list[tuple[int, int]]) -> None:
    from versync.syntax.python import plain_strings

    try:
        spans = plain_strings(path, text)
    except VersyncError as exc:
        raise PlanError(
            f"{path}: the rewritten file would not parse ({exc}); nothing was written"
        ) from exc
    _require_inside(path, text, owners, spans)


def _require_inside(
    path: str, text: str, owners: list[tuple[int, int]], spans: set[tuple[int, int]]
) -> None:
    for start, end in owners:
        if not any(s <= start and end <= e for s, e in spans):
            raise PlanError(
                f"{path}: the rewritten file does not read back {text[start:end]!r} in a string; "
                "nothing was written"
            )
