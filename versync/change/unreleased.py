"""`check --since REF`: packages whose own files changed since REF while their version stayed
the same, that is, changes a release would not carry under a new version."""

from __future__ import annotations

import posixpath

from versync._fs import git
from versync.change.tags import TAGS, Scope, tag_version
from versync.errors import UsageError, VersyncError
from versync.model import Model, build
from versync.model.config import Config
from versync.records import Finding, Package
from versync.rules import finding
from versync.syntax.globs import matches_any
from versync.syntax.text import FileText, decode

LAST_TAG = "last-tag"
# A package's tests and benchmarks are not what it publishes (see `since-ignore`).
DEFAULT_IGNORE = (
    "**/tests/**",
    "**/test/**",
    "**/benches/**",
    "**/test_*.py",
    "**/*_test.py",
    "**/*_test.rs",
)


def unreleased_findings(
    root: str,
    model: Model,
    config: Config,
    packages: list[Package],
    since: str,
) -> list[Finding]:
    """An `unreleased-change` finding for each of `packages` whose own files changed between
    `since` and the work tree while its version stayed what it was at `since`. `since` is a
    commit or tag, or `last-tag`: for each package the newest tag of its scope's template
    reachable from HEAD, else the newest tag of any kind. A package that did not exist at
    `since` is new, not unreleased. Raises `UsageError` for a ref that names no commit."""
    if not git.is_work_tree(root):
        raise UsageError(f"{root} is not in a git work tree: --since needs git")
    refs = _refs(root, model, config, packages, since)
    findings: list[Finding] = []
    for ref in sorted(set(refs.values())):
        commit = git.commit_of(root, ref)
        if commit is None:
            raise UsageError(f"--since {ref}: no such commit or tag")
        changed = git.changed_since(root, commit)
        before = _model_at(root, commit, config)
        for package in (p for p in packages if refs[p.id] == ref):
            old = next((p for p in before.packages if p.id == package.id), None)
            if old is None or package.primary is None:
                continue
            if old.published_version != package.published_version:
                continue
            own = own_files(package, model.packages, changed, config.since_ignore)
            if own:
                findings.append(_unreleased(package, len(own), ref))
    return findings


def own_files(
    package: Package,
    every: list[Package],
    paths: list[str],
    ignore: tuple[str, ...] | None = None,
) -> list[str]:
    """Those of `paths` that are `package`'s own: under its folder, not under a nested
    package's folder, and not its tests (`ignore` globs on the path inside the package,
    `DEFAULT_IGNORE` unless given)."""
    globs = DEFAULT_IGNORE if ignore is None else ignore
    nested = [p.path for p in every if p.path != package.path and _inside(p.path, package.path)]
    own = []
    for path in paths:
        if not _inside(path, package.path) or any(_inside(path, n) for n in nested):
            continue
        inner = path if package.path == "." else posixpath.relpath(path, package.path)
        if not matches_any(inner, globs) and not matches_any(path, globs):
            own.append(path)
    return own


def _inside(path: str, folder: str) -> bool:
    return folder == "." or path == folder or path.startswith(folder + "/")


def _refs(
    root: str, model: Model, config: Config, packages: list[Package], since: str
) -> dict[str, str]:
    """The ref each package is compared with."""
    if since != LAST_TAG:
        return {p.id: since for p in packages}
    tags = git.tags_newest_first(root)
    if not tags:
        raise UsageError("--since last-tag: the repository has no tag reachable from HEAD")
    return {p.id: _last_tag(p, model, config, tags) for p in packages}


def _last_tag(package: Package, model: Model, config: Config, tags: list[str]) -> str:
    """The newest tag the templates make for the package's scope, else the newest tag."""
    if len(model.groups) == 1 and package.group is not None:
        scopes = [Scope(kind="all", name="", group="")]
    else:
        scopes = [Scope(kind="package", name=package.name, group=package.group or "")]
        if package.group is not None:
            scopes.insert(0, Scope(kind="group", name=package.group, group=package.group))
    for tag in tags:
        if any(tag_version(config.tag or TAGS[s.kind], s, tag) for s in scopes):
            return tag
    return tags[0]


def _model_at(root: str, commit: str, config: Config) -> Model:
    """The model of the repository as it was at `commit` (with today's configuration, less
    its groups, which only today's packages must match)."""
    from versync.formats import manifest_names, read_manifest

    files = git.files_at(root, commit, manifest_names())
    records = {}
    for path, data in files.items():
        try:
            records[path] = read_manifest(path, decode(path, data).text)
        except VersyncError:
            continue  # a file malformed then: its package has no version to compare
    extras: dict[str, FileText | None] = {}

    def read_extra(path: str) -> FileText | None:
        if path.startswith("../"):
            return None
        if path not in extras:
            data = git.read_at(root, commit, [path]).get(path)
            extras[path] = decode(path, data) if data is not None else None
        return extras[path]

    try:
        return build(records, read_extra, config._replace(groups=None))
    except VersyncError:
        return build({}, read_extra, config._replace(groups=None))


def _unreleased(package: Package, count: int, ref: str) -> Finding:
    assert package.primary is not None
    version = package.primary.text
    files = f"{count} file{'s' if count != 1 else ''}"
    return finding(
        "unreleased-change",
        package,
        package.primary,
        found=f"{files} changed since {ref}",
        expected=f"a version above {version}",
        message=(
            f"{package.name} {version}: {files} changed since {ref}, but the version did not; "
            "bump it before releasing"
        ),
        fixable=False,
    )
