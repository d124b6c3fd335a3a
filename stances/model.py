"""Typed records of a positions dataset and the stance scale.

Every record forbids unknown fields, so a misspelt key is a problem rather than a silently
ignored value. Text fields are strict: a YAML bool or number where text belongs is an error
(the loader turns it into a message with the hint "put it in quotes").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from stances.problems import Problem, quoted

DEFAULT_SCALE: dict[int, str] = {
    -2: "strongly opposes",
    -1: "opposes",
    0: "ambiguous or conditional",
    1: "supports",
    2: "strongly supports",
}

# [0-9], not \d: Python's \d (and int()) take any Unicode digit, '٢٠٢٠' or '２０２０' (JSON Schema's does not)
PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
_ANY_DIGITS_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")  # the same in any script's digits
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


# Who is speaking: a government, an analyst, or the source's own paraphrase.
Voice = Literal["official", "expert", "reported"]
VOICES: tuple[str, ...] = ("official", "expert", "reported")
# What each voice means, for whoever codes a position (the Add page shows it under each choice).
VOICE_MEANINGS: dict[str, str] = {
    "official": "speaks for a government or bloc: minister, spokesperson, head of state, a summit declaration",
    "expert": "an analyst or former official speaking for themselves",
    "reported": "the source's paraphrase: the quote is the source's sentence, not the speaker's words",
}
# A country (ISO 3166-1 alpha-3 id) or a bloc of countries (upper-case id).
ActorKind = Literal["country", "bloc"]


def normalise_partial_date(value: object) -> str:
    """Return ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` for a year int, a date or such a string.

    Raises ValueError for anything else, including impossible days such as ``2013-02-30``.
    """
    if isinstance(value, bool):
        raise ValueError("expected a date such as 2013, 2013-04 or 2013-04-05, got a yes/no value")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("expected a date such as 2013, 2013-04 or 2013-04-05")
    return _normalise_date_text(value)


@lru_cache(maxsize=4096)  # a dataset repeats its dates: 100,000 positions hold a few thousand
def _normalise_date_text(value: str) -> str:
    match = PARTIAL_DATE.match(value.strip())
    if not match and _ANY_DIGITS_DATE.match(value.strip()):
        raise ValueError(f"{quoted(value)} is written with digits other than 0-9")
    if not match:
        raise ValueError(f"{quoted(value)} is not a date")  # the loader's hint says how to write one
    year, month, day = match.groups()
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"'{value}' has no month {month}: months run 01 to 12")
    if day is not None:
        try:
            dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"'{value}' is not a day of the calendar") from None
    return value.strip()


def date_start(partial: str) -> dt.date:
    """The first day a partial date can mean: ``2013`` -> 2013-01-01, ``2013-04`` -> 2013-04-01."""
    parts = [int(p) for p in partial.split("-")]
    while len(parts) < 3:
        parts.append(1)
    return dt.date(parts[0], parts[1], parts[2])


def date_precision(partial: str) -> Literal["year", "month", "day"]:
    """How precise a partial date is."""
    return ("year", "month", "day")[partial.count("-")]


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/]+", value, flags=re.IGNORECASE):
        raise ValueError("only http:// and https:// links are allowed")
    if any(ch.isspace() for ch in value):
        raise ValueError("a URL cannot contain spaces")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


PartialDate = Annotated[
    str,
    BeforeValidator(normalise_partial_date),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}, {"type": "integer"}]}
    ),
]
Text = Annotated[StrictStr, AfterValidator(_not_blank)]
HttpUrl = Annotated[StrictStr, AfterValidator(_http_url)]
Identifier = Annotated[StrictStr, Field(pattern=ID_PATTERN, max_length=100)]


class Record(BaseModel):
    """Base of every record: unknown fields forbidden, position in the file kept beside the fields.

    A dataset holds up to 100,000 records, so the loaders build them compactly with
    :meth:`assemble`: the same frozen pydantic model (attribute access, ``model_dump``, equality,
    ``model_fields_set``), without the per-record dicts pydantic's own construction makes.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    # Plain slots rather than pydantic private attributes: a private attribute costs a dict per record.
    __slots__ = ("_column", "_line")

    @property
    def line(self) -> int:
        """1-based line of the record's first key in the YAML file (0 when not from a file)."""
        return getattr(self, "_line", 0)

    @property
    def column(self) -> int:
        """1-based column of the record's first key in the YAML file."""
        return getattr(self, "_column", 0)

    def at(self, line: int, column: int) -> Record:
        """Remember where the record starts in its file; returns self for chaining."""
        object.__setattr__(self, "_line", line)
        object.__setattr__(self, "_column", column)
        return self

    @classmethod
    def assemble(cls, values: Sequence[Any], fields_set: set[str], line: int = 0, column: int = 0) -> Self:
        """A record from values that passed this model's validation, in ``model_fields`` order.

        Nothing is checked: the caller vouches for the values (a record pydantic built, or a cache
        entry written from such records). The fields are set one by one in the same order on every
        record, so CPython keeps them in one compact array per record that shares its keys with the
        class (a pydantic-built record holds a dict of its own: about 1.5 KB against 0.2 KB).
        ``fields_set`` is shared, never modified (pydantic copies it before any change).
        """
        record = cls.__new__(cls)
        for name, value in zip(cls.model_fields, values, strict=True):
            _set(record, name, value)
        _set(record, "__pydantic_fields_set__", fields_set)
        _set(record, "__pydantic_extra__", None)
        _set(record, "__pydantic_private__", None)
        _set(record, "_line", line)
        _set(record, "_column", column)
        return record

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Record) and (self.line, self.column) != (other.line, other.column):
            return False  # records at different places in a file are different records
        return super().__eq__(other)

    __hash__ = BaseModel.__hash__

    def __copy__(self) -> Self:
        return super().__copy__().at(self.line, self.column)

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        return super().__deepcopy__(memo).at(self.line, self.column)


_set = object.__setattr__


class Compactor:
    """Builds compact records for one load: repeated text shared, one fields_set per distinct set.

    A YAML or JSON parser makes a new str for every occurrence of an id, a date or a speaker; a
    dataset of 100,000 positions holds a few hundred distinct ones. Long free text (quotes, notes)
    is left alone: it rarely repeats.
    """

    FREE_TEXT = frozenset({"quote", "translation", "note", "question", "description", "title", "url", "name"})

    def __init__(self, share: bool = True) -> None:
        # share=False: a dataset read once and dropped (a command's check) keeps pydantic's own
        # records; rebuilding them saves memory only for a dataset that stays (the dashboard's)
        self.share = share
        self.strings: dict[str, str] = {}
        self.sets: dict[frozenset[str], set[str]] = {}
        self.shared: dict[type[Record], tuple[bool, ...]] = {}

    def fields_set(self, names: Iterable[str]) -> set[str]:
        """The one shared set equal to ``names``."""
        key = frozenset(names)
        found = self.sets.get(key)
        if found is None:
            found = self.sets[key] = set(key)
        return found

    def texts(self, values: list[Any]) -> list[Any]:
        """``values`` with each str replaced by the one shared str equal to it (others unchanged)."""
        setdefault = self.strings.setdefault
        return [setdefault(v, v) if type(v) is str else v for v in values]

    def record(
        self, model: type[Record], values: Sequence[Any], names: Iterable[str], line: int, column: int
    ) -> Record:
        """``model.assemble`` with repeated text shared (``values`` in ``model_fields`` order)."""
        shared = self.shared.get(model)
        if shared is None:
            shared = self.shared[model] = tuple(name not in self.FREE_TEXT for name in model.model_fields)
        setdefault = self.strings.setdefault
        values = [setdefault(v, v) if s and type(v) is str else v for v, s in zip(values, shared, strict=True)]
        return model.assemble(values, self.fields_set(names), line, column)

    def compact(self, record: Record, line: int | None = None, column: int | None = None) -> Record:
        """A compact copy of a record pydantic built: same values and fields set, at ``line`` and
        ``column`` (default: the record's own)."""
        if not self.share:
            return record.at(record.line if line is None else line, record.column if column is None else column)
        model, fields = type(record), record.__dict__
        values = [fields[name] for name in model.model_fields]
        line = record.line if line is None else line
        column = record.column if column is None else column
        return self.record(model, values, record.model_fields_set, line, column)


class Actor(Record):
    """A country or a bloc whose statements are recorded."""

    id: Identifier = Field(description="ISO 3166-1 alpha-3 code for a country; an upper-case id for a bloc.")
    name: Text = Field(description="Name shown in charts.")
    kind: ActorKind = Field("country", description="country or bloc.")
    members: list[Identifier] | None = Field(None, description="For a bloc: ids of its members.")


class Issue(Record):
    """A proposition that a stance agrees or disagrees with."""

    id: Identifier = Field(description="Short lower-case id, e.g. us-nato-bmd-europe.")
    title: Text = Field(description="Short title shown in charts.")
    question: Text = Field(description="The proposition: a stance of 2 strongly supports it.")
    description: Text | None = Field(None, description="Neutral background in a sentence or two.")


class Source(Record):
    """Where a statement was published."""

    id: Identifier = Field(description="Short id, e.g. orf-2013-04-05.")
    publisher: Text = Field(description="Who published the page.")
    title: Text | None = Field(None, description="Title of the page, as published.")
    date: PartialDate | None = Field(None, description="Publication date: YYYY, YYYY-MM or YYYY-MM-DD.")
    url: HttpUrl | None = Field(None, description="http(s) address, exactly as found; never invented.")
    author: Text | None = Field(None, description="Author, where the page names one.")
    note: Text | None = Field(None, description="Anything a reader should know about the source.")


class Position(Record):
    """One stated position of an actor on an issue, with the verbatim quote behind it."""

    # editors check what the model's validator checks: exactly one of actor and actors
    model_config = ConfigDict(json_schema_extra={"oneOf": [{"required": ["actor"]}, {"required": ["actors"]}]})

    actor: Identifier | None = Field(None, description="An actor id (or `actors` for a joint statement).")
    actors: list[Identifier] | None = Field(
        None,
        min_length=2,
        json_schema_extra={"uniqueItems": True},
        description="A joint statement's signatories, in place of `actor`: each holds the stance.",
    )
    issue: Identifier = Field(description="An issue id.")
    stance: StrictInt | None = Field(description="On the scale (default -2..2); null = declined to state.")
    date: PartialDate = Field(description="When it was said: YYYY, YYYY-MM or YYYY-MM-DD.")
    speaker: Text = Field(description="Who said it.")
    role: Text = Field(description="The speaker's office or affiliation at the time.")
    voice: Voice = Field(description="official, expert or reported (the source's paraphrase).")
    quote: Text = Field(description="Verbatim as published; ... marks an omission.")
    language: Annotated[StrictStr, Field(pattern=r"^[a-z]{2}$")] = Field(
        "en", description="ISO 639-1 code of the quote's language."
    )
    translation: Text | None = Field(None, description="A published translation, never our own.")
    translation_source: Identifier | None = Field(None, description="Source id of the translation.")
    source: Identifier = Field(description="A source id.")
    note: Text | None = Field(None, description="Coding rationale.")

    @model_validator(mode="after")
    def _one_actor_key(self) -> Self:
        if self.actor is None and self.actors is None:
            raise PydanticCustomError("missing", "Field required")
        if self.actor is not None and self.actors is not None:
            raise PydanticCustomError("actor_and_actors", "both 'actor' and 'actors'")
        if self.actors is not None and len(set(self.actors)) != len(self.actors):
            raise PydanticCustomError("repeated_signatory", "a signatory is listed twice")
        return self

    @property
    def signatories(self) -> tuple[str, ...]:
        """Every actor that holds this stance: the one ``actor``, or a joint statement's ``actors``."""
        return (self.actor,) if self.actor is not None else tuple(self.actors or ())

    @property
    def joint(self) -> bool:
        """True for a joint statement of several actors."""
        return self.actors is not None


FIELD_ORDER: dict[str, tuple[str, ...]] = {
    name: tuple(model.model_fields)
    for name, model in (("actors", Actor), ("issues", Issue), ("sources", Source), ("positions", Position))
}
RECORD_MODELS: dict[str, type[Record]] = {
    "actors": Actor,
    "issues": Issue,
    "sources": Source,
    "positions": Position,
}
SECTIONS: tuple[str, ...] = tuple(RECORD_MODELS)  # the record lists, in the order of the file format


def _share_field_names(model: type[Record]) -> None:
    """Give the class its shared table of field names now, in model_fields order.

    CPython (3.11+) keeps an object's attributes in a compact array only while its names are in
    its class's shared table, and that table stops taking new names once a few dozen objects of the
    class exist: every record pydantic validates counts, so if thousands were validated before the
    first :meth:`Record.assemble`, every assembled record would fall back to a dict of its own.
    Assembling one record at import fills the table before any other record exists.
    """
    model.assemble([None] * len(model.model_fields), set())


for _model in RECORD_MODELS.values():
    _share_field_names(_model)


class Scale(BaseModel):
    """The stance scale: contiguous integers -k..k, each with a label."""

    model_config = ConfigDict(frozen=True)

    labels: dict[int, str] = Field(default_factory=lambda: dict(DEFAULT_SCALE))

    @property
    def low(self) -> int:
        """The most negative stance."""
        return min(self.labels)

    @property
    def high(self) -> int:
        """The most positive stance."""
        return max(self.labels)

    @property
    def span(self) -> int:
        """high - low: the largest possible distance between two stances."""
        return self.high - self.low

    def label(self, stance: int | None) -> str:
        """The text label of a stance; ``declined to state`` for None."""
        if stance is None:
            return "declined to state"
        return self.labels.get(stance, str(stance))

    def describe(self) -> str:
        """``-2..2`` with labels, for hints."""
        return ", ".join(f"{k} = {v}" for k, v in sorted(self.labels.items()))


class DocumentFields(BaseModel):
    """Top-level keys of the file, for the JSON Schema (records validated one by one)."""

    # only `schema` reads it: built on first use, not on every command's import (~2 ms)
    model_config = ConfigDict(extra="forbid", title="stances positions file", defer_build=True)

    title: Text | None = Field(None, description="Dataset title, shown in every chart's footer.")
    scale: dict[int, Text] | None = Field(None, description="Stance labels from -k to k (default -2..2).")
    actors: list[Actor] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)


TOP_LEVEL_KEYS: tuple[str, ...] = tuple(DocumentFields.model_fields)


@dataclass(slots=True)
class Dataset:
    """Every valid record of a positions file, plus every problem found in it.

    Records with an error are left out; all others are kept, so one typo never hides the rest.
    """

    path: str
    title: str
    scale: Scale
    actors: list[Actor]
    issues: list[Issue]
    sources: list[Source]
    positions: list[Position]
    problems: list[Problem]
    content_hash: str = ""
    # (id and length of the positions list, newest date): revision is asked for several times per
    # page run, and finding the newest of 100,000 dates takes about 0.3 s
    _newest: tuple[int, int, str | None] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def errors(self) -> list[Problem]:
        """Problems that made the loader leave something out."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems worth a look that left nothing out (ties, for instance)."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def newest_date(self) -> str | None:
        """The date of the newest position, as written (None without positions)."""
        if not self.positions:
            return None
        key = (id(self.positions), len(self.positions))
        if self._newest is None or self._newest[:2] != key:
            newest = max(self.positions, key=lambda p: (date_start(p.date), p.date)).date
            self._newest = (*key, newest)
        return self._newest[2]

    @property
    def revision(self) -> str:
        """``<newest position date> · <short content hash>``: traces an image to its data."""
        return f"{self.newest_date or 'no positions'} · {self.content_hash[:7] or 'unsaved'}"

    def actor_names(self) -> dict[str, str]:
        """Actor id -> display name."""
        return {a.id: a.name for a in self.actors}

    def issue_titles(self) -> dict[str, str]:
        """Issue id -> title."""
        return {i.id: i.title for i in self.issues}

    def sources_by_id(self) -> dict[str, Source]:
        """Source id -> record."""
        return {s.id: s for s in self.sources}
