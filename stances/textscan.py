"""Where each record is in a YAML text, and where libyaml and yaml-rs may read it differently.

The fast path (stances.fastload) parses with yaml-rs, which keeps no line numbers and reads YAML
1.2; these scans of the raw text give each record's line and column as libyaml's marks would, and
find what may change how the text is read (:func:`scan_text`). Anything unexpected raises Doubt:
the fast path then steps aside for the reference path.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from typing import Any, overload

from stances import textwindows
from stances.model import SECTIONS


class Doubt(Exception):
    """The fast path cannot vouch for this text: use the reference path."""


# Characters libyaml refuses, or reads as a line break where yaml-rs does not (tab, CR, NEL, LS, PS).
_DOUBTFUL_CHARS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
# Escapes outside the few every implementation decodes alike (no surrogates, no line continuation).
_DOUBTFUL_ESCAPE = re.compile(r"\\(?![\\\"nt/]|u(?![dD][89a-fA-F])[0-9a-fA-F]{4})")
# An escape every parser reads as one escape of the same length: only its value may differ.
_WELL_FORMED_ESCAPE = re.compile(r'\\(?:[0abtnvfre "/\\N_LP\n]|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})')
# Where a tag (!), anchor (&), alias (*) or complex key (?) might start; each is then checked.
_NODE_PROPERTIES = "!&*?"
# A key that starts with ':' (an empty key, or '::x'), which libyaml and yaml-rs read differently,
# has only the indent and any '- ' before it on its line: its colon follows a line break or a
# space. (The colon is searched for first, then what precedes it: one search for a line break and
# the indent took five times as long, and a pattern that starts with the lookbehind seventeen.)
_COLON_AFTER_SPACE = re.compile(r":(?<=[\n ]:)")
_KEY_INDENT = re.compile(r"[ ]*(?:-[ ]+)*")
# A block scalar header (| or > with indicators) ending its line.
_BLOCK_HINT = re.compile(r"[|>]")
_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*[ ]*(?:#[^\n]*)?(?=\n|\Z)")
# Where a number that YAML 1.1 reads otherwise than YAML 1.2 might end a scalar: 012, 0x1F, 0o7.
# Not a zero inside a word, nor after a sign inside one (2019, 2008-05): such a word is never
# read as such a number, or holds an '_' after a digit (1_000), which the search for '_' finds.
# (The assertions follow the '0': a pattern that starts with one is tried at every character.)
_ZERO_NUMBER = re.compile(
    r"0(?<![0-9A-Za-z_]0)(?<![0-9A-Za-z_][-+]0)[0-9A-Za-z_][0-9A-Za-z_]*[ ]*(?=[\n#,\]}]|:[ \n]|:?\Z)"
)
_TOKEN_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_BARE_NUMBER = re.compile(r"[-+]?(?:0[0-9A-Za-z_]|[0-9]+_)[0-9A-Za-z_]*$")
_TOKEN_END = re.compile(r"[ ]*(?:\n|#|,|\]|}|:[ \n]|:?\Z)")


def first_doubtful_char(text: str) -> tuple[int, int, str] | None:
    """(line, column, what) of the first character that sends the whole text to the careful
    reading (a tab, a control character), both 1-based; None when there is none."""
    found = textwindows.search(_DOUBTFUL_CHARS, text)
    if found is None:
        return None
    start = found.start()
    line_start = text.rfind("\n", 0, start) + 1
    char = found.group()
    what = "a tab" if char == "\t" else f"the character U+{ord(char):04X}"
    return textwindows.count(text, "\n", 0, start) + 1, start - line_start + 1, what


def line_offset(text: str, line: int) -> int:
    """The offset where 1-based ``line`` starts (the end of the text if it has fewer lines)."""
    offset, chunk, remaining = 0, 1 << 20, line - 1
    while remaining > 0:
        count = text.count("\n", offset, offset + chunk)
        if count >= remaining or offset + chunk >= len(text):
            break
        remaining -= count
        offset += chunk
    while remaining > 0:
        found = text.find("\n", offset)
        if found == -1:
            return len(text)
        offset, remaining = found + 1, remaining - 1
    return offset


def find_repeated_keys(
    text: str, root: dict[str, Any], spans: dict[str, Sequence[Span]], doubtful: dict[str, set[int]]
) -> None:
    """Make doubtful every record whose lines hold more keys than its parsed mapping (read with
    the first of duplicate keys). Every key of a block mapping starts a line at the mapping's
    column, so counting such lines (a line inside a multi-line text may add to the count, never
    take away) finds every record with a repeated key."""
    patterns: dict[int, re.Pattern[str]] = {}
    for section, found in spans.items():
        items = root.get(section) or []
        for index, span in enumerate(found):
            pattern = patterns.get(span.column)
            if pattern is None:
                pattern = patterns[span.column] = re.compile(rf"\n {{{span.column - 1}}}[^ \n#]")
            lines = len(pattern.findall(text, span.start, span.end))
            item = items[index]
            if not isinstance(item, dict) or lines > len(item) - 1:
                doubtful[section].add(index)


def locate(offsets: list[int], spans: dict[str, list[Span]], doubtful: dict[str, set[int]]) -> None:
    """Make doubtful the record holding each offset; Doubt for an offset outside every record."""
    if not offsets:
        return
    order = sorted(
        (span.start, span.end, section, index) for section, found in spans.items() for index, span in enumerate(found)
    )
    starts = [o[0] for o in order]
    for offset in offsets:
        n = bisect.bisect_right(starts, offset) - 1
        if n < 0 or offset >= order[n][1]:
            raise Doubt("a doubtful value outside the records")
        doubtful[order[n][2]].add(order[n][3])


def scan_text(text: str) -> list[int]:
    """Refuse text where libyaml and yaml-rs may read it differently (see the module doc).

    Returns the offsets of doubtful *values* (well-formed escapes, numbers YAML 1.1 reads
    otherwise): both parsers see the same structure there, so only the record holding one needs
    the reference. Anything that may change the structure raises Doubt. Each check is a search
    for a rare character first, so a clean file costs a few passes at C speed: a search for one
    character (``str.find``) is several times quicker than one for two characters or a class.
    """
    # Every scan goes a window at a time (stances.textwindows): other threads get a turn between.
    local: list[int] = []
    has = textwindows.contains
    if textwindows.search(_DOUBTFUL_CHARS, text):
        raise Doubt("character")
    if (has(text, "<") and has(text, "<<")) or text.startswith("%") or (has(text, "%") and has(text, "\n%")):
        raise Doubt("merge key or directive")
    if has(text, "\\"):
        for match in textwindows.finditer(_DOUBTFUL_ESCAPE, text):
            if not _WELL_FORMED_ESCAPE.match(text, match.start()):
                raise Doubt("escape")
            local.append(match.start())
    for char in _NODE_PROPERTIES:
        if any(node_starts(text, index) for index in textwindows.find_all(text, char)):
            raise Doubt("tag, anchor, alias or complex key")
    if _empty_key(text):
        raise Doubt("empty key")
    if block_scalar_ends_document(text):
        raise Doubt("block scalar at the end")
    candidates = [m.start() for m in textwindows.finditer(_ZERO_NUMBER, text)]
    candidates += [i for i in textwindows.find_all(text, "_") if i and text[i - 1] in "0123456789"]  # 1_000
    local += [index for index in candidates if _bare_number_at(text, index)]
    return local


def _empty_key(text: str) -> bool:
    """Whether a key starts with ':' at the start of its line, after the indent and any ``- ``."""
    if text.startswith(":"):
        return True
    for colon in textwindows.finditer(_COLON_AFTER_SPACE, text):
        line_start = text.rfind("\n", 0, colon.start()) + 1
        if _KEY_INDENT.fullmatch(text, line_start, colon.start()):
            return True
    return False


def block_scalar_ends_document(text: str) -> bool:
    """Whether the last block scalar (``|``, ``>``) runs to the end of the text, where libyaml
    and yaml-rs disagree on trailing blank lines and on a missing final newline."""
    if not textwindows.contains(text, "|") and not textwindows.contains(text, ">"):
        return False  # (a search for one character is ten times quicker than for a class of two)
    last = None
    for match in textwindows.finditer(_BLOCK_HINT, text):
        if _BLOCK_HEADER.match(text, match.start()) and node_starts(text, match.start()):
            last = match.start()
    if last is None:
        return False
    line_start = text.rfind("\n", 0, last) + 1
    indent = len(text[line_start:last]) - len(text[line_start:last].lstrip(" "))
    after = text.find("\n", last)
    return after == -1 or textwindows.search(re.compile(rf"\n {{0,{indent}}}[^ \n]"), text, after) is None


def _bare_number_at(text: str, index: int) -> bool:
    """Whether the word around ``index`` is a whole plain scalar such as ``012`` or ``-1_000``."""
    start = end = index
    while start > 0 and text[start - 1] in _TOKEN_CHARS:
        start -= 1
    if start > 0 and text[start - 1] in "+-":
        start -= 1
    while end < len(text) and text[end] in _TOKEN_CHARS:
        end += 1
    return bool(_BARE_NUMBER.match(text, start, end) and _TOKEN_END.match(text, end) and node_starts(text, start))


def node_starts(text: str, index: int) -> bool:
    """Whether a YAML node may start at ``index``: at a line start, after ``[ { ,`` or ``: - ?``
    and a space, or right after a quoted key's colon. Errs on the side of yes."""
    before = index - 1
    while before >= 0 and text[before] == " ":
        before -= 1
    if before < 0 or text[before] in "\n[{,":
        return True
    if text[before] in ":?-" and before < index - 1:
        return True
    return text[before] == ":" and before > 0 and text[before - 1] in "\"'"


# --- where each record starts ------------------------------------------------------------------

_SECTION_END = re.compile(r"\n[^ \n#-]")  # the next top-level key (or a '...' end marker)
_LINE_REST = re.compile(r"[ ]*(?:#[^\n]*)?(?=\n|\Z)")


@dataclass(slots=True, frozen=True)
class Span:
    """Where a record is: its lines [start, end) as offsets, and its first key's line and column."""

    start: int
    end: int
    line: int
    column: int


def top_lines(text: str) -> list[int]:
    """The offset of the line break before each line that starts with a top-level key (or a
    '...' end marker): where each section's key line is, and where it ends. One scan of the text
    for every section's :func:`section_records`."""
    return [match.start() for match in textwindows.matches(_SECTION_END, text)]


def record_spans(text: str, root: dict[str, Any], tops: list[int] | None = None) -> dict[str, Spans]:
    """Where each record is, per section; line and column as libyaml's marks would give them.

    Each section must be a block sequence whose every item line reads ``- key:`` at one indent;
    the count and the first keys must match the parsed records, else Doubt. (A line inside a
    multi-line scalar that looks like an item changes the count, so it cannot shift the marks.)
    A record's lines run to the next record's line or to the next top-level key. ``tops``: what
    :func:`top_lines` gives for ``text``, when the caller has it.
    """
    if tops is None:
        tops = top_lines(text)
    spans: dict[str, Spans] = {}
    for section in SECTIONS:
        items = root.get(section)
        if not items:
            continue
        if not isinstance(items, list):
            raise Doubt("section")
        found = section_records(text, section, tops=tops)
        if found.items != len(items) or len(found.spans) != len(items):
            raise Doubt("record lines")
        check_first_keys(items, found.keys)
        spans[section] = found.spans
    return spans


@dataclass(slots=True)
class Section:
    """A section's records as found in the text, before any parse: see section_records."""

    begin: int  # end of the section's key line
    body_end: int  # where the next top-level key's line break is (or the end of the text)
    spans: Spans
    keys: list[str]  # the first key of each record
    items: int  # lines starting an item at the records' indent, keyed or not


def section_records(text: str, section: str, limit: int | None = None, tops: list[int] | None = None) -> Section:
    """Each record's span and first key in a block-sequence section (Doubt if it is not one, or if
    it holds more than ``limit`` items: they are counted before the scan, which costs about 1 µs a
    record). ``tops``: what :func:`top_lines` gives for ``text``, when the caller has it."""
    if tops is None:
        tops = top_lines(text)
    head = f"{section}:"
    # every line that starts with the section's key is a top-level line
    at = [i + 1 for i in tops if text.startswith(head, i + 1)] + ([0] if text.startswith(head) else [])
    if len(at) != 1 or not _LINE_REST.match(text, at[0] + len(head)):
        raise Doubt("section line")
    begin = _LINE_REST.match(text, at[0] + len(head)).end()
    after = bisect.bisect_left(tops, begin)  # the first top-level line after the section's key line
    body_end = tops[after] if after < len(tops) else len(text)
    first = re.compile(r"\n( *)-[ \n]").search(text, begin, body_end)
    if first is None:
        raise Doubt("no block sequence")
    indent = first.group(1)
    dash = "\n" + indent + "-"
    # Each item line, and any other line with a '-' at that indent: as many as the items when each
    # of them starts a record (found below), and counted in one pass where the items take two.
    dashes = textwindows.count(text, dash, begin, body_end)
    if limit is not None and dashes > limit and _items(text, dash, begin, body_end) > limit:
        raise Doubt("more records than a file may hold")
    keyed = re.compile(rf"\n{indent}-( +)([A-Za-z_][A-Za-z0-9_]*):(?=[ \n]|\Z)")
    found = textwindows.matches(keyed, text, begin, body_end)
    starts = array("q", [match.start() + 1 for match in found])  # +1: the match starts at the line break
    lines = record_lines(text, begin, starts)
    columns = array("q", [match.end(1) - match.start() for match in found])  # the first key's, 1-based
    names: dict[str, str] = {}
    keys = [names.setdefault(key, key) for key in (match.group(2) for match in found)]
    ends = starts[1:]
    ends.append(body_end + 1 if after < len(tops) else len(text))
    items = dashes if len(starts) == dashes else _items(text, dash, begin, body_end)
    return Section(begin, body_end, Spans(starts, ends, lines, columns), keys, items)


LINES_AT_ONCE = 2000  # records whose line breaks are counted in one call (about a megabyte of text)


def record_lines(text: str, begin: int, starts: array) -> array:
    """The 1-based line of each offset of ``starts`` (ascending, after ``begin``): the line of
    ``begin`` plus the line breaks up to each, counted between consecutive offsets, a slice of
    records per call (one call over every record held the interpreter lock for 50 ms)."""
    lines = array("q")
    line = textwindows.count(text, "\n", 0, begin) + 1
    previous = begin
    for at in range(0, len(starts), LINES_AT_ONCE):
        piece = starts[at : at + LINES_AT_ONCE]
        breaks = map(text.count, repeat("\n"), [previous, *piece[:-1]], piece)
        counted = array("q", accumulate(breaks, initial=line))
        lines.extend(counted[1:])  # [0] is the line the slice starts from
        line, previous = counted[-1], piece[-1]
    return lines


def _items(text: str, dash: str, begin: int, end: int) -> int:
    """The lines that start an item (``-`` then a space or a line break) at the indent ``dash`` gives."""
    return text.count(dash + " ", begin, end) + text.count(dash + "\n", begin, end) + text.endswith(dash, begin, end)


class Spans(Sequence[Span]):
    """The spans of a section's records, in four arrays of integers (a Span made on each access):
    100,000 span objects took 12 MB."""

    __slots__ = ("columns", "ends", "lines", "starts")

    def __init__(self, starts: array, ends: array, lines: array, columns: array) -> None:
        self.starts, self.ends, self.lines, self.columns = starts, ends, lines, columns

    @classmethod
    def empty(cls) -> Spans:
        """No spans (a section without records)."""
        return cls(array("q"), array("q"), array("q"), array("q"))

    def part(self, first: int, last: int) -> Spans:
        """The spans of records ``first`` to ``last`` (excluded): four slices of arrays, where a
        slice of this sequence makes a Span per record."""
        return Spans(self.starts[first:last], self.ends[first:last], self.lines[first:last], self.columns[first:last])

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, index: int) -> Span: ...

    @overload
    def __getitem__(self, index: slice) -> list[Span]: ...

    def __getitem__(self, index: int | slice) -> Span | list[Span]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return Span(self.starts[index], self.ends[index], self.lines[index], self.columns[index])


def check_first_keys(items: list[Any], keys: list[str]) -> None:
    """Doubt unless each parsed record is a mapping whose first key is the one its line shows."""
    for item, key in zip(items, keys, strict=True):
        if not isinstance(item, dict) or not item or next(iter(item)) != key:
            raise Doubt("first key")
