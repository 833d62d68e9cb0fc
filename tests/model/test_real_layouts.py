"""Layouts seen in real repositories (see benchmarks/real-world.md), one small fixture each:
what is a package, which crate a Python project builds, and which is which."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import versync
from tests.conftest import Run, git, replace_in, snapshot, write

HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
MATURIN = '[build-system]\nrequires = ["maturin>=1,<2"]\nbuild-backend = "maturin"\n'
CLEAN_2 = "2 packages checked: all versions agree\n"


def project(name: str, version: str | None, head: str = HATCH, tail: str = "") -> str:
    version_line = f'version = "{version}"\n' if version else 'dynamic = ["version"]\n'
    return f'{head}[project]\nname = "{name}"\n{version_line}{tail}'


def crate(name: str, version: str, tail: str = "") -> str:
    return f'[package]\nname = "{name}"\nversion = "{version}"\n{tail}'


def listed(run: Run, root: Path) -> dict[str, object]:
    result = run("list", "--root", root, "--json")
    assert result.code == 0, result
    document: dict[str, object] = json.loads(result.out)
    return document


def rows(run: Run, root: Path) -> list[tuple[str, str, str | None, bool]]:
    packages = listed(run, root)["packages"]
    assert isinstance(packages, list)
    return [(p["name"], p["path"], p["group"], p["publishable"]) for p in packages]


def note_codes(run: Run, root: Path) -> list[tuple[str, str]]:
    notes = listed(run, root)["notes"]
    assert isinstance(notes, list)
    return [(n["code"], n["file"]) for n in notes]


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message)


# -- virtual and non-package projects ------------------------------------------------------


@pytest.mark.parametrize(
    "root_pyproject",
    [
        pytest.param(
            '[project]\nname = "ws"\nversion = "0.0.0"\n[tool.rye]\nvirtual = true\n', id="rye"
        ),
        pytest.param(
            '[project]\nname = "ws"\nversion = "0.0.0"\n[tool.uv]\npackage = false\n',
            id="uv-package-false",
        ),
        pytest.param(
            '[project]\nname = "ws"\n[tool.uv.workspace]\nmembers = ["a"]\n', id="no-build"
        ),
    ],
)
def test_a_virtual_project_is_not_published_and_joins_no_group(
    tmp_path: Path, run: Run, root_pyproject: str
) -> None:
    write(tmp_path / "pyproject.toml", root_pyproject)
    write(tmp_path / "a/pyproject.toml", project("a", "1.2.0"))
    assert rows(run, tmp_path) == [("ws", ".", None, False), ("a", "a", None, True)]
    assert run("check", "--root", tmp_path).out == CLEAN_2
    write(tmp_path / "versync.toml", '[groups]\nall = ["*"]\n')
    assert rows(run, tmp_path)[0] == ("ws", ".", None, False)


def test_a_built_project_with_uv_package_false_is_still_a_package(tmp_path: Path, run: Run) -> None:
    """granian and prek publish maturin wheels with `[tool.uv] package = false`."""
    write(
        tmp_path / "pyproject.toml",
        project("granian", "2.8.9", MATURIN, "[tool.uv]\npackage = false\n"),
    )
    write(tmp_path / "Cargo.toml", crate("granian", "2.8.8"))
    assert rows(run, tmp_path) == [("granian", ".", None, True)]
    assert "[maturin-precedence]" in run("check", "--root", tmp_path).out


# -- which crate a Python project builds ---------------------------------------------------


def test_a_crate_beside_a_hatchling_project_is_a_crate_of_its_own(tmp_path: Path, run: Run) -> None:
    write(tmp_path / "pyproject.toml", project("docs-tool", "0.14.0"))
    write(tmp_path / "Cargo.toml", crate("engine", "0.13.0"))
    assert rows(run, tmp_path) == [
        ("docs-tool", ".", None, True),
        ("engine", ".", None, True),
    ]
    write(tmp_path / "versync.toml", '[groups]\nall = ["*"]\n')  # released together
    result = run("check", "--root", tmp_path)
    assert result.code == 1 and "Cargo.toml:3:12: engine: " in result.out


@pytest.mark.parametrize(
    "head",
    [
        pytest.param(
            '[build-system]\nrequires = ["setuptools>=62", "setuptools-rust>=1.5"]\n'
            'build-backend = "setuptools.build_meta"\n',
            id="setuptools-rust",
        ),
        pytest.param(
            '[build-system]\nrequires = ["scikit-build-core"]\n'
            'build-backend = "scikit_build_core.build"\n',
            id="scikit-build",
        ),
    ],
)
def test_a_rust_building_backend_takes_over_the_crate_beside_it(
    tmp_path: Path, run: Run, head: str
) -> None:
    write(tmp_path / "pyproject.toml", project("tok", "0.14.0", head))
    write(tmp_path / "Cargo.toml", crate("tok", "0.13.0"))
    assert [r[:2] for r in rows(run, tmp_path)] == [("tok", ".")]
    result = run("check", "--root", tmp_path)
    assert result.code == 1 and "[package-mismatch]" in result.out


@pytest.mark.parametrize(
    ("tail", "module_init"),
    [
        pytest.param('[tool.maturin]\npython-source = "python"\n', None, id="python-source"),
        pytest.param("", "src/pendulum/__init__.py", id="src-layout"),
    ],
)
def test_maturin_builds_rust_cargo_toml_in_a_python_first_layout(
    tmp_path: Path, run: Run, tail: str, module_init: str | None
) -> None:
    write(tmp_path / "pyproject.toml", project("pendulum", "3.3.0", MATURIN, tail))
    write(tmp_path / "rust/Cargo.toml", crate("_pendulum", "3.2.0"))
    if module_init is not None:
        write(tmp_path / module_init, "")
    result = run("check", "--root", tmp_path)
    assert result.code == 1
    # No history to tell which file was meant: the finding names both, on the wheel's version.
    assert result.out.startswith("pyproject.toml:6:12: pendulum: the wheel will be 3.3.0")
    assert "rust/Cargo.toml" in result.out and "[maturin-precedence]" in result.out
    replace_in(tmp_path / "pyproject.toml", 'version = "3.3.0"', 'dynamic = ["version"]')
    assert rows(run, tmp_path) == [("pendulum", ".", None, True)]
    assert run("check", "--root", tmp_path).code == 0


def test_without_the_python_first_layout_rust_cargo_toml_is_a_crate(
    tmp_path: Path, run: Run
) -> None:
    write(tmp_path / "pyproject.toml", project("app", "3.3.0", MATURIN))
    write(tmp_path / "rust/Cargo.toml", crate("other", "3.3.0"))
    result = run("check", "--root", tmp_path)
    assert (result.code, result.out) == (0, CLEAN_2)
    assert [r[:2] for r in rows(run, tmp_path)] == [("app", "."), ("other", "rust")]


def test_two_pyprojects_building_one_crate_report_it_once(tmp_path: Path, run: Run) -> None:
    write(
        tmp_path / "pyproject.toml",
        project("tool", None, MATURIN, '[tool.maturin]\nmanifest-path = "tool/Cargo.toml"\n'),
    )
    write(tmp_path / "tool/pyproject.toml", project("tool", None, MATURIN))
    write(tmp_path / "tool/Cargo.toml", crate("tool", "1.5.0"))
    for lib in ("lib", "lib2", "lib3"):  # a majority at 1.6.0 leaves the crate behind
        write(tmp_path / f"{lib}/pyproject.toml", project(lib, "1.6.0"))
    write(tmp_path / "versync.toml", '[groups]\nall = ["*"]\n')
    result = run("check", "--root", tmp_path)
    assert result.code == 1
    assert result.out.count("tool/Cargo.toml:3:12") == 1, result.out


# -- a wheel and a crate with one name -----------------------------------------------------


@pytest.fixture
def shared_name(tmp_path: Path) -> Path:
    write(
        tmp_path / "pyproject.toml",
        project("tok", "0.23.3", MATURIN, '[tool.maturin]\nmanifest-path = "py/Cargo.toml"\n'),
    )
    write(tmp_path / "py/Cargo.toml", crate("tok-python", "0.23.3"))
    write(tmp_path / "tok/Cargo.toml", crate("tok", "0.23.3"))
    return tmp_path


def test_a_wheel_and_a_crate_may_share_a_name(shared_name: Path, run: Run) -> None:
    assert [r[:2] for r in rows(run, shared_name)] == [("tok", "."), ("tok", "tok")]
    replace_in(shared_name / "tok/Cargo.toml", "0.23.3", "0.23.2")
    write(shared_name / "versync.toml", '[groups]\nall = ["*"]\n')
    result = run("check", "--root", shared_name)
    assert result.code == 1 and "tok/Cargo.toml:3:12: tok: " in result.out


def test_an_ambiguous_package_name_is_a_usage_error(shared_name: Path, run: Run) -> None:
    before = snapshot(shared_name)
    result = run("bump", "0.24.0", "--package", "tok", "--root", shared_name)
    assert result.code == 2
    assert "'tok' names several packages: pypi:tok, cargo:tok; name one of them" in result.err
    assert snapshot(shared_name) == before


@pytest.mark.parametrize(
    ("name", "changed"),
    [
        pytest.param("cargo:tok", ["tok/Cargo.toml"], id="cargo-name"),
        pytest.param("./tok", ["tok/Cargo.toml"], id="path"),
        pytest.param("pypi:tok", ["py/Cargo.toml", "pyproject.toml"], id="pypi-name"),
    ],
)
def test_a_package_is_named_by_ecosystem_or_path(
    shared_name: Path, run: Run, name: str, changed: list[str]
) -> None:
    result = run("bump", "0.24.0", "--package", name, "--root", shared_name)
    *written, summary = result.out.splitlines()
    assert (result.code, written) == (0, changed)
    assert summary.startswith("bumped 1 package to 0.24.0")


# -- templates, fixtures, vendored crates --------------------------------------------------


def test_templates_are_skipped_with_a_note(tmp_path: Path, run: Run) -> None:
    write(tmp_path / "pyproject.toml", project("app", "1.0.0"))
    write(tmp_path / "template/pyproject.toml", project("{{ name }}", "{{ version }}"))
    write(tmp_path / "scaffold/Cargo.toml", crate("x", "${VERSION}"))
    write(tmp_path / "gen/Cargo.toml", crate("y", "<REPLACE ME>"))
    write(
        tmp_path / "{{cookiecutter.slug}}/pyproject.toml",
        '[project]\nname = "{{ cookiecutter.slug }}"\nversion = {{ cookiecutter.version }}\n',
    )
    result = run("check", "--root", tmp_path)
    assert (result.code, result.out) == (0, "1 package checked: all versions agree\n")
    assert sorted(note_codes(run, tmp_path)) == [
        ("template", "gen/Cargo.toml"),
        ("template", "scaffold/Cargo.toml"),
        ("template", "template/pyproject.toml"),
        ("template", "{{cookiecutter.slug}}/pyproject.toml"),
    ]
    verbose = run("check", "-v", "--root", tmp_path)
    assert verbose.code == 0 and verbose.out.count("[template]") == 4
    table = run("list", "--root", tmp_path).out
    assert "note: gen/Cargo.toml: template: '<REPLACE ME>' holds a placeholder" in table


def test_test_fixtures_and_examples_are_not_packages(tmp_path: Path, run: Run) -> None:
    write(tmp_path / "pyproject.toml", project("tool", "1.5.0"))
    write(
        tmp_path / "tests/example/pack-a/pyproject.toml",
        '[project]\nname = "a"\nversion = "0.0.0"\n',
    )
    write(
        tmp_path / "lib/snapshots/input/pyproject.toml",
        '[project]\nname = "abc"\n[tool.poetry]\nversion = "16.05"\n',
    )
    write(tmp_path / "examples/hello/Cargo.toml", crate("hello", "0.1.0"))
    write(tmp_path / "docs/vectors/Cargo.toml", crate("vectors", "0.1.0"))
    result = run("check", "--root", tmp_path)
    assert (result.code, result.out) == (0, "1 package checked: all versions agree\n")
    assert sorted(code for code, _ in note_codes(run, tmp_path)) == ["fixture"] * 4
    before = snapshot(tmp_path)
    assert run("fix", "--root", tmp_path).code == 0
    assert snapshot(tmp_path) == before


def test_workspace_members_in_example_folders_are_packages(tmp_path: Path, run: Run) -> None:
    write(tmp_path / "Cargo.toml", '[workspace]\nmembers = ["examples/*"]\n')
    write(tmp_path / "examples/demo/Cargo.toml", crate("demo", "1.0.0"))
    write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "ws"\n[tool.uv.workspace]\nmembers = ["tests/harness"]\n',
    )
    write(tmp_path / "tests/harness/pyproject.toml", project("harness", "1.0.0"))
    assert [r[:2] for r in rows(run, tmp_path)] == [
        ("ws", "."),
        ("demo", "examples/demo"),
        ("harness", "tests/harness"),
    ]


@pytest.mark.parametrize(
    "marker",
    [
        pytest.param({"vendor/itoap-1.0.1/.cargo-checksum.json": '{"files":{}}'}, id="checksum"),
        pytest.param(
            {
                ".cargo/config.toml": '[source.crates-io]\nreplace-with = "v"\n'
                '[source.v]\ndirectory = "vendor"\n'
            },
            id="cargo-config",
        ),
        pytest.param({}, id="generated-manifest"),
    ],
)
def test_vendored_crates_are_not_packages(tmp_path: Path, run: Run, marker: dict[str, str]) -> None:
    write(tmp_path / "pyproject.toml", project("fastjson", "3.1.0", MATURIN))
    write(tmp_path / "Cargo.toml", crate("fastjson", "3.1.0", '[dependencies]\nitoap = "1"\n'))
    header = "" if marker else "# THIS FILE IS AUTOMATICALLY GENERATED BY CARGO\n"
    write(tmp_path / "vendor/itoap-1.0.1/Cargo.toml", header + crate("itoap", "1.0.1"))
    for path, text in marker.items():
        write(tmp_path / path, text)
    result = run("check", "--root", tmp_path)
    assert (result.code, result.out) == (0, "1 package checked: all versions agree\n")
    assert note_codes(run, tmp_path) == [("vendored", "vendor")]


# -- Cargo workspaces as cargo reads them --------------------------------------------------


@pytest.mark.parametrize("member", ["src/rust/", "./src/rust", "./src/rust/"])
def test_member_paths_are_normalised(tmp_path: Path, run: Run, member: str) -> None:
    write(
        tmp_path / "Cargo.toml",
        f'[workspace]\nmembers = ["{member}"]\n[workspace.package]\nversion = "0.50.2"\n'
        "publish = false\n",
    )
    write(
        tmp_path / "src/rust/Cargo.toml",
        '[package]\nname = "crypt-rust"\nversion.workspace = true\npublish.workspace = true\n',
    )
    write(tmp_path / "x509/Cargo.toml", '[package]\nname = "x"\nversion = "0.1.0"\n')
    result = run("check", "--root", tmp_path)
    assert result.code == 0, result.out
    assert rows(run, tmp_path)[0] == ("crypt-rust", "src/rust", None, False)


# -- maturin crates with a placeholder version ---------------------------------------------


@pytest.fixture
def placeholder(tmp_path: Path) -> Path:
    write(
        tmp_path / "pyproject.toml",
        project(
            "crypt", "45.0.1", MATURIN, '[tool.maturin]\nmanifest-path = "src/rust/Cargo.toml"\n'
        ),
    )
    write(tmp_path / "src/rust/Cargo.toml", crate("crypt-rust", "0.1.0", "publish = false\n"))
    git(tmp_path, "init", "-q")
    commit_all(tmp_path, "initial")
    return tmp_path


def test_a_never_bumped_unpublished_maturin_crate_is_a_placeholder(
    placeholder: Path, run: Run
) -> None:
    replace_in(placeholder / "pyproject.toml", "45.0.1", "45.0.2")
    commit_all(placeholder, "release 45.0.2")
    result = run("check", "--root", placeholder)
    assert (result.code, result.out) == (0, "2 packages checked: all versions agree\n")
    assert note_codes(run, placeholder) == [("placeholder", "src/rust/Cargo.toml")]
    assert rows(run, placeholder)[1] == ("crypt-rust", "src/rust", None, False)
    before = snapshot(placeholder)
    assert run("fix", "--root", placeholder).code == 0
    assert run("bump", "45.1.0", "--root", placeholder).out == (
        "pyproject.toml\nbumped 1 package to 45.1.0: 1 file\n"
    )
    changed = {k for k, v in snapshot(placeholder).items() if before.get(k) != v}
    assert {k for k in changed if not k.startswith(".git/")} == {"pyproject.toml"}


def test_a_maintained_maturin_crate_version_must_follow(placeholder: Path, run: Run) -> None:
    replace_in(placeholder / "pyproject.toml", "45.0.1", "45.0.2")
    replace_in(placeholder / "src/rust/Cargo.toml", "0.1.0", "45.0.2")
    commit_all(placeholder, "release 45.0.2")
    replace_in(placeholder / "pyproject.toml", "45.0.2", "45.0.3")
    result = run("check", "--root", placeholder)
    assert result.code == 1 and "[maturin-precedence]" in result.out
    assert versync.scan(placeholder).notes == []


def test_a_setuptools_rust_placeholder_crate_is_left_alone(tmp_path: Path, run: Run) -> None:
    head = (
        '[build-system]\nrequires = ["setuptools", "setuptools-rust"]\n'
        'build-backend = "setuptools.build_meta"\n'
    )
    write(tmp_path / "pyproject.toml", project("fast", "3.0.0", head))
    write(tmp_path / "Cargo.toml", crate("fast-rs", "0.1.0", "publish = false\n"))
    assert run("check", "--root", tmp_path).code == 0
    assert note_codes(run, tmp_path) == [("placeholder", "Cargo.toml")]
