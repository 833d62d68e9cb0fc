"""bundle.py: a Python file that repeats the version of the package it bundles."""

from __future__ import annotations

from versync.formats import Reader, register
from versync.records import Span
from versync.syntax.python import bundle_versions


def read(path: str, text: str) -> list[Span]:
    """Every `"version": "<literal>"` dict item and `version="<literal>"` keyword argument."""
    return bundle_versions(path, text)


READER = register(Reader("bundle", ("bundle.py",), read))
