"""JSON for `bump --commit --tag`: what was written, the release commit and its tag."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from versync.change.commit import Release, ReleaseOutcome


def release_json(release: Release, outcome: ReleaseOutcome | None) -> str:
    """The release: version, message, tag and files; after `apply`, the commit made, the tag
    made, whether git refused, and what git printed."""
    document: dict[str, Any] = {
        "version": release.version,
        "message": release.message,
        "tag": release.tag,
        "notes": list(release.plan.notes),
    }
    if outcome is None:
        document["would_write"] = [c.path for c in release.plan.files]
        document["diff"] = release.plan.diff()
    else:
        document["written"] = outcome.files
        document["commit"] = outcome.commit
        document["tag"] = outcome.tag
        document["refused"] = outcome.refused
        document["git_output"] = outcome.output
    return json.dumps(document, indent=2)
