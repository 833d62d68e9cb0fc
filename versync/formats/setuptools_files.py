"""setup.py and setup.cfg: setuptools' own places for a package's name and version."""

from __future__ import annotations

from versync._fs.plain import cacheable
from versync.formats import Reader, register
from versync.syntax.setuptools import SetupInfo, read_setup_cfg, read_setup_py


def read(path: str, text: str) -> SetupInfo | None:
    """The name and version setuptools would build (see `versync.syntax.setuptools`)."""
    if path.endswith(".cfg"):
        return read_setup_cfg(path, text)
    return read_setup_py(path, text)


cacheable(SetupInfo)  # what the scan cache keeps of this file
READER = register(Reader("setuptools", ("setup.py", "setup.cfg"), read))
