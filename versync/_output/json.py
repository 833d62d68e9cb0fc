"""The JSON document of `list --json` and `check --json`."""

from __future__ import annotations

import json
from typing import Any

from versync.records import Finding, Package
from versync.workspace import Workspace


def as_json(workspace: Workspace, findings: list[Finding] | None) -> str:
    document: dict[str, Any] = {
        "root": str(workspace.root),
        "packages": [_package(p) for p in workspace.packages],
    }
    inferred = workspace.model.inferred or {}
    document["groups"] = {
        name: {"packages": [p.name for p in members], "inferred_from": inferred.get(name)}
        for name, members in workspace.groups.items()
    }
    document["notes"] = [
        {"code": n.code, "message": n.message, "file": n.file, "line": n.line or None}
        for n in workspace.notes
    ]
    if findings is not None:
        document["findings"] = [finding_json(f) for f in findings]
        document["ignored"] = [finding_json(f) for f in workspace.ignored]
    return json.dumps(document, indent=2)


def _package(package: Package) -> dict[str, Any]:
    version = package.published_version
    return {
        "name": package.name,
        "path": package.path,
        "version": str(version) if version is not None else None,
        "backend": package.backend,
        "group": package.group,
        "publishable": package.publishable,
        "sources": [
            {
                "file": s.file,
                "line": s.line,
                "column": s.literal.column,
                "kind": s.kind,
                "version": s.text,
            }
            for s in package.sources
        ],
        "dependencies": [
            {
                "name": d.name,
                "file": d.literal.file,
                "line": d.literal.line,
                "specifier": d.specifier,
            }
            for d in package.dependencies
        ],
    }


def finding_json(finding: Finding) -> dict[str, Any]:
    """A finding as a JSON object."""
    return {
        "code": finding.code,
        "package": finding.package,
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "found": finding.found,
        "expected": finding.expected,
        "message": finding.message,
        "fixable": finding.fixable,
    }
