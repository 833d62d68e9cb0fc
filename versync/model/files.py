"""`[[files]]`: extra files that repeat a package's version where a pattern says (README
badges, docs `conf.py`, Dockerfile labels, `package.json`, `.ini` files, constants such as
`_COMPATIBLE_CORE_VERSION = "2.27.2"`). Each match is a version source of the package (or of
each package of the group) the entry names; a file the pattern finds nothing in is a
`manifest-error`."""

from __future__ import annotations

import re
from collections.abc import Callable

from versync.errors import ConfigError, InputError, OutsideRoot
from versync.model.config import Config, FileRule
from versync.model.packages import Draft
from versync.model.parsed import ReadExtra, pep440_source, problem
from versync.records import FileProblem, Span
from versync.syntax.globs import matches_any
from versync.syntax.text import line_col

VERSION_PATTERN = r"(?P<version>[0-9][0-9A-Za-z.+!_-]*[0-9A-Za-z+_]|[0-9])"
FindFiles = Callable[[str], list[str]]  # a `path` glob -> the repository's files it matches


def attach_files(
    config: Config,
    packages: list[Draft],
    groups: dict[str, list[Draft]],
    read_extra: ReadExtra,
    find: FindFiles,
    problems: list[FileProblem],
) -> None:
    """Add each `[[files]]` match as a `file` source of the packages its entry names."""
    for index, rule in enumerate(config.files):
        owners = _owners(config, rule, index, packages, groups)
        pattern = search_pattern(rule.search)
        for path in find(rule.path):
            try:
                file = read_extra(path)
            except OutsideRoot as exc:  # e.g. a symlink out of the root: never read
                problems.append(problem(InputError(path, 1, 1, exc.reason), _owner_id(owners)))
                continue
            except InputError as exc:
                problems.append(problem(exc, _owner_id(owners)))
                continue
            if file is None:
                continue
            spans = matches(path, file.text, pattern)
            if not spans:
                problems.append(
                    FileProblem(
                        file=path,
                        line=1,
                        column=1,
                        message=f"no version where [[files]] search {rule.search!r} says",
                        package=_owner_id(owners),
                    )
                )
            for owner in owners:
                owner.sources += [pep440_source(span, "file") for span in spans]


def _owner_id(owners: list[Draft]) -> str:
    """The id of the package a problem with a `[[files]]` file is reported on."""
    return owners[0].id if owners else ""


def search_pattern(search: str) -> re.Pattern[str]:
    """The regular expression of a `search` template: literal text, `{version}` any version."""
    before, _, after = search.partition("{version}")
    return re.compile(re.escape(before) + VERSION_PATTERN + re.escape(after))


def matches(path: str, text: str, pattern: re.Pattern[str]) -> list[Span]:
    """The version of every match of `pattern` in `text`."""
    found = []
    for match in pattern.finditer(text):
        start, end = match.span("version")
        line, column = line_col(text, start)
        found.append(
            Span(file=path, line=line, column=column, start=start, end=end, text=match["version"])
        )
    return found


def _owners(
    config: Config,
    rule: FileRule,
    index: int,
    packages: list[Draft],
    groups: dict[str, list[Draft]],
) -> list[Draft]:
    where = f"{config.origin}: files[{index}]"
    if rule.package is not None:
        named = [
            p for p in packages if matches_any(p.name, [rule.package]) or p.key == rule.package
        ]
        if not named:
            raise ConfigError(f"{where}: no package {rule.package!r}")
        return named
    if rule.group is not None:
        if rule.group not in groups:
            raise ConfigError(f"{where}: no group {rule.group!r}")
        return groups[rule.group]
    if len(groups) == 1:
        return next(iter(groups.values()))
    publishable = [p for p in packages if p.publishable and p.joins_groups]
    if not groups and len(publishable) == 1:
        return publishable
    raise ConfigError(
        f"{where}: name the package or group the file belongs to (without either, a file "
        "belongs to the only configured group, or to the only publishable package)"
    )
