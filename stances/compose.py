"""YAML text to a node tree, within the loader's limits: both load paths read through here.

Bytes become text (UTF-8, a BOM accepted, anything else a problem saying what the file is), and
text becomes PyYAML nodes composed by libyaml (``CSafeLoader``) with YAML 1.1's timestamp
resolver removed, so dates stay text (``2013-02-30`` is a problem at its line, not a crash).
Depth and the number of values are bounded before composing (a crafted file could exhaust the
C stack or memory); syntax errors become problems with the YAML's line and column and a hint.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

import yaml

from stances import syntaxhints, textwindows
from stances.problems import Problem

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32  # a positions file needs 4 levels; anything deeper is not a dataset
MAX_PARSE_DEPTH = 1000  # beyond this libyaml's recursive composer can exhaust the C stack
MAX_ALIAS_NODES = 10_000  # nodes produced by expanding aliases ("billion laughs" guard)
# Composed nodes cost about 300 bytes each: 100,000 positions are 2.7 million nodes, while a 64 MB
# file of "[1,1,1,...]" would be 32 million (about 10 GB). This bound keeps memory near 1.2 GB.
MAX_NODES = 4_000_000
# What the reference reading composes at most, of a whole file or of the records the fast path
# doubts (the fast path reads larger clean files a chunk at a time, up to MAX_NODES). Reading costs
# it 5-8 µs and up to 1.3 KB per value, the worst shape being hundreds of thousands of one-key
# records: at this bound a file takes at most about 6 s and 800 MB (docs/security.md has the
# measurements), and real data about 36,000 positions. A file that needs the reference reading for
# more (a tab or an anchor anywhere, records written in braces) is refused as too large.
MAX_REFERENCE_NODES = 750_000
UNCHECKED = -1  # compose_yaml's ``deep_line`` when the caller has not run nesting_exceeds

TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (TAG + t for t in ("str", "int", "float", "bool", "null"))
MAP, SEQ, TIMESTAMP, MERGE = TAG + "map", TAG + "seq", TAG + "timestamp", TAG + "merge"
PLAIN_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")

# YAML 1.1's plain-scalar resolvers without timestamps, keyed by first character: how the
# reference reads a plain scalar (the fast path checks its text values against the same table).
RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    first: [(tag, rx) for tag, rx in resolvers if tag != TIMESTAMP]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


class TextDatesLoader(yaml.CSafeLoader):
    """libyaml composer with YAML 1.1's timestamp resolver removed: dates arrive as text."""


TextDatesLoader.yaml_implicit_resolvers = RESOLVERS


def too_large(message: str, label: str) -> Problem:
    """A ``file-too-large`` problem: the one hint for every size limit the loader enforces."""
    return Problem("file-too-large", message, path=label, hint="split the dataset or check that this is the right file")


def too_many_values(limit: int, label: str, *, careful: bool = False) -> Problem:
    """The ``file-too-large`` problem of a text with more than ``limit`` values: MAX_NODES, or
    (``careful``) MAX_REFERENCE_NODES, what the reference reading composes at most."""
    if not careful:
        return too_large(f"the YAML holds more than {limit:,} values; the loader reads at most that many", label)
    return Problem(
        "file-too-large",
        f"more than {limit:,} values need the careful reading, which reads at most that many: those of "
        "records with problems, or of the whole file where it holds a tab, a control character, an anchor, "
        "an alias or a tag, or records written in braces",
        path=label,
        hint="write records as '- key: value' lines without tabs, anchors or tags; validate a part of the "
        "file to see its problems; or split the dataset",
    )


# --- bytes -> text -------------------------------------------------------------------------


def decode_text(raw: bytes, label: str) -> tuple[str, Problem | None]:
    """UTF-8 text from bytes (a BOM is accepted), or a problem saying what the file is instead."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    hint = "save the file as UTF-8 (most editors: Save with Encoding > UTF-8)"
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "", Problem("not-utf8", "the file is UTF-32 encoded", path=label, hint=hint)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "", Problem("not-utf8", "the file is UTF-16 encoded", path=label, hint=hint)
    if b"\x00" in raw[:4096]:
        sample = raw[:4096]
        if sample.count(b"\x00") * 3 >= len(sample):  # every other byte NUL: UTF-16 without BOM
            return "", Problem("not-utf8", "the file looks UTF-16 encoded", path=label, hint=hint)
        return "", Problem(
            "binary-file",
            "the file holds binary data (NUL bytes), not YAML text",
            path=label,
            line=raw[: raw.index(b"\x00")].count(b"\n") + 1,
            hint="check that this is the positions file",
        )
    try:
        return _utf8(raw), None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        byte = raw[exc.start]
        return "", Problem(
            "not-utf8",
            f"byte 0x{byte:02X} is not UTF-8 (the file may be Latin-1 or Windows-1252)",
            path=label,
            line=line,
            column=column,
            hint=hint,
        )


# --- text -> nodes ---------------------------------------------------------------------------

# A long run of indentation and compact "- " at a line's start. (Searched for after a line break,
# and at the text's start apart: with ^ and MULTILINE the search was five times slower.)
_OPENERS = re.compile(r"\n[ \t?-]{200,}")
_FIRST_OPENERS = re.compile(r"[ \t?-]{200,}")


def nesting_exceeds(text: str, limit: int = MAX_PARSE_DEPTH) -> int | None:
    """The line where nesting passes ``limit``, or None; cheap unless the text is suspicious.

    libyaml's composer recurses once per level and a few hundred thousand levels crash the
    process, so deep input must be refused before composing. Flow brackets plus the longest run
    of indentation and compact ``- `` bounds the depth; only past that bound are events counted.
    """
    return structure_exceeds(text, limit).deep_line


DECODE_STEP = 1 << 20  # bytes decoded per call


def _utf8(raw: bytes) -> str:
    """``raw.decode("utf-8")`` a megabyte per call (one call over 52 MB held the interpreter lock
    for 70 ms, while other sessions waited); an error is raised as the whole decode raises it."""
    if len(raw) <= DECODE_STEP:
        return raw.decode("utf-8")
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)
    try:
        parts = [decoder.decode(view[at : at + DECODE_STEP]) for at in range(0, len(raw), DECODE_STEP)]
        parts.append(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        return raw.decode("utf-8")  # raises again, with the offset in the whole of ``raw``
    return "".join(parts)


class Excess(NamedTuple):
    """What :func:`structure_exceeds` found: the line where nesting passes its limit (or None),
    and whether the first document holds more values than allowed (then the scan stopped there)."""

    deep_line: int | None
    too_many_values: bool


def structure_exceeds(text: str, limit: int = MAX_PARSE_DEPTH, max_nodes: int | None = None) -> Excess:
    """:func:`nesting_exceeds`, and with ``max_nodes`` whether the first document holds more
    values, counted in the same pass of parse events where one is needed for the depth.

    A text of 7 million one-key records written in braces (``- {a: 1}``, 63 MB) took 20 s to
    scan for its depth alone; past ``max_nodes`` values it is refused anyway, whatever its depth.
    """
    first = _FIRST_OPENERS.match(text)
    # (a window at a time: other threads get a turn between windows, stances.textwindows)
    runs = [len(m.group(0)) - 1 for m in textwindows.finditer(_OPENERS, text)] + [len(first.group(0)) if first else 0]
    longest_run = max(runs)
    if textwindows.count(text, "[") + textwindows.count(text, "{") + longest_run <= limit:
        return Excess(None, False)
    depth = count = 0
    counting = max_nodes is not None
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                count += 1
                if depth > limit:
                    return Excess(event.start_mark.line + 1, False)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                continue
            elif isinstance(event, yaml.ScalarEvent):
                count += 1
            elif isinstance(event, yaml.DocumentEndEvent):
                counting = False  # only the first document is composed
            if counting and count > max_nodes:  # type: ignore[operator]
                return Excess(None, True)
    except yaml.YAMLError:
        pass  # composing reports the syntax error with its position
    return Excess(None, False)


# Every node but the root follows a line break or one of these, and each opens at most two nodes
# (a key and its empty value).
SEPARATORS = ("\n", ",", ":", "-", "?", "[", "{")


_BYTE_SEPARATORS = tuple(s.encode() for s in SEPARATORS)


def node_bound(text: str | bytes, start: int = 0) -> int:
    """An upper bound on the number of YAML nodes in ``text[start:]`` (see SEPARATORS). The UTF-8
    bytes give the same count as the text (no multi-byte character holds an ASCII byte), and
    counting bytes is several times quicker than counting in a text with non-ASCII characters."""
    if isinstance(text, str):  # a window at a time, as every scan of a whole text (textwindows)
        return 2 * sum(textwindows.count(text, s, start) for s in SEPARATORS) + 2
    return 2 * sum(text.count(s, start) for s in _BYTE_SEPARATORS) + 2


def nodes_exceed(text: str, limit: int = MAX_NODES) -> bool:
    """True when the first document holds more than ``limit`` nodes; cheap unless the text is dense.

    Every node but the root follows a line break, ``,``, ``:``, ``-``, ``?``, ``[`` or ``{``, and
    each of those opens at most two (a key and its empty value), which bounds the count; only past
    that bound are parse events counted (a streaming pass that keeps no tree).
    """
    if node_bound(text) <= limit:
        return False
    count = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                count += 1
                if count > limit:
                    return True
            elif isinstance(event, yaml.DocumentEndEvent):
                return False  # only the first document is composed
    except yaml.YAMLError:
        return False  # composing reports the syntax error with its position
    return False


def compose_yaml(
    text: str, label: str, *, max_nodes: int = MAX_NODES, deep_line: int | None = UNCHECKED
) -> tuple[yaml.Node | None, list[Problem]]:
    """The first YAML document's node tree, and problems (syntax, depth, extra documents, more than
    ``max_nodes`` values). ``deep_line``: what :func:`nesting_exceeds` said of ``text``, when the
    caller asked it already (a text full of brackets costs a parse to check)."""
    if not text or text.isspace():  # (what `not text.strip()` says, without a copy of the text)
        return None, [empty_file(label)]
    if deep_line == UNCHECKED:
        deep_line = nesting_exceeds(text)
    if deep_line is not None:
        return None, [
            Problem(
                "too-deep",
                f"the YAML nests more than {MAX_PARSE_DEPTH} levels deep",
                path=label,
                line=deep_line,
                hint="a positions file needs four levels; check this is the right file",
            )
        ]
    if nodes_exceed(text, max_nodes):
        return None, [too_many_values(max_nodes, label, careful=max_nodes < MAX_NODES)]
    loader = TextDatesLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.composer.ComposerError as exc:
        # libyaml puts "expected a single document" in the context, not the problem
        if "single document" not in f"{exc.context} {exc.problem}":
            return None, [syntax_problem(exc, label, text=text)]
        problems = [syntax_problem(exc, label, kind="multiple-documents")]
        later = _later_syntax_error(text)
        if later is not None:
            problems.append(syntax_problem(later, label, text=text))
        return _first_document(text), problems
    except yaml.YAMLError as exc:
        return None, [syntax_problem(exc, label, text=text)]
    finally:
        loader.dispose()
    if root is None:
        return None, [empty_file(label)]
    return root, []


def _later_syntax_error(text: str) -> yaml.YAMLError | None:
    """The first syntax error anywhere in the stream (later documents included), or None."""
    try:
        for _ in yaml.parse(text, Loader=TextDatesLoader):
            pass
    except yaml.YAMLError as exc:
        return exc
    return None


def _first_document(text: str) -> yaml.Node | None:
    loader = TextDatesLoader(text)
    try:
        # libyaml's get_node needs check_node first (it reads the stream start); without it, it crashes
        return loader.get_node() if loader.check_node() else None
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def empty_file(label: str) -> Problem:
    return Problem(
        "empty-file",
        "the file holds no data (only blank lines or comments)",
        path=label,
        hint="start from the example in docs/data-format.md",
    )


def syntax_problem(exc: yaml.YAMLError, label: str, kind: str = "yaml-syntax", text: str | None = None) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    if "quoted scalar" in str(getattr(exc, "context", "")) and "end of stream" in str(getattr(exc, "problem", "")):
        mark = exc.context_mark  # an unclosed quote: point at where it opens, not at the end of the file
    elif "simple key" in str(getattr(exc, "context", "")) and getattr(exc, "context_mark", None) is not None:
        mark = exc.context_mark  # "stance:1": the line that holds no key, not the line after it
    line = column = None
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    if isinstance(exc, yaml.reader.ReaderError):
        if text is not None and isinstance(exc.position, int):  # libyaml counts UTF-8 bytes
            before = text.encode("utf-8", "surrogatepass")[: exc.position].decode("utf-8", "replace")
            line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"the character U+{code:04X} is not allowed in YAML text"
        hint = "remove the control character (it may come from copying out of a PDF)"
    else:
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part) or str(exc)
        hint = syntaxhints.hint(message, text, exc)
    if kind == "multiple-documents":
        message = "a second YAML document starts here (after '---'); only the first is read"
        hint = "remove the '---' line or merge the documents into one"
    return Problem(kind, message, path=label, line=line, column=column, hint=hint)
