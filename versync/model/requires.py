"""What each package needs on the index before it can be published: the packages of the
repository its build or its install pulls in (`Package.requires`), which order publishing."""

from __future__ import annotations

from versync.model.packages import Draft
from versync.model.parsed import Parsed
from versync.syntax.pep508 import parse_requirement


def _parses(requirement: str) -> bool:
    try:
        parse_requirement(requirement)
    except ValueError:
        return False
    return True


def link_publish_requirements(
    parsed: Parsed,
    packages: list[Draft],
    crate_packages: dict[str, Draft],
    crate_manifests: dict[str, str],
) -> None:
    """Set each package's `requires` to the ids of the other packages it needs published first.

    A Python package needs what its runtime requirements (PEP 621 `dependencies`, Poetry's
    `dependencies`) and its `[build-system] requires` name; a crate (and a maturin package, for
    the crate it builds) what its `[dependencies]` and `[build-dependencies]` name. Extras,
    dev-dependencies and dependency groups do not count: an extra may well point back at a
    package that depends on the one offering it.
    """
    python = {p.key: p for p in packages if p.python_name is not None}
    for package in packages:
        needed: list[Draft] = []
        project = parsed.pyprojects.get(package.path) if package.python_name else None
        if project is not None:
            needed += [python[name] for name in project.publish_requires if name in python]
            needed += [
                python[name]
                for name, span, runtime in project.requirements
                if runtime and name in python and _parses(span.text)
            ]
        manifest_path = crate_manifests.get(package.crate_name or "")
        manifest = parsed.cargos.get(manifest_path) if manifest_path else None
        if manifest is not None:
            needed += [crate_packages[n] for n in manifest.publish_requires if n in crate_packages]
        ids = {draft.id for draft in needed if draft is not package}
        package.requires = sorted(ids)
