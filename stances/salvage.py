"""A file that does not parse, read record by record: a syntax error hides only its record.

libyaml stops at the first syntax error, and until now the whole file was then lost. When the top
level is intact (every line that starts at column 0 is a key of the format, such as ``title:`` or
``positions:``, or a ``- `` record at column 0), the text is cut into *units*: each top-level
key's own lines, and each record of a block list (its ``- `` line at the list's indent, up to the
next such line or top-level key). Then:

1. the unit holding the error, read on its own (its list's key line and its own lines), shows
   whether it is broken; if it reads fine, the error comes from before it (a quote opened earlier
   and never closed swallows the records after it), and the units before it are read on their own
   until one fails. That unit is broken: its own error, at its line and column in the file;
2. libyaml reads on from the unit after it (again behind the list's key line alone) to the next
   error, and so on to the end: every part of the text is scanned about once;
3. each broken unit is replaced by a placeholder of the same number of lines (a record keeps the
   lines before its error, so that its id stays known to the references, plus ``_: ~``, a key no
   record may hold, so that it is never kept), and the file is read again by the usual path
   (the fast path where it vouches, else the reference), which validates every other record as
   usual, references across records included;
4. the placeholders' own problems are replaced by the broken units' syntax errors.

Both load paths give the same first error, and everything here is read by libyaml or by the usual
path on the same text, so the result is the same whichever path found the error. A list written
in brackets (``positions: [{...}, {...}]``) or as a mapping is one unit: an error in it leaves all
of it out, and the rest of the file is kept. When the top level is not intact (a line at column 0
that is no key of the format, ``---``, a continuation of a quoted text at column 0), nothing is
guessed: the file stays unread, with its one error, as before.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from stances.compose import syntax_problem
from stances.model import SECTIONS, TOP_LEVEL_KEYS, Dataset
from stances.problems import Problem

MARKER = "_: ~"  # the key that makes a placeholder record invalid: no record may hold '_'
MAX_READS = 3  # full reads of the masked text (each after a syntax error the scans did not see)
SCAN_BUDGET = 4  # libyaml may scan the text about this many times over before the search stops

# Line breaks other than \n and \r\n: libyaml counts lines by them, the units here do not.
_LONE_CR = re.compile("\r(?!\n)")
# A line that starts at column 0 (searched for after a line break: '^' with MULTILINE is slower).
_TOP_LINE = re.compile(r"\n[^ \t\r\n#]")
_TOP_KEY = re.compile(r"([A-Za-z_]+):(?=[ \t\r\n]|\Z)")
_DASH = re.compile(r"-(?=[ \r\n]|\Z)")  # a record written at column 0
_NOTHING_AFTER = re.compile(r"[ \t]*(?:#[^\n]*)?\r?(?:\n|\Z)")  # a key line holding no value
_COMMENTS = re.compile(r"(?:[ ]*(?:#[^\n]*)?\n)*")  # blank lines and comments only
_FIRST_ITEM_OR_TEXT = re.compile(r"^([ \t]*)[^ \t\r\n#]", re.MULTILINE)
_FIRST_ITEM = re.compile(r"^( *)-(?=[ \r\n]|\Z)", re.MULTILINE)
_FIRST_KEY = re.compile(r" *-[ ]+(?=[^ \r\n#])")
_RECORD_LOC = re.compile(r"^([a-z]+)\[(\d+)\]")


@dataclass(slots=True, frozen=True)
class Unit:
    """Lines read on their own: a top-level key's own lines (``record`` None), or one record of a
    block list, ``key[record]`` as the text shows it, its ``- `` at column ``dash`` (0-based).
    It runs from ``start`` (an offset, at a line start) to the next unit."""

    key: str  # the top-level key ('' for comments before the first)
    start: int
    line: int  # 1-based
    record: int | None = None
    dash: int = 0


def split_units(text: str) -> list[Unit] | None:
    """The units of ``text``, in order, or None when its top level is not intact."""
    # (one character searched at a time: ten times quicker than the class over a large text)
    if any(c in text for c in "\x85\u2028\u2029") or ("\r" in text and _LONE_CR.search(text)):
        return None
    tops: list[tuple[int, str, int]] = []
    first = [0] if text[:1] not in ("", " ", "\t", "\r", "\n", "#") else []
    for at in first + [match.start() + 1 for match in _TOP_LINE.finditer(text)]:
        if _DASH.match(text, at):
            continue  # a record at column 0: its list's
        key = _TOP_KEY.match(text, at)
        if key is None or key.group(1) not in TOP_LEVEL_KEYS:
            return None
        tops.append((at, key.group(1), key.end()))
    if not tops:
        return None
    units: list[Unit] = []
    lines = _LineCounter(text)
    if tops[0][0] > 0:
        if not _COMMENTS.fullmatch(text, 0, tops[0][0]):
            return None  # something indented before the first key: no top level to cut along
        units.append(Unit("", 0, 1))
    for n, (at, key, after) in enumerate(tops):
        end = tops[n + 1][0] if n + 1 < len(tops) else len(text)
        units.append(Unit(key, at, lines.at(at)))
        empty = _NOTHING_AFTER.match(text, after)
        if key in SECTIONS and empty is not None:
            units += _records(text, key, empty.end(), end, lines)
    return units


class _LineCounter:
    """The 1-based line of offsets asked for in increasing order (one pass over the text)."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.line = text, 0, 1

    def at(self, offset: int) -> int:
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def _records(text: str, key: str, begin: int, end: int, lines: _LineCounter) -> list[Unit]:
    """The records of a block list whose body runs from ``begin`` to ``end``: each ``- `` line at
    the indent of its first record. Lines before the first (a first record whose ``- `` is broken)
    stay with the key's own lines; a body without a ``- `` line is not cut."""
    first = _FIRST_ITEM.search(text, begin, end)
    if first is None:
        return []
    indent = len(first.group(1))
    starts = _dashes(text, indent, first.start(), end)
    if len(starts) == 1:
        # a first '- ' shifted by a slip sets no indent for the others: when the next '- ' is not
        # inside the first record (left of its keys) and starts more than one record, its indent
        # is the list's (the first record's lines then stay with the key's own lines)
        second = _FIRST_ITEM.search(text, text.find("\n", first.start()) + 1, end)
        if second is not None and len(second.group(1)) < indent + 2:
            others = _dashes(text, len(second.group(1)), second.start(), end)
            if len(others) > 1:
                indent, starts = len(second.group(1)), others
    return [Unit(key, at, lines.at(at), index, indent) for index, at in enumerate(starts)]


def _dashes(text: str, indent: int, first: int, end: int) -> list[int]:
    """Where each ``- `` line at ``indent`` starts, from the one at ``first`` to ``end``."""
    dash = re.compile(rf"\n {{{indent}}}-(?=[ \r\n]|\Z)")
    return [first] + [found.start() + 1 for found in dash.finditer(text, first, end)]


def syntax_error(stream: object) -> yaml.YAMLError | None:
    """libyaml's first syntax error in ``stream`` (a text, or an object with ``read``), or None.
    Only parses (no nodes, no Python objects per event): the whole 47 MB of 100,000 positions in
    about half a second."""
    loader = yaml.CSafeLoader(stream)
    try:
        loader.raw_parse()
    except yaml.YAMLError as exc:
        return exc
    finally:
        loader.dispose()
    return None


class _Tail:
    """A key line, then the text from ``start`` on, handed to libyaml a piece at a time: no copy of
    the rest of a large file for each error."""

    def __init__(self, head: str, text: str, start: int) -> None:
        self.head, self.text, self.start, self.served = head, text, start, start

    def read(self, size: int) -> str:
        if self.head:
            piece, self.head = self.head, ""
            return piece
        piece = self.text[self.served : self.served + size]
        self.served += len(piece)
        return piece

    def consumed(self, head: str) -> str:
        """What libyaml has read so far (where its byte offsets count)."""
        return head + self.text[self.start : self.served]


def error_after(text: str, start: int, line: int, head: str, label: str) -> tuple[Problem | None, int]:
    """libyaml's first syntax error in ``text`` from ``start`` (a line start, 1-based ``line``) on,
    read behind ``head`` alone (a list's key line, for a record), at its line and column in
    ``text``; and the offset libyaml read up to. The text before ``start`` must read without an
    error and leave libyaml where ``head`` does (between two records of the list)."""
    tail = _Tail(head, text, start)
    exc = syntax_error(tail)
    if exc is None:
        return None, tail.served
    # the text libyaml read: a reader error's byte offset, and the lines around a mark, count in it
    return _shifted(syntax_problem(exc, label, text=tail.consumed(head)), line - 1 - head.count("\n")), tail.served


def _shifted(problem: Problem, lines: int) -> Problem:
    line = problem.line + lines if problem.line is not None else None
    return dataclasses.replace(problem, line=line)


class _Search:
    """The broken units of one text, found in order (see the module doc)."""

    def __init__(self, text: str, units: list[Unit], label: str) -> None:
        self.text, self.units, self.label = text, units, label
        self.lines = [unit.line for unit in units]
        self.broken: dict[int, Problem] = {}
        self.fine: set[int] = set()  # units that read fine on their own
        self.budget = SCAN_BUDGET * len(text) + 1_000_000
        self.placeholders: dict[int, tuple[str, int]] = {}
        # a '- ' line inside a quoted text is no record's start: such a unit is read as one with
        # the unit before it, found when it fails and that one ends inside a quote
        self.joined: set[int] = set()
        self.read_alone: dict[int, Problem | None] = {}
        self.open_end: set[int] = set()  # units whose own reading ends inside a quote

    def following(self, index: int) -> int:
        """The unit after ``index`` (the units joined to it are part of it)."""
        index += 1
        while index in self.joined:
            index += 1
        return index

    def owner(self, index: int) -> int:
        """The unit that ``index`` is part of."""
        while index in self.joined:
            index -= 1
        return index

    def end(self, index: int) -> int:
        after = self.following(index)
        return self.units[after].start if after < len(self.units) else len(self.text)

    def head(self, unit: Unit) -> str:
        """What a unit is read behind: its list's key line for a record, nothing otherwise."""
        return "" if unit.record is None else f"{unit.key}:\n"

    def probe(self, index: int) -> str:
        """What a key's own lines are read before: a record at its list's indent when records
        follow (so that stray text before the first ``- `` shows as an error), else nothing."""
        after = self.units[index + 1] if index + 1 < len(self.units) else None
        if self.units[index].record is not None or after is None or after.record != 0:
            return ""
        return " " * after.dash + "- " + MARKER + "\n"

    def alone(self, index: int, body: str | None = None) -> Problem | None:
        """The error of unit ``index`` read on its own (``body``: instead of its own lines)."""
        unit = self.units[index]
        head = self.head(unit)
        text = head + (self.text[unit.start : self.end(index)] if body is None else body) + self.probe(index)
        self.budget -= len(text)
        exc = syntax_error(text)
        if exc is None:
            return None
        context, reason = getattr(exc, "context", None), getattr(exc, "problem", None)  # (a ReaderError has none)
        if body is None and "quoted scalar" in str(context) and "end of" in str(reason):
            self.open_end.add(index)
        shift = unit.line - 1 - head.count("\n")
        problem = _shifted(syntax_problem(exc, self.label, text=text), shift)
        last = self._last_line(index)
        if problem.line is not None and problem.line > last:
            # libyaml stopped at the end of the record ("could not find expected ':'" at the next
            # record's line): point where it began to look, or at the record's last line
            if self.probe(index):  # text before the list's first '- ': point at its first line
                stray = _FIRST_ITEM_OR_TEXT.search(self.text, self.text.find("\n", unit.start) + 1)
                if stray is not None and stray.start() < self.end(index):
                    line = unit.line + self.text.count("\n", unit.start, stray.start())
                    return dataclasses.replace(problem, line=line, column=len(stray.group(1)) + 1)
            mark = getattr(exc, "context_mark", None)
            if mark is not None and unit.line <= mark.line + 1 + shift <= last:
                return dataclasses.replace(problem, line=mark.line + 1 + shift, column=mark.column + 1)
            return dataclasses.replace(problem, line=last, column=None)
        return problem

    def culprit(self, error: Problem) -> tuple[int, Problem] | None:
        """The broken unit behind ``error`` and its own problem, or None (nothing to cut away)."""
        start = index = self.unit_at(error)
        while index >= 0 and index not in self.broken and self.budget >= 0:
            if index in self.joined or index in self.fine:
                index -= 1
                continue
            problem = self.own_error(index)
            if problem is None:
                self.fine.add(index)
                index -= 1
            elif (before := self.join_back(index)) is not None:
                index = start = before  # read again as one with the unit before it
            else:
                return index, problem
        if start in self.broken or not self.units[start].key:
            return None
        return start, error  # fine on its own, yet the error is in it: it is the one cut away

    def unit_at(self, error: Problem) -> int:
        """The unit holding ``error``'s line (the last unit when it has none)."""
        line = error.line if error.line is not None else self.lines[-1]
        return self.owner(max(0, bisect.bisect_right(self.lines, line) - 1))

    def own_error(self, index: int) -> Problem | None:
        """:meth:`alone` of a unit's own lines, read once."""
        if index not in self.read_alone:
            self.read_alone[index] = self.alone(index)
        return self.read_alone[index]

    def join_back(self, index: int) -> int | None:
        """Join record ``index`` (which fails on its own) to the record before it when that one
        ends inside a quote: the quote ran over a line that only looks like a record's start."""
        if index == 0:
            return None
        before = self.owner(index - 1)
        unit, prior = self.units[index], self.units[before]
        if unit.record is None or prior.record is None or prior.key != unit.key:
            return None
        if before in self.broken or self.own_error(before) is None or before not in self.open_end:
            return None
        self.joined.add(index)
        for stale in (self.read_alone, self.placeholders):
            stale.pop(before, None)
        self.open_end.discard(before)
        return before

    def next_error(self, index: int) -> Problem | None:
        """The first syntax error from unit ``index`` on, read behind its list's key line alone."""
        unit = self.units[index]
        problem, served = error_after(self.text, unit.start, unit.line, self.head(unit), self.label)
        self.budget -= served - unit.start
        return problem

    def placeholder(self, index: int) -> tuple[str, int]:
        """The text standing for broken unit ``index`` (as many lines), and the line of its marker
        (0 for a key's own lines, which become ``key:`` alone)."""
        if index in self.placeholders:
            return self.placeholders[index]
        unit = self.units[index]
        body = self.text[unit.start : self.end(index)]
        breaks = body.count("\n")
        if unit.record is None:
            key = f"{unit.key}:" if unit.key else ""  # (the comments before the first key: blank)
            return self.placeholders.setdefault(index, (key + "\n" * breaks, 0))
        # the lines before the error, then the marker at the record's key column (if they read)
        cut = self.broken[index].line - unit.line if self.broken[index].line is not None else 0
        cut = min(cut, breaks - 1 if body.endswith("\n") else breaks)
        first = _FIRST_KEY.match(body)
        while cut > 0 and first is not None:
            kept = body[: _line_start(body, cut)]
            candidate = kept + " " * first.end() + MARKER + "\n" * (breaks - cut)
            problem = self.alone(index, candidate)
            if problem is None:
                return self.placeholders.setdefault(index, (candidate, unit.line + cut))
            # an error in the lines kept (a quote opened there): keep only the lines before it
            cut = min(cut - 1, problem.line - unit.line) if problem.line is not None else 0
        minimal = " " * unit.dash + "- " + MARKER + "\n" * breaks
        return self.placeholders.setdefault(index, (minimal, unit.line))

    def masked(self) -> str:
        """The text with each broken unit replaced by its placeholder (same lines, same columns)."""
        pieces, at = [], 0
        for index in sorted(self.broken):
            pieces += [self.text[at : self.units[index].start], self.placeholder(index)[0]]
            at = self.end(index)
        pieces.append(self.text[at:])
        return "".join(pieces)

    def finish(self, read: Dataset) -> Dataset:
        """``read`` (the masked text's dataset) with the placeholders' problems replaced by the
        broken units' syntax errors, each named by its record."""
        spans = sorted((self.units[i].line, self._last_line(i)) for i in self.broken)
        starts = [first for first, _ in spans]
        markers = {self.placeholder(i)[1]: i for i in self.broken if self.units[i].record is not None}
        names: dict[int, str] = {}
        for problem in read.problems:
            if problem.type == "unknown-key" and problem.line in markers and problem.loc.endswith("._"):
                names[markers[problem.line]] = problem.loc.removesuffix("._")
        added, placeholders = [], set()
        for index, problem in self.broken.items():
            unit = self.units[index]
            loc = unit.key if unit.record is None else names.get(index, f"{unit.key}[{unit.record}]")
            placeholders.add(loc)
            added.append(dataclasses.replace(problem, loc=loc))

        def placeholder_problem(problem: Problem) -> bool:
            if problem.line is not None:
                n = bisect.bisect_right(starts, problem.line) - 1
                if n >= 0 and problem.line <= spans[n][1]:
                    return True
            match = _RECORD_LOC.match(problem.loc)
            return match is not None and match.group(0) in placeholders

        kept = [p for p in read.problems if not placeholder_problem(p)]
        listed = sorted(
            [p for p in kept if p.type != "too-many-problems"] + added, key=lambda p: (p.line or 0, p.column or 0)
        )
        return dataclasses.replace(read, problems=listed + [p for p in kept if p.type == "too-many-problems"])

    def _last_line(self, index: int) -> int:
        unit = self.units[index]
        return unit.line + max(0, self.text.count("\n", unit.start, self.end(index)) - 1)


def _line_start(text: str, line: int) -> int:
    """The offset where 0-based ``line`` of ``text`` starts."""
    at = 0
    for _ in range(line):
        at = text.index("\n", at) + 1
    return at


def stopped(dataset: Dataset) -> bool:
    """Whether ``dataset`` is a file that did not parse: one yaml-syntax problem and nothing read."""
    return (
        len(dataset.problems) == 1
        and dataset.problems[0].type == "yaml-syntax"
        and not (dataset.actors or dataset.issues or dataset.sources or dataset.positions)
    )


def recover(text: str, dataset: Dataset, read: Callable[[str], Dataset]) -> Dataset:
    """``dataset`` (``text`` as read by ``read``) with every record that parses kept, when it
    stopped on a syntax error and the top level is intact; else ``dataset`` unchanged.

    ``read`` reads a text by the usual path (stances.load.parse_dataset without recovery); the
    result names each broken unit with its own syntax error, at its line and column in ``text``.
    """
    if not stopped(dataset):
        return dataset
    units = split_units(text)
    if units is None:
        return dataset
    search = _Search(text, units, dataset.path)
    error: Problem | None = dataset.problems[0]
    for _ in range(MAX_READS):
        while error is not None:
            index = search.unit_at(error)
            if index not in search.broken:  # (else a unit already cut away: read on after it)
                found = search.culprit(error)
                if found is None or search.budget < 0:
                    return dataset
                index, problem = found
                search.broken[index] = problem
            after = search.following(index)
            error = search.next_error(after) if after < len(units) else None
        again = read(search.masked())
        errors = [p for p in again.problems if p.type == "yaml-syntax"]
        if not errors:
            return search.finish(again)
        error = errors[0]  # something only composing sees (an alias whose anchor was cut away)
    return dataset
