"""Running git: commands start without importing `subprocess` where the platform allows,
and a failed or missing git is None, never an exception, for the callers to decide."""

from __future__ import annotations

import os
from typing import Any

HAS_POSIX_SPAWN = hasattr(os, "posix_spawnp")  # not on Windows; tests turn it off


class Git:
    """A running git command, started with `posix_spawnp` where it exists (a third of the
    cost of `subprocess`, which a hook run would otherwise import), else with `subprocess`."""

    def __init__(self, root: str, *args: str) -> None:
        self.args = ["git", "-C", root, *args]
        env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
        self._process: Any = None
        self._pid = self._reader = -1
        if HAS_POSIX_SPAWN:
            self._spawn(env)
        else:
            import subprocess

            self._process = subprocess.Popen(
                self.args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
            )

    def _spawn(self, env: dict[str, str]) -> None:
        reader, writer = os.pipe()
        try:
            self._pid = os.posix_spawnp(
                self.args[0],
                self.args,
                env,
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, writer, 1),
                    (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
                ],
            )
        except OSError:
            os.close(reader)
            raise
        finally:
            os.close(writer)
        self._reader = reader

    def output(self) -> str | None:
        """What git printed, decoded as file names are, or None when it failed."""
        data = self.output_bytes()
        return None if data is None else data.decode("utf-8", "surrogateescape")

    def output_bytes(self) -> bytes | None:
        """What git printed, or None when it failed."""
        if self._process is not None:
            data, _ = self._process.communicate()
            code = self._process.returncode
        else:
            with os.fdopen(self._reader, "rb") as output:
                data = output.read()
            _, status = os.waitpid(self._pid, 0)
            code = os.waitstatus_to_exitcode(status)
        return data if code == 0 else None


def run(root: str, *args: str) -> str | None:
    """The output of `git -C root ARGS...`, or None when git is missing or fails."""
    try:
        return Git(root, *args).output()
    except OSError:
        return None
