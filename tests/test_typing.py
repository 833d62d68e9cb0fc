"""`versync._typing`: at run time, its `NamedTuple` makes what `typing.NamedTuple` makes."""

from __future__ import annotations

import typing
from typing import Any

import pytest

from versync import _typing


def _classes(base: Any) -> Any:
    class Point(base):  # type: ignore[misc]
        """A point."""

        x: int
        y: int = 0
        label: str = "origin"

        def moved(self, by: int) -> Any:
            return self._replace(x=self.x + by)

        @property
        def total(self) -> Any:
            return self.x + self.y

    return Point


def test_the_named_tuple_stand_in_makes_what_typing_makes() -> None:
    ours, theirs = _classes(_typing.NamedTuple), _classes(typing.NamedTuple)
    for attribute in ("_fields", "_field_defaults", "__doc__", "__module__", "__qualname__"):
        assert getattr(ours, attribute) == getattr(theirs, attribute), attribute
    for made in (ours(1), ours(1, 2, "a"), ours(x=3, label="b")):
        kept = theirs(*made)
        assert tuple(made) == tuple(kept)
        assert repr(made).replace("Point", "") == repr(kept).replace("Point", "")
        assert made.moved(2) == kept.moved(2) and made.total == kept.total
        assert made._asdict() == kept._asdict()
    assert ours(1) == ours(1, 0, "origin") and hash(ours(1)) == hash(theirs(1))
    assert issubclass(ours, tuple)


@pytest.mark.parametrize("base", [_typing.NamedTuple, typing.NamedTuple], ids=["ours", "typing"])
def test_a_field_without_default_after_one_with_is_refused(base: Any) -> None:
    with pytest.raises(TypeError):

        class Bad(base):  # type: ignore[misc]
            x: int = 0
            y: int


@pytest.mark.parametrize("base", [_typing.NamedTuple, typing.NamedTuple], ids=["ours", "typing"])
def test_a_body_may_not_redefine_what_a_named_tuple_makes(base: Any) -> None:
    with pytest.raises(AttributeError):

        class Bad(base):  # type: ignore[misc]
            x: int

            def _replace(self) -> None:  # pragma: no cover - never called
                pass


def test_cast_and_dataclass_transform_change_nothing_at_run_time() -> None:
    value = object()
    assert _typing.cast("int", value) is value
    assert _typing.dataclass_transform(frozen_default=True)(int) is int
