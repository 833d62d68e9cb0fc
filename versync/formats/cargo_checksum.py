"""`.cargo-checksum.json`: the marker `cargo vendor` leaves in each vendored crate's folder.
Its content does not matter: the crate beside it is a copy of a published release."""

from __future__ import annotations

from versync.formats import Reader, register


def read(path: str, text: str) -> bool:
    """True: the folder holds a vendored crate."""
    return True


READER = register(Reader("vendored-crate", (".cargo-checksum.json",), read))
