"""pyproject.toml: the PEP 621 and Poetry versions, where a dynamic version comes from, and
the requirements on other packages."""

from __future__ import annotations

import re
import sys
from typing import Any

from versync._fs.plain import cacheable
from versync.formats import Reader, register
from versync.records import Dependency, Span
from versync.syntax.pep508 import canonical_name, parse_requirement
from versync.syntax.toml import TomlFile

PRIVATE_CLASSIFIER = "Private :: Do Not Upload"
_LEADING_NAME = re.compile(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
_BACKENDS = {
    "hatchling.build": "hatchling",
    "maturin": "maturin",
    "setuptools.build_meta": "setuptools",
    "setuptools.build_meta:__legacy__": "setuptools",
    "poetry.core.masonry.api": "poetry",
    "pdm.backend": "pdm",
    "flit_core.buildapi": "flit",
    "scikit_build_core.build": "scikit-build-core",
}
_RUST_REQUIREMENT = re.compile(r"(?i)\s*(setuptools[-_]rust|scikit[-_]build)\b")


@cacheable
class PyProject:
    """What versync reads of a pyproject.toml."""

    def __init__(self, path: str, backend: str) -> None:
        self.path = path
        self.backend = backend
        self.name: str | None = None
        self.version: Span | None = None
        self.poetry_version: Span | None = None
        self.dynamic_version = False
        self.hatch_path: Span | None = None
        self.hatch_pattern: str | None = None
        self.setuptools_attr: str | None = None
        self.setuptools_attr_at: Span | None = None  # where `attr` is written
        self.maturin_manifest: str | None = None
        self.maturin_manifest_explicit = False  # else maturin looks beside it, or in rust/
        self.maturin_python_source = False
        self.maturin_python_packages: list[str] = []
        self.has_build_system = False
        self.virtual = False  # rye `virtual = true` or uv `package = false`: never built
        self.builds_rust = False  # a backend that builds the Cargo.toml beside it
        self.vcs: str | None = None  # the plugin that takes the version from git tags
        self.private = False
        self.dependencies: list[Dependency] = []  # Poetry's, by name
        # PEP 508 requirements as written: (canonical name, where, whether a runtime one, not
        # an extra's). Only those on a package of the repository are parsed (by the model):
        # most name packages from the index, and holding each parsed costs memory and time.
        self.requirements: list[tuple[str, Span, bool]] = []
        self.uv_members: list[str] | None = None
        self.uv_exclude: list[str] = []
        self.versync: dict[str, Any] | None = None
        # Names (PEP 503) needed on the index to build and install it: runtime requirements
        # (PEP 621 and Poetry) and build-system requires; not extras, dev or dependency groups.
        self.publish_requires: list[str] = []


def read(path: str, text: str) -> PyProject:
    toml = TomlFile(path, text)
    project = toml.table("project")
    poetry = toml.table("tool", "poetry")
    backend = toml.get("build-system", "build-backend")
    # PEP 517: without a build-backend, front-ends build with setuptools' legacy backend.
    result = PyProject(path, _BACKENDS.get(backend, backend or "setuptools"))
    result.has_build_system = "build-system" in toml.data
    result.virtual = (
        toml.get("tool", "rye", "virtual") is True or toml.get("tool", "uv", "package") is False
    )
    requires = toml.get("build-system", "requires")
    result.builds_rust = result.backend in ("maturin", "scikit-build-core") or (
        "setuptools-rust" in toml.table("tool")
        or any(
            isinstance(item, str) and _RUST_REQUIREMENT.match(item)
            for item in (requires if isinstance(requires, list) else [])
        )
    )
    result.name = _name(toml, project, poetry)
    if "version" in project:
        result.version = toml.string("project", "version")
    if "version" in poetry:
        result.poetry_version = toml.string("tool", "poetry", "version")
    result.dynamic_version = "version" in _string_list(toml, ("project", "dynamic"))
    result.private = PRIVATE_CLASSIFIER in _string_list(toml, ("project", "classifiers"))
    _read_dynamic_sources(toml, result)
    result.requirements = _pep508_requirements(toml)
    result.dependencies = _poetry_dependencies(toml, poetry, result.name or path)
    _read_tool_tables(toml, result)
    result.publish_requires = _publish_requires(toml)
    return result


def _publish_requires(toml: TomlFile) -> list[str]:
    """The names of the build requirements and of Poetry's runtime ones (the PEP 621 runtime
    requirements are among `requirements`)."""
    names: list[str] = []
    requires = toml.get("build-system", "requires")
    for text in requires if isinstance(requires, list) else ():
        try:
            requirement = parse_requirement(text) if isinstance(text, str) else None
        except ValueError:
            continue  # the build tool reports it; it orders nothing
        if requirement is not None:
            names.append(canonical_name(requirement.name))
    names += [
        canonical_name(name)
        for name in toml.table("tool", "poetry", "dependencies")
        if name != "python"
    ]
    return sorted(set(names))


def _name(toml: TomlFile, project: dict[str, Any], poetry: dict[str, Any]) -> str | None:
    for table, key in ((project, ("project", "name")), (poetry, ("tool", "poetry", "name"))):
        if "name" in table:
            return toml.text_at(*key)
    return None


def _read_dynamic_sources(toml: TomlFile, result: PyProject) -> None:
    hatch = toml.table("tool", "hatch", "version")
    if "path" in hatch:
        result.hatch_path = toml.string("tool", "hatch", "version", "path")
    if "pattern" in hatch and isinstance(hatch["pattern"], str):
        result.hatch_pattern = hatch["pattern"]
    result.vcs = _vcs_plugin(toml)
    attr = toml.get("tool", "setuptools", "dynamic", "version", "attr")
    if isinstance(attr, str):
        result.setuptools_attr = attr
        result.setuptools_attr_at = toml.string("tool", "setuptools", "dynamic", "version", "attr")
    if result.backend == "maturin":
        maturin = toml.table("tool", "maturin")
        manifest = maturin.get("manifest-path")
        result.maturin_manifest_explicit = isinstance(manifest, str)
        result.maturin_manifest = manifest if isinstance(manifest, str) else "Cargo.toml"
        result.maturin_python_source = isinstance(maturin.get("python-source"), str)
        packages = maturin.get("python-packages")
        if isinstance(packages, list):
            result.maturin_python_packages = [p for p in packages if isinstance(p, str)]


def _vcs_plugin(toml: TomlFile) -> str | None:
    """The plugin that sets the version from git tags, if one is configured."""
    source = toml.get("tool", "hatch", "version", "source")
    if source in ("vcs", "uv-dynamic-versioning", "versioningit"):
        return "hatch-vcs" if source == "vcs" else str(source)
    if toml.get("tool", "pdm", "version", "source") == "scm":
        return "pdm-scm"
    dynamic = toml.get("tool", "poetry-dynamic-versioning", "enable")
    if dynamic is True:
        return "poetry-dynamic-versioning"
    if toml.get("tool", "setuptools_scm") is not None or toml.get("tool", "setuptools-scm"):
        return "setuptools-scm"
    requires = toml.get("build-system", "requires")
    for item in requires if isinstance(requires, list) else []:
        if isinstance(item, str) and re.match(r"(?i)\s*setuptools[-_]scm\b", item):
            return "setuptools-scm"
    return None


def _read_tool_tables(toml: TomlFile, result: PyProject) -> None:
    workspace = toml.table("tool", "uv", "workspace")
    if workspace:
        result.uv_members = _string_list(toml, ("tool", "uv", "workspace", "members"))
        result.uv_exclude = _string_list(toml, ("tool", "uv", "workspace", "exclude"))
    if toml.get("tool", "versync") is not None:
        result.versync = toml.table("tool", "versync")


def _string_list(toml: TomlFile, key: tuple[str, ...]) -> list[str]:
    value = toml.get(*key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise toml.type_error(key, "an array of strings", value)
    return value


def _pep508_requirements(toml: TomlFile) -> list[tuple[str, Span, bool]]:
    found: list[tuple[str, Span, bool]] = []
    arrays: list[tuple[str, ...]] = [("project", "dependencies")]
    arrays += [
        ("project", "optional-dependencies", extra)
        for extra in toml.table("project", "optional-dependencies")
    ]
    for key in arrays:
        value = toml.get(*key)
        if not isinstance(value, list):
            _string_list(toml, key)  # not an array: the type error names the key
            continue
        runtime = key == ("project", "dependencies")
        for index, text in enumerate(value):
            if not isinstance(text, str):
                continue  # not a requirement versync could act on; the build tool reports it
            leading = _LEADING_NAME.match(text)
            if leading is not None:  # without a name it is no requirement on a package here
                name = sys.intern(canonical_name(leading[1]))  # the same few names, many times
                found.append((name, toml.span((*key, index), text), runtime))
    return found


def _poetry_dependencies(toml: TomlFile, poetry: dict[str, Any], owner: str) -> list[Dependency]:
    tables: list[tuple[str, ...]] = [
        ("tool", "poetry", "dependencies"),
        ("tool", "poetry", "dev-dependencies"),
    ]
    tables += [
        ("tool", "poetry", "group", group, "dependencies") for group in poetry.get("group", {})
    ]
    found: list[Dependency] = []
    for table in tables:
        for name, value in toml.table(*table).items():
            key: tuple[str | int, ...] = (*table, name)
            if isinstance(value, dict) and isinstance(value.get("version"), str):
                key, value = (*key, "version"), value["version"]
            if isinstance(value, str) and name != "python":
                span = toml.span(key, value)
                found.append(
                    Dependency(
                        name=canonical_name(name),
                        literal=span,
                        scheme="poetry",
                        specifier=value,
                        spec_offset=0,
                        owner=owner,
                    )
                )
    return found


READER = register(Reader("pyproject", ("pyproject.toml",), read))
