"""versync against its peers on the same generated monorepos.

    python benchmarks/run.py [--sizes 10,100,1000] [--rounds 5]

For each size N it generates a monorepo (benchmarks/generate.py), configures bumpver, tbump and
bump-my-version to rewrite every version in it (benchmarks/peers.py; they are installed from
PyPI into benchmarks/.venv, not into the project), and times whole processes, interleaved: each
round runs every task once, in the same order, after one warm-up round; the table shows medians.

- Floors: `python -c pass` and `python -c "import tomllib"` (any Python tool that reads TOML).
- `versync check`, cold (`VERSYNC_NO_CACHE=1`) and warm (scan cache filled by an earlier run).
- `tbump --dry-run` (reads its config and globs the files; opens none).
- Bumps to 0.1.2: versync (warm and cold), bumpver, tbump, bump-my-version. Each starts from a
  tree reset with `git reset --hard`; only the tool's own process is timed, so the figures are
  net of the reset (whose cost is shown on its own row). After the first round the script
  checks that each tool really rewrote every version file.

Peak memory is each process's maximum resident set (`wait4`), median over rounds.
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
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks import peers  # noqa: E402
from benchmarks.generate import generate  # noqa: E402

PEER_VENV = HERE / ".venv"
# Files written by a reset are "racy" for the scan cache for two seconds (see versync/cache.py).
RACY_SECONDS = 2.1


class Sample:
    def __init__(self) -> None:
        self.seconds: list[float] = []
        self.peak_kib: list[int] = []

    def median(self) -> float:
        return statistics.median(self.seconds)


def run_timed(
    command: Sequence[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, int, int]:
    """Wall time, peak RSS (KiB) and exit code of one process."""
    start = time.perf_counter()
    pid = _spawn_in(cwd, command, env)
    _, status, usage = os.wait4(pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def _spawn_in(cwd: Path, command: Sequence[str], env: dict[str, str] | None) -> int:
    """posix_spawn has no working-directory argument before Python 3.13: fork and exec."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.chdir(cwd)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            os.execvpe(command[0], list(command), {**os.environ, **(env or {})})
        finally:
            os._exit(127)
    return pid


def ensure_peers() -> Path:
    bin_dir = PEER_VENV / "bin"
    if not (bin_dir / "tbump").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(bin_dir / "pip"), "install", "-q", *peers.PINNED], check=True)
    return bin_dir


def prepare(root: Path, size: int) -> Path:
    repo = generate(root / f"n{size}", size)
    peers.write_configs(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "peer configurations")
    return repo


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", *args],
        cwd=repo,
        check=True,
    )


def version_files(repo: Path) -> list[Path]:
    return [p for glob, _ in peers.TARGETS for p in repo.glob(glob)]


def count_bumped(repo: Path) -> tuple[int, int]:
    files = version_files(repo)
    return sum('"0.1.2"' in p.read_text() for p in files), len(files)


def measure(
    size: int, repo: Path, bin_dir: Path, rounds: int
) -> tuple[dict[str, Sample], dict[str, str]]:
    versync = [str(Path(sys.executable).with_name("versync"))]
    cold = {"VERSYNC_NO_CACHE": "1"}
    samples: dict[str, Sample] = {}
    coverage: dict[str, str] = {}

    def timed(
        task: str, command: Sequence[str], env: dict[str, str] | None = None, keep: bool = True
    ) -> None:
        seconds, peak, code = run_timed(command, repo, env)
        if code not in (0, 1):
            raise SystemExit(f"{task} failed with exit code {code} at N={size}")
        if keep:
            sample = samples.setdefault(task, Sample())
            sample.seconds.append(seconds)
            sample.peak_kib.append(peak)

    def reset_then(
        task: str, command: Sequence[str], env: dict[str, str] | None, keep: bool, first: bool
    ) -> None:
        timed("reset (git reset --hard)", ["git", "reset", "-q", "--hard"], keep=keep)
        timed(task, command, env, keep)
        if first:
            bumped, total = count_bumped(repo)
            coverage[task] = f"{bumped}/{total}"

    def prime_cache() -> None:
        subprocess.run(["git", "reset", "-q", "--hard"], cwd=repo, check=True)
        time.sleep(RACY_SECONDS)
        run_timed([*versync, "check"], repo)

    prime_cache()
    for round_ in range(rounds + 1):
        keep = round_ > 0
        timed("python -c pass", [sys.executable, "-c", "pass"], keep=keep)
        timed(
            'python -c "import tomllib" (floor)',
            [sys.executable, "-c", "import tomllib"],
            keep=keep,
        )
        timed("versync check (cold)", [*versync, "check"], cold, keep)
        timed("versync check (warm cache)", [*versync, "check"], keep=keep)
        os.utime(repo / "pyproject.toml")  # what a hook run sees: a version file was touched
        timed("versync check (warm, one file touched)", [*versync, "check"], keep=keep)
        timed("tbump --dry-run", peers.tbump_dry_run(bin_dir, "0.1.2"), keep=keep)
        timed("bump: versync (warm cache)", [*versync, "bump", "0.1.2"], keep=keep)
        if round_ == 0:
            coverage["bump: versync (warm cache)"] = "{}/{}".format(*count_bumped(repo))
        reset_then("bump: versync (cold)", [*versync, "bump", "0.1.2"], cold, keep, round_ == 0)
        for name, command in peers.commands(bin_dir, "0.1.2").items():
            reset_then(f"bump: {name}", command, None, keep, round_ == 0)
        prime_cache()
    return samples, coverage


ROW_ORDER = (
    "python -c pass",
    'python -c "import tomllib" (floor)',
    "versync check (cold)",
    "versync check (warm cache)",
    "versync check (warm, one file touched)",
    "tbump --dry-run",
    "bump: versync (warm cache)",
    "bump: versync (cold)",
    "bump: bumpver",
    "bump: tbump",
    "bump: bump-my-version",
    "reset (git reset --hard)",
)


def table(results: dict[int, dict[str, Sample]]) -> str:
    sizes = sorted(results)
    largest = sizes[-1]
    lines = [
        "| task | " + " | ".join(f"N={n}" for n in sizes) + f" | peak RSS at N={largest} |",
        "|---|" + "---|" * (len(sizes) + 1),
    ]
    for task in ROW_ORDER:
        cells = [f"{results[n][task].median():.3f} s" for n in sizes]
        peak = statistics.median(results[largest][task].peak_kib) / 1024
        lines.append(f"| {task} | " + " | ".join(cells) + f" | {peak:.1f} MiB |")
    lines += ratio_rows(results, sizes)
    return "\n".join(lines)


def ratio_rows(results: dict[int, dict[str, Sample]], sizes: list[int]) -> list[str]:
    def ratio(n: int, top: str, bottom: str) -> str:
        pairs = zip(results[n][top].seconds, results[n][bottom].seconds, strict=True)
        return f"{statistics.median(a / b for a, b in pairs):.2f}x"

    def fastest_peer(n: int) -> str:
        return min(
            ("bump: bumpver", "bump: tbump", "bump: bump-my-version"),
            key=lambda t: results[n][t].median(),
        )

    rows: list[tuple[str, Callable[[int], str]]] = [
        (
            "versync check (cold) / floor",
            lambda n: ratio(n, "versync check (cold)", 'python -c "import tomllib" (floor)'),
        ),
        (
            "tbump --dry-run / versync check (warm)",
            lambda n: ratio(n, "tbump --dry-run", "versync check (warm cache)"),
        ),
        (
            "tbump --dry-run / versync check (one file touched)",
            lambda n: ratio(n, "tbump --dry-run", "versync check (warm, one file touched)"),
        ),
        (
            "tbump --dry-run / versync check (cold)",
            lambda n: ratio(n, "tbump --dry-run", "versync check (cold)"),
        ),
        (
            "fastest peer bump / versync bump (warm)",
            lambda n: ratio(n, fastest_peer(n), "bump: versync (warm cache)"),
        ),
        (
            "fastest peer bump / versync bump (cold)",
            lambda n: ratio(n, fastest_peer(n), "bump: versync (cold)"),
        ),
    ]
    return [
        f"| *{label}* (paired median) | " + " | ".join(f(n) for n in sizes) + " | |"
        for label, f in rows
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    bin_dir = ensure_peers()
    # An installed package carries compiled bytecode; make the checkout's match it.
    compileall.compile_dir(str(HERE.parent / "versync"), quiet=1)
    results: dict[int, dict[str, Sample]] = {}
    coverage: dict[int, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            repo = prepare(Path(folder), size)
            results[size], coverage[size] = measure(size, repo, bin_dir, args.rounds)
            print(f"N={size}: done", file=sys.stderr)
    report = "\n".join(
        [
            f"Run on {date.today()}: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
            f"{args.rounds} rounds after one warm-up; "
            f"`python benchmarks/run.py --sizes {args.sizes} --rounds {args.rounds}`.",
            "",
            table(results),
            "",
            "Version files rewritten (of those present) in the first round: "
            + "; ".join(
                f"N={n}: "
                + ", ".join(
                    f"{task.removeprefix('bump: ')} {done}" for task, done in coverage[n].items()
                )
                for n in sizes
            ),
        ]
    )
    print(report)
    (HERE / "results.md").write_text(report + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
