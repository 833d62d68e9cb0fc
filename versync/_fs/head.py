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
    found = _git_dirs(root)
    if found is not None:
        git_dir, common = found
        try:
            text = _read(os.path.join(git_dir, "HEAD"))
            ref = text.removeprefix("ref: ") if text.startswith("ref: ") else None
            if ref is None and _is_id(text):
                return text
            if ref is not None and ref.startswith("refs/"):
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
        except OSError:
            pass
    return resolve(root, "HEAD")


def is_shallow(root: str) -> bool:
    """Whether the clone at `root` lacks part of its history (git keeps `shallow` in its
    directory exactly then)."""
    found = _git_dirs(root)
    if found is not None:
        return os.path.exists(os.path.join(found[1], "shallow"))
    return (git.run(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true"


def _git_dirs(root: str) -> tuple[str, str] | None:
    """The git directory of the work tree holding `root` and the common directory (they differ
    in a linked worktree), or None."""
    from versync._fs.listing import work_tree

    top = work_tree(root)
    if top is None:
        return None
    git_dir = os.path.join(top, ".git")
    try:
        if os.path.isfile(git_dir):
            line = _read(git_dir)
            if not line.startswith("gitdir:"):
                return None
            git_dir = os.path.join(top, line.partition(":")[2].strip())
        common = git_dir
        with contextlib.suppress(OSError):
            common = os.path.join(git_dir, _read(os.path.join(git_dir, "commondir")))
    except OSError:
        return None
    return git_dir, os.path.normpath(common)


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read().strip()


def _is_id(text: str) -> bool:
    return len(text) in (40, 64) and all(c in "0123456789abcdef" for c in text)
