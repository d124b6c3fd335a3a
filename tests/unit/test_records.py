"""Compact records: the loaders' records behave exactly like the pydantic models they are, and
share repeated text, on every load path (reference, fast, disk cache)."""

from __future__ import annotations

import copy
import datetime as dt
import gc
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from stances import cache, fastload
from stances.generate import generate
from stances.load import load_dataset, parse_dataset
from stances.model import Compactor, Dataset, Position

TODAY = dt.date(2026, 1, 1)
VALUES = {
    "actor": "RUS",
    "issue": "bmd",
    "stance": -1,
    "date": "2013-04",
    "speaker": "Sergei Ryabkov",
    "role": "Deputy Foreign Minister",
    "voice": "official",
    "quote": "We feel no euphoria.",
    "source": "orf",
}


def loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Dataset]:
    """The same generated file through every load path."""
    path = tmp_path / "positions.yaml"
    path.write_text(generate(60, 3), encoding="utf-8")
    monkeypatch.setattr(cache, "MIN_BYTES", 0)
    text = path.read_text(encoding="utf-8")
    found = {
        "reference": parse_dataset(text, label=str(path), today=TODAY, fast=False),
        "stored": load_dataset(path, today=TODAY),  # parsed, then written to the disk cache
        "cache hit": load_dataset(path, today=TODAY),
    }
    if fastload.available():
        found["fast"] = parse_dataset(text, label=str(path), today=TODAY)
    return found


def test_compact_record_equals_the_validated_one() -> None:
    validated = Position.model_validate(VALUES).at(12, 5)
    compact = Compactor().compact(validated)
    assert type(compact) is Position
    assert compact == validated and hash(compact) == hash(validated)
    assert compact.model_dump() == validated.model_dump()
    assert compact.model_fields_set == validated.model_fields_set == set(VALUES)
    assert (compact.line, compact.column) == (12, 5)
    assert repr(compact) == repr(validated)
    assert compact.model_dump_json(exclude_unset=True) == validated.model_dump_json(exclude_unset=True)
    with pytest.raises(Exception, match="frozen"):
        compact.stance = 2  # type: ignore[misc]


def test_records_at_different_places_differ_and_copies_keep_their_place() -> None:
    record = Compactor().compact(Position.model_validate(VALUES).at(12, 5))
    assert record != Position.model_validate(VALUES).at(13, 5)
    assert Position.model_validate(VALUES) == Position.model_validate(VALUES)  # both at line 0
    assert Position.model_validate(VALUES).line == 0
    for copied in (copy.copy(record), copy.deepcopy(record), record.model_copy()):
        assert copied == record and (copied.line, copied.column) == (12, 5)
    changed = record.model_copy(update={"stance": 2})
    assert changed.stance == 2 and record.stance == -1
    assert record.model_fields_set == set(VALUES)  # the shared set was not touched by the copy


def test_compact_record_is_much_smaller() -> None:
    def allocated(build) -> int:
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            kept = [build(n) for n in range(200)]
            return (tracemalloc.get_traced_memory()[0] - before) // len(kept)
        finally:
            tracemalloc.stop()

    compactor = Compactor()
    validated = [Position.model_validate({**VALUES, "quote": f"Quote {n}."}).at(n + 1, 5) for n in range(200)]
    pydantic_built = allocated(lambda n: Position.model_validate({**VALUES, "quote": f"Quote {n}."}).at(n + 1, 5))
    compact = allocated(lambda n: compactor.compact(validated[n]))
    assert compact * 3 < pydantic_built, (compact, pydantic_built)


def test_every_load_path_gives_the_same_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = loads(tmp_path, monkeypatch)
    expected = found.pop("reference")
    for name, dataset in found.items():
        for section in ("actors", "issues", "sources", "positions"):
            got, want = getattr(dataset, section), getattr(expected, section)
            assert got == want, (name, section)
            assert [(r.model_fields_set, r.line, r.column) for r in got] == [
                (r.model_fields_set, r.line, r.column) for r in want
            ], (name, section)


def test_repeated_text_is_shared_on_every_load_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, dataset in loads(tmp_path, monkeypatch).items():
        positions = dataset.positions
        for field in ("actor", "issue", "source", "voice", "language", "speaker", "role", "date"):
            distinct = {getattr(p, field) for p in positions}
            objects = {id(getattr(p, field)) for p in positions}
            assert len(objects) == len(distinct), (name, field)
        assert len({id(p.model_fields_set) for p in positions}) == len(
            {frozenset(p.model_fields_set) for p in positions}
        )


def test_records_stay_compact_after_pydantic_built_many(tmp_path: Path) -> None:
    # In a fresh interpreter: thousands of records validated by pydantic first (as the fast path
    # does a batch at a time), then compact ones must still keep their fields in the class's shared
    # table (CPython stops adding names to it once a few dozen objects exist).
    script = """
import sys, tracemalloc
from stances.model import Compactor, Position
values = {"actor": "RUS", "issue": "bmd", "stance": 1, "date": "2013", "speaker": "S", "role": "R",
          "voice": "official", "quote": "Q.", "source": "src"}
validated = [Position.model_validate(values) for _ in range(3000)]
compactor = Compactor()
tracemalloc.start()
before = tracemalloc.get_traced_memory()[0]
kept = [compactor.compact(record, 10_000 + n, 5) for n, record in enumerate(validated)]
print((tracemalloc.get_traced_memory()[0] - before) // len(kept))
"""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True)
    assert int(done.stdout) < 400, done.stdout  # a record with a dict of its own takes about 600 bytes
