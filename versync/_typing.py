"""The `typing` names the modules of the warm path need when they run, without importing
`typing` (about 2 ms of a 25 ms hook run on the release guide's layout).

A type checker sees `typing`'s own names. At run time, `TYPE_CHECKING` is False, `cast`
returns its value, `dataclass_transform` leaves what it decorates as it is, and a class that
derives from `NamedTuple` becomes the `collections.namedtuple` that `typing.NamedTuple` would
make of it: the annotated fields (a class attribute is the field's default), then the
methods, properties and docstring of the class body. Annotations are never evaluated
(`from __future__ import annotations`), so no other name is needed at run time.
"""

from __future__ import annotations

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
    from typing import cast as cast
    from typing import dataclass_transform as dataclass_transform
else:
    import collections

    # As `typing.NamedTuple`: names the class body may not define, and those not copied.
    _PROHIBITED = frozenset(
        {
            "__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults",
            "_make", "_replace", "_asdict", "_source",
        }
    )  # fmt: skip
    _SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})

    class _NamedTupleMeta(type):
        def __new__(mcls, name, bases, namespace):
            if not bases:  # `NamedTuple` itself
                return super().__new__(mcls, name, bases, namespace)
            fields = tuple(namespace.get("__annotations__", {}))
            defaults = [namespace[field] for field in fields if field in namespace]
            if any(field not in namespace for field in fields[len(fields) - len(defaults) :]):
                raise TypeError(f"{name}: a field without a default follows one with a default")
            made = collections.namedtuple(
                name, fields, defaults=defaults, module=namespace["__module__"]
            )
            for key, value in namespace.items():
                if key in _PROHIBITED:
                    raise AttributeError(f"cannot overwrite NamedTuple attribute {key}")
                if key not in _SPECIAL and key not in fields:
                    setattr(made, key, value)
            return made

    class NamedTuple(metaclass=_NamedTupleMeta):
        """Derive from this, as from `typing.NamedTuple`."""

    def cast(_type, value):
        return value

    def dataclass_transform(**_options):
        return lambda decorated: decorated
