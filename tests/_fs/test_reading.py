from __future__ import annotations

import os
from pathlib import Path

import pytest

from versync._fs import reading
from versync._fs.reading import (
    Confinement,
    Resolver,
    check_size,
    listed_file_stamps,
    resolve_inside,
)
from versync.errors import InputError, OutsideRoot


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "repo/pkg/src").mkdir(parents=True)
    (tmp_path / "repo/pkg/src/v.py").write_text("v = '1'\n")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside/v.py").write_text("v = '9'\n")
    return tmp_path / "repo"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        pytest.param("/etc/passwd", "an absolute path", id="absolute"),
        pytest.param("..", "outside the repository root", id="parent"),
        pytest.param("pkg/../../outside/v.py", "outside the repository root", id="climbs-out"),
        pytest.param("pkg/out.py", "outside the repository root", id="file-symlinked-out"),
        pytest.param("pkg/fifo", "a special file", id="fifo"),
    ],
)
def test_paths_that_do_not_resolve_to_a_file_inside_are_refused(
    root: Path, path: str, reason: str
) -> None:
    (root / "pkg/out.py").symlink_to(root.parent / "outside/v.py")
    os.mkfifo(root / "pkg/fifo")
    with pytest.raises(OutsideRoot, match=reason) as raised:
        resolve_inside(str(root), path)
    assert raised.value.path == path


def test_paths_that_stay_inside_resolve_to_their_real_file(root: Path) -> None:
    (root / "pkg/link.py").symlink_to(root / "pkg/src/v.py")
    assert resolve_inside(str(root), "pkg/link.py") == "pkg/src/v.py"
    assert resolve_inside(str(root), "pkg/src/../src/v.py") == "pkg/src/v.py"
    assert resolve_inside(str(root), "pkg/missing.py") is None


def test_one_resolver_answers_as_resolve_inside_for_every_path(root: Path) -> None:
    (root / "pkg/link.py").symlink_to(root / "pkg/src/v.py")
    (root / "in").symlink_to(root / "pkg/src")
    (root / "out").symlink_to(root.parent / "outside")
    (root / "pkg/deep").symlink_to(root / "out")  # a link to a link that leads out
    resolver = Resolver(str(root))
    paths = [
        "pkg/src/v.py", "pkg/link.py", "in/v.py", "in/../pkg/src/v.py", "out/v.py",
        "pkg/deep/v.py", "pkg/src/missing.py", "missing/v.py", "in/v.py", "out/v.py",
    ]  # fmt: skip
    for path in paths:  # each folder is resolved once, then reused for the later paths
        try:
            expected: object = resolve_inside(str(root), path)
        except OutsideRoot as exc:
            expected = str(exc)
        try:
            found: object = resolver.inside(path)
        except OutsideRoot as exc:
            found = str(exc)
        assert found == expected, path
    assert resolver.inside("in/v.py") == "pkg/src/v.py"
    with pytest.raises(OutsideRoot, match="outside the repository root"):
        resolver.inside("pkg/deep/v.py")


@pytest.mark.parametrize("by_descriptor", [True, False], ids=["by-descriptor", "by-path"])
def test_listed_files_in_a_folder_symlinked_outside_are_not_stamped(
    root: Path, monkeypatch: pytest.MonkeyPatch, by_descriptor: bool
) -> None:
    if not by_descriptor:
        monkeypatch.setattr(reading, "_open_folder", lambda folder: None)
    (root / "linked").symlink_to(root.parent / "outside")
    (root / "inside-link").symlink_to(root / "pkg")
    (root / "pkg/link.py").symlink_to(root / "pkg/src/v.py")
    (root / "pkg/src/sub").mkdir()
    listed = [
        "pkg/src/v.py", "linked/v.py", "inside-link/src/v.py", "pkg/link.py", "pkg/gone.py",
        "pkg/src/sub", "linked/deeper/v.py",
    ]  # fmt: skip
    stamps = listed_file_stamps(str(root), listed)
    assert sorted(stamps) == ["inside-link/src/v.py", "pkg/src/v.py"]
    info = os.stat(root / "pkg/src/v.py")
    assert stamps["pkg/src/v.py"] == (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    confinement = Confinement(str(root))
    assert confinement.problem("linked/v.py") == (
        f"linked is a symlink to {root.parent / 'outside'}, outside the repository root; "
        "it is not read"
    )
    assert confinement.problem("pkg/src/v.py") is None


def test_a_file_over_the_limit_is_an_input_error() -> None:
    check_size("a/pyproject.toml", 10, 10)
    with pytest.raises(InputError, match=r"a/pyproject.toml:1:1: file too large to read \(11 by"):
        check_size("a/pyproject.toml", 11, 10)
