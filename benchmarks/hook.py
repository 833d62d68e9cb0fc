"""How long the pre-commit hook's `versync check` takes on the release guide's monorepo,
against the floor of any Python tool that reads TOML: `python -c "import tomllib"`.

    python benchmarks/hook.py [--rounds 31]

The two commands run interleaved (floor, check, floor, check, ...) after warm-up rounds, so
both see the same machine state; the script prints both medians, the ratio of the medians and
the median of the paired ratios. Target: at most 2.5x the floor.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.seedrepo import write_seed  # noqa: E402


def timed(command: Sequence[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {result.returncode}")
    return elapsed


def versync_command() -> list[str]:
    script = Path(sys.executable).with_name("versync")
    return [str(script), "check"] if script.exists() else [sys.executable, "-m", "versync", "check"]


def make_repository(root: Path) -> Path:
    write_seed(root)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "seed"], cwd=root, check=True)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=31)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args(argv)
    # An installed package carries compiled bytecode; make the checkout's match it.
    compileall.compile_dir(str(HERE.parent / "versync"), quiet=1)
    floor = [sys.executable, "-c", "import tomllib"]
    check = versync_command()
    with tempfile.TemporaryDirectory() as folder:
        repo = make_repository(Path(folder) / "seed")
        pairs = []
        for round_ in range(args.warmup + args.rounds):
            pair = (timed(floor, repo), timed(check, repo))
            if round_ >= args.warmup:
                pairs.append(pair)
    floor_median = statistics.median(p[0] for p in pairs)
    check_median = statistics.median(p[1] for p in pairs)
    paired = statistics.median(p[1] / p[0] for p in pairs)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {args.rounds} rounds")
    print(f"floor  {' '.join(floor)!r:40} median {floor_median * 1000:6.1f} ms")
    print(f"check  {' '.join(check)!r:40} median {check_median * 1000:6.1f} ms")
    print(
        f"ratio of medians {check_median / floor_median:.2f}x, median paired ratio {paired:.2f}x "
        "(target <= 2.5x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
