"""Read a positions YAML file into a Dataset, with a line and column for every problem.

The loader never raises on bad content: it collects problems and keeps every valid record.
It only raises ``DatasetFileError`` when the file cannot be read at all (missing, a folder,
no permission), which the CLI reports with exit code 2.

YAML is composed with PyYAML's libyaml-backed ``CSafeLoader`` into nodes (which carry their
marks) and converted here, so that we decide the types: dates stay text (``2013-02-30`` is a
problem at its line, not a crash), duplicate keys are problems, aliases and nesting are bounded,
and tags other than the core schema's are refused.
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from stances import cache as disk_cache
from stances import fastload, validate
from stances.model import (
    RECORD_MODELS,
    TOP_LEVEL_KEYS,
    Compactor,
    Dataset,
    Position,
    Record,
    Scale,
)
from stances.problems import MAX_PROBLEMS, Problem

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32  # a positions file needs 4 levels; anything deeper is not a dataset
MAX_PARSE_DEPTH = 1000  # beyond this libyaml's recursive composer can exhaust the C stack
MAX_ALIAS_NODES = 10_000  # nodes produced by expanding aliases ("billion laughs" guard)
# Composed nodes cost about 300 bytes each: 100,000 positions are 2.7 million nodes, while a 64 MB
# file of "[1,1,1,...]" would be 32 million (about 10 GB). This bound keeps memory near 1.2 GB.
MAX_NODES = 4_000_000
ALWAYS_LISTED = frozenset({"too-many-aliases", "too-deep"})  # once per file, past MAX_PROBLEMS too

TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (TAG + t for t in ("str", "int", "float", "bool", "null"))
MAP, SEQ, TIMESTAMP = TAG + "map", TAG + "seq", TAG + "timestamp"
PLAIN_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
INVALID: Any = object()  # a value that already produced a problem


class DatasetFileError(Exception):
    """The file cannot be read at all (missing, a folder, no permission)."""


class _Loader(yaml.CSafeLoader):
    """libyaml composer with YAML 1.1's timestamp resolver removed: dates arrive as text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != TIMESTAMP]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(slots=True)
class FileRead:
    """A positions file as read from disk, before parsing: its bytes (in a one-item ``box`` that
    the parse empties, so nothing keeps 52 MB of bytes beside the decoded text) and their sha256;
    or, for a file over the size limit, the Dataset that says so (``refused``)."""

    label: str
    box: list[bytes]
    content_hash: str
    refused: Dataset | None = None


def read_file(path: str | Path) -> FileRead:
    """Read the positions file at ``path`` with the size check, and hash it.

    Raises DatasetFileError only when the file cannot be read (missing, a folder, no permission).
    """
    path = Path(path)
    label = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise DatasetFileError(f"{label} is a folder, not a positions file")
        if size > MAX_FILE_BYTES:
            message = f"the file is {size / 1e6:.0f} MB; the loader reads at most {MAX_FILE_BYTES / 1e6:.0f} MB"
            return FileRead(label, [], "", _empty(label, [too_large(message, label)], ""))
        with path.open("rb") as handle:  # bounded: a device such as /dev/zero reports size 0 and never ends
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            message = f"the file holds more than {MAX_FILE_BYTES / 1e6:.0f} MB; the loader reads at most that"
            return FileRead(label, [], "", _empty(label, [too_large(message, label)], ""))
    except FileNotFoundError:
        raise DatasetFileError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise DatasetFileError(f"{label} is a folder, not a positions file") from None
    except PermissionError:
        raise DatasetFileError(f"{label}: permission denied") from None
    except OSError as exc:
        raise DatasetFileError(f"{label}: cannot read ({exc.strerror or exc})") from None
    return FileRead(label, [data], hashlib.sha256(data).hexdigest())


def dataset_of(
    read: FileRead,
    *,
    today: dt.date | None = None,
    cache: bool = True,
    background: bool = False,
    write_delay: float = 0.0,
    chunks: fastload.ChunkMemo | None = None,
) -> Dataset:
    """The Dataset of a file read by :func:`read_file`: from the disk cache when it holds this
    content, else parsed (and stored). ``background`` writes a new cache entry from a thread
    ``write_delay`` seconds later (see stances.cache.load_or_parse); ``chunks`` carries the fast
    path's reads from the file's previous version (see fastload.ChunkMemo). Empties ``read.box``."""
    if read.refused is not None:
        return read.refused
    box, label, content_hash = read.box, read.label, read.content_hash

    def parse() -> Dataset:
        return parse_dataset(box.pop(), label=label, today=today, chunks=chunks, content_hash=content_hash)

    if cache:
        return disk_cache.load_or_parse(
            box,
            label=label,
            today=today,
            parse=parse,
            background=background,
            write_delay=write_delay,
            content_hash=content_hash,
        )
    return parse()


def load_dataset(
    path: str | Path, *, today: dt.date | None = None, cache: bool = True, background: bool = False
) -> Dataset:
    """Load and validate the positions file at ``path``: :func:`read_file`, then :func:`dataset_of`.

    Raises DatasetFileError only when the file cannot be read; every problem with its content
    is in ``Dataset.problems``. ``cache`` reuses a parse of the same content from the disk cache
    (stances.cache; ``STANCES_NO_CACHE=1`` turns it off everywhere); ``background`` writes a new
    cache entry from a thread (see stances.cache.load_or_parse).
    """
    return dataset_of(read_file(path), today=today, cache=cache, background=background)


def parse_dataset(
    data: bytes | str,
    *,
    label: str = "<input>",
    today: dt.date | None = None,
    fast: bool = True,
    chunks: fastload.ChunkMemo | None = None,
    content_hash: str | None = None,
) -> Dataset:
    """Validate YAML text (bytes as read from disk, or str) into a Dataset.

    ``fast`` tries stances.fastload first, which returns the same Dataset for a clean file in a
    fraction of the time and steps aside (None) whenever it is not sure; ``fast=False`` forces
    the reference path below. ``chunks`` carries the fast path's reads of positions from one
    version of a file to the next (see fastload.ChunkMemo). ``content_hash``: the sha256 of
    ``data`` when the caller has it already (52 MB take about 0.03 s to hash).
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    content_hash = content_hash or hashlib.sha256(raw).hexdigest()
    if len(raw) > MAX_FILE_BYTES:
        message = f"the text is {len(raw) / 1e6:.0f} MB; the loader reads at most {MAX_FILE_BYTES / 1e6:.0f} MB"
        return _empty(label, [too_large(message, label)], content_hash)
    text, problem = decode_text(raw, label)
    del data, raw  # the caller may have handed over its only reference (load_dataset does)
    if problem is not None:
        return _empty(label, [problem], content_hash)
    # yaml-rs recurses per block level and crashes the process past ~20,000: refuse deep text first
    if fast and nesting_exceeds(text) is None:
        dataset = fastload.fast_dataset(
            text, label=label, content_hash=content_hash, today=today or dt.date.today(), chunks=chunks
        )
        if dataset is not None:
            return dataset
    root, problems = compose_yaml(text, label)
    if root is None:
        return _empty(label, problems, content_hash)
    builder = _Builder(label, today or dt.date.today())
    builder.problems.extend(problems)
    return builder.build(root, content_hash)


def too_large(message: str, label: str) -> Problem:
    """A ``file-too-large`` problem: the one hint for every size limit the loader enforces."""
    return Problem("file-too-large", message, path=label, hint="split the dataset or check that this is the right file")


def _empty(label: str, problems: list[Problem], content_hash: str) -> Dataset:
    return Dataset(label, Path(label).name, Scale(), [], [], [], [], problems, content_hash)


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
        return raw.decode("utf-8"), None
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

_OPENERS = re.compile(r"^[ \t?-]{200,}", re.MULTILINE)


def nesting_exceeds(text: str, limit: int = MAX_PARSE_DEPTH) -> int | None:
    """The line where nesting passes ``limit``, or None; cheap unless the text is suspicious.

    libyaml's composer recurses once per level and a few hundred thousand levels crash the
    process, so deep input must be refused before composing. Flow brackets plus the longest run
    of indentation and compact ``- `` bounds the depth; only past that bound are events counted.
    """
    longest_run = max((len(m.group(0)) for m in _OPENERS.finditer(text)), default=0)
    if text.count("[") + text.count("{") + longest_run <= limit:
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > limit:
                    return event.start_mark.line + 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None  # composing reports the syntax error with its position
    return None


_SEPARATORS = ("\n", ",", ":", "-", "?", "[", "{")


def nodes_exceed(text: str, limit: int = MAX_NODES) -> bool:
    """True when the first document holds more than ``limit`` nodes; cheap unless the text is dense.

    Every node but the root follows a line break, ``,``, ``:``, ``-``, ``?``, ``[`` or ``{``, and
    each of those opens at most two (a key and its empty value), which bounds the count; only past
    that bound are parse events counted (a streaming pass that keeps no tree).
    """
    if 2 * sum(text.count(s) for s in _SEPARATORS) + 2 <= limit:
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


def compose_yaml(text: str, label: str) -> tuple[yaml.Node | None, list[Problem]]:
    """The first YAML document's node tree, and problems (syntax, depth, extra documents)."""
    if not text.strip():
        return None, [_empty_file(label)]
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
    if nodes_exceed(text):
        return None, [
            too_large(f"the YAML holds more than {MAX_NODES:,} values; the loader reads at most that many", label)
        ]
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.composer.ComposerError as exc:
        # libyaml puts "expected a single document" in the context, not the problem
        if "single document" not in f"{exc.context} {exc.problem}":
            return None, [_syntax_problem(exc, label, text=text)]
        problems = [_syntax_problem(exc, label, kind="multiple-documents")]
        later = _later_syntax_error(text)
        if later is not None:
            problems.append(_syntax_problem(later, label, text=text))
        return _first_document(text), problems
    except yaml.YAMLError as exc:
        return None, [_syntax_problem(exc, label, text=text)]
    finally:
        loader.dispose()
    if root is None:
        return None, [_empty_file(label)]
    return root, []


def _later_syntax_error(text: str) -> yaml.YAMLError | None:
    """The first syntax error anywhere in the stream (later documents included), or None."""
    try:
        for _ in yaml.parse(text, Loader=_Loader):
            pass
    except yaml.YAMLError as exc:
        return exc
    return None


def _first_document(text: str) -> yaml.Node | None:
    loader = _Loader(text)
    try:
        # libyaml's get_node needs check_node first (it reads the stream start); without it, it crashes
        return loader.get_node() if loader.check_node() else None
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def _empty_file(label: str) -> Problem:
    return Problem(
        "empty-file",
        "the file holds no data (only blank lines or comments)",
        path=label,
        hint="start from the example in docs/data-format.md",
    )


def _syntax_problem(exc: yaml.YAMLError, label: str, kind: str = "yaml-syntax", text: str | None = None) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    if "quoted scalar" in str(getattr(exc, "context", "")) and "end of stream" in str(getattr(exc, "problem", "")):
        mark = exc.context_mark  # an unclosed quote: point at where it opens, not at the end of the file
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
        hint = _syntax_hint(message)
    if kind == "multiple-documents":
        message = "a second YAML document starts here (after '---'); only the first is read"
        hint = "remove the '---' line or merge the documents into one"
    return Problem(kind, message, path=label, line=line, column=column, hint=hint)


def _syntax_hint(message: str) -> str:
    if "'\\t'" in message or "tab character" in message:
        return "YAML indents with spaces, not tabs: replace the tab with spaces"
    if "mapping values are not allowed" in message:
        return "text containing ': ' must be put in double quotes"
    if "could not find expected ':'" in message or "simple key" in message:
        return "check the line above: a key needs 'key: value', and quotes must be closed"
    if "found character '@'" in message or "found character '`'" in message or "cannot start any token" in message:
        return "text starting with @, ` or % must be put in double quotes"
    if "unknown escape" in message:
        return r"in double quotes a backslash starts an escape: write \\ for a backslash"
    if "end of the stream" in message or "end of stream" in message or "closing quotation" in message:
        return "a quote is not closed: check the matching \" or ' on this record"
    if "expected ',' or ']'" in message or "expected ',' or '}'" in message:
        return "a [ or { is not closed, or an item holding ', ' or ': ' needs quotes"
    if "did not find expected key" in message:
        return "check the indentation: the keys of one record must line up under each other"
    return "check indentation and quoting here; text with ': ', ' #' or a leading symbol needs quotes"


# --- nodes -> records ------------------------------------------------------------------------


@dataclass
class _Fields:
    """A record mapping converted to Python, with the nodes to point problems at."""

    values: dict[str, Any] = field(default_factory=dict)
    keys: dict[str, yaml.Node] = field(default_factory=dict)
    nodes: dict[str, yaml.Node] = field(default_factory=dict)
    first: yaml.Node | None = None
    index: int = -1


class _Builder:
    """Walks the node tree once, converting values and collecting problems."""

    def __init__(self, label: str, today: dt.date, indices: dict[str, list[int]] | None = None) -> None:
        self.label = label
        self.today = today
        # the index in the file of each item walked, per section, when walking a masked copy of the
        # file that holds only some records (stances.fastload); the identity otherwise
        self.indices = indices or {}
        self.problems: list[Problem] = []
        self.seen_nodes: set[int] = set()
        self.alias_nodes = 0
        self.alias_problem = False
        self.reported = 0  # problems found, listed or not (only MAX_PROBLEMS are listed)
        self.compactor = Compactor()

    @property
    def full(self) -> bool:
        """True once MAX_PROBLEMS problems are listed: further ones are only counted."""
        return self.reported >= MAX_PROBLEMS

    def problem(self, kind: str, node: yaml.Node | None, loc: str, message: str, hint: str = "", **kw: Any) -> None:
        """Record a problem at ``node``'s start."""
        self.reported += 1
        if self.reported > MAX_PROBLEMS and kind not in ALWAYS_LISTED:
            return
        line = column = None
        if node is not None:
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
        self.problems.append(Problem(kind, message, self.label, line, column, loc, hint, **kw))

    # values

    def value(self, node: yaml.Node, loc: str, depth: int = 0, in_alias: bool = False) -> Any:
        """Convert a node to plain Python (str/int/float/bool/None/list/dict) or INVALID."""
        if id(node) in self.seen_nodes and isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
            in_alias = True  # the same collection node again: an alias being expanded
        self.seen_nodes.add(id(node))
        if in_alias:
            self.alias_nodes += 1
            if self.alias_nodes > MAX_ALIAS_NODES:
                if not self.alias_problem:
                    self.alias_problem = True
                    self.problem(
                        "too-many-aliases",
                        node,
                        loc,
                        f"aliases (*name) expand into more than {MAX_ALIAS_NODES:,} values",
                        "write the values out; a file that multiplies aliases is refused as a 'billion laughs' attack",
                    )
                return INVALID
        if depth > MAX_DEPTH:
            self.problem(
                "too-deep", node, loc, f"nesting deeper than {MAX_DEPTH} levels", "a record holds plain values"
            )
            return INVALID
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != SEQ:
                return self.unsupported(node, loc)
            items = [self.value(item, f"{loc}[{i}]", depth + 1, in_alias) for i, item in enumerate(node.value)]
            return INVALID if any(item is INVALID for item in items) else items
        if node.tag != MAP:
            return self.unsupported(node, loc)
        fields = self.mapping(node, loc, depth, in_alias)
        return INVALID if fields is None or INVALID in fields.values.values() else fields.values

    def scalar(self, node: yaml.ScalarNode, loc: str) -> Any:
        """Convert one scalar by its resolved tag; flags numbers YAML 1.1 reads surprisingly."""
        tag, text = node.tag, node.value
        if tag in (STR, TIMESTAMP):
            return text
        if tag == NULL:
            return None
        if tag == BOOL:
            return text.lower() in ("yes", "true", "on", "y")
        if tag == INT:
            if PLAIN_INT.match(text):
                return int(text)
            self.problem(
                "ambiguous-number",
                node,
                loc,
                f"'{text}' is read by YAML 1.1 as the number {_yaml11_int(text)}",
                f'write a plain integer, or put it in quotes if it is text: "{text}"',
            )
            return INVALID
        if tag == FLOAT:
            try:
                return float(text.replace("_", ""))
            except ValueError:
                self.problem(
                    "ambiguous-number",
                    node,
                    loc,
                    f"'{text}' is read by YAML 1.1 as a number",
                    f'put it in quotes: "{text}"',
                )
                return INVALID
        return self.unsupported(node, loc)

    def unsupported(self, node: yaml.Node, loc: str) -> Any:
        """Refuse a node with a tag outside the core schema (``!!python/object``, ``!custom``)."""
        self.problem(
            "unsupported-tag",
            node,
            loc,
            f"the tag '{node.tag.replace(TAG, '!!', 1)}' is not allowed",
            "remove the tag: a positions file holds only plain text, numbers, lists and mappings",
        )
        return INVALID

    def mapping(self, node: yaml.MappingNode, loc: str, depth: int = 0, in_alias: bool = False) -> _Fields | None:
        """Convert a mapping, keeping the first of duplicate keys and reporting the others."""
        fields = _Fields(first=node.value[0][0] if node.value else node)
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == TAG + "merge":
                self.problem(
                    "unsupported-tag",
                    key_node,
                    loc,
                    "the merge key '<<' is not supported",
                    "write every field out in each record: a quote's evidence should be readable in place",
                )
                fields.values[f"<key {len(fields.values)}>"] = INVALID
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in (STR, INT, BOOL, NULL, FLOAT):
                self.problem("wrong-type", key_node, loc, "a key must be plain text", "write 'key: value'")
                fields.values[f"<key {len(fields.values)}>"] = INVALID
                continue
            key = key_node.value
            if key in fields.keys:
                first = fields.keys[key].start_mark.line + 1
                self.problem(
                    "duplicate-key",
                    key_node,
                    f"{loc}.{key}" if loc else key,
                    f"'{key}' appears twice in this mapping (first at line {first}); "
                    "YAML would silently keep only the last",
                    "remove one of them, or start a new record with '- ' if this is a new entry",
                )
                fields.values[key] = INVALID
                continue
            fields.keys[key] = key_node
            fields.nodes[key] = value_node
            sub = f"{loc}.{key}" if loc else key
            fields.values[key] = self.value(value_node, sub, depth + 1, in_alias)
        return fields

    # records

    def build(self, root: yaml.Node, content_hash: str) -> Dataset:
        """Turn the document's node tree into a Dataset."""
        walked = self.walk(root, content_hash)
        if isinstance(walked, Dataset):
            return walked
        return self.finish(*walked, content_hash)

    def walk(
        self, root: yaml.Node, content_hash: str
    ) -> Dataset | tuple[str, Scale, dict[str, list[tuple[Record | None, _Fields]]]]:
        """The title, scale and every record with its fields, or an empty Dataset when the
        document is not a mapping."""
        if isinstance(root, yaml.MappingNode) and root.tag != MAP:
            self.unsupported(root, "")  # a tagged mapping such as '--- !custom'
            return _empty(self.label, self.problems, content_hash)
        if not isinstance(root, yaml.MappingNode) or root.tag != MAP:
            found = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
            self.problem(
                "not-a-mapping",
                root,
                "",
                f"the file must be a mapping with the keys {', '.join(TOP_LEVEL_KEYS)}; found {found}",
                "start from the example in docs/data-format.md",
            )
            return _empty(self.label, self.problems, content_hash)
        sections: dict[str, yaml.Node] = {}
        first_key: dict[str, yaml.Node] = {}
        for key_node, value_node in root.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem("wrong-type", key_node, "", "a key must be plain text", "write 'key: value'")
                continue
            key = key_node.value
            if key in sections:
                self.problem(
                    "duplicate-key",
                    key_node,
                    str(key),
                    f"'{key}' appears twice (first at line {first_key[key].start_mark.line + 1}); "
                    "only the first is read",
                    "merge the two lists into one",
                )
            elif key in TOP_LEVEL_KEYS:
                sections[key] = value_node
                first_key[key] = key_node
            else:
                hint = "" if self.full else did_you_mean(key, TOP_LEVEL_KEYS)
                self.problem("unknown-key", key_node, str(key), f"unknown top-level key '{key}'", hint)
        title = self.title(sections.get("title"))
        scale = self.scale(sections.get("scale"))
        entries = {
            section: self.records(section, sections.get(section), scale)
            for section in ("actors", "issues", "sources", "positions")
        }
        return title, scale, entries

    def finish(
        self, title: str, scale: Scale, entries: dict[str, list[tuple[Record | None, _Fields]]], content_hash: str
    ) -> Dataset:
        """Cross-record checks, ties, the problem listing limit: the Dataset."""
        kept = validate.check_references(entries, self.today, self._at)
        self.problems.extend(kept.problems)
        self.problems.extend(validate.find_ties(kept.positions, self.label))
        self.problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        unlisted = max(0, self.reported - MAX_PROBLEMS) + kept.unlisted + max(0, len(self.problems) - MAX_PROBLEMS)
        if unlisted:
            self.problems[MAX_PROBLEMS:] = [p for p in self.problems[MAX_PROBLEMS:] if p.type in ALWAYS_LISTED]
            self.problems.append(
                Problem(
                    "too-many-problems",
                    f"more problems were found; only the first {MAX_PROBLEMS:,} are listed",
                    self.label,
                    hint="fix the problems above, or check that this is a positions file",
                )
            )
        return Dataset(
            self.label,
            title,
            scale,
            kept.actors,
            kept.issues,
            kept.sources,
            kept.positions,
            self.problems,
            content_hash,
        )

    def _at(self, kind: str, node: yaml.Node | None, loc: str, message: str, hint: str = "") -> Problem:
        line = column = None
        if node is not None:
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
        return Problem(kind, message, self.label, line, column, loc, hint)

    def title(self, node: yaml.Node | None) -> str:
        """The dataset title (the file name when there is none)."""
        fallback = Path(self.label).name
        if node is None:
            return fallback
        value = self.value(node, "title")
        if value is None:
            return fallback
        if isinstance(value, str) and not value.strip():
            self.problem("empty-text", node, "title", "the title must not be empty", "write a title or remove the key")
            return fallback
        if not isinstance(value, str):
            if value is not INVALID:
                raw = node.value if isinstance(node, yaml.ScalarNode) else None
                self.problem("wrong-type", node, "title", *_text_expected(value, raw))
            return fallback
        return value

    def scale(self, node: yaml.Node | None) -> Scale:
        """The stance scale; the default -2..2 when absent or unusable."""
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == NULL):
            return Scale()
        value = self.value(node, "scale")
        if value is INVALID:
            return Scale()
        hint = "write labels for every integer from -k to k, e.g. -2: strongly opposes ... 2: strongly supports"
        if not isinstance(value, dict) or not value:
            self.problem("invalid-scale", node, "scale", "the scale must be a mapping of stances to labels", hint)
            return Scale()
        keys = list(value)
        if not all(isinstance(k, str) and PLAIN_INT.match(k) for k in keys):
            self.problem("invalid-scale", node, "scale", "every stance on the scale must be a whole number", hint)
            return Scale()
        labels = {int(k): v for k, v in value.items()}
        k = max(labels)
        if k < 1 or set(labels) != set(range(-k, k + 1)):
            found = ", ".join(str(s) for s in sorted(labels))
            self.problem(
                "invalid-scale", node, "scale", f"the scale must run from -k to k without gaps; found {found}", hint
            )
            return Scale()
        if not all(isinstance(v, str) and v.strip() for v in labels.values()):
            self.problem("invalid-scale", node, "scale", "every stance on the scale needs a text label", hint)
            return Scale()
        return Scale(labels=labels)

    def records(self, section: str, node: yaml.Node | None, scale: Scale) -> list[tuple[Record | None, _Fields]]:
        """Validate each item of a record list: (record, fields), record None where invalid."""
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == NULL):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(
                "wrong-type",
                node,
                section,
                f"'{section}' must be a list of records",
                f"start each record on its own line with '- ', or write '{section}: []' for none",
            )
            return []
        model = RECORD_MODELS[section]
        entries: list[tuple[Record | None, _Fields]] = []
        places = self.indices.get(section)
        for index, item in enumerate(node.value):
            index = places[index] if places is not None else index
            loc = f"{section}[{index}]"
            repeated = id(item) in self.seen_nodes  # an alias (*name) repeating a whole record
            self.seen_nodes.add(id(item))
            if repeated and self.alias_problem:
                continue  # the alias budget is spent and reported: do not validate copies
            if not isinstance(item, yaml.MappingNode) or item.tag != MAP:
                self.value(item, loc)  # reports tags and aliases inside, if any
                self.problem(
                    "not-a-mapping",
                    item,
                    loc,
                    f"each entry of '{section}' must be a record of 'key: value' lines",
                    f"see the example records in docs/data-format.md (keys: {', '.join(model.model_fields)})",
                )
                continue
            before = self.reported
            fields = self.mapping(item, loc, depth=2, in_alias=repeated)
            if fields is None:
                continue
            fields.index = index
            record = self.record(model, fields, loc, scale)
            entries.append((record if self.reported == before else None, fields))
        return entries

    def record(self, model: type[Record], fields: _Fields, loc: str, scale: Scale) -> Record | None:
        """Validate one record's fields with its model; translate pydantic's errors."""
        broken = {k for k, v in fields.values.items() if v is INVALID}
        data = {k: v for k, v in fields.values.items() if k not in broken}
        stance = data.get("stance")
        if model is Position and type(stance) is int and stance not in scale.labels:
            self.problem(
                "out-of-range",
                fields.nodes["stance"],
                f"{loc}.stance",
                f"{stance} is not on the scale {scale.low}..{scale.high}",
                f"use one of: {scale.describe()}, or null if the speaker declined to state a position",
            )
        try:
            record = model.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False, include_context=False)
            if self.full:  # past the listing limit: count, but skip the costly hints
                self.reported += len(errors)
                return None
            guessed = {_close_field(str(e["loc"][0]), model) for e in errors if e["type"] == "extra_forbidden"}
            if model is Position and not {"actor", "actors"} & (data.keys() | broken | guessed):
                # the record-level check runs only once every field is valid: say it now, with the rest
                errors = [{"type": "missing", "loc": ("actor",)}, *(e for e in errors if e["loc"])]
            for error in errors:
                name = str(error["loc"][0]) if error["loc"] else ""
                if name in broken or (error["type"] == "missing" and name in guessed):
                    continue  # already reported: a broken value, or a misspelt key
                if not error["loc"]:  # record-level; "missing" is said above or at the broken key
                    if error["type"] != "missing":
                        self.signatories_problem(error["type"], fields, loc)
                    continue
                self.translate(error, model, fields, loc)
            return None
        if broken:
            return None
        first = fields.first
        return self.compactor.compact(record, first.start_mark.line + 1, first.start_mark.column + 1)

    def signatories_problem(self, kind: str, fields: _Fields, loc: str) -> None:
        """A position's record-level mistake: both ``actor`` and ``actors``, or a signatory twice."""
        if kind == "actor_and_actors":
            self.problem(
                "invalid-value",
                fields.keys["actors"],
                f"{loc}.actors",
                "a position names its actor once: 'actor' and 'actors' are both given",
                "keep 'actor: ID' for one actor, or 'actors: [ID, ID]' for a joint statement, not both",
            )
        else:  # repeated_signatory
            self.problem(
                "invalid-value",
                fields.nodes["actors"],
                f"{loc}.actors",
                "a joint statement lists one of its signatories twice",
                "name each signatory once: actors: [RUS, CHN]",
            )

    def translate(self, error: dict[str, Any], model: type[Record], fields: _Fields, loc: str) -> None:
        """Turn one pydantic error into a Problem with a hint in the user's terms."""
        path = error["loc"]
        name = str(path[0]) if path else ""
        where = f"{loc}.{name}" + "".join(f"[{p}]" for p in path[1:])
        node = fields.nodes.get(name)
        for step in path[1:]:
            if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
        kind, value = error["type"], error.get("input")
        raw = node.value if isinstance(node, yaml.ScalarNode) else None
        allowed = list(model.model_fields)
        if kind == "extra_forbidden":
            self.problem("unknown-key", fields.keys[name], where, f"unknown key '{name}'", did_you_mean(name, allowed))
        elif kind == "missing":
            present = ", ".join(fields.keys) or "none"
            joint = " (or 'actors: [ID, ID]' for a joint statement)" if model is Position and name == "actor" else ""
            self.problem(
                "missing-key",
                fields.first,
                where,
                f"missing required key '{name}'",
                f"add '{name}: ...'{joint} to this record (keys present: {present})",
            )
        elif kind == "string_type":
            self.problem("wrong-type", node, where, *_text_expected(value, raw))
        elif kind in ("int_type", "int_from_float", "int_parsing"):
            plain = isinstance(node, yaml.ScalarNode) and not node.style  # written without quotes
            self.problem("wrong-type", node, where, *_integer_expected(value, raw, plain))
        elif kind == "literal_error":
            choices = _choices(name, model)
            self.problem(
                "invalid-value",
                node,
                where,
                f"'{raw if raw is not None else value}' is not one of: {', '.join(choices)}",
                did_you_mean(str(raw if raw is not None else value), choices) or f"write one of: {', '.join(choices)}",
            )
        elif kind == "string_pattern_mismatch" and name == "language":
            self.problem(
                "invalid-value",
                node,
                where,
                f"'{value}' is not a two-letter language code",
                "write an ISO 639-1 code such as en, fr, ru, zh",
            )
        elif kind == "string_pattern_mismatch" or kind == "string_too_long":
            self.problem(
                "invalid-id",
                node,
                where,
                f"'{str(value)[:60]}' cannot be an id",
                "ids are letters, digits, '-', '_' and '.', start with a letter or digit, at most 100 characters",
            )
        elif kind == "value_error":
            message = str(error["msg"]).removeprefix("Value error, ")
            if name == "date":
                self.problem(
                    "invalid-date",
                    node,
                    where,
                    message,
                    "write YYYY, YYYY-MM or YYYY-MM-DD, only as precise as the source",
                )
            elif name == "url":
                self.problem(
                    "invalid-url",
                    node,
                    where,
                    message,
                    "write the full address starting with https:// or leave the url out",
                )
            else:
                self.problem(
                    "empty-text",
                    node,
                    where,
                    f"'{name}' {message}",
                    f"write the {name}, or remove the key if it is optional",
                )
        elif kind == "too_short" and name == "actors":
            self.problem(
                "invalid-value",
                node,
                where,
                "a joint statement names at least two actors",
                "for one actor write 'actor: ID' instead of 'actors:'",
            )
        elif kind == "list_type":
            self.problem("wrong-type", node, where, f"'{name}' must be a list", f"write {name}: [A, B]")
        else:
            self.problem("wrong-type", node, where, str(error["msg"]), "see docs/data-format.md for this field")


def _text_expected(value: object, raw: str | None) -> tuple[str, str]:
    if isinstance(value, bool):
        return (f"expected text, but '{raw}' is read by YAML as a yes/no value", f'put it in quotes: "{raw}"')
    if isinstance(value, (int, float)):
        return (f"expected text, but {raw} is read as a number", f'put it in quotes: "{raw}"')
    if value is None:
        return ("expected text, found nothing", "write the text, or remove the key if it is optional")
    kind = "a list" if isinstance(value, list) else "a mapping"
    return (f"expected text, found {kind}", 'write the text on one line, in double quotes: "..."')


def _integer_expected(value: object, raw: str | None, plain: bool = False) -> tuple[str, str]:
    if isinstance(value, bool):
        return (
            f"expected a whole number, but '{raw}' is read by YAML as a yes/no value",
            "write an integer such as -1",
        )
    if isinstance(value, float):
        whole = f"{value:.0f}"
        return (f"expected a whole number, found {raw}", f"write an integer: {whole}")
    if isinstance(value, str) and plain:  # e.g. 08: not octal, so YAML 1.1 reads it as text
        return (f"expected a whole number, but YAML reads {value} as text", "write an integer such as -1, 0 or 2")
    if isinstance(value, str):
        return (
            f'expected a whole number, found the text "{value}"',
            f"write an integer without quotes: {value.strip()}",
        )
    return ("expected a whole number", "write an integer such as -1")


def _close_field(name: str, model: type[Record]) -> str | None:
    fields = list(model.model_fields)
    lowered = {f.lower(): f for f in fields}
    return lowered.get(name.lower()) or next(iter(difflib.get_close_matches(name, fields, n=1, cutoff=0.6)), None)


def _choices(name: str, model: type[Record]) -> list[str]:
    annotation = model.model_fields[name].annotation
    args = getattr(annotation, "__args__", ())
    return [str(a) for a in args if a is not type(None)] or []


def _yaml11_int(text: str) -> str:
    try:
        return str(yaml.safe_load(text))
    except yaml.YAMLError:
        return "?"


def did_you_mean(word: str, options: list[str] | tuple[str, ...]) -> str:
    """``did you mean 'speaker'?`` for a near miss, else the list of allowed words."""
    lowered = {o.lower(): o for o in options}
    match = lowered.get(word.lower()) or next(
        iter(difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)), None
    )
    if match:
        return f"did you mean '{match}'?"
    return f"allowed here: {', '.join(options)}"
