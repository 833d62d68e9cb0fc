"""`bump --commit --tag`: the release commit and its tag, checked before anything is written.

The plan is applied first and git runs after, so versync holds nothing while the repository's
own hooks (versync's included) run, as they would for any commit.
"""

from __future__ import annotations

from typing import NamedTuple

from packaging.version import Version

from versync._fs import git
from versync.change.bump import bump_targets, target_version
from versync.change.context import Context
from versync.change.plan import Plan
from versync.change.tags import commit_message, release_scope_of, tag_name
from versync.errors import UsageError

_STATES = {"??": "is not tracked by git", "A": "is staged as a new file"}


class ReleaseOutcome(NamedTuple):
    """What a release did: the files written, the commit (None when git refused it or there
    was nothing to commit), the tag made (or None), and what git printed."""

    files: list[str]
    commit: str | None
    tag: str | None
    output: str
    refused: bool  # git refused the commit (a hook failed): the files stay written


class Release:
    """A bump plan with the commit and tag that follow it; made by `Workspace.release`,
    after every check that can refuse it has passed. `apply()` writes, commits and tags."""

    def __init__(self, root: str, plan: Plan, message: str, tag: str | None, version: str) -> None:
        self.root = root
        self.plan = plan
        self.message = message
        self.tag = tag
        self.version = version

    def __repr__(self) -> str:
        return f"Release({self.message!r}, tag={self.tag!r}, {len(self.plan.files)} files)"

    def apply(self) -> ReleaseOutcome:
        """Write the plan, then commit exactly its files with `message`, then make the
        annotated tag on that commit. A commit git refuses leaves the files written
        (`refused`); no tag is made then. A plan that writes nothing commits nothing, and the
        tag goes on HEAD, whose files already hold the release's versions."""
        files = self.plan.apply()
        output = ""
        commit: str | None = None
        if files:
            code, output = git.call(self.root, "commit", "-m", self.message, "--", *files)
            if code != 0:
                return ReleaseOutcome(files, None, None, output, refused=True)
            commit = (git.run(self.root, "rev-parse", "HEAD") or "").strip() or None
        if self.tag is None:
            return ReleaseOutcome(files, commit, None, output, refused=False)
        code, tagged = git.call(self.root, "tag", "-a", self.tag, "-m", self.message)
        if code != 0:
            return ReleaseOutcome(files, commit, None, output + tagged, refused=True)
        return ReleaseOutcome(files, commit, self.tag, output + tagged, refused=False)


def plan_release(
    context: Context,
    plan: Plan,
    version: str | Version,
    tag: bool,
    pre: str | None,
    group: str | None,
    package: str | None,
) -> Release:
    """The release of the bump `plan` (made with these arguments): its commit message, its
    tag (with `tag`), after `check_releasable` has passed."""
    text = target_version(context, version, pre=pre, group=group, package=package)
    targets = bump_targets(context, group, package)
    scope = release_scope_of(context.model, targets, group, package)
    name = tag_name(context.config, scope, text) if tag else None
    paths = [change.path for change in plan.files] or [
        p.primary.file for p in targets if p.primary is not None
    ]
    check_releasable(context.root, paths, name)
    return Release(context.root, plan, commit_message(context.config, scope, text), name, text)


def check_releasable(root: str, paths: list[str], tag: str | None) -> None:
    """Refuse (`UsageError`), before anything is written, a release commit outside git, one
    that would sweep in edits of its own to a file the bump changes, or a tag that exists."""
    if not git.is_work_tree(root):
        raise UsageError(f"{root} is not in a git work tree: --commit and --tag need git")
    dirty = git.dirty(root, paths)
    if dirty:
        path, code = sorted(dirty.items())[0]
        state = _STATES.get(code, _STATES.get(code.strip(), "has uncommitted changes"))
        more = f" (and {len(dirty) - 1} more)" if len(dirty) > 1 else ""
        raise UsageError(
            f"{path} {state}{more}: the release commit would include them; "
            "commit or stash them first, then bump again"
        )
    if tag is not None:
        valid, _ = git.call(root, "check-ref-format", f"refs/tags/{tag}")
        if valid != 0:
            raise UsageError(f"tag {tag!r} is not a valid git tag name (see the tag template)")
        if git.tag_exists(root, tag):
            raise UsageError(
                f"tag {tag} already exists: choose another version, or delete the tag "
                f"(git tag -d {tag}) if it was never pushed"
            )
