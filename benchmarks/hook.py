"""How long the pre-commit hook's `versync check` takes on the release guide's monorepo,
against the floor of any Python tool that reads TOML: `python -c "import tomllib"`.

    python benchmarks/hook.py [--rounds 31]

Four commands run interleaved (floor, cold, touched, warm, floor, ...) after warm-up rounds,
so all see the same machine state:

- cold: `VERSYNC_NO_CACHE=1 versync check`, every file parsed;
- touched: `versync check` right after a version file's times changed (what the hook sees when
  a commit stages a version file): the verdict no longer holds, the scan cache serves the
  other files;
- warm: `versync check` with nothing changed since the last run: the stored verdict answers.

It prints the medians and, for each, the median of the paired ratios to the floor.
Targets: touched and warm at most 1.6x the floor (a warm run imports no TOML parser at all);
cold is shown for information.
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


def timed(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        command, cwd=cwd, stdout=subprocess.DEVNULL, check=False, env={**os.environ, **(env or {})}
    )
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
    samples: dict[str, list[float]] = {name: [] for name in ("floor", "cold", "touched", "warm")}
    with tempfile.TemporaryDirectory() as folder:
        repo = make_repository(Path(folder) / "seed")
        time.sleep(2.1)  # the caches keep nothing written in the last two seconds
        touched = repo / "ryeos-cli" / "pyproject.toml"
        for round_ in range(args.warmup + args.rounds):
            times = {
                "floor": timed(floor, repo),
                "cold": timed(check, repo, {"VERSYNC_NO_CACHE": "1"}),
            }
            os.utime(touched)
            times["touched"] = timed(check, repo)
            times["warm"] = timed(check, repo)
            if round_ >= args.warmup:
                for name, seconds in times.items():
                    samples[name].append(seconds)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {args.rounds} rounds")
    floor_median = statistics.median(samples["floor"]) * 1000
    print(f"floor    {' '.join(floor)!r:44} median {floor_median:6.1f} ms")
    targets = {"cold": "for information", "touched": "target <= 1.6x", "warm": "target <= 1.6x"}
    for name, target in targets.items():
        paired = statistics.median(
            seconds / base for seconds, base in zip(samples[name], samples["floor"], strict=True)
        )
        median = statistics.median(samples[name]) * 1000
        print(
            f"{name:8} {' '.join(check)!r:44} median {median:6.1f} ms, "
            f"{paired:.2f}x the floor (paired median; {target})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
