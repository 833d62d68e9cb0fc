"""Where a cold `versync check` spends its time, phase by phase, in one process.

    python benchmarks/breakdown.py REPO [--rounds 5]

Runs the check of `REPO` in-process with the caches off (`VERSYNC_NO_CACHE=1`), timing each
phase of the scan with wrappers (medians over the rounds), then times the parts of reading a
manifest on their own: the TOML parse, the span scanner, and the rest of the readers. The
sum of the parts a check cannot skip is what any design that parses every manifest and
locates its version strings pays; the report sets it beside the "list + read + parse" floor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PHASES = (
    # A first run takes the tracked files first, then the rest (`versync.scanning`).
    ("listing", "versync._fs.listing", "Listing", "tracked_paths"),
    ("listing", "versync._fs.listing", "Listing", "paths"),
    ("stamps", "versync._fs.reading", None, "listed_file_stamps"),
    ("read + parse + spans + records", "versync.scanning", "Inputs", "read_many"),
    ("model", "versync.workspace", None, "build"),
    ("history (groups inferred)", "versync.history", None, "with_history"),
    ("rules", "versync.rules", None, "check"),
)


def timed_phases(rounds: int) -> dict[str, list[float]]:
    """Each phase's seconds in each of `rounds` in-process cold checks of the current folder."""
    import importlib

    from versync._fs import listing as listing_module
    from versync.verdict import check_listed

    spent: dict[str, list[float]] = {name: [] for name, *_ in PHASES}
    spent["whole check"] = []
    current: dict[str, float] = {}

    def wrap(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                current[name] = current.get(name, 0.0) + time.perf_counter() - start

        return timed

    for name, module_name, owner, attribute in PHASES:
        module = importlib.import_module(module_name)
        holder = getattr(module, owner) if owner else module
        setattr(holder, attribute, wrap(name, getattr(holder, attribute)))
    for _ in range(rounds):
        current.clear()
        start = time.perf_counter()
        check_listed(listing_module.for_root(None))
        current["whole check"] = time.perf_counter() - start
        for name, seconds in spent.items():
            seconds.append(current.get(name, 0.0))
    return spent


def timed_parts(rounds: int) -> dict[str, list[float]]:
    """The parts of reading every TOML manifest, each on its own: read, parse, spans, readers."""
    from versync._fs.listing import for_root
    from versync.formats import manifest_names, read_manifest
    from versync.syntax.toml import parser
    from versync.syntax.tomlspan import string_spans

    paths = for_root(None).paths(manifest_names())
    toml_paths = [p for p in paths if p.endswith((".toml", ".lock"))]
    loads, _ = parser()
    from versync.syntax import tomlspan

    spent: dict[str, list[float]] = {
        "read every manifest": [],
        "parse (TOML)": [],
        "span scanner (TOML), every document": [],
        "readers (whole, every manifest)": [],
        SCANNED: [],
    }
    scanned: list[float] = []

    def timed_scan(text: str) -> Any:
        start = time.perf_counter()
        try:
            return string_spans(text)
        finally:
            scanned.append(time.perf_counter() - start)

    tomlspan.string_spans = timed_scan  # as the readers call it: only where a span needs it
    for _ in range(rounds):
        start = time.perf_counter()
        texts = {}
        for path in paths:
            with open(path, "rb") as handle:
                texts[path] = handle.read().decode("utf-8")
        spent["read every manifest"].append(time.perf_counter() - start)
        start = time.perf_counter()
        for path in toml_paths:
            loads(texts[path])
        spent["parse (TOML)"].append(time.perf_counter() - start)
        start = time.perf_counter()
        for path in toml_paths:
            string_spans(texts[path])
        spent["span scanner (TOML), every document"].append(time.perf_counter() - start)
        scanned.clear()
        start = time.perf_counter()
        for path in paths:
            read_manifest(path, texts[path])
        spent["readers (whole, every manifest)"].append(time.perf_counter() - start)
        spent[SCANNED].append(sum(scanned))
    tomlspan.string_spans = string_spans
    print(f"the readers scanned {len(scanned)} of {len(toml_paths)} TOML documents for spans")
    return spent


SCANNED = "span scanner, as the readers call it"


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("repo")
    arguments.add_argument("--rounds", type=int, default=5)
    options = arguments.parse_args()
    os.chdir(options.repo)
    os.environ["VERSYNC_NO_CACHE"] = "1"
    import gc

    gc.set_threshold(50_000, 10, 10)  # as the command line sets it
    parts = timed_parts(options.rounds)
    phases = timed_phases(options.rounds)
    print(f"{options.repo}: medians of {options.rounds} rounds, in-process (no interpreter start)")
    print()
    print("| phase of a cold check | seconds |")
    print("|---|---|")
    for name, seconds in phases.items():
        print(f"| {name} | {statistics.median(seconds):.3f} |")
    print()
    print("| part of reading the manifests, alone | seconds |")
    print("|---|---|")
    for name, seconds in parts.items():
        print(f"| {name} | {statistics.median(seconds):.3f} |")
    median = {name: statistics.median(s) for name, s in {**phases, **parts}.items()}
    rest = median["readers (whole, every manifest)"] - median["parse (TOML)"] - median[SCANNED]
    print(f"| readers, less parse and spans (records) | {rest:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
