"""The public API: what `help(versync)` shows, docstrings, reprs, errors, and the examples of
the module docstring and of docs/api.md, run as doctests."""

from __future__ import annotations

import doctest
import inspect
import pydoc
from pathlib import Path

import pytest
from packaging.version import InvalidVersion, Version

import versync
from tests.conftest import write

DOCS = Path(__file__).resolve().parent.parent / "docs" / "api.md"
HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
MATURIN = '[build-system]\nrequires = ["maturin>=1,<2"]\nbuild-backend = "maturin"\n'


def _doctest(text: str, name: str, root: Path) -> doctest.TestResults:
    parser = doctest.DocTestParser()
    test = parser.get_doctest(text, {"root": str(root)}, name, name, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    return runner.summarize(verbose=False)


def test_the_module_docstring_example_runs(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "demo"\nversion = "0.1.0"\n' + HATCH)
    results = _doctest(versync.__doc__ or "", "versync", tmp_path)
    assert results.attempted >= 6 and results.failed == 0


def test_the_api_page_examples_run(tmp_path: Path) -> None:
    write(tmp_path / "demo/pyproject.toml", '[project]\nname = "demo"\nversion = "0.1.0"\n' + HATCH)
    write(
        tmp_path / "core/pyproject.toml",
        '[project]\nname = "demo-core"\nversion = "0.1.0"\n' + MATURIN,
    )
    write(tmp_path / "core/Cargo.toml", '[package]\nname = "demo-core"\nversion = "0.1.0"\n')
    write(tmp_path / "versync.toml", '[groups]\ndemo = ["demo*"]\n')
    results = _doctest(DOCS.read_text(encoding="utf-8"), "docs/api.md", tmp_path)
    assert results.attempted >= 15 and results.failed == 0


def test_help_shows_the_docstring_and_every_public_name() -> None:
    text = pydoc.render_doc(versync, renderer=pydoc.plaintext)  # type: ignore[attr-defined]
    assert ">>> workspace = versync.scan(root)" in text
    for name in versync.__all__:
        assert name in text or name == "__version__"
    assert dir(versync) == versync.__all__


def _public_callables() -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for name in versync.__all__:
        value = getattr(versync, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            found.append((name, value))
        if inspect.isclass(value):
            found += [
                (f"{name}.{attr}", member)
                for attr, member in vars(value).items()
                if not attr.startswith("_") and (callable(member) or isinstance(member, property))
            ]
    return found


@pytest.mark.parametrize(
    ("name", "value"), _public_callables(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_public_name_has_a_docstring(name: str, value: object) -> None:
    assert (inspect.getdoc(value) or "").strip(), f"{name} has no docstring"


def test_reprs_fit_on_a_line_and_name_what_they_are(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "demo"\nversion = "0.1.0"\n' + HATCH)
    workspace = versync.scan(tmp_path)
    package = workspace.packages[0]
    plan = workspace.bump("0.2.0")
    shown = [repr(workspace), repr(package), repr(package.sources[0]), repr(plan)]
    assert shown == [
        f"Workspace({str(tmp_path)!r}: 1 package, 0 groups)",
        "Package(demo 0.1.0 at '.', hatchling)",
        "VersionSource(pyproject '0.1.0' at pyproject.toml:3)",
        "Plan(1 files: pyproject.toml)",
    ]
    drift = versync.scan(tmp_path).check(expect="0.3.0")
    assert [repr(f) for f in drift] == ["Finding(tag-mismatch at pyproject.toml:3:12: demo)"]


@pytest.mark.parametrize(
    "version",
    [
        pytest.param("0.2.0", id="a-string"),
        pytest.param(Version("0.2.0"), id="a-packaging-version"),
        pytest.param("minor", id="minor"),
    ],
)
def test_bump_takes_a_string_a_version_or_a_part(tmp_path: Path, version: str | Version) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "demo"\nversion = "0.1.0"\n' + HATCH)
    plan = versync.scan(tmp_path).bump(version)
    assert [change.new.count(b'version = "0.2.0"') for change in plan.files] == [1]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        pytest.param(lambda w: w.bump("0.2", group="x", package="y"), TypeError, "not both", id="group-and-package"),
        pytest.param(lambda w: w.bump("banana"), versync.VersionError, "'banana' is not a valid PEP 440", id="bad-version"),
        pytest.param(lambda w: w.bump("0.2", pre="gamma"), versync.UsageError, "pre must be one of", id="bad-pre"),
        pytest.param(lambda w: w.bump("0.2", pre="rc"), versync.UsageError, "pre goes with", id="pre-with-version"),
        pytest.param(lambda w: w.check(expect="banana"), versync.VersionError, "banana", id="expect-banana"),
        pytest.param(lambda w: w.bump("0.2", group="nope"), versync.UsageError, "no group 'nope'", id="unknown-group"),
    ],
)  # fmt: skip
def test_bad_values_are_value_errors_never_packaging_errors(
    tmp_path: Path, call: object, error: type[Exception], message: str
) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "demo"\nversion = "0.1.0"\n' + HATCH)
    workspace = versync.scan(tmp_path)
    with pytest.raises(error, match=message) as raised:
        call(workspace)  # type: ignore[operator]
    assert isinstance(raised.value, ValueError | TypeError)
    assert not isinstance(raised.value, InvalidVersion)


def test_records_are_frozen_and_keyword_only() -> None:
    span = versync.Span(file="a", line=1, column=2, start=3, end=4, text="1")
    with pytest.raises(AttributeError, match="frozen"):
        span.text = "2"  # type: ignore[misc]
    with pytest.raises(TypeError):
        versync.Span("a", 1, 2, 3, 4, "1")  # type: ignore[call-arg]
    assert span == versync.Span(file="a", line=1, column=2, start=3, end=4, text="1")
    assert len({span, versync.Span(file="a", line=1, column=2, start=3, end=4, text="1")}) == 1
