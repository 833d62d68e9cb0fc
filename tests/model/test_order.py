"""Publish order: which requirements order publishing, layers and cycles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import versync
from tests.conftest import replace_in, write
from versync.model.order import DependencyCycle, publish_edges, publish_layers
from versync.records import Package

HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'

# The release guide's "Publishing Order" section, layer by layer.
GUIDE_LAYERS = [
    ["lillux-proc", "lillux-watch"],
    ["lillux"],
    ["ryeos-engine"],
    ["ryeos-core"],
    ["ryeos"],
    ["ryeos-cli", "ryeos-code", "ryeos-mcp", "ryeos-web"],
]


def names(layers: list[list[Package]]) -> list[list[str]]:
    return [[p.name for p in layer] for layer in layers]


def python(root: Path, folder: str, name: str, body: str = "", build: str = "hatchling") -> None:
    system = f'[build-system]\nrequires = ["{build}"]\nbuild-backend = "hatchling.build"\n\n'
    write(
        root / folder / "pyproject.toml",
        f'{system}[project]\nname = "{name}"\nversion = "1.0.0"\n{body}',
    )


def crate(root: Path, folder: str, name: str, body: str = "") -> None:
    write(root / folder / "Cargo.toml", f'[package]\nname = "{name}"\nversion = "1.0.0"\n{body}')


def test_seed_layers_are_the_release_guides(seed: Path) -> None:
    assert names(versync.scan(seed).order()) == GUIDE_LAYERS


def test_extras_pointing_back_do_not_order(seed: Path) -> None:
    # ryeos[web] -> ryeos-web -> ryeos: a cycle if extras counted
    replace_in(
        seed / "ryeos/bundles/standard/pyproject.toml",
        'dev = ["pytest>=8"]',
        'dev = ["pytest>=8"]\nweb = ["ryeos-web>=0.1"]\ncode = ["ryeos-code"]',
    )
    assert names(versync.scan(seed).order()) == GUIDE_LAYERS


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param('dependencies = ["base>=1"]\n', [["base"], ["top"]], id="pep621-runtime"),
        pytest.param(
            "dependencies = [\"Base[x] ; python_version>'3'\"]\n",
            [["base"], ["top"]],
            id="pep621-markers-extras-normalised",
        ),
        pytest.param(
            '[project.optional-dependencies]\nx = ["base"]\n', [["base", "top"]], id="extra-ignored"
        ),
        pytest.param(
            'dependencies = ["base >>= 1"]\n', [["base", "top"]], id="invalid-requirement-ignored"
        ),
        pytest.param(
            'dependencies = ["base @ https://example.invalid/base.whl"]\n',
            [["base"], ["top"]],
            id="direct-reference",
        ),
        pytest.param(
            '[dependency-groups]\ndev = ["base"]\n',
            [["base", "top"]],
            id="dependency-group-ignored",
        ),
        pytest.param(
            '[tool.poetry.dependencies]\npython = "^3.11"\nbase = "^1.0"\n',
            [["base"], ["top"]],
            id="poetry-runtime",
        ),
        pytest.param(
            '[tool.poetry.group.dev.dependencies]\nbase = "^1.0"\n',
            [["base", "top"]],
            id="poetry-group-ignored",
        ),
        pytest.param(
            '[tool.poetry.dev-dependencies]\nbase = "^1.0"\n',
            [["base", "top"]],
            id="poetry-dev-ignored",
        ),
    ],
)
def test_python_requirements_that_order(
    tmp_path: Path, body: str, expected: list[list[str]]
) -> None:
    python(tmp_path, "base", "base")
    python(tmp_path, "top", "top", body)
    assert names(versync.scan(tmp_path).order()) == expected


def test_build_system_requires_naming_an_internal_package_orders(tmp_path: Path) -> None:
    python(tmp_path, "plugin", "my-build-plugin")
    python(tmp_path, "app", "app", build="hatchling", body="")
    replace_in(
        tmp_path / "app/pyproject.toml",
        'requires = ["hatchling"]',
        'requires = ["hatchling", "my_build_plugin>=1"]',
    )
    assert names(versync.scan(tmp_path).order()) == [["my-build-plugin"], ["app"]]


@pytest.mark.parametrize(
    ("table", "spec", "ordered"),
    [
        pytest.param("dependencies", '{ path = "../base" }', True, id="path-without-version"),
        pytest.param(
            "dependencies", '{ path = "../base", version = "1" }', True, id="path-with-version"
        ),
        pytest.param("dependencies", '"1.0"', True, id="by-name"),
        pytest.param("build-dependencies", '{ path = "../base" }', True, id="build-dependencies"),
        pytest.param(
            "target.'cfg(unix)'.dependencies",
            '{ path = "../base" }',
            True,
            id="target-dependencies",
        ),
        pytest.param(
            "dev-dependencies", '{ path = "../base" }', False, id="dev-dependencies-ignored"
        ),
    ],
)
def test_cargo_dependencies_that_order(
    tmp_path: Path, table: str, spec: str, ordered: bool
) -> None:
    crate(tmp_path, "base", "base")
    crate(tmp_path, "top", "top", f"\n[{table}]\nbase = {spec}\n")
    expected = [["base"], ["top"]] if ordered else [["base", "top"]]
    assert names(versync.scan(tmp_path).order()) == expected


def test_renamed_cargo_dependency_orders_by_its_package(tmp_path: Path) -> None:
    crate(tmp_path, "base", "base-crate")
    crate(
        tmp_path,
        "top",
        "top",
        '\n[dependencies]\nb = { package = "base-crate", path = "../base" }\n',
    )
    assert names(versync.scan(tmp_path).order()) == [["base-crate"], ["top"]]


def test_maturin_package_orders_by_the_crate_it_builds(tmp_path: Path) -> None:
    crate(tmp_path, "core", "core-crate")
    write(
        tmp_path / "wheel/pyproject.toml",
        '[build-system]\nrequires = ["maturin>=1,<2"]\nbuild-backend = "maturin"\n\n[project]\nname = "wheel"\nversion = "1.0.0"\n',
    )
    crate(tmp_path, "wheel", "wheel", '\n[dependencies]\ncore-crate = { path = "../core" }\n')
    python(tmp_path, "app", "app", 'dependencies = ["wheel"]\n')
    workspace = versync.scan(tmp_path)
    assert names(workspace.order()) == [["core-crate"], ["wheel"], ["app"]]
    assert [p.backend for p in workspace.order()[1]] == ["maturin"]


def test_unpublished_packages_are_left_out(tmp_path: Path) -> None:
    crate(tmp_path, "base", "base", "publish = false\n")
    crate(tmp_path, "top", "top", '\n[dependencies]\nbase = { path = "../base" }\n')
    python(
        tmp_path,
        "svc",
        "svc",
        'classifiers = ["Private :: Do Not Upload"]\ndependencies = ["top"]\n',
    )
    assert names(versync.scan(tmp_path).order()) == [["top"]]


def test_group_and_package_restrict_and_outside_dependencies_count_as_published(seed: Path) -> None:
    workspace = versync.scan(seed)
    assert names(workspace.order(package="ryeos-core")) == [["ryeos-core"]]
    assert names(workspace.order(group="ryeos")) == GUIDE_LAYERS


def test_cycle_names_its_packages_in_order(tmp_path: Path) -> None:
    python(tmp_path, "a", "alpha", 'dependencies = ["beta"]\n')
    python(tmp_path, "b", "beta", 'dependencies = ["gamma"]\n')
    python(tmp_path, "c", "gamma", 'dependencies = ["alpha"]\n')
    python(tmp_path, "d", "delta", 'dependencies = ["alpha"]\n')
    with pytest.raises(DependencyCycle) as caught:
        versync.scan(tmp_path).order()
    assert caught.value.cycle == ("alpha", "beta", "gamma", "alpha")
    assert "alpha -> beta -> gamma -> alpha" in str(caught.value)


def test_edges_are_the_requirements_inside_the_selection(seed: Path) -> None:
    packages = versync.scan(seed).order(group="ryeos")
    every = [p for layer in packages for p in layer]
    edges = {(a.name, b.name) for a, b in publish_edges(every)}
    assert ("lillux-proc", "lillux") in edges
    assert ("ryeos", "ryeos-web") in edges
    assert len(edges) == 8
    assert publish_layers([]) == []


@given(
    st.lists(st.sets(st.integers(min_value=0, max_value=11), max_size=4), min_size=1, max_size=12)
)
def test_layers_put_every_package_right_after_its_deepest_requirement(
    needs: list[set[int]],
) -> None:
    # package i may only need packages with a lower index: a DAG, so no cycle
    packages = [
        Package(
            ecosystem="pypi",
            name=f"p{i:02}",
            key=f"p{i:02}",
            path=f"p{i:02}",
            backend="hatchling",
            requires=tuple(f"pypi:p{j:02}" for j in sorted(wanted) if j < i),
        )
        for i, wanted in enumerate(needs)
    ]
    layers = publish_layers(packages)
    layer_of = {p.id: number for number, layer in enumerate(layers, start=1) for p in layer}
    assert sorted(layer_of) == sorted(p.id for p in packages)
    for package in packages:
        below = [layer_of[r] for r in package.requires]
        assert layer_of[package.id] == 1 + max(below, default=0)
    assert all(layers)


@given(st.integers(min_value=2, max_value=8))
def test_any_ring_is_a_cycle_named_from_its_smallest_name(size: int) -> None:
    packages = [
        Package(
            ecosystem="cargo",
            name=f"c{i}",
            key=f"c{i}",
            path=f"c{i}",
            backend="cargo",
            requires=(f"cargo:c{(i + 1) % size}",),
        )
        for i in range(size)
    ]
    with pytest.raises(DependencyCycle) as caught:
        publish_layers(list(reversed(packages)))
    assert caught.value.cycle == (*[f"c{i}" for i in range(size)], "c0")


CARGO = shutil.which("cargo") or "/root/.cargo/bin/cargo"


@pytest.mark.skipif(not Path(CARGO).exists(), reason="cargo is not installed")
def test_cargo_edges_are_the_ones_cargo_builds_with(tmp_path: Path) -> None:
    """cargo's own metadata: normal and build dependencies (by their package, even when
    renamed, also per target) are what a crate needs published first; dev-dependencies not."""
    import json
    import subprocess

    write(tmp_path / "Cargo.toml", '[workspace]\nmembers = ["a", "b", "c", "d"]\nresolver = "2"\n')
    manifests = {
        "a": "",
        "b": '[build-dependencies]\na = { path = "../a" }\n',
        "c": '[dependencies]\nbee = { package = "b", path = "../b" }\n[dev-dependencies]\na = { path = "../a" }\n',
        "d": '[target.\'cfg(unix)\'.dependencies]\nc = { path = "../c" }\n[dev-dependencies]\nb = { path = "../b" }\n',
    }
    for name, body in manifests.items():
        crate(tmp_path, name, name, 'edition = "2021"\n' + body)
        write(tmp_path / name / "src/lib.rs", "")
    done = subprocess.run(
        [CARGO, "metadata", "--format-version", "1", "--offline", "--no-deps"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    cargo_edges = {
        (p["name"], d["name"])
        for p in json.loads(done.stdout)["packages"]
        for d in p["dependencies"]
        if d["kind"] in (None, "build")
    }
    packages = versync.scan(tmp_path).packages
    by_id = {p.id: p.name for p in packages}
    ours = {(p.name, by_id[r]) for p in packages for r in p.requires}
    assert ours == cargo_edges == {("b", "a"), ("c", "b"), ("d", "c")}
    assert names(publish_layers(packages)) == [["a"], ["b"], ["c"], ["d"]]
