"""The scan cache file: anything but what this build wrote is dropped whole, never trusted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from versync._fs import cache

BLOB = "0" * 39 + "1"
OTHER_BLOB = "f" * 40
STAMP = [10, 1_000, 1_000, 7]


def cache_file(tmp_path: Path) -> tuple[str, str]:
    root = tmp_path / "repo"
    root.mkdir(exist_ok=True)
    return str(tmp_path / "scan-cache.json"), str(root)


def write_lines(path: str, root: str, lines: list[str]) -> None:
    cache.write_payload(path, root, "\n".join(lines).encode("utf-8"))


def line(path: object, stamps: object, *records: str) -> str:
    return "\t".join([json.dumps([path, stamps], separators=(",", ":")), *records])


GOOD = line("a/pyproject.toml", [[STAMP, BLOB]], '"record a"')


def test_a_well_formed_cache_is_loaded_and_serves_by_stamp_or_blob(tmp_path: Path) -> None:
    path, root = cache_file(tmp_path)
    write_lines(path, root, [GOOD, line("b/Cargo.toml", [[None, OTHER_BLOB]], "[1,2]")])
    scan_cache = cache.ScanCache(path, root)
    assert set(scan_cache.entries) == {"a/pyproject.toml", "b/Cargo.toml"}
    assert scan_cache.get("a/pyproject.toml", (10, 1_000, 1_000, 7)) == (BLOB, "record a")
    assert scan_cache.get("a/pyproject.toml", (11, 1_000, 1_000, 7)) is None
    assert scan_cache.get("b/Cargo.toml", (3, 4, 5, 6), OTHER_BLOB) == (OTHER_BLOB, [1, 2])
    # Served by its blob id, the entry took the file's stamp: that alone serves it now.
    assert scan_cache.get("b/Cargo.toml", (3, 4, 5, 6)) == (OTHER_BLOB, [1, 2])
    assert scan_cache.get("b/Cargo.toml", (3, 4, 5, 99), BLOB) is None


@pytest.mark.parametrize(
    "bad",
    [
        "not json\t1",
        line(7, [[STAMP, BLOB]], "1"),
        json.dumps(["a"]) + "\t1",
        line("c", "not a list", "1"),
        line("c", [[STAMP, BLOB]], "1", "2"),
        line("c", [[STAMP, BLOB, "extra"]], "1"),
        line("c", [[STAMP, "not-a-blob-id"]], "1"),
        line("c", [[STAMP, "g" * 39]], "1"),
        line("c", [[[1, 2, 3], BLOB]], "1"),
        line("c", [[[1, 2, 3, True], BLOB]], "1"),
        line("c", [["1", BLOB]], "1"),
        '["c",[]],["d",[]]',
    ],
    ids=[
        "head-not-json",
        "path-not-a-string",
        "head-not-a-pair",
        "stamps-not-a-list",
        "more-records-than-stamps",
        "entry-not-a-pair",
        "blob-id-not-hex",
        "blob-id-wrong-length",
        "stamp-of-three",
        "stamp-with-a-bool",
        "stamp-a-string",
        "two-heads-on-one-line",
    ],
)
def test_one_malformed_line_drops_the_whole_cache(tmp_path: Path, bad: str) -> None:
    path, root = cache_file(tmp_path)
    write_lines(path, root, [GOOD, bad])
    assert cache.ScanCache(path, root).entries == {}
    write_lines(path, root, [GOOD])  # the control: the good line alone is kept
    assert set(cache.ScanCache(path, root).entries) == {"a/pyproject.toml"}


def test_a_cache_that_is_not_utf8_is_dropped(tmp_path: Path) -> None:
    path, root = cache_file(tmp_path)
    cache.write_payload(path, root, GOOD.encode() + b"\n\xff\xfe")
    assert cache.ScanCache(path, root).entries == {}


def test_a_cache_over_the_size_limit_is_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, root = cache_file(tmp_path)
    write_lines(path, root, [GOOD])
    cache.store(path + ".verdict", root, {"k": [1, 2]})
    assert cache.load(path + ".verdict", root) == {"k": [1, 2]}
    sizes = [Path(p).stat().st_size for p in (path, path + ".verdict")]
    monkeypatch.setattr(cache, "_MAX_CACHE_BYTES", min(sizes) - 1)
    assert cache.ScanCache(path, root).entries == {}
    assert cache.load(path + ".verdict", root) is None


def test_a_cache_stored_under_a_key_is_loaded_only_for_that_key(tmp_path: Path) -> None:
    path, root = cache_file(tmp_path)
    cache.store(path, root, {"k": [1, 2]}, "a" * 40)
    assert cache.load(path, root, "a" * 40) == {"k": [1, 2]}
    assert cache.load(path, root, "b" * 40) is None
    assert cache.load(path, root) is None
    cache.store(path, root, {"k": [3]})
    assert cache.load(path, root) == {"k": [3]}
    assert cache.load(path, root, "a" * 40) is None


def test_a_cache_for_another_root_is_ignored(tmp_path: Path) -> None:
    path, root = cache_file(tmp_path)
    write_lines(path, root, [GOOD])
    assert cache.ScanCache(path, str(tmp_path)).entries == {}


def test_a_record_that_does_not_decode_is_not_served_and_others_still_are(
    tmp_path: Path,
) -> None:
    path, root = cache_file(tmp_path)
    broken = line("b/Cargo.toml", [[STAMP, OTHER_BLOB]], '{"$":"NoSuchRecord"}')
    write_lines(path, root, [GOOD, broken])
    scan_cache = cache.ScanCache(path, root)
    assert scan_cache.get("b/Cargo.toml", (10, 1_000, 1_000, 7)) is None
    assert scan_cache.get("a/pyproject.toml", (10, 1_000, 1_000, 7)) == (BLOB, "record a")


def test_a_record_that_is_two_values_does_not_shift_the_others(tmp_path: Path) -> None:
    # Decoded together, "1,2" would pair the next path with a record not its own.
    path, root = cache_file(tmp_path)
    write_lines(path, root, [line("b/Cargo.toml", [[STAMP, OTHER_BLOB]], "1,2"), GOOD])
    scan_cache = cache.ScanCache(path, root)
    assert scan_cache.get("a/pyproject.toml", (10, 1_000, 1_000, 7)) == (BLOB, "record a")
    assert scan_cache.get("b/Cargo.toml", (10, 1_000, 1_000, 7)) is None


def test_a_record_that_cannot_be_encoded_is_left_out_of_the_saved_cache(
    tmp_path: Path,
) -> None:
    path, root = cache_file(tmp_path)
    write_lines(path, root, [])  # not the first run: this one keeps its records
    scan_cache = cache.ScanCache(path, root)
    scan_cache.put("a/pyproject.toml", (10, 1_000, 1_000, 7), BLOB, "record a")
    scan_cache.put("b/Cargo.toml", (10, 1_000, 1_000, 7), OTHER_BLOB, object())
    scan_cache.save({"a/pyproject.toml", "b/Cargo.toml"})
    reloaded = cache.ScanCache(path, root)
    assert set(reloaded.entries) == {"a/pyproject.toml"}
    assert reloaded.get("a/pyproject.toml", (10, 1_000, 1_000, 7)) == (BLOB, "record a")


def test_paths_not_seen_are_dropped_on_save(tmp_path: Path) -> None:
    path, root = cache_file(tmp_path)
    write_lines(path, root, [GOOD, line("b/Cargo.toml", [[STAMP, OTHER_BLOB]], "2")])
    cache.ScanCache(path, root).save({"b/Cargo.toml"})
    assert set(cache.ScanCache(path, root).entries) == {"b/Cargo.toml"}


def test_store_of_something_not_cacheable_writes_nothing(tmp_path: Path) -> None:
    path, root = cache_file(tmp_path)
    cache.store(path, root, {"value": object()})
    assert not Path(path).exists()
    assert cache.load(path, root) is None


def test_a_payload_that_is_not_a_document_loads_as_nothing(tmp_path: Path) -> None:
    path, root = cache_file(tmp_path)
    cache.write_payload(path, root, b"{not json")
    assert Path(path).exists()
    assert cache.load(path, root) is None
