"""bundle.py: a Python file that repeats the version of the package it bundles."""

from __future__ import annotations

from versync._fs.plain import cacheable
from versync.formats import Reader, register
from versync.syntax.python import BundleVersion, bundle_versions


def read(path: str, text: str) -> list[BundleVersion]:
    """Every `"version": "<literal>"` dict item and `version="<literal>"` keyword argument,
    with the package names written beside it."""
    return bundle_versions(path, text)


cacheable(BundleVersion)  # what the scan cache keeps of this file
READER = register(Reader("bundle", ("bundle.py",), read))
