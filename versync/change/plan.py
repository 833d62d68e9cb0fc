"""Plans: the new bytes of every file a change touches, verified before anything is written,
and written all or nothing."""

from __future__ import annotations

import bisect
import os
import stat
from collections.abc import Callable, Iterable
from typing import NamedTuple

from versync._fs import reading
from versync._fs.reading import Stamp
from versync.change import write
from versync.change.verify import SAFE_LITERAL, verify, verify_pattern
from versync.errors import ApplyError, OutsideRoot, PlanError
from versync.syntax.text import FileText


class Edit(NamedTuple):
    """Replace `old` at text[start:end] of `path` with `new`.

    `owner` is the span of the whole string literal the edit lies in (the version literal
    itself, or the requirement string a pin clause is part of): verification re-reads it.
    """

    path: str
    start: int
    end: int
    old: str
    new: str
    line: int
    owner: tuple[int, int]
    # For a `[[files]]` match: the regular expression whose `version` group the edit is;
    # verification finds it again in the new text.
    pattern: str = ""


class FileChange(NamedTuple):
    """One file of a plan: its bytes now (`old`) and after the change (`new`)."""

    path: str
    old: bytes
    new: bytes
    # The file's stamp when `old` was read, if it proves the file still holds `old` while the
    # stamp is unchanged (see `Workspace.proving_stamp`); else None and the bytes are compared.
    stamp: Stamp | None = None


class Plan:
    """The files a change rewrites, made by `Workspace.bump()` or `Workspace.fix()`.

    `files` holds a `FileChange` per file whose bytes change; `notes` what the change could
    not do. `diff()` shows the change; `apply()` writes it, all or nothing.
    """

    __slots__ = (
        "_resolved",
        "_resolver",
        "commands",
        "files",
        "journaled",
        "notes",
        "root",
        "state",
        "summary",
    )

    def __init__(
        self, root: str, files: list[FileChange] | None = None, notes: list[str] | None = None
    ) -> None:
        self.root = root
        self.files = files if files is not None else []
        self.notes = notes if notes is not None else []
        self.summary = ""  # one line on what the plan does, for the command line
        self.commands: list[str] = []  # what a person runs to settle what the plan leaves
        # versync's state folder (writer lock, journal): None finds it from `root`;
        # `journaled` False writes with neither (`versync recover` finishing a journal)
        self.state: str | None = None
        self.journaled = True
        self._resolved: dict[str, str] = {}
        self._resolver: reading.Resolver | None = None

    def __repr__(self) -> str:
        shown = ", ".join(change.path for change in self.files[:3])
        more = f", +{len(self.files) - 3} more" if len(self.files) > 3 else ""
        notes = f"; {len(self.notes)} notes" if self.notes else ""
        return f"Plan({len(self.files)} files: {shown}{more}{notes})"

    def diff(self) -> str:
        """The change as a unified diff, `a/` and `b/` prefixed as git prints them."""
        import difflib

        chunks: list[str] = []
        for change in self.files:
            old = change.old.decode("utf-8").splitlines(keepends=True)
            new = change.new.decode("utf-8").splitlines(keepends=True)
            lines = difflib.unified_diff(old, new, f"a/{change.path}", f"b/{change.path}")
            chunks.append(
                "".join(
                    line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                    for line in lines
                )
            )
        return "".join(chunks)

    def apply(self) -> list[str]:
        """Write every file, or none: returns the paths written. Raises `PlanError` (nothing
        written) when a file changed on disk since it was read, `ApplyError` when a write
        failed (the files already written are restored).

        The repository's writer lock is held and the plan is journaled while it is written
        (see `versync._fs.journal`).
        """
        if not self.journaled or not self.files:
            return self._write_all(self._check_unchanged_on_disk())
        from versync._fs import journal, lock

        if self.state is None:
            from versync._fs.git import git_dir_of

            self.state = lock.state_dir(self.root, git_dir_of(self.root))
        with lock.writer_lock(self.state):
            if journal.exists(self.state):
                raise PlanError(INTERRUPTED)
            modes = self._check_unchanged_on_disk()
            entries = [journal.Entry.of(c.path, c.old, c.new) for c in self.files]
            try:
                journal.begin(self.state, entries)
            except OSError as exc:
                raise ApplyError(
                    f"{journal.path_in(self.state)}: cannot record the journal: "
                    f"{exc.strerror or exc}; no file was changed"
                ) from exc
            written = self._write_all(modes, lambda: journal.end(self.state or ""))
            journal.end(self.state)
            return written

    def _write_all(
        self, modes: dict[str, int], restored: Callable[[], None] = lambda: None
    ) -> list[str]:
        """Write each file, verified; on any failure put back the ones written (then call
        `restored` if every one was put back) and raise."""
        done: list[FileChange] = []
        pause_after = _test_pause_index()
        try:
            for index, change in enumerate(self.files):
                done.append(change)  # before writing: a failed in-place write is put back too
                write.write(
                    self._full(change), change.old, change.new, modes[change.path], change.stamp
                )
                if index == pause_after:
                    _pause_for_tests(index)
        except BaseException as exc:  # an interrupt too must not leave half a release
            if isinstance(exc, write.ConcurrentChange):
                done.pop()  # it was not written: another program's content is there
            restore_errors = self._restore(done, modes)
            if not restore_errors:
                restored()
            failure = self._failure(exc, done, restore_errors)
            if failure is exc:
                raise
            raise failure from exc
        return [change.path for change in done]

    def _failure(
        self, exc: BaseException, done: list[FileChange], restore_errors: list[str]
    ) -> BaseException:
        if isinstance(exc, write.ConcurrentChange):
            detail = (
                f"; could not restore {', '.join(restore_errors)}"
                if restore_errors
                else "; the files already written were restored"
            )
            return PlanError(
                f"{os.path.relpath(exc.path, self.root)}: changed by another program while "
                f"versync was writing{detail}; run again"
            )
        if not isinstance(exc, OSError):
            return exc
        detail = (
            f"; could not restore {', '.join(restore_errors)}"
            if restore_errors
            else "; no file was changed"
        )
        path = done[-1].path
        return ApplyError(f"{path}: cannot write: {exc.strerror or exc}{detail}")

    def _full(self, change: FileChange) -> str:
        """The file's path with its symlinks resolved, checked to lie inside the root."""
        if change.path not in self._resolved:
            try:
                if self._resolver is None:
                    self._resolver = reading.Resolver(self.root)
                real = self._resolver.inside(change.path)
            except OutsideRoot as exc:
                raise PlanError(f"{exc}; nothing was written") from exc
            self._resolved[change.path] = os.path.join(self.root, real or change.path)
        return self._resolved[change.path]

    def _check_unchanged_on_disk(self) -> dict[str, int]:
        """Each file's mode, once every file is known to hold what the plan was made from."""
        modes: dict[str, int] = {}
        for change in self.files:
            try:
                info = os.stat(self._full(change))
                current = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
                unchanged = current == change.stamp or (
                    write.read_bytes(self._full(change), info.st_size) == change.old
                )
            except OSError as exc:
                raise PlanError(
                    f"{change.path}: cannot read it again before writing: {exc.strerror or exc}"
                ) from exc
            if not unchanged:
                raise PlanError(
                    f"{change.path}: changed on disk since it was read; "
                    "nothing was written, run again"
                )
            modes[change.path] = stat.S_IMODE(info.st_mode)
        return modes

    def _restore(self, done: list[FileChange], modes: dict[str, int]) -> list[str]:
        """Put back the old content of the files written, each verified to hold what versync
        wrote (a file another program changed since is left as it is, and named)."""
        failed = []
        for change in reversed(done):
            try:
                if write.read_bytes(self._full(change)) != change.old:
                    write.write(self._full(change), change.new, change.old, modes[change.path])
            except (OSError, write.ConcurrentChange):
                failed.append(change.path)
        return failed


INTERRUPTED = (
    "an earlier versync run was interrupted while writing (a journal is left); "
    "run `versync recover` to finish it, or `versync recover --rollback`"
)
_PAUSE_VARIABLE = "VERSYNC_TEST_PAUSE_AFTER_WRITE"


def _test_pause_index() -> int:
    """For tests only: `VERSYNC_TEST_PAUSE_AFTER_WRITE=N` pauses a run after its write at
    index N, so a test can kill it there (-1, never, when unset)."""
    value = os.environ.get(_PAUSE_VARIABLE, "")
    return int(value) if value.lstrip("-").isdigit() else -1


def _pause_for_tests(index: int) -> None:
    import time

    os.write(2, f"versync: test pause after write {index}\n".encode())
    time.sleep(float(os.environ.get("VERSYNC_TEST_PAUSE_SECONDS", "60")))


def build_plan(
    root: str,
    read: Callable[[str], FileText],
    edits: Iterable[Edit],
    notes: list[str],
    proving_stamp: Callable[[str], Stamp | None] = lambda path: None,
) -> Plan:
    by_file: dict[str, dict[int, Edit]] = {}
    for edit in edits:
        existing = by_file.setdefault(edit.path, {}).get(edit.start)
        if existing is not None and existing.new != edit.new:
            raise PlanError(
                f"{edit.path}:{edit.line}: asked to become both {existing.new} and {edit.new}"
            )
        by_file[edit.path][edit.start] = edit
    plan = Plan(root, notes=notes)
    for path in sorted(by_file):
        change = _apply_edits(read(path), sorted(by_file[path].values(), key=lambda e: e.start))
        if change.new != change.old:
            plan.files.append(change._replace(stamp=proving_stamp(path)))
    return plan


def _apply_edits(file: FileText, edits: list[Edit]) -> FileChange:
    pieces: list[str] = []
    position = 0
    for edit in edits:
        _check_edit(file, edit, position)
        pieces += [file.text[position : edit.start], edit.new]
        position = edit.end
    pieces.append(file.text[position:])
    new_text = "".join(pieces)
    plain = [edit for edit in edits if not edit.pattern]
    if plain:
        verify(file.path, new_text, _shifted(plain, edits))
    for pattern, start, end in _shifted_patterns(edits):
        verify_pattern(file.path, new_text, pattern, start, end)
    return FileChange(file.path, file.data, file.encode(new_text))


def _check_edit(file: FileText, edit: Edit, position: int) -> None:
    where = f"{file.path}:{edit.line}"
    if edit.start < position:
        raise PlanError(f"{where}: overlapping edits")
    if file.text[edit.start : edit.end] != edit.old:
        raise PlanError(
            f"{where}: the literal {edit.old!r} is not written plainly "
            "(escapes or joined strings); edit it by hand"
        )
    if not SAFE_LITERAL.fullmatch(edit.new):
        raise PlanError(f"{where}: refusing to write {edit.new!r}: not a plain version string")


def _shifted(chosen: list[Edit], edits: list[Edit]) -> list[tuple[int, int]]:
    """Where the owning literal of each of `chosen` lies in the new text made by `edits`."""
    moved = _mover(edits)
    return sorted({(moved(e.owner[0]), moved(e.owner[1])) for e in chosen})


def _shifted_patterns(edits: list[Edit]) -> list[tuple[str, int, int]]:
    moved = _mover(edits)
    return sorted({(e.pattern, moved(e.owner[0]), moved(e.owner[1])) for e in edits if e.pattern})


def _mover(edits: list[Edit]) -> Callable[[int], int]:
    """Maps an offset of the old text to the new text made by `edits`."""
    ends: list[int] = []
    shifts = [0]
    for edit in sorted(edits, key=lambda e: e.end):
        ends.append(edit.end)
        shifts.append(shifts[-1] + len(edit.new) - (edit.end - edit.start))

    def moved(offset: int) -> int:
        return offset + shifts[bisect.bisect_right(ends, offset)]

    return moved
