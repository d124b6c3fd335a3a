"""A record as read from the file, before it is trusted: its values and where each one is written.

Both load paths hand the checks the same neutral type, whatever parser read the text: the
reference path fills every place from PyYAML's marks, the fast path only the record's own line
and column (it vouches for clean records only, so no problem is ever placed from there). The
checks of one record (stances.record_problems), across records (stances.validate) and the
append preview (stances.append) read nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from stances.model import Record
from stances.problems import MAX_PROBLEMS, Problem

ALWAYS_LISTED = frozenset({"too-many-aliases", "too-deep"})  # once per file, past MAX_PROBLEMS too
INVALID: Any = object()  # a value that already produced a problem


class Place(NamedTuple):
    """Where a key or value is written: 1-based line and column, and for a scalar its text as
    written and whether it was plain (no quotes); for a list, the place of each item. (A tuple:
    the reference path makes one per key and value, and a tuple is made three times faster.)"""

    line: int
    column: int
    text: str | None = None
    plain: bool = False
    items: tuple[Place, ...] = ()


NOWHERE: Mapping[str, Place] = {}


class Fields:
    """One mapping of a record list as read: ``section[index]``, its first key's place, its values
    and where each key and value is written (the reference path knows them all)."""

    __slots__ = ("column", "index", "keys", "line", "places", "section", "values")

    def __init__(
        self,
        section: str,
        index: int,
        line: int,
        column: int,
        values: Mapping[str, Any],
        keys: Mapping[str, Place] = NOWHERE,
        places: Mapping[str, Place] = NOWHERE,
    ) -> None:
        self.section, self.index, self.line, self.column = section, index, line, column
        self.values = values
        self.keys = keys  # where each key is written
        self.places = places  # where each value is written

    @property
    def loc(self) -> str:
        """``positions[3]``."""
        return f"{self.section}[{self.index}]"

    def value(self, name: str) -> Any:
        """The value of field ``name`` as read (None when absent)."""
        return self.values.get(name)

    def text(self, name: str) -> str | None:
        """The value of ``name`` when it is text, else None."""
        value = self.value(name)
        return value if isinstance(value, str) else None

    def place(self, name: str) -> Place | None:
        """Where the value of ``name`` is written, if known."""
        return self.places.get(name)


class RecordFields(Fields):
    """The fields of a record read clean by the fast path: its values are the record's attributes
    and its place the record's own; nothing else is known (no problem is placed from there). Made
    for every record of a large file, so it holds only the record and its index."""

    __slots__ = ("record",)

    def __init__(self, section: str, index: int, record: Record) -> None:
        self.section, self.index, self.record = section, index, record

    # what the base class holds per record, derived here (these override its slots)
    line = property(lambda self: self.record.line)  # type: ignore[assignment]
    column = property(lambda self: self.record.column)  # type: ignore[assignment]
    keys = property(lambda self: NOWHERE)  # type: ignore[assignment]
    places = property(lambda self: NOWHERE)  # type: ignore[assignment]

    def value(self, name: str) -> Any:
        """The record's attribute ``name`` (None when it has none)."""
        return getattr(self.record, name, None)

    def text(self, name: str) -> str | None:
        """The record's attribute ``name`` when it is text, else None (read for every reference of
        every record: one call rather than two)."""
        value = getattr(self.record, name, None)
        return value if isinstance(value, str) else None


Entry = tuple[Record | None, Fields]  # a record (None where it has a problem of its own) and its fields


class Report:
    """The problems of one file, in the order found; past MAX_PROBLEMS they are only counted."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.problems: list[Problem] = []
        self.reported = 0  # problems found, listed or not

    @property
    def full(self) -> bool:
        """True once MAX_PROBLEMS problems are listed: further ones are only counted (skip costly hints)."""
        return self.reported >= MAX_PROBLEMS

    def add(self, kind: str, place: Place | None, loc: str, message: str, hint: str = "", **kw: Any) -> None:
        """Record a problem at ``place``."""
        self.reported += 1
        if self.reported > MAX_PROBLEMS and kind not in ALWAYS_LISTED:
            return
        line, column = (place.line, place.column) if place is not None else (None, None)
        self.problems.append(Problem(kind, message, self.label, line, column, loc, hint, **kw))
