"""`check --expect` readings of versions and tags under configured templates and groups."""

from __future__ import annotations

from pathlib import Path

import pytest

import versync
from tests.conftest import write
from versync.change.tags import Scope, expectation, release_scope_of, tag_version
from versync.errors import UsageError, VersionError
from versync.model.config import Config
from versync.model.config import parse as parse_config


def names(packages: list[versync.Package]) -> list[str]:
    return sorted(p.name for p in packages)


def test_a_version_for_a_named_package_or_group_covers_just_those(seed: Path) -> None:
    write(seed / "versync.toml", '[groups]\nkernel = ["lillux*"]\ncore = ["ryeos*"]\n')
    workspace = versync.scan(seed)
    args = (workspace.model, Config(), workspace.package)
    version, packages = expectation(*args, "v1.2.3", package="ryeos-web")
    assert (version, names(packages)) == ("1.2.3", ["ryeos-web"])
    version, packages = expectation(*args, "1.2.3", group="core")
    assert version == "1.2.3"
    assert names(packages) == names(workspace.groups["core"])
    assert all(name.startswith("ryeos") for name in names(packages))


def test_a_group_tag_reads_as_the_group(seed: Path) -> None:
    write(seed / "versync.toml", '[groups]\nkernel = ["lillux*"]\ncore = ["ryeos*"]\n')
    workspace = versync.scan(seed)
    version, packages = expectation(workspace.model, Config(), workspace.package, "core-v0.3.0")
    assert (version, names(packages)) == ("0.3.0", names(workspace.groups["core"]))


def test_a_tag_template_without_group_or_package_reads_no_tag(seed: Path) -> None:
    workspace = versync.scan(seed)
    config = parse_config({"tag": "release-{version}"}, "versync.toml")
    with pytest.raises(VersionError, match=r"tags look like release-\{version\}"):
        expectation(workspace.model, config, workspace.package, "release-1.0")


def test_a_tag_that_reads_as_two_packages_at_different_versions_is_refused(
    tmp_path: Path,
) -> None:
    hatch = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    for name in ("alpha", "alpha-1"):
        write(
            tmp_path / name / "pyproject.toml",
            f'{hatch}[project]\nname = "{name}"\nversion = "1.0"\n',
        )
    workspace = versync.scan(tmp_path)
    config = parse_config({"tag": "{package}-{version}"}, "versync.toml")
    # alpha at 1-2 (1.post2), or alpha-1 at 2
    with pytest.raises(UsageError, match=r"tag 'alpha-1-2' reads several ways \(package alpha"):
        expectation(workspace.model, config, workspace.package, "alpha-1-2")
    version, packages = expectation(workspace.model, config, workspace.package, "alpha-3.0")
    assert (version, names(packages)) == ("3.0", ["alpha"])


@pytest.mark.parametrize(
    ("template", "text", "expected"),
    [
        pytest.param("{package}-v{version}", "core-v1.0", "1.0", id="plain"),
        pytest.param("{package}-v{version}", "core-v1.0.", None, id="not-a-version"),
        pytest.param("{package}-v{version}", "web-v1.0", None, id="other-package"),
        pytest.param("{version}/{package}/{version}", "1.0/core/1.1", None, id="two-versions"),
        pytest.param("{version}/{package}/{version}", "1.0/core/1.0", "1.0", id="same-twice"),
    ],
)
def test_tag_version_reads_only_the_scopes_own_tags(
    template: str, text: str, expected: str | None
) -> None:
    scope = Scope(kind="package", name="core", group="")
    assert tag_version(template, scope, text) == expected


def test_a_group_released_alone_in_a_one_group_repository_is_the_whole_repository(
    seed: Path,
) -> None:
    write(seed / "versync.toml", '[groups]\ncore = ["ryeos*"]\n')
    workspace = versync.scan(seed)
    scope = release_scope_of(workspace.model, workspace.groups["core"], "core", None)
    assert (scope.kind, scope.name) == ("all", "core")
