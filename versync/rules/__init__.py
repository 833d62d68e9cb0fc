"""Rules: the model in, findings with stable codes out.

Each rule is a function registered with `@rule(code, summary)`; `RULES` is the table of codes
(the README's table of codes is checked against it by the tests).
"""

from __future__ import annotations

from versync.model import Model
from versync.records import Finding
from versync.rules import links, versions
from versync.rules.registry import (
    RULES,
    Rule,
    decisions,
    expected_text,
    finding,
    group_members,
    rule,
    targets,
)

__all__ = [
    "RULES",
    "Rule",
    "check",
    "decisions",
    "expected_text",
    "finding",
    "group_members",
    "rule",
    "targets",
]
_RULE_MODULES = (versions, links)  # imported for the rules they register


def check(model: Model) -> list[Finding]:
    """Every finding of every registered rule, in rule order."""
    goal = targets(model)
    found = [f for entry in RULES.values() if entry.check for f in entry.check(model, goal)]
    # Two packages may share a source (two pyprojects building one crate): report it once.
    seen: set[tuple[str, str, int, int]] = set()
    unique = []
    for item in found:
        key = (item.code, item.file, item.line, item.column)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique
