"""Property tests: random edits of positions.yaml never make the loader raise or lose an untouched record.

An edit deletes, inserts, duplicates or swaps characters or lines, changes a line's indentation,
inserts random Unicode, or truncates the file. The loader must return a Dataset (never raise), and
every position whose lines the edit did not touch must still be loaded, unless a problem explains
why: one located inside that record (an unknown reference, say), or one that concerns the whole
file (a YAML syntax error, a second document, a broken top-level key).
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

from hypothesis import given, note
from hypothesis import strategies as st

from stances.cli import main
from stances.load import load_dataset, parse_dataset
from stances.model import Dataset, Position
from stances.problems import PROBLEM_TYPES

POSITIONS = Path(__file__).parents[2] / "positions.yaml"
ORIGINAL = POSITIONS.read_text(encoding="utf-8")
LINES = ORIGINAL.splitlines(keepends=True)
BASE = load_dataset(POSITIONS)

# What YAML counts as a line break: inserting one would shift every line number after it.
BREAKS = "\n\r\x85\u2028\u2029"

# Problems that stop the whole file (or a whole section) from being read.
WHOLE_FILE = {
    "file-too-large",
    "not-utf8",
    "binary-file",
    "empty-file",
    "yaml-syntax",
    "multiple-documents",
    "too-deep",
    "too-many-aliases",
    "unsupported-tag",
    "not-a-mapping",
    "too-many-problems",
}


def record_spans(dataset: Dataset) -> list[tuple[int, int]]:
    """(first, last) 1-based lines of each record, in file order: up to the next record or the end."""
    starts = sorted(r.line for r in (*dataset.actors, *dataset.issues, *dataset.sources, *dataset.positions))
    ends = [*(s - 1 for s in starts[1:]), len(LINES)]
    return list(zip(starts, ends, strict=True))


SPANS = dict(
    zip(
        sorted(p.line for p in BASE.positions),
        [s for s in record_spans(BASE) if s[0] in {p.line for p in BASE.positions}],
        strict=True,
    )
)


@dataclass(frozen=True)
class Edit:
    """An edited text, the original lines it touched (1-based, inclusive) and the line shift after them."""

    text: str
    first: int
    last: int
    shift: int


def _char_edit(draw: st.DrawFn) -> Edit:
    index = draw(st.integers(0, len(LINES) - 1))
    line = LINES[index]
    body = line.rstrip("\n")
    at = draw(st.integers(0, len(body)))
    kind = draw(st.sampled_from(["delete", "insert", "duplicate", "swap"]))
    if kind == "delete" and at < len(body):
        body = body[:at] + body[at + 1 :]
    elif kind == "insert":
        char = draw(st.characters(exclude_characters=BREAKS) | st.sampled_from(list("\t :-#'\"[]{}&*!|>%@`")))
        body = body[:at] + char + body[at:]
    elif kind == "duplicate" and at < len(body):
        body = body[:at] + body[at] + body[at:]
    elif kind == "swap" and at + 1 < len(body):
        body = body[:at] + body[at + 1] + body[at] + body[at + 2 :]
    lines = [*LINES[:index], body + line[len(line.rstrip("\n")) :], *LINES[index + 1 :]]
    return Edit("".join(lines), index + 1, index + 1, 0)


def _line_edit(draw: st.DrawFn) -> Edit:
    index = draw(st.integers(0, len(LINES) - 2))
    kind = draw(st.sampled_from(["delete", "insert", "duplicate", "swap", "indent", "dedent"]))
    lines = list(LINES)
    shift = 0
    last = index + 1
    if kind == "delete":
        del lines[index]
        shift = -1
    elif kind == "insert":
        lines.insert(index, draw(st.text(st.characters(exclude_characters=BREAKS), max_size=40)) + "\n")
        shift = 1
    elif kind == "duplicate":
        lines.insert(index, lines[index])
        shift = 1
    elif kind == "swap":
        lines[index], lines[index + 1] = lines[index + 1], lines[index]
        last = index + 2
    elif kind == "indent":
        lines[index] = " " * draw(st.integers(1, 4)) + lines[index]
    elif kind == "dedent":
        lines[index] = lines[index][draw(st.integers(1, 4)) :] if lines[index].startswith(" ") else lines[index]
    return Edit("".join(lines), index + 1, last, shift)


def _truncate(draw: st.DrawFn) -> Edit:
    at = draw(st.integers(0, len(ORIGINAL)))
    text = ORIGINAL[:at]
    first = text.count("\n") + 1
    return Edit(text, first, len(LINES), 0)


@st.composite
def edits(draw: st.DrawFn) -> Edit:
    """One random edit of positions.yaml."""
    return draw(st.sampled_from([_char_edit, _line_edit, _truncate]))(draw)


def key(position: Position) -> tuple:
    # a joint statement's signatories are a list: as a tuple, the record can be a set member
    return tuple(tuple(v) if isinstance(v, list) else v for v in position.model_dump().values())


def untouched_positions(edit: Edit) -> list[tuple[Position, int, int]]:
    """Positions whose lines (and the line on each side) the edit left alone, with their new span."""
    kept = []
    for position in BASE.positions:
        first, last = SPANS[position.line]
        if last < edit.first - 1:
            kept.append((position, first, last))
        elif first > edit.last + 1 and edit.last < len(LINES):
            kept.append((position, first + edit.shift, last + edit.shift))
    return kept


def explained(dataset: Dataset, first: int, last: int) -> bool:
    for problem in dataset.errors:
        if problem.type in WHOLE_FILE or problem.line is None or "[" not in problem.loc:
            return True  # the whole file, or a top-level key such as a duplicated 'positions:'
        if first <= problem.line <= last:
            return True
    return False


def test_the_bundled_dataset_is_valid_and_spans_cover_every_position() -> None:
    assert BASE.errors == []
    assert len(SPANS) == len(BASE.positions) > 10


@given(edits())
def test_an_edit_never_raises_and_never_loses_an_untouched_record(edit: Edit) -> None:
    note(f"lines {edit.first}..{edit.last}, shift {edit.shift}")
    dataset = parse_dataset(edit.text, label="positions.yaml")
    loaded = {key(p) for p in dataset.positions}
    for position, first, last in untouched_positions(edit):
        if key(position) not in loaded:
            problems = "\n".join(p.format() for p in dataset.problems[:20])
            assert explained(dataset, first, last), f"lost the record at line {first} silently:\n{problems}"


@given(edits())
def test_both_load_paths_agree_on_edited_files(edit: Edit) -> None:
    fast = parse_dataset(edit.text, label="positions.yaml")
    reference = parse_dataset(edit.text, label="positions.yaml", fast=False)
    assert [key(p) for p in fast.positions] == [key(p) for p in reference.positions]
    assert [p.format() for p in fast.problems] == [p.format() for p in reference.problems]


@given(edits())
def test_validate_never_prints_a_traceback(tmp_path_factory, edit: Edit) -> None:
    path = tmp_path_factory.mktemp("edit") / "positions.yaml"
    path.write_text(edit.text, encoding="utf-8", errors="surrogatepass")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", str(path)])
    assert code in (0, 1), out.getvalue() + err.getvalue()
    assert err.getvalue() == ""
    assert "Traceback" not in out.getvalue()


@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    dataset = parse_dataset(data)
    for problem in dataset.problems:
        assert problem.type in PROBLEM_TYPES and problem.format().startswith("<input>")
