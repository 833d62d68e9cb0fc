"""What the planner is given by the façade: the model, the configuration, and how to read
the scanned files. The change layer never imports the workspace."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from versync._fs.reading import Stamp
from versync.model import Model
from versync.model.config import Config
from versync.records import Package
from versync.syntax.text import FileText


class Context(NamedTuple):
    """A scanned repository, as the planner needs it."""

    root: str
    model: Model
    config: Config
    read: Callable[[str], FileText]  # a scanned file, as it was scanned
    proving_stamp: Callable[[str], Stamp | None]  # see `Workspace.proving_stamp`
    find_package: Callable[[str], Package | None]
