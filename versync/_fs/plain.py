"""Plain values for the caches: records as JSON and back, and nothing that can run code.

A class is rebuilt from a cache only when it was registered with `cacheable`; every JSON
object in a payload is tagged with its class (plain tables are tagged `dict`), so a tag that
is not registered, a missing field or any other surprise makes `decode` raise `ValueError`,
and the cache holding it is ignored. `fingerprint()` names the schema of the shared records
and the build of versync that wrote a cache: a cache from another build is never read.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from versync._typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, TypeVar

    _C = TypeVar("_C", bound=type)

_CLASSES: dict[str, tuple[type, tuple[str, ...]]] = {}
_MAKERS: dict[str, Callable[[dict[str, Any]], Any]] = {}  # tag -> rebuilds a tagged value
_SCALARS = frozenset({str, int, bool, float})


def cacheable(cls: _C) -> _C:
    """Register `cls` as storable in a cache: a `@record` class or a named tuple (stored by
    their fields), or a plain class whose instances keep their state in `__dict__` (stored
    attribute by attribute; the build fingerprint changes whenever its code does)."""
    fields = tuple(getattr(cls, "__record_fields__", None) or getattr(cls, "_fields", None) or ())
    _CLASSES[cls.__name__] = (cls, fields)
    if not fields:
        _MAKERS[cls.__name__] = _attributes_maker(cls)
    elif issubclass(cls, tuple):
        _MAKERS[cls.__name__] = _tuple_maker(cls, fields)
    else:
        _MAKERS[cls.__name__] = _record_maker(cls, fields)
    return cls


def encode(value: object) -> str:
    """`value` as compact JSON; `TypeError` when it holds something that cannot be cached."""
    return json.dumps(_escape(value), default=_tagged, separators=(",", ":"))


def decode(text: str | bytes) -> Any:
    """What `encode` was given; `ValueError` when `text` is not such a document."""
    try:
        return json.loads(text, object_hook=_rebuild)
    except (TypeError, KeyError, AttributeError) as exc:
        raise ValueError(f"not a versync cache document: {exc}") from exc


def fingerprint() -> str:
    """The fields of the shared records, versync's version and the stamps of its own source
    files (which cover every other class a cache may hold): anything that can change what a
    cached value means. It does not depend on which modules happen to be imported."""
    from versync._fs.build import build_stamp

    schema = ";".join(f"{c.__name__}({','.join(_CLASSES[c.__name__][1])})" for c in _RECORDS)
    return f"{'/'.join(map(str, build_stamp()))}|{schema}"


def _escape(value: Any) -> Any:
    """Plain tables tagged, so that no table read from a user's file can pose as a record."""
    if value is None or type(value) in _SCALARS:  # most values: a quick way out
        return value
    if isinstance(value, dict):
        return {"$": "dict", "a": [[key, _escape(item)] for key, item in value.items()]}
    if isinstance(value, list):
        return [_escape(item) for item in value]
    if type(value) is tuple:
        return {"$": "tuple", "v": [_escape(item) for item in value]}
    if isinstance(value, tuple):
        return _tagged(value)  # a named tuple: registered, or refused
    return value


def _tagged(value: object) -> dict[str, Any]:
    name = type(value).__name__
    known = _CLASSES.get(name)
    if known is None or known[0] is not type(value):
        raise TypeError(f"{name} is not cacheable")
    if known[1]:
        return {"$": name, "v": [_escape(getattr(value, field)) for field in known[1]]}
    return {"$": name, "a": [[key, _escape(item)] for key, item in vars(value).items()]}


def _pairs(pairs: object) -> list[tuple[str, Any]]:
    """`[[key, value], ...]` as pairs; `ValueError` for anything else (JSON objects cannot
    carry tables: every JSON object in a payload is a tagged value)."""
    if not isinstance(pairs, list) or not all(
        isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str) for pair in pairs
    ):
        raise ValueError("malformed key-value pairs")
    return [(key, value) for key, value in pairs]


def _rebuild(tagged: dict[str, Any]) -> Any:
    # Called once per JSON object of a cache (thousands per run): kept to a lookup and a call.
    if len(tagged) != 2:
        raise ValueError("unexpected keys in a tagged value")
    return _MAKERS[tagged["$"]](tagged)


def _table(tagged: dict[str, Any]) -> dict[str, Any]:
    return dict(_pairs(tagged["a"]))


def _tuple(tagged: dict[str, Any]) -> tuple[Any, ...]:
    if not isinstance(tagged["v"], list):
        raise ValueError("a tuple that is not a list of values")
    return tuple(tagged["v"])


def _tuple_maker(cls: type, fields: tuple[str, ...]) -> Callable[[dict[str, Any]], Any]:
    def make(tagged: dict[str, Any]) -> Any:
        values = tagged["v"]
        if type(values) is not list or len(values) != len(fields):
            _bad_fields(tagged)
        return cls(*values)

    return make


def _attributes_maker(cls: type) -> Callable[[dict[str, Any]], Any]:
    def make(tagged: dict[str, Any]) -> Any:
        item: Any = object.__new__(cls)
        item.__dict__.update(_pairs(tagged["a"]))
        return item

    return make


def _record_maker(cls: type, fields: tuple[str, ...]) -> Callable[[dict[str, Any]], Any]:
    """A function that builds a `cls` from `{"$": name, "v": [values]}` by setting its slots
    directly (the frozen record's `__setattr__` refuses), generated once per class as
    `@record` generates `__init__`: a loop over the fields costs twice as much per record."""
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls, "bad": _bad_fields}
    scope.update({f"set_{index}": cls.__dict__[name].__set__ for index, name in enumerate(fields)})
    body = "".join(f"    set_{index}(item, values[{index}])\n" for index in range(len(fields)))
    source = (
        "def make(tagged):\n"
        "    values = tagged['v']\n"
        f"    if type(values) is not list or len(values) != {len(fields)}:\n"
        "        bad(tagged)\n"
        "    item = new(cls)\n"
        f"{body}"
        "    return item\n"
    )
    exec(source, scope)  # only field indexes and the fixed names above enter the source
    made: Callable[[dict[str, Any]], Any] = scope["make"]
    return made


def _bad_fields(tagged: dict[str, Any]) -> None:
    raise ValueError(f"{tagged['$']}: not the fields of a {tagged['$']}")


_MAKERS["dict"] = _table
_MAKERS["tuple"] = _tuple


def _records() -> tuple[type, ...]:
    from versync.records import Dependency, Finding, LockEntry, Note, Span

    return tuple(cacheable(cls) for cls in (Span, Dependency, LockEntry, Finding, Note))


_RECORDS = _records()
