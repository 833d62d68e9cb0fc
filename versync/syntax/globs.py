"""Globs on `/`-separated paths and on package names, and versync's `exclude` rules.

One translator serves every glob versync matches: `*` and `?` stay inside one path segment,
`**` spans segments, `[abc]`, `[a-z]` and `[!abc]` (or `[^abc]`) match one character of a
segment, and a `[` without its `]` is a literal `[`. That is the shape of Cargo's `glob`
crate (workspace `members`) and of gitignore patterns. A matcher such as `wcmatch` would cost
8 ms of imports on every run whose configuration or Cargo workspace has a glob, a sixth of a
hook run; these rules need a few lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache


@lru_cache(maxsize=256)
def glob(pattern: str) -> re.Pattern[str]:
    """The regular expression a glob stands for (to be used with `fullmatch`)."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "[" and (end := _class_end(pattern, index)) > 0:
            out.append(_character_class(pattern[index + 1 : end]))
            index = end + 1
        else:
            char = pattern[index]
            out.append("[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char))
            index += 1
    return re.compile("".join(out))


def _class_end(pattern: str, start: int) -> int:
    """The index of the `]` closing the class opened at `start`, or -1 when none does."""
    index = start + 1
    if index < len(pattern) and pattern[index] in "!^":
        index += 1
    if index < len(pattern) and pattern[index] == "]":  # `[]a]`: a leading ] is a member
        index += 1
    return pattern.find("]", index)


def _character_class(body: str) -> str:
    negated = body[:1] in ("!", "^")
    members = body[1:] if negated else body
    escaped = "".join("\\" + c if c in "\\^[]" else c for c in members)
    return f"[^/{escaped}]" if negated else f"(?!/)[{escaped}]"


def matches_any(name: str, patterns: Iterable[str]) -> bool:
    """Whether `name` matches one of the globs."""
    return any(glob(pattern).fullmatch(name) for pattern in patterns)


def excluded(path: str, rules: Sequence[str]) -> bool:
    """Whether versync's `exclude` rules leave out a repository-relative path.

    A rule is a glob that matches the path or a folder above it; a rule starting with `!`
    takes back what the rules before it excluded. The last rule that matches decides, as
    in a `.gitignore`; unlike git, a path inside an excluded folder can be taken back.
    """
    if not rules:
        return False
    parts = path.split("/")
    candidates = ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]
    for rule in reversed(rules):
        negated = rule.startswith("!")
        pattern = glob(rule[1:] if negated else rule)
        if any(pattern.fullmatch(candidate) for candidate in candidates):
            return not negated
    return False
