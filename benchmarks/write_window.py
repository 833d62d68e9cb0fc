"""The window a write leaves open: how long between versync's last check of a file and its
write, on a generated monorepo (see `versync/change/write.py`).

    python benchmarks/write_window.py [--packages 1000] [--rounds 3]

Files have no compare-and-swap: an editor that writes a file after versync verified it and
before versync writes it is not seen. This measures that time, per file, for both paths:

- in place (0.1.1 to 0.1.2): from the end of the verification (`fstat`, and the read of the
  bytes through the same descriptor when the stamp proves nothing) to the `pwrite`;
- temporary file and rename (0.1.1 to 0.1.10): from the last check that the path still names
  the verified file to the `rename`. An editor writing into the old file during the whole
  temporary-file step is caught afterwards (the old file is read again and given back).

It prints the median, 99th percentile and maximum in microseconds, with and without the
byte comparison (a stamp older than the scan proves the content; a file changed within the
last two seconds is compared byte for byte).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import versync  # noqa: E402
from benchmarks.generate import generate  # noqa: E402
from versync._fs import cache  # noqa: E402
from versync.change import write  # noqa: E402


class Clock:
    """Times from the last verification of a file to the write that follows it."""

    def __init__(self) -> None:
        self.verified_at = 0
        self.windows: list[int] = []

    def verified(self, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any) -> Any:
            result = function(*args)
            self.verified_at = time.perf_counter_ns()
            return result

        return timed

    def writes(self, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any) -> Any:
            if self.verified_at:
                self.windows.append(time.perf_counter_ns() - self.verified_at)
                self.verified_at = 0
            return function(*args)

        return timed


def measure(root: Path, version: str, racy: bool) -> list[int]:
    """The windows of one bump of the repository at `root` to `version`."""
    clock = Clock()
    saved = (write._verified, write._still_named, os.pwrite, os.replace, cache._RACY_NS)
    cache._RACY_NS = 10**18 if racy else 0  # racy: every file compared byte for byte
    plan = versync.scan(root).bump(version)
    write._verified = clock.verified(write._verified)
    write._still_named = clock.verified(write._still_named)
    os.pwrite = clock.writes(os.pwrite)
    os.replace = clock.writes(os.replace)
    try:
        plan.apply()
    finally:
        write._verified, write._still_named, os.pwrite, os.replace, cache._RACY_NS = saved
    return clock.windows


def summary(name: str, windows: list[int]) -> str:
    ordered = sorted(windows)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"{name:<44} files {len(ordered):>5}  median {statistics.median(ordered) / 1000:6.1f} µs"
        f"  p99 {p99 / 1000:6.1f} µs  max {ordered[-1] / 1000:7.1f} µs"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, {args.packages} packages")
    with tempfile.TemporaryDirectory() as folder:
        root = generate(Path(folder) / "repo", args.packages)
        results: dict[str, list[int]] = {}
        for round_ in range(args.rounds):
            for racy in (False, True):
                for version, path in (("0.1.2", "in place"), ("0.1.10", "temporary file + rename")):
                    name = f"{path}, {'bytes compared' if racy else 'stamp proves content'}"
                    results.setdefault(name, []).extend(measure(root, version, racy))
                    versync.scan(root).bump("0.1.1", allow_downgrade=True).apply()
            print(f"round {round_ + 1} done", file=sys.stderr)
        for name, windows in results.items():
            print(summary(name, windows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
