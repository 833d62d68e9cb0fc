"""Finishing or undoing a write that a killed run left half done, from its journal."""

from __future__ import annotations

import os

from versync._fs import journal, lock, reading
from versync.change import write
from versync.change.plan import FileChange, Plan
from versync.errors import OutsideRoot, PlanError


def recover_journal(
    root: str, state: str, *, rollback: bool = False, discard: bool = False
) -> list[str]:
    """Complete the journaled plan in `state` (or, with `rollback`, put every file back as it
    was), then remove the journal; returns the paths written. Each file must hash to its old or
    its new content first, else `PlanError` names it and nothing is written. `discard` only
    removes the journal (after the files were repaired by hand)."""
    with lock.writer_lock(state):
        loaded = journal.load(state)
        if loaded is None:
            return []
        if discard:
            journal.end(state)
            return []
        changes = [_change(root, entry, rollback) for entry in loaded.entries]
        plan = Plan(root, [change for change in changes if change.old != change.new])
        plan.journaled = False  # the journal being recovered stays until done
        written = plan.apply()
        journal.end(state)
        return written


def _change(root: str, entry: journal.Entry, rollback: bool) -> FileChange:
    try:
        real = reading.resolve_inside(root, entry.path)  # a journal names files inside only
        if real is None:
            raise FileNotFoundError(2, "No such file or directory")
        current = write.read_bytes(os.path.join(root, real))
    except OutsideRoot as exc:
        raise PlanError(f"{exc}; nothing was written") from exc
    except OSError as exc:
        raise PlanError(f"{entry.path}: cannot read: {exc.strerror or exc}") from exc
    found = journal.digest(current)
    if found == entry.new_hash:
        target = entry.old_from(current) if rollback else current
        wanted = entry.old_hash if rollback else entry.new_hash
    elif found == entry.old_hash:
        target = current if rollback else entry.new_from(current)
        wanted = entry.old_hash if rollback else entry.new_hash
    else:
        raise PlanError(
            f"{entry.path}: holds neither its content from before the interrupted run nor "
            "the one it was writing (changed since); repair it by hand, then run "
            "`versync recover --discard`"
        )
    if journal.digest(target) != wanted:
        raise PlanError(f"{entry.path}: the journal does not rebuild it; nothing was written")
    return FileChange(entry.path, current, target)


def recover(
    root: str | os.PathLike[str] | None = None, *, rollback: bool = False, discard: bool = False
) -> list[str]:
    """Finish the write a killed run left half done (see `versync._fs.journal`), or with
    `rollback` undo it; returns the paths written (none when there was nothing to recover).
    Raises `PlanError` naming a file that is neither as it was nor as it was being made."""
    from versync._fs.git import locate

    start = os.getcwd() if root is None else os.fspath(root)
    location = locate(start)
    top = (location.top or start) if root is None else start
    return recover_journal(
        top, lock.state_dir(top, location.git_dir), rollback=rollback, discard=discard
    )
