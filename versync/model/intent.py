"""Which version each package should hold, read from what changed since the baseline.

A version edited since the baseline to a *next version* of what the group (or, for one
package's own sources, the package) had there is a release in progress: every source left
behind follows it. Any other edit in a group is refused (`fix` writes nothing for the group).
With nothing to read intent from, the version a strict majority of a group's packages hold
wins, and copies (bundle.py) follow their package's manifests; otherwise nothing is decided
and the `versync bump` commands that would settle it are named. Pure: the baseline's sources
are given by the façade.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import NamedTuple

from packaging.version import Version

from versync.records import Package, VersionSource

COPY_KINDS = frozenset({"bundle", "file", "package.json"})  # repeat a version, never decide it


class Baseline(NamedTuple):
    """The sources each package (by id) had at the baseline commit (`HEAD` or `--base REF`)."""

    ref: str
    commit: str
    sources: Mapping[str, tuple[VersionSource, ...]]


class Decision(NamedTuple):
    """What a package's sources should hold.

    `goal` is the version (None: undecided); `why` says why, for the findings on sources left
    behind. `refused` are the sources reported when nothing can be decided, with `message`;
    `commands` are what a person runs to settle it."""

    goal: Version | None
    why: str = ""
    refused: tuple[VersionSource, ...] = ()
    message: str = ""
    commands: tuple[str, ...] = ()


def is_next(old: Version, new: Version) -> bool:
    """Whether `new` is a next version of `old`: the next major, minor or patch, a
    pre-release or dev release of one of those, `old`'s own post release, or, when `old` is
    a pre-release or dev release, a later pre-release of that release or the release itself."""
    if new <= old or new.epoch != old.epoch or new.local is not None:
        return False
    major, minor, patch = [*old.release, 0, 0][:3]
    release = _trim(new.release)
    nexts = {_trim(n) for n in ((major + 1,), (major, minor + 1), (major, minor, patch + 1))}
    if release in nexts and new.post is None:
        return True
    same_release = _trim(old.release) == release
    if old.pre is None and old.dev is None:
        return same_release and new.pre is None and new.post is not None  # its post release
    return same_release and new.post is None


def _trim(release: tuple[int, ...]) -> tuple[int, ...]:
    end = len(release)
    while end > 1 and release[end - 1] == 0:
        end -= 1
    return release[:end]


def decide(
    packages: list[Package],
    groups: Mapping[str, list[Package]],
    baseline: Baseline | None,
) -> dict[str, Decision]:
    """Each package's decision, by id: a group's packages decided together, the others one by
    one."""
    decisions: dict[str, Decision] = {}
    grouped: set[str] = set()
    for name, members in groups.items():
        grouped.update(p.id for p in members)
        decisions.update(_decide_group(name, members, baseline))
    for package in packages:
        if package.id not in grouped:
            decisions[package.id] = _decide_package(package, baseline)
    return decisions


def _valid(package: Package) -> list[VersionSource]:
    return [s for s in package.sources if s.valid and s.version is not None]


def _counterpart(
    package: Package, source: VersionSource, baseline: Baseline
) -> VersionSource | None:
    """The source at the same place (file, kind, and order among those) at the baseline."""
    old = baseline.sources.get(package.id, ())
    same = [s for s in package.sources if (s.file, s.kind) == (source.file, source.kind)]
    before = [s for s in old if (s.file, s.kind) == (source.file, source.kind)]
    index = same.index(source)
    return before[index] if index < len(before) else None


def edited(package: Package, baseline: Baseline | None) -> list[VersionSource]:
    """The sources whose version changed since the baseline (new sources are not edits)."""
    if baseline is None:
        return []
    found = []
    for source in _valid(package):
        old = _counterpart(package, source, baseline)
        if old is not None and old.version is not None and old.version != source.version:
            found.append(source)
    return found


def base_version(package: Package, baseline: Baseline | None) -> Version | None:
    """The package's version at the baseline (its primary source there)."""
    if baseline is None or package.primary is None:
        return None
    old = _counterpart(package, package.primary, baseline)
    return old.version if old is not None and old.valid else None


def _manifest_version(package: Package) -> Version | None:
    """The version every manifest of the package agrees on (copies left out), else None."""
    versions = {s.version for s in _valid(package) if s.kind not in COPY_KINDS}
    if not versions:
        versions = {s.version for s in _valid(package)}
    return versions.pop() if len(versions) == 1 else None


def _describe(sources: list[VersionSource], names: Mapping[str, str]) -> str:
    shown = sorted({f"{names[s.file]}'s {s.file.rpartition('/')[2]}" for s in sources})
    return ", ".join(shown)


def _decide_package(package: Package, baseline: Baseline | None) -> Decision:
    valid = _valid(package)
    versions = {s.version for s in valid}
    if len(versions) <= 1:
        return Decision(versions.pop() if versions else None)
    changed = edited(package, baseline)
    base = base_version(package, baseline)
    if changed:
        new = {s.version for s in changed}
        target = next(iter(new))
        if len(new) == 1 and target is not None and base is not None and is_next(base, target):
            files = _describe(changed, {s.file: package.name for s in changed})
            return Decision(target, why=f"this change bumped {files} to {target}")
        return _refuse_package(package, changed, base, baseline)
    manifests = _manifest_version(package)
    if manifests is not None:
        return Decision(manifests, why=f"{package.name}'s manifests say {manifests}")
    return _refuse_package(package, [], base, baseline)


def _refuse_package(
    package: Package, changed: list[VersionSource], base: Version | None, baseline: Baseline | None
) -> Decision:
    valid = _valid(package)
    scope = f"--package {package.name}"
    if changed:
        edits = sorted({s.version for s in changed if s.version is not None})
        commands = _commands(edits, scope, [package])
        new = ", ".join(sorted({s.text for s in changed}))
        message = (
            f"edited to {new} since {baseline.ref if baseline else 'the baseline'}, "
            f"which is not a next version of {package.name} {base}, and its other sources "
            "did not follow; to release it run "
            + " or ".join(f"`{c}`" for c in commands)
            + f", else put back {base}"
        )
        return Decision(None, refused=tuple(changed), message=message, commands=commands)
    candidates = sorted({s.version for s in valid if s.version is not None})
    commands = _commands(candidates, scope, [package])
    manifests = [s for s in valid if s.kind not in COPY_KINDS]
    python = next((s for s in manifests if s.kind == "pyproject"), None)
    rust = next((s for s in manifests if s.scheme == "semver"), None)
    if package.backend == "maturin" and python is not None and rust is not None:
        shown = (
            f"the wheel will be {python.text} (maturin takes pyproject.toml's static version) "
            f"but {rust.file} says {rust.text}"
        )
    else:
        shown = " and ".join(f"{s.file} says {s.text}" for s in manifests)
    message = (
        f"{shown}, and {f'no change since {baseline.ref}' if baseline else 'nothing'} shows "
        "which one is meant; settle it with " + " or ".join(f"`{c}`" for c in commands)
    )
    primary = package.primary if package.primary in manifests else manifests[0]
    assert primary is not None
    return Decision(None, refused=(primary,), message=message, commands=commands)


def _commands(versions: list[Version], scope: str, packages: list[Package]) -> tuple[str, ...]:
    """One `versync bump` per candidate version, with `--allow-downgrade` where it would lower
    a source (as `bump` requires), so that each command runs as printed."""
    highest = max((s.version for p in packages for s in _valid(p) if s.version), default=None)
    return tuple(
        f"versync bump {v} {scope}"
        + (" --allow-downgrade" if highest is not None and v < highest else "")
        for v in versions
    )


def _decide_group(
    name: str, members: list[Package], baseline: Baseline | None
) -> dict[str, Decision]:
    bases = {base_version(p, baseline) for p in members}
    consistent = baseline is not None and len(bases) == 1 and None not in bases
    changes = {p.id: edited(p, baseline) for p in members} if consistent else {}
    changed = [s for p in members for s in changes.get(p.id, [])]
    if changed:
        base = next(iter(bases))
        assert base is not None and baseline is not None
        return _group_intent(name, members, changes, base, baseline)
    return _group_majority(name, members)


def _group_intent(
    name: str,
    members: list[Package],
    changes: dict[str, list[VersionSource]],
    base: Version,
    baseline: Baseline,
) -> dict[str, Decision]:
    owners = {s.file: p.name for p in members for s in changes[p.id]}
    changed = [s for p in members for s in changes[p.id]]
    new = {s.version for s in changed if s.version is not None}
    target = next(iter(new))
    if len(new) == 1 and is_next(base, target):
        why = f"this change bumped {_describe(changed, owners)} to {target}"
        return {p.id: Decision(target, why=why) for p in members}
    wrong = [s for s in changed if s.version is not None and not is_next(base, s.version)]
    blamed = wrong or changed
    commands = _commands(sorted(new), f"--group {name}", members)
    if wrong:
        what = f"not a next version of group {name!r} (at {base} in {baseline.ref})"
    else:
        what = (
            f"one of {len(new)} different new versions in group {name!r} "
            f"(at {base} in {baseline.ref})"
        )
    decisions = {p.id: Decision(None) for p in members}
    for package in members:
        mine = tuple(s for s in blamed if s in changes[package.id])
        if mine:
            message = (
                f"edited from {base} to {mine[0].text}, {what}; to release it run "
                + " or ".join(f"`{c}`" for c in commands)
                + f", else put back {base}"
            )
            decisions[package.id] = Decision(None, refused=mine, message=message, commands=commands)
    first = next(p.id for p in members if decisions[p.id].refused)
    decisions[first] = decisions[first]._replace(commands=commands)
    return decisions


def _group_majority(name: str, members: list[Package]) -> dict[str, Decision]:
    own = {p.id: _manifest_version(p) for p in members}
    counted = Counter(v for v in own.values() if v is not None)
    if not counted:
        return {p.id: Decision(None) for p in members}
    total = sum(counted.values())
    (top, count), *_ = counted.most_common()
    if len(counted) == 1:
        return {p.id: Decision(top, why=f"its group {name!r} is at {top}") for p in members}
    if count * 2 > total:
        why = f"{count} of {total} packages in group {name!r} are {top}"
        return {p.id: Decision(top, why=why) for p in members}
    candidates = sorted(counted)
    commands = _commands(candidates, f"--group {name}", members)
    split = ", ".join(f"{counted[v]} at {v}" for v in candidates)
    message = f"group {name!r} is split with no majority ({split}); choose with " + " or ".join(
        f"`{c}`" for c in commands
    )
    decisions = {}
    for index, package in enumerate(members):
        refused = (
            (package.primary,) if package.primary is not None and package.primary.valid else ()
        )
        decisions[package.id] = Decision(
            None, refused=refused, message=message, commands=commands if index == 0 else ()
        )
    return decisions
