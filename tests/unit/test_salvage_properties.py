"""Property: one corrupted line never loses a record that does not contain it.

Precisely. Take the bundled positions.yaml (valid) and corrupt one line so that the file no longer
parses (a YAML syntax error), without adding or removing a line. Call C the record holding the
corrupted line (or the lines before the first record) and R any other record: its lines are
unchanged, at the same line numbers, and so are the lines its reading depends on: its list's key
line (``positions:``) and the line after it, which ends it (when the corrupted line is C's own
``- `` line, the record before C runs on into it). Then:

1. nothing is lost silently: R is loaded (same values, same line), or a problem is located in
   R's lines, or a problem names no record (the whole file or a whole list, which says why);
2. R is loaded, except in two cases where the corruption changes how R's text is read:
   - C, read on its own (its list's key line and its lines), leaves something open at its end,
     a quote or a bracket that libyaml would carry on into the records after it; or
   - R refers to C's id (an actor, issue or source whose own record is broken) and says so with
     an ``unknown-reference`` problem at R's lines;
3. when the top level is intact (stances.salvage.split_units) the broken record itself is
   reported at a line inside C with a ``yaml-syntax`` problem, and both load paths agree.

Run with the project's hypothesis profiles (tests/hypothesis_profiles.py): 60 examples with
``make test``, 2,000 with ``make test-long``.
"""

from __future__ import annotations

import bisect
import datetime as dt
from pathlib import Path

import yaml
from hypothesis import assume, given, note
from hypothesis import strategies as st

from stances import salvage
from stances.load import parse_dataset
from stances.model import SECTIONS, Dataset, Record

POSITIONS = Path(__file__).parents[2] / "positions.yaml"
ORIGINAL = POSITIONS.read_text(encoding="utf-8")
LINES = ORIGINAL.splitlines(keepends=True)
TODAY = dt.date(2100, 1, 1)  # no date in the file is in the future
BASE = parse_dataset(ORIGINAL, label="positions.yaml", today=TODAY)

# every record as (section, record), in file order, and the lines each one spans
RECORDS = sorted(((s, r) for s in SECTIONS for r in getattr(BASE, s)), key=lambda sr: sr[1].line)
STARTS = [r.line for _, r in RECORDS]
KEY_LINES = {section: LINES.index(f"{section}:\n") + 1 for section in SECTIONS}  # 1-based
# a record runs to the next record or to the next list's key line
ENDS = sorted([*STARTS[1:], *KEY_LINES.values(), len(LINES) + 1])
SPANS = [(start, ENDS[bisect.bisect_right(ENDS, start)] - 1) for start in STARTS]
ID_SECTIONS = ("actors", "issues", "sources")

# what a hurried edit inserts: the likeliest mistakes first (': ' in plain text, a stray quote)
PIECES = [
    ": ",
    ": x: ",
    '"',
    "'",
    ' "',
    "[",
    "{",
    "]",
    "}",
    "\t",
    "- ",
    "&a ",
    "*a",
    "|",
    ">",
    "`",
    "@",
    "%",
    "#",
    "\\",
    "\x1b",
]


class Corruption:
    """The corrupted text and its corrupted line (1-based); shown by that line, not 170 kB of text."""

    def __init__(self, text: str, line: int) -> None:
        self.text, self.line = text, line

    def __repr__(self) -> str:
        return f"Corruption(line={self.line}, now={self.text.splitlines()[self.line - 1]!r})"


@st.composite
def corruptions(draw: st.DrawFn) -> Corruption:
    """One line of positions.yaml changed: a piece inserted, characters deleted, or its text
    after the indent replaced."""
    index = draw(st.integers(0, len(LINES) - 1))
    line = LINES[index]
    body = line.rstrip("\n")
    kind = draw(st.sampled_from(["insert", "insert", "delete", "replace"]))
    at = draw(st.integers(0, len(body)))
    if kind == "insert":
        body = body[:at] + draw(st.sampled_from(PIECES)) + body[at:]
    elif kind == "delete":
        body = body[:at] + body[at + draw(st.integers(1, 3)) :]
    else:
        indent = len(body) - len(body.lstrip(" "))
        text = draw(st.text(st.characters(exclude_characters="\n\r\x85\u2028\u2029"), max_size=30))
        body = body[:indent] + text
    ending = line[len(line.rstrip("\n")) :]
    return Corruption("".join([*LINES[:index], body + ending, *LINES[index + 1 :]]), index + 1)


def holder(line: int) -> int | None:
    """The index in RECORDS of the record spanning ``line`` (None outside every record: the lines
    before the first, a list's key line and the comments after it)."""
    n = bisect.bisect_right(STARTS, line) - 1
    return n if n >= 0 and line <= SPANS[n][1] else None


def leaves_open(corruption: Corruption, n: int | None) -> bool:
    """Whether the corrupted record, read on its own, leaves a quote or bracket open at its end."""
    if n is None:  # from the key line above (or the start) to the next record
        first = max([1, *(k for k in KEY_LINES.values() if k <= corruption.line)])
        last, head = min([len(LINES), *(s - 1 for s in STARTS if s > corruption.line)]), ""
    else:
        first, last = SPANS[n]
        head = f"{RECORDS[n][0]}:\n"
    lines = corruption.text.splitlines(keepends=True)[first - 1 : last]
    try:
        for _ in yaml.parse(head + "".join(lines), Loader=yaml.CSafeLoader):
            pass
    except yaml.YAMLError as exc:
        return "end of stream" in str(exc) or "<stream end>" in str(exc)
    return False


def loaded(dataset: Dataset, section: str, record: Record) -> bool:
    return any(r.line == record.line and r == record for r in getattr(dataset, section))


def ended(corruption: Corruption) -> int | None:
    """The record the corrupted line ended (its next ``- `` line or key line), if any: its text
    now runs on into the corrupted line."""
    n = bisect.bisect_right(STARTS, corruption.line - 1) - 1
    return n if n >= 0 and SPANS[n][1] == corruption.line - 1 else None


def touched(corruption: Corruption, n: int | None) -> set[int]:
    """The records (indexes in RECORDS) whose reading the corrupted line changes: the one holding
    it, the one it ended, every record of a list whose key line it was, and every record after it
    when it leaves a quote or bracket open."""
    found = {i for i in (n, ended(corruption)) if i is not None}
    found |= {index for index, (section, _) in enumerate(RECORDS) if corruption.line == KEY_LINES[section]}
    if leaves_open(corruption, n):
        found |= set(range(bisect.bisect_right(STARTS, corruption.line), len(RECORDS)))
    return found


def refers_to(dataset: Dataset, first: int, last: int, ids: set[str]) -> bool:
    """Whether an unknown-reference problem in lines ``first``..``last`` names one of ``ids``."""
    return any(
        p.type == "unknown-reference" and first <= (p.line or 0) <= last and any(f"'{i}'" in p.message for i in ids)
        for p in dataset.errors
    )


def test_the_bundled_file_has_records_in_every_section() -> None:
    assert BASE.errors == [] and {s for s, _ in RECORDS} == set(SECTIONS) and len(RECORDS) > 100


@given(corruptions())
def test_one_corrupted_line_never_loses_a_record_that_does_not_contain_it(corruption: Corruption) -> None:
    raw = parse_dataset(corruption.text, label="positions.yaml", today=TODAY, recover=False)
    assume(salvage.stopped(raw))  # the file no longer parses: what the recovery is for
    dataset = parse_dataset(corruption.text, label="positions.yaml", today=TODAY)
    n = holder(corruption.line)
    note(f"corrupted line {corruption.line}: {corruption.text.splitlines()[corruption.line - 1]!r}")
    note("\n".join(p.format() for p in dataset.problems[:10]))
    whole = [p for p in dataset.errors if "[" not in p.loc]  # the file, a header key or a whole list
    intact = salvage.split_units(corruption.text) is not None
    excused = touched(corruption, n)
    lost = [index for index, (section, record) in enumerate(RECORDS) if not loaded(dataset, section, record)]
    for _ in range(3):  # a record naming an excused lost id is excused (a bloc's members, then positions)
        ids = {RECORDS[i][1].id for i in lost if i in excused and RECORDS[i][0] in ID_SECTIONS}  # type: ignore[attr-defined]
        excused |= {i for i in lost if refers_to(dataset, *SPANS[i], ids)}
    merged = ended(corruption)  # the record that runs on into the corrupted line
    for index in lost:
        section, (first, last) = RECORDS[index][0], SPANS[index]
        if index == merged:
            last = corruption.line if n is None else SPANS[n][1]
        located = [p for p in dataset.problems if p.line is not None and first <= p.line <= last]
        assert located or whole, f"{section} at line {first} lost silently"
        if intact:  # else the file is left unread, with its one error
            assert index in excused, f"{section} at line {first} lost though its text is read the same"
    if intact and n is not None:  # the broken record is reported in its own lines
        first, last = SPANS[n if merged is None else merged][0], SPANS[n][1]
        assert any(p.type == "yaml-syntax" and first <= (p.line or 0) <= last for p in dataset.errors)
    reference = parse_dataset(corruption.text, label="positions.yaml", today=TODAY, fast=False)
    assert [p.format() for p in reference.problems] == [p.format() for p in dataset.problems]
    assert all(getattr(reference, s) == getattr(dataset, s) for s in SECTIONS)
