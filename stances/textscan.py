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
from typing import Any, overload

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
_NODE_PROPERTY = re.compile(r"[!&*?]")
# A key that starts with ':' (an empty key, or '::x'), which libyaml and yaml-rs read differently.
# (Searched for as a line break first and matched at the start apart: one pattern with both took
# 1.6 s on a 52 MB file, trying the second branch at every character.)
_COLON_NODE = re.compile(r"\n[ ]*(?:-[ ]+)*:")
_COLON_NODE_FIRST = re.compile(r"[ ]*(?:-[ ]+)*:")
# A block scalar header (| or > with indicators) ending its line.
_BLOCK_HINT = re.compile(r"[|>]")
_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*[ ]*(?:#[^\n]*)?(?=\n|\Z)")
# Where a number that YAML 1.1 reads otherwise than YAML 1.2 might end a scalar: 012, 0x1F, 0o7.
_ZERO_NUMBER = re.compile(r"0[0-9A-Za-z_][0-9A-Za-z_]*[ ]*(?=[\n#,\]}]|:[ \n]|:?\Z)")
_TOKEN_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_BARE_NUMBER = re.compile(r"[-+]?(?:0[0-9A-Za-z_]|[0-9]+_)[0-9A-Za-z_]*$")
_TOKEN_END = re.compile(r"[ ]*(?:\n|#|,|\]|}|:[ \n]|:?\Z)")


def first_doubtful_char(text: str) -> tuple[int, int, str] | None:
    """(line, column, what) of the first character that sends the whole text to the careful
    reading (a tab, a control character), both 1-based; None when there is none."""
    found = _DOUBTFUL_CHARS.search(text)
    if found is None:
        return None
    start = found.start()
    line_start = text.rfind("\n", 0, start) + 1
    char = found.group()
    what = "a tab" if char == "\t" else f"the character U+{ord(char):04X}"
    return text.count("\n", 0, start) + 1, start - line_start + 1, what


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
    text: str, root: dict[str, Any], spans: dict[str, list[Span]], doubtful: dict[str, set[int]]
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
    for a rare character first, so a clean file costs a few passes at C speed.
    """
    local: list[int] = []
    if _DOUBTFUL_CHARS.search(text):
        raise Doubt("character")
    if "<<" in text or text.startswith("%") or "\n%" in text:
        raise Doubt("merge key or directive")
    if "\\" in text:
        for match in _DOUBTFUL_ESCAPE.finditer(text):
            if not _WELL_FORMED_ESCAPE.match(text, match.start()):
                raise Doubt("escape")
            local.append(match.start())
    for match in _NODE_PROPERTY.finditer(text):
        if node_starts(text, match.start()):
            raise Doubt("tag, anchor, alias or complex key")
    if _COLON_NODE.search(text) or _COLON_NODE_FIRST.match(text):
        raise Doubt("empty key")
    if block_scalar_ends_document(text):
        raise Doubt("block scalar at the end")
    candidates = [m.start() for m in _ZERO_NUMBER.finditer(text)]
    candidates += [i for i in find_all(text, "_") if i and text[i - 1] in "0123456789"]  # 1_000
    local += [index for index in candidates if _bare_number_at(text, index)]
    return local


def block_scalar_ends_document(text: str) -> bool:
    """Whether the last block scalar (``|``, ``>``) runs to the end of the text, where libyaml
    and yaml-rs disagree on trailing blank lines and on a missing final newline."""
    if "|" not in text and ">" not in text:
        return False  # (a search for one character is ten times quicker than for a class of two)
    last = None
    for match in _BLOCK_HINT.finditer(text):
        if _BLOCK_HEADER.match(text, match.start()) and node_starts(text, match.start()):
            last = match.start()
    if last is None:
        return False
    line_start = text.rfind("\n", 0, last) + 1
    indent = len(text[line_start:last]) - len(text[line_start:last].lstrip(" "))
    after = text.find("\n", last)
    return after == -1 or re.compile(rf"\n {{0,{indent}}}[^ \n]").search(text, after) is None


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


def record_spans(text: str, root: dict[str, Any]) -> dict[str, list[Span]]:
    """Where each record is, per section; line and column as libyaml's marks would give them.

    Each section must be a block sequence whose every item line reads ``- key:`` at one indent;
    the count and the first keys must match the parsed records, else Doubt. (A line inside a
    multi-line scalar that looks like an item changes the count, so it cannot shift the marks.)
    A record's lines run to the next record's line or to the next top-level key.
    """
    spans: dict[str, list[Span]] = {}
    for section in SECTIONS:
        items = root.get(section)
        if not items:
            continue
        if not isinstance(items, list):
            raise Doubt("section")
        found = section_records(text, section)
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


def section_records(text: str, section: str, limit: int | None = None) -> Section:
    """Each record's span and first key in a block-sequence section (Doubt if it is not one, or if
    it holds more than ``limit`` items: they are counted before the scan, which costs about 1 µs a
    record)."""
    head = f"{section}:"
    at = [i + 1 for i in find_all(text, "\n" + head)] + ([0] if text.startswith(head) else [])
    if len(at) != 1 or not _LINE_REST.match(text, at[0] + len(head)):
        raise Doubt("section line")
    begin = _LINE_REST.match(text, at[0] + len(head)).end()
    end_match = _SECTION_END.search(text, begin)
    body_end = end_match.start() if end_match else len(text)
    first = re.compile(r"\n( *)-[ \n]").search(text, begin, body_end)
    if first is None:
        raise Doubt("no block sequence")
    indent = first.group(1)
    dash = "\n" + indent + "-"
    items = text.count(dash + " ", begin, body_end) + text.count(dash + "\n", begin, body_end)
    items += text.endswith(dash, begin, body_end)
    if limit is not None and items > limit:
        raise Doubt("more records than a file may hold")
    line = text.count("\n", 0, begin) + 1
    position = begin
    starts, lines, columns = array("q"), array("q"), array("q")
    keys: list[str] = []
    names: dict[str, str] = {}
    keyed = re.compile(rf"\n{indent}-( +)([A-Za-z_][A-Za-z0-9_]*):(?=[ \n]|\Z)")
    for item_match in keyed.finditer(text, begin, body_end):
        start = item_match.start()
        line += text.count("\n", position, start + 1)  # +1: the match starts at the newline before the item
        position = start + 1
        starts.append(start + 1)
        lines.append(line)
        columns.append(len(indent) + 1 + len(item_match.group(1)) + 1)
        key = item_match.group(2)
        keys.append(names.setdefault(key, key))
    ends = starts[1:]
    ends.append(body_end + 1 if end_match else len(text))
    return Section(begin, body_end, Spans(starts, ends, lines, columns), keys, items)


class Spans(Sequence[Span]):
    """The spans of a section's records, in four arrays of integers (a Span made on each access):
    100,000 span objects took 12 MB."""

    __slots__ = ("columns", "ends", "lines", "starts")

    def __init__(self, starts: array, ends: array, lines: array, columns: array) -> None:
        self.starts, self.ends, self.lines, self.columns = starts, ends, lines, columns

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


def find_all(text: str, needle: str) -> list[int]:
    found, index = [], text.find(needle)
    while index != -1:
        found.append(index)
        index = text.find(needle, index + 1)
    return found
