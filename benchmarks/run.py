"""versync against its peers and its floors on the same generated monorepos, in one run.

    python benchmarks/run.py [--sizes 100,1000,10000] [--rounds 5] [--full-up-to 1000]

For each size N it generates a monorepo (benchmarks/generate.py), configures bumpver, tbump and
bump-my-version to rewrite every version in it (benchmarks/peers.py; they are installed from
PyPI into benchmarks/.venv, not into the project), and times whole processes, interleaved: each
round runs every task once, in the same order, after one warm-up round; tables show medians
and ratios are medians of the per-round ratios (paired), printed beside their targets.

- Floors: `python -c pass`, `python -c "import tomllib"`, and "list + read + parse every
  manifest" (benchmarks/floor.py: git ls-files, one read and one parse per TOML manifest, with
  the parser versync uses).
- `versync check`: cold (`VERSYNC_NO_CACHE=1`); on a fresh `git clone` (no cache yet, caches
  written); warm (the verdict holds); one file touched (times changed, bytes not); one file
  edited (a comment added: the model is rebuilt from the scan cache); after `git reset --hard`
  rewrote the version files a bump changed; after `git checkout` of another branch whose
  versions differ (both branches checked before).
- `tbump --dry-run` (reads its config and globs the files; opens none).
- Bumps to 0.1.2: versync warm, after `git reset --hard` (files rewritten with the content the
  caches knew) and cold, bumpver, tbump, bump-my-version. Each but the warm one starts from a
  tree reset with `git reset --hard`; only the tool's own process is timed, so the figures are
  net of the reset (whose cost is shown on its own row). After the first round the script
  checks that each tool really rewrote every version file.
- Sizes above `--full-up-to` run the scale rows only (floors, cold, warm and touched checks).

Peak memory is each process's maximum resident set (`wait4`), median over rounds.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
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
    """The monorepo, its peer configurations, and a branch `other` whose versions differ."""
    repo = generate(root / f"n{size}", size)
    peers.write_configs(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "peer configurations")
    git(repo, "checkout", "-qb", "other")
    for path in version_files(repo):
        path.write_text(path.read_text().replace('"0.1.1"', '"0.1.3"', 1))
    git(repo, "commit", "-qam", "another version on another branch")
    git(repo, "checkout", "-q", "-")
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


FLOOR = "list + read + parse every manifest (floor)"
COLD = "versync check (cold)"
CLONE = "versync check (fresh clone)"
WARM = "versync check (warm)"
TOUCHED = "versync check (one file touched)"
EDITED = "versync check (one file edited)"
AFTER_RESET = "versync check (after git reset --hard)"
AFTER_CHECKOUT = "versync check (after git checkout other-branch)"
DRY_RUN = "tbump --dry-run"
BUMP_WARM = "bump: versync (warm)"
BUMP_RESET = "bump: versync (after git reset --hard)"
BUMP_COLD = "bump: versync (cold)"
RESET = "reset (git reset --hard)"
PEERS = ("bump: bumpver", "bump: tbump", "bump: bump-my-version")


def measure(
    size: int, repo: Path, bin_dir: Path, rounds: int, full: bool
) -> tuple[dict[str, Sample], dict[str, str]]:
    versync = [str(Path(sys.executable).with_name("versync"))]
    cold = {"VERSYNC_NO_CACHE": "1"}
    samples: dict[str, Sample] = {}
    coverage: dict[str, str] = {}
    clone = repo.with_name(repo.name + "-clone")
    root_manifest = repo / "pyproject.toml"
    original = root_manifest.read_bytes()

    def timed(
        task: str,
        command: Sequence[str],
        env: dict[str, str] | None = None,
        keep: bool = True,
        cwd: Path = repo,
    ) -> None:
        seconds, peak, code = run_timed(command, cwd, env)
        if code not in (0, 1):
            raise SystemExit(f"{task} failed with exit code {code} at N={size}")
        if keep:
            sample = samples.setdefault(task, Sample())
            sample.seconds.append(seconds)
            sample.peak_kib.append(peak)

    def reset_then(
        task: str, command: Sequence[str], env: dict[str, str] | None, keep: bool, first: bool
    ) -> None:
        timed(RESET, ["git", "reset", "-q", "--hard"], keep=keep)
        timed(task, command, env, keep)
        if first:
            bumped, total = count_bumped(repo)
            coverage[task] = f"{bumped}/{total}"

    def prime_cache() -> None:
        """A clean tree whose last check ran on these files, as after a hook's run."""
        subprocess.run(["git", "reset", "-q", "--hard"], cwd=repo, check=True)
        time.sleep(RACY_SECONDS)
        run_timed([*versync, "check"], repo)

    def fresh_clone() -> None:
        shutil.rmtree(clone, ignore_errors=True)
        subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)

    # Both branches checked once, as a user who switches between them would have.
    for _ in range(2):
        git(repo, "checkout", "-q", "other")
        run_timed([*versync, "check"], repo)
        git(repo, "checkout", "-q", "-")
    prime_cache()
    for round_ in range(rounds + 1):
        keep = round_ > 0
        first = round_ == 0
        timed("python -c pass", [sys.executable, "-c", "pass"], keep=keep)
        timed(TOMLLIB_FLOOR, [sys.executable, "-c", "import tomllib"], keep=keep)
        timed(FLOOR, [sys.executable, str(HERE / "floor.py")], keep=keep)
        timed(COLD, [*versync, "check"], cold, keep)
        timed(WARM, [*versync, "check"], keep=keep)
        os.utime(root_manifest)  # what a hook run sees when a version file was staged as it was
        timed(TOUCHED, [*versync, "check"], keep=keep)
        timed(DRY_RUN, peers.tbump_dry_run(bin_dir, "0.1.2"), keep=keep)
        if full:
            fresh_clone()
            timed(CLONE, [*versync, "check"], keep=keep, cwd=clone)
            root_manifest.write_bytes(original + b"# edited in round %d\n" % round_)
            timed(EDITED, [*versync, "check"], keep=keep)
            root_manifest.write_bytes(original)
            run_timed([*versync, "check"], repo)  # the hook ran on the last commit
            timed(BUMP_WARM, [*versync, "bump", "0.1.2"], keep=keep)
            if first:
                coverage[BUMP_WARM] = "{}/{}".format(*count_bumped(repo))
            reset_then(BUMP_RESET, [*versync, "bump", "0.1.2"], None, keep, first)
            reset_then(BUMP_COLD, [*versync, "bump", "0.1.2"], cold, keep, first)
            for name, command in peers.commands(bin_dir, "0.1.2").items():
                reset_then(f"bump: {name}", command, None, keep, first)
            timed(RESET, ["git", "reset", "-q", "--hard"], keep=False)
            timed(AFTER_RESET, [*versync, "check"], keep=keep)
            git(repo, "checkout", "-q", "other")
            timed(AFTER_CHECKOUT, [*versync, "check"], keep=keep)
            git(repo, "checkout", "-q", "-")
        prime_cache()
    shutil.rmtree(clone, ignore_errors=True)
    return samples, coverage


TOMLLIB_FLOOR = 'python -c "import tomllib" (floor)'
ROW_ORDER = (
    "python -c pass",
    TOMLLIB_FLOOR,
    FLOOR,
    COLD,
    CLONE,
    WARM,
    TOUCHED,
    EDITED,
    AFTER_RESET,
    AFTER_CHECKOUT,
    DRY_RUN,
    BUMP_WARM,
    BUMP_RESET,
    BUMP_COLD,
    *PEERS,
    RESET,
)


def table(results: dict[int, dict[str, Sample]]) -> str:
    sizes = sorted(results)
    full = [n for n in sizes if BUMP_COLD in results[n]]
    rss_at = full[-1] if full else sizes[-1]
    lines = [
        "| task | " + " | ".join(f"N={n}" for n in sizes) + f" | peak RSS at N={rss_at} |",
        "|---|" + "---|" * (len(sizes) + 1),
    ]
    for task in ROW_ORDER:
        if not any(task in results[n] for n in sizes):
            continue
        cells = [f"{results[n][task].median():.3f} s" if task in results[n] else "" for n in sizes]
        peak = ""
        if task in results[rss_at]:
            peak = f"{statistics.median(results[rss_at][task].peak_kib) / 1024:.1f} MiB"
        lines.append(f"| {task} | " + " | ".join(cells) + f" | {peak} |")
    return "\n".join(lines)


def _paired(results: dict[str, Sample], top: str, bottom: str) -> float:
    pairs = zip(results[top].seconds, results[bottom].seconds, strict=True)
    return statistics.median(a / b for a, b in pairs)


def _fastest_peer(results: dict[str, Sample]) -> str:
    return min(PEERS, key=lambda task: results[task].median())


# (label, numerator, denominator, target, "higher" when the ratio must reach the target)
TARGETS: tuple[tuple[str, str, str, float, bool], ...] = (
    ("tbump --dry-run / check (cold)", DRY_RUN, COLD, 1.0, True),
    ("check (cold) / list+read+parse floor", COLD, FLOOR, 2.0, False),
    ("tbump --dry-run / check (fresh clone)", DRY_RUN, CLONE, 1.0, True),
    ("check (fresh clone) / list+read+parse floor", CLONE, FLOOR, 2.0, False),
    ("fastest peer bump / versync bump (cold)", "PEER", BUMP_COLD, 1.25, True),
    ("fastest peer bump / versync bump (after reset)", "PEER", BUMP_RESET, 2.0, True),
    ("tbump --dry-run / check (after reset)", DRY_RUN, AFTER_RESET, 2.0, True),
    ("tbump --dry-run / check (after checkout)", DRY_RUN, AFTER_CHECKOUT, 2.0, True),
    ("tbump --dry-run / check (one file touched)", DRY_RUN, TOUCHED, 2.0, True),
    ("tbump --dry-run / check (warm)", DRY_RUN, WARM, 2.0, True),
    ("fastest peer bump / versync bump (warm)", "PEER", BUMP_WARM, 2.0, True),
    ("tbump --dry-run / check (one file edited)", DRY_RUN, EDITED, 0.0, True),
)


def ratio_table(results: dict[int, dict[str, Sample]]) -> str:
    sizes = sorted(results)
    lines = [
        "| paired ratio | " + " | ".join(f"N={n}" for n in sizes) + " | target |",
        "|---|" + "---|" * (len(sizes) + 1),
    ]
    for label, top, bottom, target, higher in TARGETS:
        cells = []
        for n in sizes:
            numerator = (
                _fastest_peer(results[n]) if top == "PEER" and PEERS[0] in results[n] else top
            )
            if numerator not in results[n] or bottom not in results[n]:
                cells.append("")
                continue
            value = _paired(results[n], numerator, bottom)
            met = value >= target if higher else value <= target
            cells.append(f"{value:.2f}x" + ("" if not target else " ✓" if met else " ✗"))
        goal = "(for information)" if not target else f"{'≥' if higher else '≤'} {target:g}x"
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {goal} |")
    return "\n".join(lines)


def scale_table(results: dict[int, dict[str, Sample]]) -> str:
    sizes = sorted(results)
    lines = [
        "| N | check (cold) | per package | peak RSS (cold) | list+read+parse floor "
        "| check (warm) | check (touched) |",
        "|---|---|---|---|---|---|---|",
    ]
    for n in sizes:
        cold = results[n][COLD].median()
        rss = statistics.median(results[n][COLD].peak_kib) / 1024
        lines.append(
            f"| {n} | {cold:.3f} s | {cold / n * 1000:.2f} ms | {rss:.1f} MiB "
            f"| {results[n][FLOOR].median():.3f} s | {results[n][WARM].median():.3f} s "
            f"| {results[n][TOUCHED].median():.3f} s |"
        )
    lines.append("")
    lines.append("Targets: N=10,000 cold check under 3 s and under 80 MiB peak RSS; the cost per")
    lines.append("package does not grow with N.")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--full-up-to", type=int, default=1000, help="larger sizes run the scale rows only"
    )
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
            full = size <= args.full_up_to
            results[size], coverage[size] = measure(size, repo, bin_dir, args.rounds, full)
            print(f"N={size}: done", file=sys.stderr)
            shutil.rmtree(repo, ignore_errors=True)
    report = "\n".join(
        [
            f"Run on {date.today()}: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
            f"{args.rounds} rounds after one warm-up; `python benchmarks/run.py --sizes "
            f"{args.sizes} --rounds {args.rounds} --full-up-to {args.full_up_to}`.",
            "",
            table(results),
            "",
            "Paired ratios (median over rounds of the per-round ratio), with the targets:",
            "",
            ratio_table(results),
            "",
            "Scale:",
            "",
            scale_table(results),
            "",
            "Version files rewritten (of those present) in the first round: "
            + "; ".join(
                f"N={n}: "
                + ", ".join(
                    f"{task.removeprefix('bump: ')} {done}" for task, done in coverage[n].items()
                )
                for n in sizes
                if coverage[n]
            ),
        ]
    )
    print(report)
    (HERE / "results.md").write_text(report + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
