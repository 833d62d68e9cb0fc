"""Manifests that are not packages of the repository: templates, test fixtures and examples,
and vendored copies of crates.io sources. Each is left out of the model with a note.

- template: a name, version or folder holding a placeholder (`{{ version }}`, `${VERSION}`,
  `<REPLACE ME>`, `{% ... %}`, a cookiecutter folder `{{cookiecutter.slug}}`);
- fixture: a manifest under a folder named like test data, examples or docs (`tests`,
  `fixtures`, `examples`, `snapshots`, `docs`, ...) that no Cargo workspace, uv workspace or
  maturin project of the repository builds: tools test themselves on such projects, and
  their versions say nothing about the repository's release;
- vendored: a crate in a folder with a `.cargo-checksum.json` (what `cargo vendor` writes),
  a manifest cargo normalised when packaging it, or a folder named as a `directory` source in
  `.cargo/config.toml`: copies of other projects' releases.
"""

from __future__ import annotations

import re

from versync.errors import VersyncError
from versync.formats.cargo import CargoManifest
from versync.model.cargo import CargoWorkspaces
from versync.model.parsed import Parsed, ReadExtra, dirname, in_uv_workspace, join
from versync.records import Note
from versync.syntax.toml import parse

PLACEHOLDER = re.compile(r"\{\{|\{%|\$\{|<[^<>]*>|@[A-Z_]+@")
FIXTURE_FOLDERS = frozenset(
    {
        "test", "tests", "testdata", "test-data", "test_data", "testing", "fixture", "fixtures",
        "example", "examples", "snapshot", "snapshots", "doc", "docs",
    }
)  # fmt: skip
CARGO_CONFIGS = (".cargo/config.toml", ".cargo/config")


def skip_non_packages(parsed: Parsed, cargo: CargoWorkspaces, read_extra: ReadExtra) -> list[Note]:
    """Remove the manifests that are not packages of the repository from `parsed`; a note for
    each."""
    notes: list[Note] = []
    vendored = _vendor_folders(parsed, read_extra)
    vendored_crates: dict[str, list[str]] = {}  # folder of vendored crates -> their names
    for path, manifest in sorted(parsed.cargos.items()):
        reason = _cargo_reason(path, manifest, vendored)
        if reason is None:
            continue
        del parsed.cargos[path]
        if reason[0] == "vendored":
            vendored_crates.setdefault(dirname(dirname(path)), []).append(manifest.name or path)
        else:
            notes.append(Note(code=reason[0], message=reason[1], file=path))
    for folder, names in vendored_crates.items():
        count = f"{len(names)} vendored crate{'s' if len(names) != 1 else ''}"
        message = f"{count} ({', '.join(names)}): copies of published crates, not packages"
        notes.append(Note(code="vendored", message=message, file=folder))
    built = _skip_python_projects(parsed, notes)
    for path, manifest in sorted(parsed.cargos.items()):
        folder = dirname(path)
        if (
            under_fixture_folder(folder)
            and path not in built
            and not _built_by_a_workspace(cargo, path, manifest)
        ):
            del parsed.cargos[path]
            message = f"{_kind_of(folder)} crate, not a package of this repository"
            notes.append(Note(code="fixture", message=message, file=path))
    return notes


def _skip_python_projects(parsed: Parsed, notes: list[Note]) -> set[str]:
    """Skip template and fixture pyprojects; the Cargo.toml files the others may build."""
    built: set[str] = set()
    for folder, project in sorted(parsed.pyprojects.items()):
        path = join(folder, "pyproject.toml")
        held = _template_reason(folder, project.name, project.version, project.poetry_version)
        fixture = under_fixture_folder(folder) and not in_uv_workspace(parsed, folder)
        if held is not None or fixture:
            message = held or f"{_kind_of(folder)} project, not a package of this repository"
            notes.append(Note(code="template" if held else "fixture", message=message, file=path))
            del parsed.pyprojects[folder]
            continue
        if project.maturin_manifest is not None:
            built.add(join(folder, project.maturin_manifest))
            built.add(join(folder, "rust/Cargo.toml"))
        if project.builds_rust:
            built.add(join(folder, "Cargo.toml"))
    return built


def _cargo_reason(
    path: str, manifest: CargoManifest, vendored: list[str]
) -> tuple[str, str] | None:
    folder = dirname(path)
    if manifest.generated or any(folder == v or folder.startswith(v + "/") for v in vendored):
        return "vendored", "vendored copy of a published crate, not a package of this repository"
    version = manifest.version
    message = _template_reason(folder, manifest.name, version, None)
    return ("template", message) if message is not None else None


def _template_reason(folder: str, name: str | None, *versions: object) -> str | None:
    texts = [folder, name or ""] + [getattr(v, "text", "") for v in versions if v is not None]
    held = next((text for text in texts if PLACEHOLDER.search(text)), None)
    if held is None:
        return None
    return f"template: {held!r} holds a placeholder, so this is not a package to release"


def under_fixture_folder(folder: str) -> bool:
    """Whether `folder` lies under a folder named like test data, examples or docs."""
    return folder != "." and any(part.lower() in FIXTURE_FOLDERS for part in folder.split("/"))


def _kind_of(folder: str) -> str:
    part = next(p for p in folder.split("/") if p.lower() in FIXTURE_FOLDERS)
    if part.lower().startswith("doc"):
        return "documentation"
    return "example" if part.lower().startswith("example") else "test fixture"


def _built_by_a_workspace(cargo: CargoWorkspaces, path: str, manifest: CargoManifest) -> bool:
    """Whether a Cargo workspace outside the fixture folders has the crate as a member."""
    root = cargo.root_of(path, manifest)
    if root is None or root is manifest:
        return False
    return not under_fixture_folder(dirname(root.path))


def _vendor_folders(parsed: Parsed, read_extra: ReadExtra) -> list[str]:
    """Folders with vendored crates: those named by `[source.*] directory` in the root cargo
    configuration, and the `.cargo-checksum.json` markers `cargo vendor` leaves."""
    folders = [dirname(marker) for marker in parsed.vendor_markers]
    for config in CARGO_CONFIGS:
        try:
            file = read_extra(config)
            sources = parse(config, file.text).get("source", {}) if file is not None else {}
        except VersyncError:
            continue  # cargo reports a bad configuration; it does not change what is vendored
        for source in sources.values() if isinstance(sources, dict) else ():
            directory = source.get("directory") if isinstance(source, dict) else None
            if isinstance(directory, str):
                folders.append(join(".", directory))
    return folders


def is_placeholder(text: str) -> bool:
    """Whether a version, a name or a file's text holds a template placeholder."""
    return PLACEHOLDER.search(text) is not None
