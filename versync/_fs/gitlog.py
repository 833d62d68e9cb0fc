"""The git processes history inference starts before it knows what it will ask: the work
tree compared with a commit (`Unchanged`), and the log of the manifests (`Log`)."""

from __future__ import annotations

from versync._fs import git


def unchanged(root: str, commit: str, paths: list[str]) -> set[str]:
    """The tracked `paths` whose work-tree file holds what `commit` holds (git compares by
    its index's timestamps, and by content where those cannot tell); empty when git fails."""
    if not paths:
        return set()
    return Unchanged(root, commit, names=_names(paths)).among(paths)


class Unchanged:
    """`unchanged`, started before the caller knows the paths, for files called one of
    `names`: git compares those with `commit` while the caller goes on. `among` waits for
    git's answer; `close` ends git when nobody asks."""

    def __init__(
        self, root: str, commit: str, log_names: frozenset[str] = frozenset(), *,
        names: frozenset[str],
    ) -> None:  # fmt: skip
        self.root = root
        self.commit = commit
        self.names = names
        self._answer: set[str] | None = None
        # `git log` of the files called one of `log_names`, when asked for (see `Log`).
        self.log = Log(root, commit, log_names) if log_names else None
        # Only the files called one of `names`: git compares every file it is given (just
        # after a clone or a checkout it hashes each one), and most of a repository's are
        # not manifests. `*NAME` matches across folders (and `xNAME`, never asked about).
        specs = sorted(f"*{name}" for name in names)
        try:
            self._git: git.Git | None = git.Git(
                root, "diff", "--name-only", "-z", "--no-renames", "--relative", commit, "--",
                *specs,
            )  # fmt: skip
        except OSError:
            self._git = None

    def among(self, paths: list[str]) -> set[str]:
        """Those of the tracked `paths` that git finds unchanged (none when git failed);
        paths called otherwise than `names` are compared by another git."""
        if not _names(paths) <= self.names:
            return unchanged(self.root, self.commit, paths)
        self._wait()
        differ = self._answer
        return set() if differ is None else {path for path in paths if path not in differ}

    def close(self) -> None:
        """Wait for git and keep its answer; end the log nobody took."""
        self._wait()
        if self.log is not None:
            self.log.close()

    def _wait(self) -> None:
        if self._git is not None:
            changed, self._git = self._git.output(), None
            self._answer = None if changed is None else set(changed.split("\0"))


class Log:
    """`git log --raw` of the files called one of `names`, up to `commit`, started before
    the caller knows which files it will ask about: on a first run of a large repository,
    git walks the history while the files are parsed (see `_commits`)."""

    def __init__(self, root: str, commit: str, names: frozenset[str]) -> None:
        self.commit = commit
        self.names = names
        specs = sorted(f":(glob)**/{name}" for name in names)
        self.process: git.Git | None = start_log(root, commit, specs)

    def take(self, commit: str, paths: list[str]) -> git.Git | None:
        """The running git, when it answers for `paths` at `commit` (asked by file name);
        else None, and git is ended. Taken once."""
        process, self.process = self.process, None
        names = {path.rpartition("/")[2] for path in paths}
        if process is not None and (commit != self.commit or not names <= self.names):
            process.stop()
            process = None
        return process

    def close(self) -> None:
        """End git, when nobody took it."""
        if self.process is not None:
            self.process.stop()
            self.process = None


def _names(paths: list[str]) -> frozenset[str]:
    return frozenset(path.rpartition("/")[2] for path in paths)


def start_log(root: str, commit: str, specs: list[str]) -> git.Git:
    """`git log --raw` of the files `specs` names, up to `commit`."""
    return git.Git(
        root, "-c", "core.quotePath=false", "log", "--format=%x01%H", "--raw", "--no-abbrev",
        "--no-renames", "--relative", commit, "--", *specs,
    )  # fmt: skip
