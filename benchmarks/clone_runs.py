"""The first runs in a fresh clone: what the first `versync check` costs, and what the first
check after an edit, or a bump after the first check, costs next (the first run keeps no
parsed records, so those parse every manifest again).

    python benchmarks/clone_runs.py REPO [--rounds 7] [--other-versync PATH]

REPO is a git repository to clone (for example one made by `generate.py`). Each round clones
it, runs `versync check` (first), appends a comment to the root `pyproject.toml`, runs it
again (first edit) and once more (nothing changed); then, in a second clone, runs
`versync check` and `versync bump 0.1.2` (a release job). With `--other-versync PATH` (a
checkout of another revision of versync) each round runs that revision too, on its own
clones, through `PYTHONPATH`: the two orders of costs side by side. Prints the medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STEPS = ("first run", "first edit", "nothing changed", "bump after the first run")


def check(source: str, clone: Path, *command: str) -> float:
    """Seconds taken by `versync check` (or `command`; from the versync at `source`) in
    `clone`."""
    env = dict(os.environ, PYTHONPATH=source)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "versync", *(command or ("check",))],
        cwd=clone,
        env=env,
        stdout=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - start


def fresh_clone(repo: Path, clone: Path) -> None:
    shutil.rmtree(clone, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)


def one_round(repo: Path, source: str, clone: Path) -> list[float]:
    """The steps' times in fresh clones of `repo`."""
    fresh_clone(repo, clone)
    first = check(source, clone)
    with open(clone / "pyproject.toml", "a", encoding="utf-8") as handle:
        handle.write("# edited\n")
    times = [first, check(source, clone), check(source, clone)]
    fresh_clone(repo, clone)
    check(source, clone)
    return [*times, check(source, clone, "bump", "0.1.2")]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--other-versync", type=Path)
    args = parser.parse_args()
    sources = {"this tree": str(HERE.parent)}
    if args.other_versync is not None:
        sources["other"] = str(args.other_versync.resolve())
    samples: dict[str, list[list[float]]] = {name: [] for name in sources}
    with tempfile.TemporaryDirectory() as scratch:
        for _ in range(args.rounds):
            for name, source in sources.items():
                samples[name].append(one_round(args.repo, source, Path(scratch) / "clone"))
    print("| versync | " + " | ".join(STEPS) + " | first two together |")
    print("|---|" + "---|" * (len(STEPS) + 1))
    for name, rounds in samples.items():
        medians = [statistics.median(r[step] for r in rounds) for step in range(len(STEPS))]
        together = statistics.median(r[0] + r[1] for r in rounds)
        cells = " | ".join(f"{m:.3f} s" for m in medians)
        print(f"| {name} | {cells} | {together:.3f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
