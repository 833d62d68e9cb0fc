"""Poetry version constraints, as PEP 440 specifiers."""

from __future__ import annotations

import re

from packaging.version import Version

from versync.syntax.clauses import Clause, tokenize
from versync.syntax.semver import caret_position, upper


def poetry_to_pep440(constraint: str) -> str:
    """A Poetry constraint without `||` as a PEP 440 specifier string; `ValueError` when it
    does not parse or has alternatives."""
    clauses = tokenize(constraint, "poetry")
    if any(clause.alternative for clause in clauses):
        raise ValueError("'||' cannot be written as one PEP 440 specifier")
    return ",".join(filter(None, (_as_pep440(clause) for clause in clauses)))


def poetry_alternatives(constraint: str) -> list[str]:
    """Each `||` alternative of a Poetry constraint as a PEP 440 specifier string."""
    clauses = tokenize(constraint, "poetry")
    count = max((clause.alternative for clause in clauses), default=0) + 1
    return [
        ",".join(filter(None, (_as_pep440(c) for c in clauses if c.alternative == index)))
        for index in range(count)
    ]


def _as_pep440(clause: Clause) -> str:
    op, version = clause.operator, clause.version
    if version == "*":
        return ""
    if op in ("^", "~"):
        numbers = [int(n) for n in re.findall(r"\d+", str(Version(version).base_version))]
        position = caret_position(numbers) if op == "^" else (1 if len(numbers) > 1 else 0)
        bound = ".".join(str(n) for n in upper(numbers, position)[:3])
        return f">={version},<{bound}"
    if not op:
        return f"=={version}"
    return f"{op}{version}"
