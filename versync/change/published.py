"""`check --published`: is the version each package is at already on its index?"""

from __future__ import annotations

from versync.records import Finding, Package
from versync.rules import finding
from versync.syntax.pep440 import parse_pep440


def published_findings(
    packages: list[Package],
    *,
    index_url: str,
    cargo_index_url: str,
    timeout: float,
) -> list[Finding]:
    """An `already-published` finding for each package whose version its index already
    holds: Python packages (maturin wheels too) on the PEP 691 index `index_url`, crates on
    the sparse index `cargo_index_url`. Raises `IndexUnavailable` when an index cannot
    answer; a project the index does not know is not published."""
    from versync._fs.index import Query, published_versions

    asked: dict[Package, Query] = {}
    for package in packages:
        if package.primary is None or package.published_version is None:
            continue
        if package.ecosystem == "pypi":
            asked[package] = Query("pep691", index_url, package.name)
        else:
            asked[package] = Query("sparse", cargo_index_url, package.name)
    answers = published_versions(list(dict.fromkeys(asked.values())), timeout=timeout)
    findings = []
    for package, query in asked.items():
        versions = answers[query]
        if versions is not None and _holds(package, versions):
            findings.append(_already_published(package))
    return findings


def _holds(package: Package, versions: set[str]) -> bool:
    assert package.primary is not None
    if package.ecosystem == "cargo":  # crates.io compares versions without build metadata
        written = package.primary.text.partition("+")[0]
        return written in {v.partition("+")[0] for v in versions}
    return package.published_version in {parse_pep440(v) for v in versions}


def _already_published(package: Package) -> Finding:
    assert package.primary is not None
    version = package.primary.text
    return finding(
        "already-published",
        package,
        package.primary,
        expected="a version not yet on the index",
        message=f"{package.name} {version} is already on the index: bump it before publishing",
        fixable=False,
    )
