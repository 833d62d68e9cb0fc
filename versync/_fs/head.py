"""Where a repository's `HEAD` is, read from the git directory's files where they are plain
(no process started), else from git; and whether the clone is shallow."""

from __future__ import annotations

import contextlib
import os

from versync._fs import git


def resolve(root: str, ref: str) -> str | None:
    """The full id of the commit `ref` names, or None."""
    out = git.run(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    return out.strip() if out else None


def head(root: str) -> str | None:
    """The commit `HEAD` names, read from the git directory's files where they are plain
    (no process started), else from `git rev-parse`."""
    git_dir = _git_dir(root)
    commit = head_in(git_dir) if git_dir is not None else None
    return commit if commit is not None else resolve(root, "HEAD")


def head_in(git_dir: str) -> str | None:
    """The commit `HEAD` is at, read from the git directory's files without starting git: the
    detached id, or the id its branch's loose ref or `packed-refs` line holds; None when the
    files do not say (a branch with no commit yet, refs git keeps some other way)."""
    try:
        text = _read(os.path.join(git_dir, "HEAD"))
    except OSError:
        return None
    if _is_id(text):
        return text
    ref = text.removeprefix("ref: ") if text.startswith("ref: ") else None
    if ref is None or not ref.startswith("refs/"):
        return None
    common = _common(git_dir)  # a linked worktree keeps its branches there
    for folder in (git_dir, common):
        with contextlib.suppress(OSError):
            loose = _read(os.path.join(folder, ref))
            if _is_id(loose):
                return loose
    with contextlib.suppress(OSError):
        for line in _read(os.path.join(common, "packed-refs")).splitlines():
            sha, _, name = line.partition(" ")
            if name == ref and _is_id(sha):
                return sha
    return None


def is_shallow(root: str) -> bool:
    """Whether the clone at `root` lacks part of its history (git keeps `shallow` in its
    directory exactly then)."""
    git_dir = _git_dir(root)
    if git_dir is not None:
        return os.path.exists(os.path.join(_common(git_dir), "shallow"))
    return (git.run(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true"


def _git_dir(root: str) -> str | None:
    """The git directory of the work tree holding `root`, or None."""
    from versync._fs.listing import work_tree

    top = work_tree(root)
    if top is None:
        return None
    git_dir = os.path.join(top, ".git")
    if not os.path.isfile(git_dir):
        return git_dir
    try:
        line = _read(git_dir)
    except OSError:
        return None
    if not line.startswith("gitdir:"):
        return None
    return os.path.join(top, line.partition(":")[2].strip())


def _common(git_dir: str) -> str:
    """The common directory of a git directory (another one for a linked worktree)."""
    with contextlib.suppress(OSError):
        return os.path.normpath(os.path.join(git_dir, _read(os.path.join(git_dir, "commondir"))))
    return git_dir


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read().strip()


def _is_id(text: str) -> bool:
    return len(text) in (40, 64) and all(c in "0123456789abcdef" for c in text)
