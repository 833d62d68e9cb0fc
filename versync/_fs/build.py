"""Which build of versync is running: cached answers are kept only for the build that made
them, so an upgrade, or an edit to a development checkout, never replays an old answer."""

from __future__ import annotations

import os

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_stamp: tuple[object, ...] | None = None


def build_stamp() -> tuple[object, ...]:
    """versync's version, and the count, total size and latest change time of its modules."""
    global _stamp
    if _stamp is None:
        from versync.__about__ import __version__

        count = size = latest = 0
        for folder, dirs, files in os.walk(_PACKAGE):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in files:
                if name.endswith(".py"):
                    info = os.stat(os.path.join(folder, name))
                    count, size = count + 1, size + info.st_size
                    latest = max(latest, info.st_mtime_ns, info.st_ctime_ns)
        _stamp = (__version__, count, size, latest)
    return _stamp
