"""The fast load path: yaml-rs (a Rust YAML parser), used only where it can vouch for PyYAML's result.

PyYAML's node walker in ``stances.load`` is the reference: it knows every line and column and
reports every problem. It is also slow (about 4 s for 10,000 positions). yaml-rs parses the same
text 30 times faster but speaks YAML 1.2, keeps no line numbers, and silently accepts things the
reference refuses (custom tags, control characters, merge keys). So this module only ever
*vouches* for a clean file and otherwise returns None, and the caller runs the reference path:

1. cheap scans of the text refuse anything where the two parsers may differ: characters libyaml
   rejects or counts as line breaks (tabs, CR, NEL, U+2028/9, controls), tags, anchors, aliases,
   complex keys, empty keys, merge keys, directives, escapes other than
   ``\\ \\" \\n \\t \\/ \\uXXXX``, numbers that YAML 1.1 reads differently (``012``, ``0x1F``,
   ``1_000``), and a block scalar that runs to the end of the text;
2. yaml-rs parses (duplicate keys are an error there, so they fall back too);
3. every text value is checked against PyYAML's YAML 1.1 resolvers (``NO``, ``on``, ``1:20``
   are not text for the reference), then the records are validated with the same pydantic models
   and the same cross-record checks; any problem at all (ties aside, which only need the records'
   lines) means "not sure";
4. each record's line and column come from a scan of its section for ``- key:`` lines, checked
   against the parsed records (same count, same first key), so they equal the reference's marks.

The result is a Dataset equal to the reference's, record for record; tests/unit/test_load_paths.py
and tests/unit/test_fast_path_corpus.py compare both paths on every fixture and the YAML test suite.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gc
import hashlib
import os
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated, Any, NamedTuple

import yaml
from pydantic import TypeAdapter, ValidationError, ValidatorFunctionWrapHandler, WrapValidator

from stances import syntaxstop, textwindows, validate
from stances.compose import MAX_NODES, MAX_REFERENCE_NODES, RESOLVERS, STR, compose_yaml, node_bound
from stances.model import RECORD_MODELS, SECTIONS, TOP_LEVEL_KEYS, Compactor, Dataset, Record, Scale
from stances.problems import Problem
from stances.record_problems import read_scale, read_title
from stances.records import Entry, RecordFields, Report
from stances.reference import NodeReader
from stances.textscan import (
    Doubt,
    Section,
    Span,
    Spans,
    block_scalar_ends_document,
    check_first_keys,
    find_repeated_keys,
    locate,
    record_spans,
    scan_text,
    section_records,
    top_lines,
)


def _import_yaml_rs() -> Any:
    try:  # optional: without it every load takes the reference path
        import yaml_rs
    except ImportError:  # pragma: no cover - exercised by a test that hides the module
        return None
    return yaml_rs


# yaml-rs 0.1.6 ties module state to the thread that imported it: once that thread has exited, a
# call from another thread crashes the process (SIGSEGV; Streamlit imports and parses in a
# short-lived script thread per rerun). So one long-lived worker thread imports it and makes
# every call. A forked child has no such thread: there the fast path is off (see _forked).
_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="yaml-rs")
yaml_rs = _WORKER.submit(_import_yaml_rs).result()


def _forked() -> None:
    global yaml_rs
    yaml_rs = None


os.register_at_fork(after_in_child=_forked)


def _yaml_rs_loads(text: str, *, first_wins: bool = False) -> Any:
    """``yaml_rs.loads`` on the worker thread (the only thread that may call it)."""
    policy = yaml_rs.DuplicateKeyPolicy.FirstWins if first_wins else yaml_rs.DuplicateKeyPolicy.Error
    return _WORKER.submit(yaml_rs.loads, text, parse_datetime=False, duplicate_key_policy=policy).result()


# Reads chunks ahead: calls _yaml_rs_loads (which waits for the worker) in order, so that the main
# thread can check one chunk's records while yaml-rs parses the next.
_READER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="yaml-rs-reader")


def available() -> bool:
    """True when yaml-rs is installed (the fast path can be tried)."""
    return yaml_rs is not None


def fast_dataset(
    text: str,
    *,
    label: str,
    content_hash: str,
    today: dt.date,
    chunks: ChunkMemo | None = None,
    bound: int | None = None,
    compact: bool = True,
) -> Dataset | None:
    """The Dataset the reference path would build from ``text``, or None when not sure.

    ``text`` is the decoded file (BOM removed). Never raises: any surprise means None.
    ``bound``: compose.node_bound of the text, when the caller counted it already (else it is
    counted only where a decision needs it).
    ``compact``: build records compactly (see model.Compactor; off for a dataset read once).
    ``chunks``: the chunks of positions read from an earlier version of the file (see ChunkMemo);
    those whose text is unchanged are not read again, and it is left holding this text's chunks.
    """
    if yaml_rs is None:
        return None
    chunks = ChunkMemo() if chunks is None else chunks
    chunks.used.clear()
    # A million new objects and no cycles among them: the cycle collector would only walk the
    # growing heap again and again (a quarter of the time at 100,000 positions).
    collecting = gc.isenabled()
    gc.disable()
    try:
        dataset = _build(text, label, content_hash, today, chunks=chunks, bound=bound, compact=compact)
    except Exception:  # Doubt, or any surprise: the reference path decides
        dataset = None
    finally:
        if collecting:
            gc.enable()
    if dataset is None:
        # The reference path builds its own records: the memo's would double the records held
        # (65 MB at 100,000 positions) until the next save.
        chunks.reads.clear()
        chunks.ahead.clear()
    else:
        chunks.keep_used()
    return dataset


def _build(
    text: str,
    label: str,
    content_hash: str,
    today: dt.date,
    *,
    prefix: bool = False,
    out: dict | None = None,
    chunks: ChunkMemo | None = None,
    scanned: list[int] | None = None,
    bound: int | None = None,
    whole: str | None = None,
    compact: bool = True,
) -> Dataset:
    """The reference's Dataset for ``text``, or Doubt. ``prefix``: the text is the start of a
    file (no syntax-error search, no ties: only whether it is vouched for and ``out`` matter),
    ``whole`` that file, whose node bound is the one that counts (counted only where needed);
    ``out`` receives the number of YAML nodes (``nodes``); ``chunks``: the chunks of positions
    read before (see ChunkMemo); ``scanned``: for a prefix, what scan_text found in the whole
    file, which holds for its start too (the prefix ends after a line break, at a record) but
    for a block scalar that now runs to the end."""
    if chunks is None:
        chunks = ChunkMemo()
    if scanned is None:
        local = scan_text(text)
    elif block_scalar_ends_document(text):
        raise Doubt("block scalar at the end")
    else:
        local = [offset for offset in scanned if offset < len(text)]
    duplicates = False
    tops = top_lines(text)
    plan = _chunk_plan(text, tops)
    root: Any = None
    if plan is not None:
        try:
            root = _yaml_rs_loads(plan.skeleton)
        except Exception:
            plan = None  # a problem outside the positions: the whole text is read as one
        else:
            if not isinstance(root, dict) or "positions" not in root or root["positions"] is not None:
                plan = None
    if plan is None:
        if bound is None:
            bound = node_bound(text if whole is None else whole)
        if bound > MAX_NODES:
            # yaml-rs would build the whole tree before its size is known (31 million values of a
            # 62 MB text took 1.6 GB): the reference's streaming count decides
            raise Doubt("too many values to read the text whole")
        try:
            root = _yaml_rs_loads(text)
        except Exception as exc:
            if prefix or "duplicate mapping key" not in str(exc):
                if prefix:
                    raise Doubt("yaml-rs refused the text") from exc
                return _syntax_error(text, label, content_hash, today, str(exc), chunks, local, bound)
            try:  # a duplicate key: read the first of each, then find the records holding one
                root, duplicates = _yaml_rs_loads(text, first_wins=True), True
            except Exception as again:
                raise Doubt("yaml-rs refused the text") from again
    if not isinstance(root, dict) or not root:
        raise Doubt("not a mapping")
    header_doubt = duplicates or any(key not in TOP_LEVEL_KEYS for key in root)  # the reference reports it
    try:
        title = _title(root, label)
    except Doubt:
        title, header_doubt = "", True  # the reference reads the title and reports its problem
    scale = _scale(root.get("scale"))
    spans = record_spans(text, root, tops)
    if plan is not None:
        spans["positions"] = plan.section.spans
    doubtful: dict[str, set[int]] = {section: set() for section in SECTIONS}
    locate(local, spans, doubtful)
    if duplicates:
        find_repeated_keys(text, root, spans, doubtful)
    entries: dict[str, list[Entry | None]] = {}
    compactor = Compactor(share=compact)
    no_spans = Spans.empty()
    for section in SECTIONS:
        if plan is not None and section == "positions":
            continue  # read in chunks below
        items = root.get(section)
        entries[section] = _records(
            section, [] if items is None else items, spans.get(section, no_spans), scale, doubtful[section], compactor
        )
    positions_nodes = 0
    if plan is not None:
        chunked = _chunk_records(text, plan, scale, doubtful["positions"], compactor, chunks)
        if isinstance(chunked, _Refused):
            if prefix:
                raise Doubt("yaml-rs refused the text")
            # every record before the refused chunk read without a doubt: libyaml read from there
            # on gives the reference's error (syntaxstop)
            others = any(doubtful[section] for section in SECTIONS if section != "positions")
            vouched = (
                not header_doubt and not others and min(doubtful["positions"], default=chunked.first) >= chunked.first
            )
            before = node_bound(text[: plan.section.spans[0].start]) + chunked.nodes if vouched else 0
            del entries, spans, plan, root
            if vouched:  # (``before``: a bound on the values before the chunk)
                found = syntaxstop.error_from_record(text, label, chunked.start, chunked.line, before)
                if found is not None:
                    return validate.empty_dataset(label, [found], content_hash)
            return _syntax_error(text, label, content_hash, today, chunked.message, chunks, local, bound)
        entries["positions"], positions_nodes, repeated = chunked
        if prefix and repeated:
            raise Doubt("yaml-rs refused the text")  # as for a duplicate key in a whole prefix
        header_doubt = header_doubt or repeated  # as for a duplicate key in the whole text
    nodes = _check_size(text if whole is None else whole, bound, root, doubtful, positions_nodes)
    if out is not None:
        out.update(nodes=nodes)
    if not header_doubt and not any(doubtful.values()):
        clean = {section: [e for e in found if e is not None] for section, found in entries.items()}
        kept = validate.check_references(clean, today, label)
        if not kept.problems:
            del clean, entries, spans, plan, root  # before the ties' own tables (the peak of a load)
            if prefix:  # only whether it is vouched for matters
                return validate.empty_dataset(label, [], content_hash)
            return validate.complete(Report(label), title, scale, {}, today, content_hash, kept)
        _add_problem_records(kept.problems, doubtful)
    return _hybrid(text, label, content_hash, today, scale, spans, entries, doubtful, compact)


# --- a file with problems: the reference reads only the doubtful records -----------------------


def _hybrid(
    text: str,
    label: str,
    content_hash: str,
    today: dt.date,
    scale: Scale,
    spans: dict[str, list[Span]],
    entries: dict[str, list[Entry | None]],
    doubtful: dict[str, set[int]],
    compact: bool = True,
) -> Dataset:
    """The reference's Dataset for a file yaml-rs read, where some records are doubtful.

    The reference path (PyYAML's composer and node walker) reads a copy of the file in which every
    other record's lines are blank: same lines, same columns, so the same problems. The clean
    records keep the fast path's result, which equals the reference's (no problem, same values).
    Each doubtful record is kept with the two records after it, so libyaml meets the same text
    wherever it looks ahead. Problems across records (unknown references, duplicate ids, future
    dates) come from validate.check_references over all records, as on the reference path; a clean
    record named in one becomes doubtful and the masked copy is read again.
    """
    order = sorted(
        ((span.start, section, index) for section, found in spans.items() for index, span in enumerate(found))
    )
    position = {(section, index): n for n, (_, section, index) in enumerate(order)}
    for _ in range(4):
        keep: set[int] = set()
        for section, indices in doubtful.items():
            for index in indices:
                n = position[(section, index)]
                keep.update(range(n, min(n + 3, len(order))))
        kept = {section: sorted(i for _, s, i in (order[n] for n in keep) if s == section) for section in SECTIONS}
        masked = _masked(text, order, keep, spans)
        # the reference's budget holds for the records it reads here too (1.3 million doubtful
        # records took 50 s and 3.8 GB): past it, the full path refuses the file
        root, problems = compose_yaml(masked, label, max_nodes=MAX_REFERENCE_NODES)
        if root is None or problems:
            raise Doubt("the reference stops on the masked text")  # a syntax error: the full path reports it
        _check_items(root, kept, spans)
        reader = NodeReader(label, today, indices=kept, compact=compact)
        walked = reader.walk(root)
        if walked is None:
            raise Doubt("not a mapping")
        title, ref_scale, ref_entries = walked
        if ref_scale != scale:
            raise Doubt("scale")
        merged: dict[str, list[Entry]] = {}
        for section in SECTIONS:
            by_index = {fields.index: (record, fields) for record, fields in ref_entries[section]}
            chosen = set(kept[section])
            found: list[Entry] = []
            for index, entry in enumerate(entries[section]):
                if index in chosen:
                    if index in by_index:
                        found.append(by_index[index])
                elif entry is None:
                    raise Doubt("a doubtful record was not read")
                else:
                    found.append(entry)
            merged[section] = found
        dataset = validate.complete(reader.report, title, scale, merged, today, content_hash)
        before = sum(len(v) for v in doubtful.values())
        _add_problem_records(dataset.problems, doubtful, within=kept)
        if sum(len(v) for v in doubtful.values()) == before:
            return dataset  # every problem listed is at a record the reference read
    raise Doubt("problems keep spreading")


_LOC = re.compile(r"(actors|issues|sources|positions)\[(\d+)\]")


def _add_problem_records(
    problems: list[Problem], doubtful: dict[str, set[int]], within: dict[str, list[int]] | None = None
) -> None:
    """Make doubtful every record a cross-record problem names (unless already read by the reference)."""
    for problem in problems:
        if problem.type in ("tie", "too-many-problems") or (within is not None and problem.line is not None):
            continue  # ties need only the records' lines; a problem with a line was placed by the reference
        match = _LOC.match(problem.loc or "")
        if match is None:
            raise Doubt("a problem outside the records")
        section, index = match.group(1), int(match.group(2))
        if within is None or index not in within[section]:
            doubtful[section].add(index)


def _masked(text: str, order: list[tuple[int, str, int]], keep: set[int], spans: dict[str, list[Span]]) -> str:
    """``text`` with the lines of every record not in ``keep`` left empty (line numbers unchanged)."""
    pieces: list[str] = []
    position = 0
    for n, (_, section, index) in enumerate(order):
        if n in keep:
            continue
        span = spans[section][index]
        pieces.append(text[position : span.start])
        pieces.append("\n" * text.count("\n", span.start, span.end))
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)


def _check_items(root: Any, kept: dict[str, list[int]], spans: dict[str, list[Span]]) -> None:
    """The masked text holds exactly the kept records, each where the record scan found it."""
    sections = {}
    for key_node, value_node in getattr(root, "value", []):
        if isinstance(key_node, yaml.ScalarNode) and key_node.value in SECTIONS and key_node.value not in sections:
            sections[key_node.value] = value_node
    for section in SECTIONS:
        node = sections.get(section)
        items = node.value if isinstance(node, yaml.SequenceNode) else []
        if kept[section] and not isinstance(node, yaml.SequenceNode):
            raise Doubt("masked section")
        if len(items) != len(kept[section]):
            raise Doubt("masked record count")
        for item, index in zip(items, kept[section], strict=True):
            span = spans[section][index]
            if (item.start_mark.line + 1, item.start_mark.column + 1) != (span.line, span.column):
                raise Doubt("masked record place")


def _check_size(
    text: str, bound: int | None, root: dict[str, Any], doubtful: dict[str, set[int]], positions_nodes: int = 0
) -> int:
    """The number of YAML nodes in the document; Doubt where the reference would refuse the file as
    too large (more than MAX_NODES values, where its own cheap bound, compose.node_bound, passes
    that too). ``bound``: that bound when known. ``positions_nodes``: the nodes of positions read
    in chunks (``root`` then holds them as null)."""
    # The count from the parsed values first: it takes a millisecond where the bound's scan of a
    # large text takes ten, and it can only exceed the limit where the bound does too.
    nodes = _nodes(root, doubtful) + positions_nodes
    if nodes > MAX_NODES and (node_bound(text) if bound is None else bound) > MAX_NODES:
        raise Doubt("too many values")
    return nodes


def _nodes(root: dict[str, Any], doubtful: dict[str, set[int]]) -> int:
    """The number of YAML nodes in the document (what compose.nodes_exceed counts)."""
    count = 1
    for key, value in root.items():
        if key == "positions" and isinstance(value, list):
            # a clean position holds only scalars: a mapping, and a key and a value per field
            count += 2 + len(value) + 2 * sum(map(len, value))
            for index in doubtful["positions"]:
                count += _count(value[index]) - 1 - 2 * len(value[index])
        else:
            count += 1 + _count(value)
    return count


def _count(value: Any) -> int:
    """The YAML nodes of a parsed value: one per value and one per key. Counted without recursion:
    a text may nest up to compose.MAX_PARSE_DEPTH levels, past Python's recursion limit."""
    count, pending = 0, [value]
    while pending:
        item = pending.pop()
        count += 1
        if isinstance(item, dict):
            count += len(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return count


def _syntax_error(
    text: str,
    label: str,
    content_hash: str,
    today: dt.date,
    message: str,
    chunks: ChunkMemo,
    scanned: list[int],
    bound: int | None,
) -> Dataset:
    """The reference's Dataset (one yaml-syntax problem) for a file yaml-rs refused past its start
    (see syntaxstop.error_near); ``chunks``: the positions read before yaml-rs stopped, reused by
    the read that vouches for the text before the error."""

    def vouch(cut: int) -> int:
        out: dict[str, Any] = {}
        # the whole text's bound holds for its start (counted only where a decision needs it)
        _build(
            text[:cut],
            label,
            content_hash,
            today,
            prefix=True,
            out=out,
            chunks=chunks,
            scanned=scanned,
            bound=bound,
            whole=text,
        )
        return out["nodes"]

    return validate.empty_dataset(label, syntaxstop.error_near(text, label, message, vouch, bound), content_hash)


def _plain_text(value: str) -> str:
    """``value`` if the reference reads it as text too; raises Doubt for ``NO``, ``on``, ``1:20``, ``~``..."""
    if not _resolves_to_text(value):
        raise Doubt("YAML 1.1 reads this text as another type")
    return value


@lru_cache(maxsize=1 << 14)  # asked for each date of each record: a dataset repeats its dates
def _resolves_to_text(value: str) -> bool:
    for tag, regexp in RESOLVERS.get(value[:1], ()):
        if regexp.match(value):
            return tag == STR
    return True


def _is_text(value: str) -> bool:
    """True when YAML 1.1 reads ``value`` as text too: a quick test for the common case first (a
    letter's resolvers are bool and null, which match at most five characters)."""
    first = value[:1]
    return first not in RESOLVERS or (len(value) > 5 and first.isalpha()) or _resolves_to_text(value)


def _plain(value: Any, depth: int = 0) -> Any:
    """Check a parsed value the way the reference would have converted it."""
    if isinstance(value, str):
        return _plain_text(value)
    if value is None or type(value) is int:
        return value
    if isinstance(value, list) and depth < 4:
        return [_plain(item, depth + 1) for item in value]
    raise Doubt("a value the records do not hold")  # bool, float, mapping: always a problem in a record


def _title(root: dict[str, Any], label: str) -> str:
    """The title as the reference reads it, or Doubt where it would report a problem."""
    report = Report(label)
    title = read_title(root.get("title"), None, label, report)
    if report.reported:
        raise Doubt("title")
    if root.get("title") is not None:
        _plain_text(title)  # Doubt where YAML 1.1 would not read it as text
    return title


def _scale(value: Any) -> Scale:
    """The scale exactly as the reference reads it, or Doubt where it would report a problem."""
    report = Report("")
    scale = read_scale(value, None, report)
    if report.reported or (value is not None and len(scale.labels) != len(value)):
        raise Doubt("scale")  # (yaml-rs reads 1 and "1" as two keys, the reference as a duplicate)
    for label in scale.labels.values():
        _plain_text(label)
    return scale


# --- a large positions section, read a chunk of records at a time -----------------------------

# Records per chunk. yaml-rs's tree of 100,000 positions takes about 330 MB next to the records
# built from it; read a chunk at a time, the tree never holds more than a few MB.
CHUNK_RECORDS = 1000
_BLANK_LINES = re.compile(r"\n(?:[ ]*(?:#[^\n]*)?\n)*")
_ERROR_LINE = re.compile(r"at line (\d+)")


@dataclass(slots=True)
class _Plan:
    """How a text is read in chunks: the text with the positions' lines blank, and their records."""

    skeleton: str
    section: Section


def _chunk_plan(text: str, tops: list[int] | None = None) -> _Plan | None:
    """A plan to read the positions section a chunk at a time, or None to read the whole text.

    Only for a block sequence of ``- key:`` records (the record scan's own condition) with nothing
    but blank or comment lines before its first record and more than one chunk of records. The
    rest of the file is read from a copy whose positions lines are blank (same lines, same
    columns), where ``positions`` is then null. ``tops``: textscan.top_lines of the text.
    """
    # each record takes a line at least: too few lines for more than one chunk (the count of the
    # text's start first, which suffices for a large text)
    if text.count("\n", 0, 1 << 18) < 2 * CHUNK_RECORDS and text.count("\n") < 2 * CHUNK_RECORDS:
        return None
    try:
        # a record is three values at least (a mapping, a key, a value): more than a third of
        # MAX_NODES records cannot be read, and 9 million took 5 s to scan
        section = section_records(text, "positions", limit=MAX_NODES // 3, tops=tops)
    except Doubt:
        return None
    spans = section.spans
    if len(spans) <= CHUNK_RECORDS or section.items != len(spans):
        return None
    if not _BLANK_LINES.fullmatch(text, section.begin, spans[0].start):
        return None
    blank = "\n" * textwindows.count(text, "\n", section.begin, section.body_end)
    return _Plan(text[: section.begin] + blank + text[section.body_end :], section)


_ChunkKey = tuple[bytes, int, int, tuple, frozenset[int]]
_ChunkRead = tuple[list[Record | None], int, bool, frozenset[int]]


@dataclass(slots=True)
class ChunkMemo:
    """Chunks of positions already read, keyed on everything their records depend on: the chunk's
    text (a digest), its first record's index and line, the scale, and its records already doubtful.

    A chunk of the same text at the same place reads to the same records, so a save that changes
    one position reads one chunk of 1,000 again instead of all of them (a parse at 10,000
    positions: 0.6 s -> 0.3 s). Within one load it also gives the start of a file yaml-rs refused near its end back
    to the read that vouches for it (see _syntax_error). The records are immutable and shared with
    the Dataset built from them. After each load it holds only the chunks of that load's text, or
    none when the fast path stepped aside; the dashboard keeps one per watched file (livefile.FileWatch).
    """

    reads: dict[_ChunkKey, _ChunkRead] = field(default_factory=dict)
    used: set[_ChunkKey] = field(default_factory=set)
    # yaml-rs's trees of chunks read ahead and not yet taken (a refused chunk's next one waits
    # here for the recovery's read of the same text)
    ahead: dict[_ChunkKey, Future] = field(default_factory=dict)

    def keep_used(self) -> None:
        """Forget the chunks the last load did not read or reuse."""
        # one chunk at a time: freeing a whole load's records in one call held the interpreter
        # lock for 60-100 ms (other sessions wait)
        for key in [key for key in self.reads if key not in self.used]:
            del self.reads[key]
        for key in [key for key in self.ahead if key not in self.used]:
            del self.ahead[key]


class _Refused(NamedTuple):
    """A chunk yaml-rs refused: its error (lines counted in the text), its first record (index,
    offset, line), and the YAML nodes of the records before it."""

    message: str
    first: int
    start: int
    line: int
    nodes: int


def _chunk_records(
    text: str, plan: _Plan, scale: Scale, doubtful: set[int], compactor: Compactor, chunks: ChunkMemo
) -> tuple[list[Entry | None], int, bool] | _Refused:
    """The positions' entries (as _records gives them), their YAML node count, and whether a record
    repeats a key; or the chunk yaml-rs refused, for a syntax error.

    Each chunk is the section's key line, whole records, and after them the next record (whose
    value is not used) or, for the last chunk, the rest of the file: every record of a chunk is
    followed by the same text as in the file. The first record of a chunk starts a block sequence
    at the indent every record line has. yaml-rs reads such a chunk's records as it reads them in
    the whole text; the count and first keys are checked against the record scan all the same.

    ``chunks`` keeps each chunk's records and gives them back when the same chunk is read again
    (see ChunkMemo).
    """
    labels = tuple(scale.labels.items())
    spans, keys = plan.section.spans, plan.section.keys
    entries: list[Entry | None] = []
    nodes = 0
    repeated = False
    # the records doubtful before reading, in order: each chunk takes its own by bisection (a look
    # at every doubtful record per chunk took 30 s for 1.3 million of them); those the loop adds
    # below are in chunks already read
    before = sorted(doubtful)
    doubtful_nodes = 0  # what the reference will have to read of the records read so far

    def prepared(first: int) -> tuple[str, _ChunkKey, set[int]]:
        """Chunk ``first``'s text, its memo key and its records already doubtful (chunk indices)."""
        last = min(first + CHUNK_RECORDS, len(spans))
        end = spans[last].end if last < len(spans) else len(text)
        own = before[bisect.bisect_left(before, first) : bisect.bisect_left(before, last)]
        local = {index - first for index in own}
        chunk = "positions:\n" + text[spans[first].start : end]
        digest = hashlib.blake2b(chunk.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        return chunk, (digest, first, spans.lines[first], labels, frozenset(local)), local

    following = None
    for first in range(0, len(spans), CHUNK_RECORDS):
        last = min(first + CHUNK_RECORDS, len(spans))
        chunk, key, local = following or prepared(first)
        following = None
        chunks.used.add(key)
        done = chunks.reads.get(key)
        if done is not None:
            records, done_nodes, done_repeated, done_local = done
            entries += [
                None if record is None else _entry("positions", record, first + i) for i, record in enumerate(records)
            ]
            doubtful.update(index + first for index in done_local)
            nodes += done_nodes
            repeated = repeated or done_repeated
            continue
        duplicates = False
        # yaml-rs parses without the interpreter lock: the next chunk is parsed while this one's
        # records are checked (whole-process validate of 10,000 positions: ~50 ms less)
        parsing = chunks.ahead.pop(key, None) or _READER.submit(_yaml_rs_loads, chunk)
        if last < len(spans):
            following = prepared(last)
            if following[1] not in chunks.reads and following[1] not in chunks.ahead:
                chunks.ahead[following[1]] = _READER.submit(_yaml_rs_loads, following[0])
                chunks.used.add(following[1])  # kept for the recovery's read should this chunk be refused
        try:
            root = parsing.result()
        except Exception as exc:
            message = str(exc)
            if "duplicate mapping key" not in message:
                line = spans.lines[first]  # the chunk's second line
                message = _ERROR_LINE.sub(
                    lambda m, shift=line - 2: f"at line {int(m.group(1)) + shift}", message, count=1
                )
                return _Refused(message, first, spans[first].start, line, nodes)
            try:
                root, duplicates = _yaml_rs_loads(chunk, first_wins=True), True
            except Exception as again:
                raise Doubt("yaml-rs refused the text") from again
        items = root.get("positions") if isinstance(root, dict) else None
        count = last - first
        if not isinstance(items, list) or len(items) != count + (last < len(spans)):
            raise Doubt("record lines")
        del items[count:]
        check_first_keys(items, keys[first:last])
        chunk_spans = spans.part(first, last)
        if duplicates:
            repeated = True
            find_repeated_keys(text, {"positions": items}, {"positions": chunk_spans}, {"positions": local})
        read = _records("positions", items, chunk_spans, scale, local, compactor, base=first)
        entries += read
        doubtful.update(index + first for index in local)
        # what _nodes counts for these records in a whole tree
        chunk_nodes = count + 2 * sum(map(len, items))
        chunk_nodes += sum(_count(items[index]) - 1 - 2 * len(items[index]) for index in local)
        nodes += chunk_nodes
        doubtful_nodes += sum(_count(items[index]) for index in local)
        if doubtful_nodes > MAX_REFERENCE_NODES:  # the reference would refuse to read them all
            raise Doubt("more doubtful values than the reference reads")
        records = [None if entry is None else entry[0] for entry in read]
        chunks.reads[key] = (records, chunk_nodes, duplicates, frozenset(local))
        del root, items, read
    return entries, nodes, repeated


# --- records ----------------------------------------------------------------------------------


def _or_none(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    try:
        return handler(value)
    except ValidationError:
        return None


# Each list item validated on its own: a record the model refuses becomes None (about 2% slower
# than a plain list, and one pass where a failed list would need a second).
_ADAPTERS = {
    section: TypeAdapter(list[Annotated[model, WrapValidator(_or_none)]]) for section, model in RECORD_MODELS.items()
}


_BATCH = 2000


def _records(
    section: str,
    items: Any,
    spans: Spans,
    scale: Scale,
    doubtful: set[int],
    compactor: Compactor,
    base: int = 0,
) -> list[Entry | None]:
    """Each record with its fields, or None where the reference must read it: a value YAML 1.1
    reads otherwise, a stance off the scale, a record the model refuses, or already ``doubtful``
    (which gains every such index)."""
    if not isinstance(items, list) or len(items) != len(spans):
        raise Doubt("records")
    for index, item in enumerate(items):
        if index in doubtful:
            continue
        try:
            if not isinstance(item, dict):
                raise Doubt("not a mapping")
            for key, value in item.items():
                if type(key) is not str:
                    raise Doubt("key")
                if type(value) is not str or not _is_text(value):
                    _plain(value)
            if section == "positions":
                stance = item.get("stance")
                if type(stance) is int and stance not in scale.labels:
                    raise Doubt("out of range")
        except Doubt:
            doubtful.add(index)
    clean = [index for index in range(len(items)) if index not in doubtful]
    lines, columns, share = spans.lines, spans.columns, compactor.share
    entries: list[Entry | None] = [None] * len(items)
    # validated a batch at a time, each record then rebuilt compactly: pydantic's own records
    # (1.5 KB each) are never all alive at once
    for start in range(0, len(clean), _BATCH):
        batch = clean[start : start + _BATCH]
        try:
            records = _ADAPTERS[section].validate_python([items[i] for i in batch])
        except ValidationError as exc:
            raise Doubt("invalid records") from exc
        for index, record in zip(batch, records, strict=True):
            if record is None:  # the model refused it: the reference says why
                doubtful.add(index)
                continue
            if share:
                record = compactor.compact(record, lines[index], columns[index])
            else:  # (what compact does then, without a call per record)
                record.at(lines[index], columns[index])
            entries[index] = record, RecordFields(section, base + index, record)
    return entries


def _entry(section: str, record: Record, index: int) -> Entry:
    """A clean record and its fields as validate.check_references reads them."""
    return record, RecordFields(section, index, record)
