"""How long inferring groups from release history takes on a repository with a long history.

    python benchmarks/history.py [--commits 5000] [--packages 60]

Generates (with `git fast-import`) a repository of `--packages` Python packages in families of
ten (`famN-pkgK`) and `--commits` commits: most change a source file, every 40th releases one
family together (a minor bump of its ten packages in one commit), every 25th bumps one package
alone. Then it times `versync check` (in-process, scan cache off) three ways: the first run (no
history cache), a run with the answer cached for `HEAD`, and a run after one more commit on
top of the cached one (the incremental case of a hook after each commit).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HATCH = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'


def pyproject(name: str, version: str) -> bytes:
    return (HATCH + f'[project]\nname = "{name}"\nversion = "{version}"\n').encode()


def generate(root: Path, commits: int, packages: int) -> None:
    rng = random.Random(7)
    names = [f"fam{i // 10}-pkg{i % 10}" for i in range(packages)]
    versions = {name: [0, 1, 0] for name in names}
    out: list[bytes] = []
    mark = 0

    def commit(files: dict[str, bytes], message: str) -> None:
        nonlocal mark
        mark += 1
        data = message.encode()
        out.append(
            b"commit refs/heads/main\n"
            + f"committer b <b@example.invalid> {1_600_000_000 + mark} +0000\n".encode()
            + f"data {len(data)}\n".encode()
            + data
            + b"\n"
        )
        for path, content in files.items():
            out.append(f"M 100644 inline {path}\ndata {len(content)}\n".encode() + content + b"\n")

    def shown(name: str) -> str:
        return ".".join(map(str, versions[name]))

    commit({f"{n}/pyproject.toml": pyproject(n, shown(n)) for n in names}, "create")
    for index in range(1, commits):
        if index % 40 == 0:
            family = rng.randrange(packages // 10)
            members = [n for n in names if n.startswith(f"fam{family}-")]
            for name in members:
                versions[name] = [versions[name][0], versions[name][1] + 1, 0]
            files = {f"{n}/pyproject.toml": pyproject(n, shown(n)) for n in members}
            commit(files, f"release fam{family}")
        elif index % 25 == 0:
            name = rng.choice(names)
            versions[name][2] += 1
            commit({f"{name}/pyproject.toml": pyproject(name, shown(name))}, f"bump {name}")
        else:
            name = rng.choice(names)
            code = f"VALUE = {index}\n".encode()
            commit({f"{name}/src/m{index % 7}.py": code}, f"work on {name}")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(
        ["git", "-C", str(root), "fast-import", "--quiet"], input=b"".join(out), check=True
    )
    subprocess.run(["git", "-C", str(root), "checkout", "-q", "main"], check=True)


def timed(root: Path) -> tuple[float, int]:
    import versync

    started = time.perf_counter()
    workspace = versync.scan(root)
    workspace.check()
    return time.perf_counter() - started, len(workspace.groups)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--packages", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "repo"
        generate(root, args.commits, args.packages)
        count = subprocess.run(
            ["git", "-C", str(root), "rev-list", "--count", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        first, groups = timed(root)
        cached, _ = timed(root)
        (root / "NOTES.md").write_text("one more commit\n")
        env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.invalid",
               "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.invalid"}  # fmt: skip
        subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, env=env)
        subprocess.run(["git", "-C", str(root), "commit", "-qm", "notes"], check=True, env=env)
        moved, _ = timed(root)
        print(f"{count} commits, {args.packages} packages, {groups} inferred groups")
        print(f"first run (no history cache): {first * 1000:.0f} ms")
        print(f"HEAD cached:                  {cached * 1000:.0f} ms")
        print(f"one commit later:             {moved * 1000:.0f} ms")


if __name__ == "__main__":
    main()
