"""Running git: commands start without importing `subprocess` where the platform allows,
and a failed or missing git is None, never an exception, for the callers to decide."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from versync._typing import TYPE_CHECKING, NamedTuple
from versync.errors import UsageError

if TYPE_CHECKING:
    from typing import IO, Any

HAS_POSIX_SPAWN = hasattr(os, "posix_spawnp")  # not on Windows; tests turn it off
_CHUNK = 1 << 20  # bytes read at a time by `records`
# Variables that would change what versync's pathspecs mean (all literal, all globs...).
_PATHSPEC_MODES = frozenset(
    ("GIT_LITERAL_PATHSPECS", "GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS", "GIT_ICASE_PATHSPECS")
)


def git_env() -> dict[str, str]:
    """The environment versync runs git in: the user's, less the variables that change what a
    pathspec means, and with git's optional locks off (a read must not take the index lock
    from a commit running beside it)."""
    env = {key: value for key, value in os.environ.items() if key not in _PATHSPEC_MODES}
    env["GIT_OPTIONAL_LOCKS"] = "0"
    return env


class Git:
    """A running git command, started with `posix_spawnp` where it exists (a third of the
    cost of `subprocess`, which a hook run would otherwise import), else with `subprocess`."""

    def __init__(self, root: str, *args: str, errors: bool = False) -> None:
        self.args = ["git", "-C", root, *args]
        env = git_env()
        self._process: Any = None
        self._pid = self._reader = self._errors = -1
        self.stderr = b""  # what git said on stderr, kept when `errors` is set
        self.ok = False  # whether git succeeded, once `records` are all read
        self._stream: IO[bytes] | None = None  # the output `lines` reads
        if HAS_POSIX_SPAWN:
            self._spawn(env, errors)
        else:
            import subprocess

            self._process = subprocess.Popen(
                self.args,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE if errors else subprocess.DEVNULL,
                env=env,
            )

    def _spawn(self, env: dict[str, str], errors: bool) -> None:
        reader, writer = os.pipe()
        error_reader, error_writer = os.pipe() if errors else (-1, -1)
        stderr_action: tuple[Any, ...] = (
            (os.POSIX_SPAWN_DUP2, error_writer, 2)
            if errors
            else (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)
        )
        try:
            self._pid = os.posix_spawnp(
                self.args[0],
                self.args,
                env,
                file_actions=[(os.POSIX_SPAWN_DUP2, writer, 1), stderr_action],
            )
        except OSError:
            os.close(reader)
            if errors:
                os.close(error_reader)
            raise
        finally:
            os.close(writer)
            if errors:
                os.close(error_writer)
        self._reader, self._errors = reader, error_reader

    def output(self) -> str | None:
        """What git printed, decoded as file names are, or None when it failed."""
        data = self.output_bytes()
        return None if data is None else data.decode("utf-8", "surrogateescape")

    def output_bytes(self) -> bytes | None:
        """What git printed, or None when it failed."""
        if self._process is not None:
            data, errors = self._process.communicate()
            self.stderr = errors or b""
            code = self._process.returncode
        else:
            with os.fdopen(self._reader, "rb") as output:
                data = output.read()
            code = self._wait()
        return data if code == 0 else None

    def records(self) -> Iterator[bytes]:
        """What git prints, split at NUL bytes, as git prints it: the whole output is never
        held. Once they are all read, `ok` says whether git succeeded. For a command started
        without `errors`: git's messages are read only after its output."""
        stream: IO[bytes] = (
            self._process.stdout if self._process is not None else os.fdopen(self._reader, "rb")
        )
        rest = b""
        with stream:
            while chunk := stream.read(_CHUNK):
                *whole, rest = (rest + chunk).split(b"\0")
                yield from whole
        if rest:
            yield rest
        if self._process is not None:
            self.ok = self._process.wait() == 0
        else:
            self.ok = self._wait() == 0

    def lines(self) -> Iterator[bytes]:
        """What git prints, a line at a time (newline included), as git prints it; for a
        command whose output the caller may stop reading (see `stop`)."""
        self._stream = (
            self._process.stdout if self._process is not None else os.fdopen(self._reader, "rb")
        )
        yield from self._stream

    def stop(self) -> None:
        """End git, whether it is done or not, and let its output go."""
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process.stdout.close()
            return
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        if self._stream is not None:
            self._stream.close()
        else:
            os.close(self._reader)

    def _wait(self) -> int:
        if self._errors >= 0:  # git's messages are short: read after stdout, no deadlock
            with os.fdopen(self._errors, "rb") as errors:
                self.stderr = errors.read()
        _, status = os.waitpid(self._pid, 0)
        return os.waitstatus_to_exitcode(status)


def run(root: str, *args: str) -> str | None:
    """The output of `git -C root ARGS...`, or None when git is missing or fails."""
    try:
        return Git(root, *args).output()
    except OSError:
        return None


class Location(NamedTuple):
    """Where git says a folder's repository is: its work tree's top-level and its git
    directory, both absolute; None for each outside a repository (or without git)."""

    top: str | None
    git_dir: str | None


class UntrustedRepository(UsageError):
    """git refuses the repository: it belongs to another user and is not in `safe.directory`."""


_located: dict[str, Location] = {}


def start_locate(folder: str) -> Git | None:
    """`git rev-parse` of `folder` started in the background (see `locate`)."""
    try:
        return Git(folder, "rev-parse", "--show-toplevel", "--absolute-git-dir", errors=True)
    except OSError:
        return None


def locate(folder: str, started: Git | None = None) -> Location:
    """Ask git (never a search for `.git` going up) where the repository holding `folder` is.

    A folder with a `.git` that git does not take for a repository is no repository. A
    repository git refuses to use because another user owns it raises `UntrustedRepository`
    with git's advice (git's `safe.directory`, the answer to CVE-2022-24765).
    """
    key = os.path.abspath(folder)
    if key in _located:
        return _located[key]
    process = started if started is not None else start_locate(folder)
    output = process.output() if process is not None else None
    if output is None:
        if process is not None and b"dubious ownership" in process.stderr:
            raise UntrustedRepository(_dubious(key, process.stderr))
        location = Location(None, None)
    else:
        lines = output.splitlines()
        location = Location(lines[0], lines[1]) if len(lines) >= 2 else Location(None, None)
    _located[key] = location
    if location.top is not None:
        _located.setdefault(os.path.abspath(location.top), location)
    return location


def git_dir_of(folder: str) -> str | None:
    """The git directory of the repository holding `folder` (see `locate`), or None."""
    return locate(folder).git_dir


def _dubious(folder: str, stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    advice = next(
        (line.strip() for line in text.splitlines() if "safe.directory" in line),
        f"git config --global --add safe.directory {folder}",
    )
    return (
        f"{folder}: git refuses this repository: it belongs to another user "
        f"(detected dubious ownership); if you trust it, run: {advice}"
    )


def call(root: str, *args: str) -> tuple[int, str]:
    """Run `git -C root ARGS...` to completion with no input (the repository's hooks run as
    they would for the user): its exit code and everything it printed, stdout and stderr
    together. A git that cannot start is code 127 with the reason."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "-C", root, *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            check=False,
        )
    except OSError as exc:
        return 127, f"cannot run git: {exc.strerror or exc}"
    return done.returncode, done.stdout.decode("utf-8", "replace")


def dirty(root: str, paths: list[str]) -> dict[str, str]:
    """Each of `paths` with changes git has not committed: its two-letter `status --porcelain`
    code (`??` for a file git does not track)."""
    if not paths:
        return {}
    output = run(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *paths)
    prefix = (run(root, "rev-parse", "--show-prefix") or "").strip()  # porcelain: from the top
    found: dict[str, str] = {}
    entries = (output or "").split("\0")
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if "R" in code or "C" in code:
            index += 1  # a rename's original path follows
        found[path.removeprefix(prefix)] = code
    return found


def tag_exists(root: str, name: str) -> bool:
    """Whether the repository has the tag `name`."""
    return run(root, "rev-parse", "-q", "--verify", f"refs/tags/{name}") is not None


def is_work_tree(root: str) -> bool:
    """Whether `root` is inside a git work tree."""
    return (run(root, "rev-parse", "--is-inside-work-tree") or "").strip() == "true"


def commit_of(root: str, ref: str) -> str | None:
    """The commit `ref` names (a tag, a branch, a hash), or None when it names none."""
    if ref.startswith("-"):
        return None
    found = run(root, "rev-parse", "--verify", "-q", f"{ref}^{{commit}}")
    return found.strip() if found else None


def changed_since(root: str, commit: str) -> list[str]:
    """The files under `root` that differ between `commit` and the work tree (staged or not),
    and the untracked files git does not ignore; paths relative to `root`."""
    diff = run(root, "diff", "--name-only", "-z", "--no-renames", "--relative", commit, "--")
    others = run(root, "ls-files", "--others", "--exclude-standard", "-z")
    if diff is None or others is None:
        return []
    return sorted({p for p in (diff + others).split("\0") if p})


def files_at(root: str, commit: str, names: frozenset[str]) -> dict[str, bytes]:
    """The content at `commit` of every file under `root` whose name is one of `names`."""
    listed = run(root, "ls-tree", "-r", "-z", "--name-only", commit)
    paths = [p for p in (listed or "").split("\0") if p and p.rpartition("/")[2] in names]
    return read_at(root, commit, paths)


def read_at(root: str, commit: str, paths: list[str]) -> dict[str, bytes]:
    """The content at `commit` of each of `paths` (relative to `root`) that exists there."""
    if not paths:
        return {}
    import subprocess

    request = "".join(f"{commit}:./{path}\n" for path in paths).encode()
    try:
        done = subprocess.run(
            ["git", "-C", root, "cat-file", "--batch"],
            input=request,
            capture_output=True,
            check=False,
        )
    except OSError:
        return {}
    found: dict[str, bytes] = {}
    data, offset = done.stdout, 0
    for path in paths:
        end = data.find(b"\n", offset)
        if end < 0:
            break
        header = data[offset:end].split()
        offset = end + 1
        if len(header) == 3 and header[2].isdigit():  # else "<name> missing"
            size = int(header[2])
            if header[1] == b"blob":
                found[path] = data[offset : offset + size]
            offset += size + 1
    return found


def tags_newest_first(root: str, commit: str = "HEAD") -> list[str]:
    """The tags reachable from `commit`, newest first (by date, then by version)."""
    listed = run(
        root,
        "tag",
        "--list",
        "--merged",
        commit,
        "--sort=-v:refname",
        "--sort=-creatordate",
    )
    return [line for line in (listed or "").splitlines() if line]
