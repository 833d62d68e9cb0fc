"""`versync order` on the command line: text, JSON, GitHub matrix, Mermaid, cycles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run, write
from tests.model.test_order import GUIDE_LAYERS
from versync._cli import main


def test_text_is_one_line_per_layer(seed: Path, run: Run) -> None:
    result = run("order", "--root", seed)
    assert result.code == 0
    assert result.out.splitlines() == [
        f"{number}  {' '.join(layer)}" for number, layer in enumerate(GUIDE_LAYERS, start=1)
    ]
    assert result.out.splitlines()[0] == "1  lillux-proc lillux-watch"


def test_json_layers(seed: Path, run: Run) -> None:
    result = run("order", "--root", seed, "--json")
    assert result.code == 0
    layers = json.loads(result.out)["layers"]
    assert [[p["name"] for p in layer] for layer in layers] == GUIDE_LAYERS
    assert layers[0][0] == {
        "name": "lillux-proc",
        "path": "lillux/proc",
        "backend": "maturin",
        "version": "0.1.1",
    }


def test_github_matrix_is_one_line_in_publish_order(seed: Path, run: Run) -> None:
    result = run("order", "--root", seed, "--format", "github")
    assert result.code == 0
    assert result.out.count("\n") == 1
    include = json.loads(result.out)["include"]
    assert [(p["name"], p["layer"]) for p in include] == [
        (name, number) for number, layer in enumerate(GUIDE_LAYERS, start=1) for name in layer
    ]
    assert include[2] == {
        "name": "lillux",
        "path": "lillux/kernel",
        "backend": "hatchling",
        "layer": 2,
    }


def test_group_restricts(seed: Path, run: Run) -> None:
    write(seed / "versync.toml", '[groups]\nlillux = ["lillux*"]\nryeos = ["ryeos*"]\n')
    result = run("order", "--root", seed, "--group", "ryeos")
    assert result.code == 0
    assert result.out.splitlines() == [
        "1  ryeos-engine",
        "2  ryeos-core",
        "3  ryeos",
        "4  ryeos-cli ryeos-code ryeos-mcp ryeos-web",
    ]
    assert run("order", "--root", seed, "--package", "lillux").out == "1  lillux\n"
    unknown = run("order", "--root", seed, "--group", "nope")
    assert (unknown.code, unknown.out) == (2, "")
    assert "no group 'nope'" in unknown.err


def test_mermaid_has_a_subgraph_per_layer_an_arrow_per_dependency_and_group_classes(
    seed: Path, run: Run
) -> None:
    write(seed / "versync.toml", '[groups]\nlillux = ["lillux*"]\nryeos = ["ryeos*"]\n')
    result = run("order", "--root", seed, "--format", "mermaid")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "flowchart TB"
    assert [line.strip() for line in lines if "subgraph" in line] == [
        f'subgraph layer{n}["Layer {n}"]' for n in range(1, 7)
    ]
    ids = {
        line.split('["')[1].split()[0]: line.strip().split("[")[0]
        for line in lines
        if line.startswith("    p")
    }
    arrows = {line.strip() for line in lines if "-->" in line}
    assert f"{ids['lillux-proc']} --> {ids['lillux']}" in arrows
    assert f"{ids['ryeos']} --> {ids['ryeos-web']}" in arrows
    assert len(arrows) == 8
    assert (
        "  class "
        + ",".join(ids[n] for n in ("lillux-proc", "lillux-watch", "lillux"))
        + " group_lillux"
        in lines
    )
    assert any(line.startswith("  classDef group_ryeos ") for line in lines)


def test_cycle_exits_2_naming_the_cycle(tmp_path: Path, run: Run) -> None:
    for name, needs in (("alpha", "beta"), ("beta", "alpha")):
        write(
            tmp_path / name / "pyproject.toml",
            f'[project]\nname = "{name}"\nversion = "1.0"\ndependencies = ["{needs}"]\n',
        )
    result = run("order", "--root", tmp_path)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("versync: dependency cycle: alpha -> beta -> alpha;")
    assert "Traceback" not in result.err


def test_help_says_extras_do_not_order(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["order", "--help"])
    assert exited.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "Optional dependencies (extras), [dev-dependencies] and dependency groups do not" in text
