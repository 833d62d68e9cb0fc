"""The floor of any tool that reads every manifest of a repository: list the files with git,
read each one and parse it with the TOML parser versync uses (`versync.syntax.toml.parser`),
nothing else. Run in the repository: `python benchmarks/floor.py [MODULE]`; MODULE names
another parser with a `loads` function (`tomllib`, `tomli`, `rtoml`), to see what the floor
would be with it.
"""

from __future__ import annotations

import importlib
import os
import sys

TOML_MANIFESTS = ("pyproject.toml", "Cargo.toml", "Cargo.lock", "uv.lock", "versync.toml")


def main(argv: list[str]) -> int:
    from versync._fs.git import Git
    from versync.syntax.toml import parser

    listed = Git(".", "ls-files", "-z", "--cached", "--others", "--exclude-standard").output()
    if listed is None:
        return 2
    loads = parser()[0] if not argv else importlib.import_module(argv[0]).loads
    count = 0
    for path in listed.split("\0"):
        if path.rpartition("/")[2] in TOML_MANIFESTS:
            fd = os.open(path, os.O_RDONLY)
            try:
                data = os.read(fd, os.fstat(fd).st_size + 1)
            finally:
                os.close(fd)
            loads(data.decode("utf-8"))
            count += 1
    return 0 if count else 1


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    raise SystemExit(main(sys.argv[1:]))
