"""Tag and commit-message templates per scope, and tags read back by `--expect`."""

from __future__ import annotations

from pathlib import Path

import pytest

import versync
from tests.conftest import write
from versync.change.tags import commit_message, expectation, release_scope_of, tag_name
from versync.errors import ConfigError, UsageError, VersionError
from versync.model.config import Config
from versync.model.config import parse as parse_config


def test_scopes_and_default_names(seed: Path) -> None:
    write(seed / "versync.toml", '[groups]\nkernel = ["lillux*"]\ncore = ["ryeos*"]\n')
    workspace = versync.scan(seed)
    model, config = workspace.model, workspace.config
    core = model.groups["core"]
    every = [p for p in model.packages if p.publishable]
    cases = [
        (release_scope_of(model, core, "core", None), "core-v1.0", "Release core 1.0"),
        (
            release_scope_of(model, every[:1], None, every[0].name),
            "lillux-v1.0",
            "Release lillux 1.0",
        ),
        (release_scope_of(model, every, None, None), "v1.0", "Release 1.0"),
    ]
    for scope, tag, message in cases:
        assert (tag_name(config, scope, "1.0"), commit_message(config, scope, "1.0")) == (
            tag,
            message,
        )


def test_one_group_releases_as_the_whole_repository(seed: Path) -> None:
    workspace = versync.scan(seed)
    core = [p for p in workspace.packages if p.name.startswith("ryeos")]
    scope = release_scope_of(workspace.model, workspace.groups["ryeos"], "ryeos", None)
    assert tag_name(workspace.config, scope, "2.0") == "v2.0"
    assert release_scope_of(workspace.model, core[:1], None, core[0].name).kind == "package"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        pytest.param({"tag": "release"}, "tag must contain {version}", id="no-version"),
        pytest.param({"tag": "{name}-{version}"}, "unknown placeholder {name}", id="unknown"),
        pytest.param(
            {"commit-message": ""}, "commit-message must be a non-empty string", id="empty"
        ),
        pytest.param(
            {"since-ignore": "docs/**"}, "since-ignore must be an array of strings", id="globs"
        ),
    ],
)
def test_bad_templates_are_config_errors(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config(table, "versync.toml")


def test_expectation_errors(seed: Path) -> None:
    workspace = versync.scan(seed)
    args = (workspace.model, Config(), workspace.package)
    with pytest.raises(VersionError, match="nor a release tag"):
        expectation(*args, "nightly")
    assert expectation(*args, "ryeos-web-v0.1.1")[1] == [workspace.package("ryeos-web")]
    assert len(expectation(*args, "V0.1.1")[1]) == 10
    with pytest.raises(UsageError, match="not both"):
        expectation(*args, "0.1.1", group="ryeos", package="lillux")
    with pytest.raises(UsageError, match="no package 'nope'"):
        expectation(*args, "0.1.1", package="nope")
