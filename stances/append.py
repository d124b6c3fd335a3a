"""Add records to a positions file without changing a byte of what is already there.

The file is never round-tripped through a YAML library: that would reflow quotes, drop
comments and reorder keys. Instead the file is composed once with PyYAML to find, from the
nodes' marks, where each list's last item ends; the new records are rendered as text (plain
keys in the documented order, double-quoted strings, no wrapping, the list's own indentation)
and inserted right there. The result is parsed back before anything is written, to prove that
every old record reads as before and each new one reads as entered. Reading the file for it
and writing the plan are stances.positionsfile's; the text of new records, stances.yamltext's.

The one case where an existing line changes is an empty inline list (``positions: []``, or
``positions: ~``): the ``[]`` must go for items to follow. ``Plan.changed`` reports it.
"""

from __future__ import annotations

import bisect
import codecs
import dataclasses
import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from stances import validate
from stances.compose import compose_yaml, decode_text
from stances.countries import check_country_ids
from stances.load import parse_dataset
from stances.model import RECORD_MODELS, SECTIONS, Dataset
from stances.problems import Problem
from stances.records import Entry, Fields
from stances.reference import NodeReader
from stances.yamltext import render_block_item, render_flow_item

DEFAULT_DASH, DEFAULT_KEY = 2, 4  # "  - actor: ..." as in the documented example
_BREAK = re.compile(r"\r\n|\r|\n|\x85|\u2028|\u2029")  # YAML's line breaks


class AppendError(Exception):
    """Nothing was written; the message says why in the user's terms."""


class CannotAppend(AppendError):
    """The file cannot take the records as a pure insertion (or cannot be read)."""


class FileChanged(AppendError):
    """The file on disk is not the one the records were planned against."""


class FileRestored(FileChanged):
    """Another program wrote into the file while it was being replaced: its version was put back."""


class FileBusy(FileChanged):
    """Another program was still writing the file when the wait for it ran out."""


class WritesDisabled(AppendError):
    """``STANCES_READ_ONLY=1``: every write is refused."""


@dataclass(frozen=True, slots=True)
class Block:
    """Lines inserted for one section, numbered as in the new file (1-based, inclusive)."""

    section: str
    first_line: int
    last_line: int
    text: str

    @property
    def lines(self) -> str:
        """``lines 27-35``, or ``line 27`` for a block of one line."""
        if self.last_line == self.first_line:
            return f"line {self.first_line}"
        return f"lines {self.first_line}-{self.last_line}"


@dataclass(frozen=True, slots=True)
class LineChange:
    """An existing line that had to change (only ever ``positions: []`` -> ``positions:``)."""

    line: int
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Plan:
    """What appending would write: the old and new bytes, where the new lines go, and the
    problems of the new records (none means the plan may be written)."""

    path: str
    old: bytes
    new: bytes
    blocks: tuple[Block, ...]
    changed: tuple[LineChange, ...]
    problems: tuple[Problem, ...]

    @property
    def fingerprint(self) -> str:
        """sha256 of the bytes the plan was made from; the file must still hold them."""
        return fingerprint(self.old)

    @property
    def errors(self) -> list[Problem]:
        """Problems that stop the write."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def valid(self) -> bool:
        """True when every new record is valid."""
        return not self.errors

    @property
    def preview(self) -> str:
        """The inserted text, block after block, with ``\\n`` line ends (for display)."""
        return "".join(_BREAK.sub("\n", block.text) for block in self.blocks)

    def describe(self) -> str:
        """``positions.yaml: added lines 30-39 (positions)``, plus any changed line."""
        added = ", ".join(f"{b.lines} ({b.section})" for b in self.blocks)
        text = f"{self.path}: added {added}"
        for change in self.changed:
            text += f"; changed line {change.line} from '{change.before.strip()}' to '{change.after.strip()}'"
        return text


def fingerprint(data: bytes) -> str:
    """sha256 hex digest of a file's bytes."""
    return hashlib.sha256(data).hexdigest()


def clean_records(
    position: Mapping[str, Any],
    *,
    actor: Mapping[str, Any] | None = None,
    issue: Mapping[str, Any] | None = None,
    source: Mapping[str, Any] | None = None,
) -> dict[str, dict[str, Any]]:
    """Records to append from form or command-line input, per section.

    Text is stripped and empty values are left out (a required one is then reported missing).
    A new actor, issue or source takes its id from the position that refers to it.
    """
    records: dict[str, dict[str, Any]] = {}
    cleaned_position = _clean(position)
    for section, values, ref in (("actors", actor, "actor"), ("issues", issue, "issue"), ("sources", source, "source")):
        if values is not None:
            fields = _clean(values)
            if ref in cleaned_position:
                fields = {"id": cleaned_position[ref], **fields}
            elif ref == "actor" and cleaned_position.get("actors"):  # a joint statement: its last signatory
                fields = {"id": cleaned_position["actors"][-1], **fields}
            records[section] = fields
    records["positions"] = cleaned_position
    return records


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, str):
            value = value.strip()
            if not value:
                continue
        elif isinstance(value, (list, tuple)):
            value = [v.strip() if isinstance(v, str) else v for v in value]
            if not value:
                continue
        elif value is None and key != "stance":  # stance: null means "declined to state"
            continue
        cleaned[key] = value
    return cleaned


# --- where to insert -----------------------------------------------------------------------


@dataclass(slots=True)
class _Text:
    """The decoded file with its line starts, for turning marks into offsets."""

    text: str
    starts: list[int]
    newline: str

    @classmethod
    def of(cls, text: str) -> _Text:
        starts = [0] + [m.end() for m in _BREAK.finditer(text)]
        first = _BREAK.search(text)
        return cls(text, starts, first.group(0) if first and first.group(0) in ("\r\n", "\r") else "\n")

    def offset(self, line: int, column: int) -> int:
        """Offset of a 0-based line and column (columns count characters, as libyaml's do)."""
        if line >= len(self.starts):
            return len(self.text)
        return self.starts[line] + column

    def line_end(self, line: int) -> int:
        """Offset just after ``line``'s line break (the end of the text on the last line)."""
        return self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)

    def line_text(self, line: int) -> str:
        """The 0-based line without its break."""
        start = self.starts[line]
        return _BREAK.sub("", self.text[start : self.line_end(line)])


@dataclass(slots=True)
class _Edit:
    """Insert ``text`` at ``offset`` after deleting ``offset..delete_end`` (usually nothing)."""

    offset: int
    text: str
    section: str
    delete_end: int | None = None


def _content_end(node: yaml.Node, bound: int) -> yaml.Mark | None:
    """Where a node's own text ends: its last scalar, or its closing bracket in flow style; None
    when it ends with an alias, whose place the nodes do not tell.

    A block collection's end mark lies at the next token, past trailing comments and blank
    lines; inserting there would slip the new item below comments that belong to what follows.
    ``bound`` is the index before which the node's text cannot start (what precedes it is there):
    a node whose marks lie before it is an alias (an alias's marks are its anchor's).
    """
    if node.start_mark.index < bound:
        return None
    if isinstance(node, yaml.ScalarNode) or node.flow_style or not node.value:
        return node.end_mark
    if isinstance(node, yaml.MappingNode):
        key, value = node.value[-1]
        key_end = _content_end(key, node.start_mark.index)
        value_end = None if key_end is None else _content_end(value, key_end.index)
        return None if value_end is None else max(key_end, value_end, key=lambda m: m.index)
    return _content_end(node.value[-1], _last_item_bound(node))


def _last_item_bound(node: yaml.SequenceNode) -> int:
    """Where a list's last item starts at the earliest: after the item before it (an alias of that
    item, or of anything earlier, has marks at or before it)."""
    return node.value[-2].start_mark.index + 1 if len(node.value) > 1 else node.start_mark.index


def _alias_end(doc: _Text, node: yaml.SequenceNode) -> int:
    """The offset after the line where a block list ending with an alias ends: its end mark (the
    next token) less the blank and comment lines before it. After an alias nothing but comments
    can follow within the list, so a line starting with '#' is one."""
    end = doc.offset(node.end_mark.line, node.end_mark.column)
    line = _line_at(doc, end)
    text = doc.text[doc.starts[line] : end]
    while line > node.start_mark.line and (not text.strip() or text.strip().startswith("#")):
        line -= 1
        text = doc.line_text(line)
    return doc.line_end(line)


def _after(doc: _Text, mark: yaml.Mark, start_line: int) -> int:
    """The offset of the line after the one where content ends at ``mark``."""
    if mark.column == 0 and mark.line > start_line:  # a block scalar ends at the next line's start
        return doc.offset(mark.line, 0)
    return doc.line_end(mark.line)


def _block_style(doc: _Text, seq: yaml.SequenceNode) -> tuple[int, int]:
    """(dash column, key column) of a block list's items, from its first dash and last mapping item."""
    dash = _dash_column(doc, seq)
    for item in reversed(seq.value):
        if isinstance(item, yaml.MappingNode) and not item.flow_style and item.value:
            key = item.value[0][0].start_mark.column
            return dash, key if key > dash + 1 else dash + 2
    return dash, dash + 2


def _dash_column(doc: _Text, seq: yaml.SequenceNode) -> int:
    """The column of a block list's dashes: where the list starts, or, when an anchor or a tag
    starts it (``positions: &all``), the first line after it that starts with '-'."""
    line, column = seq.start_mark.line, seq.start_mark.column
    if doc.text[doc.offset(line, column) : doc.offset(line, column) + 1] == "-":
        return column
    for number in range(line + 1, min(seq.end_mark.line + 1, len(doc.starts))):
        text = doc.line_text(number)
        if text.lstrip(" ").startswith("-"):
            return len(text) - len(text.lstrip(" "))
    return DEFAULT_DASH


def _house_style(doc: _Text, sections: Mapping[str, yaml.Node]) -> tuple[int, int]:
    """The indentation of the file's other block lists, else the documented two spaces."""
    for node in sections.values():
        if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
            return _block_style(doc, node)
    return DEFAULT_DASH, DEFAULT_KEY


@dataclass(frozen=True, slots=True)
class _Anchor:
    """Where one section's new items go and in which style: read from the file once (it does
    not depend on the items), so a form can render a preview on every change without composing
    the file again."""

    section: str
    mode: str  # "block", "flow", or "error" (the section cannot take items: ``error`` says why)
    offset: int = 0  # where the new text goes
    dash: int = DEFAULT_DASH
    key: int = DEFAULT_KEY
    prefix: str = ""  # text before the items: a new "positions:" key line
    delete: tuple[int, int] | None = None  # an inline [] or ~ removed first (offsets)
    indent: int = 0  # flow items: their indent
    trailing_comma: bool = False  # flow items: the list ends with a comma
    error: str = ""

    def edits(self, items: Sequence[Mapping[str, Any]], newline: str) -> list[_Edit]:
        """The edits that insert ``items``; CannotAppend where the section cannot take them."""
        if self.mode == "error":
            raise CannotAppend(self.error)
        if self.mode == "flow":
            lines = []
            for fields in items:
                rendered = render_flow_item(self.section, fields)
                item = f"{rendered}," if self.trailing_comma else f", {rendered}"
                lines.append(" " * self.indent + item + newline)
            return [_Edit(self.offset, "".join(lines), self.section)]
        body = self.prefix + "".join(render_block_item(self.section, f, self.dash, self.key, newline) for f in items)
        if self.delete is None:
            return [_Edit(self.offset, body, self.section)]
        start, end = self.delete
        return [_Edit(start, "", self.section, delete_end=end), _Edit(self.offset, body, self.section)]


def _anchor(
    doc: _Text,
    root: yaml.MappingNode,
    sections: Mapping[str, yaml.Node],
    keys: Mapping[str, yaml.Node],
    section: str,
) -> _Anchor:
    try:
        return _plan_section(doc, root, sections, keys, section)
    except CannotAppend as exc:
        return _Anchor(section, "error", error=str(exc))


def _plan_section(
    doc: _Text,
    root: yaml.MappingNode,
    sections: Mapping[str, yaml.Node],
    keys: Mapping[str, yaml.Node],
    section: str,
) -> _Anchor:
    nl = doc.newline
    node = sections.get(section)
    if node is None:  # no such key: a new key at the end of the file
        dash, key = _house_style(doc, sections)
        indent = " " * root.value[0][0].start_mark.column if root.value else ""
        return _Anchor(section, "block", len(doc.text), dash, key, prefix=f"{indent}{section}:{nl}")
    key_node = keys[section]
    if isinstance(node, yaml.ScalarNode):
        if node.tag.endswith(":null"):
            dash, key = _house_style(doc, sections)
            if node.value == "":  # "positions:" with nothing after it: insert below the key
                at = _after(doc, key_node.end_mark, key_node.start_mark.line)
                return _Anchor(section, "block", at, dash, key)
            if node.start_mark.line == node.end_mark.line == key_node.start_mark.line:  # positions: ~
                return _replace_inline(doc, node, section, dash, key)
        raise CannotAppend(
            f"'{section}' holds a single value (line {node.start_mark.line + 1}), not a list: "
            f"fix it first (python -m stances validate shows the problem)"
        )
    if not isinstance(node, yaml.SequenceNode):
        raise CannotAppend(
            f"'{section}' is a mapping (line {node.start_mark.line + 1}), not a list: fix it first "
            "(python -m stances validate shows the problem)"
        )
    if not node.flow_style:
        dash, key = _block_style(doc, node)
        end = _content_end(node, node.start_mark.index)
        at = _alias_end(doc, node) if end is None else _after(doc, end, node.value[-1].start_mark.line)
        return _Anchor(section, "block", at, dash, key)
    if not node.value:
        if node.start_mark.line == node.end_mark.line == key_node.start_mark.line:
            dash, key = _house_style(doc, sections)
            return _replace_inline(doc, node, section, dash, key)
        raise CannotAppend(
            f"'{section}' is an empty list written over several lines (line {node.start_mark.line + 1}): "
            f"write '{section}:' on a line of its own and try again"
        )
    return _plan_flow(doc, node, section)


def _replace_inline(doc: _Text, node: yaml.Node, section: str, dash: int, key: int) -> _Anchor:
    """``positions: []`` -> ``positions:`` followed by the new items (the one changed line)."""
    line = node.start_mark.line
    start = doc.offset(line, node.start_mark.column)
    end = doc.offset(node.end_mark.line, node.end_mark.column)
    line_end = doc.starts[line] + len(doc.line_text(line))
    if not doc.text[end:line_end].strip():  # nothing after the []: drop the spaces before it too
        end = line_end
        while start > doc.starts[line] and doc.text[start - 1] in " \t":
            start -= 1
    else:  # a comment follows: keep one space before it
        while doc.text[end] in " \t":
            end += 1
    return _Anchor(section, "block", doc.line_end(line), dash, key, delete=(start, end))


def _plan_flow(doc: _Text, node: yaml.SequenceNode, section: str) -> _Anchor:
    """A non-empty ``[ ... ]`` list: new lines go just above a closing bracket on its own line."""
    close_line, close_column = node.end_mark.line, node.end_mark.column - 1
    before_close = doc.text[doc.starts[close_line] : doc.offset(close_line, close_column)]
    if before_close.strip():
        raise CannotAppend(
            f"'{section}' is written inline as [ ... ] with its closing ']' after other text on line "
            f"{close_line + 1}; adding a record there would rewrite that line. Move the ']' to a line of "
            "its own (or write the list with one '- ' item per line) and try again"
        )
    last = node.value[-1]
    if last.start_mark.index >= _last_item_bound(node):
        start, end = (doc.offset(m.line, m.column) for m in (last.start_mark, last.end_mark))
    else:  # an alias: where it is, only the list's own tokens tell
        start, end = _flow_alias_span(doc, node)
    between = doc.text[end : doc.offset(close_line, close_column)]
    trailing_comma = "," in re.sub(r"#[^\r\n]*", "", between)
    item_line = doc.line_text(_line_at(doc, start))
    indent = len(item_line) - len(item_line.lstrip(" "))
    if start - doc.starts[_line_at(doc, start)] != indent:  # the item shares its line with something else
        indent = close_column + 2
    return _Anchor(section, "flow", doc.starts[close_line], indent=indent, trailing_comma=trailing_comma)


def _flow_alias_span(doc: _Text, node: yaml.SequenceNode) -> tuple[int, int]:
    """Where the alias that ends a flow list is (start and end offsets), from the list's tokens."""
    first = doc.offset(node.start_mark.line, node.start_mark.column)
    last = doc.offset(node.end_mark.line, node.end_mark.column)
    tokens = [t for t in yaml.scan(doc.text[first:last]) if isinstance(t, yaml.AliasToken)]
    return first + tokens[-1].start_mark.index, first + tokens[-1].end_mark.index


# --- the plan ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Layout:
    """A file read for appending: its text and where each section's new items would go.

    Made once per file content by :func:`prepare` (it composes the whole file, about 2 s at
    10,000 positions); :func:`preview_plan` and :func:`plan_append` then only render and insert.
    """

    label: str
    data: bytes
    bom: bytes
    doc: _Text
    anchors: Mapping[str, _Anchor]
    items: Mapping[str, int]  # items in each list: the first new item's index
    ids: Mapping[str, list[tuple[str, int, int, str | None]]]  # (id, line, column, name) of each record with an id


def syntax_refusal(problem: Problem) -> str:
    """Why nothing is added to a file with a YAML syntax error: the loader shows the records that
    parse around it (stances.salvage), but an append is proved by reading the whole file back."""
    name = (problem.path or "the file").replace("\\", "/").rsplit("/", 1)[-1]
    return (
        f"{name} has a YAML syntax error at line {problem.line}: add never writes onto a file it cannot "
        f"read whole. {problem.format()}; fix this first, then add the record"
    )


def prepare(data: bytes, *, label: str = "positions.yaml") -> Layout:
    """Read ``data`` for appending; CannotAppend when it cannot be read as YAML."""
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    text, problem = decode_text(data, label)
    if problem is not None:
        raise CannotAppend(problem.format())
    text = text.removeprefix("\ufeff")
    doc = _Text.of(text)
    root, problems = compose_yaml(text, label) if text.strip() else (None, [])
    if problems and problems[0].type == "yaml-syntax":
        raise CannotAppend(syntax_refusal(problems[0]))
    if problems:
        raise CannotAppend(f"{problems[0].format()}; fix this first, then add the record")
    sections: dict[str, yaml.Node] = {}
    keys: dict[str, yaml.Node] = {}
    if root is not None:
        if not isinstance(root, yaml.MappingNode) or root.flow_style:
            raise CannotAppend(f"{label}: the file must be a mapping of 'key:' lines (see docs/data-format.md)")
        for key_node, value_node in root.value:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if name in SECTIONS and name not in sections:
                sections[name], keys[name] = value_node, key_node
    dummy = yaml.MappingNode("tag:yaml.org,2002:map", [])
    anchors = {section: _anchor(doc, root or dummy, sections, keys, section) for section in SECTIONS}
    items = {s: len(n.value) if isinstance(n, yaml.SequenceNode) else 0 for s, n in sections.items()}
    ids = {section: _ids(sections.get(section), section) for section in ("actors", "issues", "sources")}
    return Layout(label, data, bom, doc, anchors, items, ids)


def _ids(node: yaml.Node | None, section: str) -> list[tuple[str, int, int, str | None]]:
    """Every record's id as the loader registers it (records with a problem of their own too),
    where it is, and its name (validate.NAME_FIELD) for "did you mean DEU (Germany)?"."""
    found = []
    for item in node.value if isinstance(node, yaml.SequenceNode) else []:
        if not isinstance(item, yaml.MappingNode) or item.tag != "tag:yaml.org,2002:map" or not item.value:
            continue
        texts: dict[str, str] = {}
        for key, value in item.value:
            if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode) and key.value not in texts:
                texts[key.value] = value.value if value.tag == "tag:yaml.org,2002:str" else ""
        if texts.get("id"):
            first = item.value[0][0].start_mark
            found.append((texts["id"], first.line + 1, first.column + 1, texts.get(validate.NAME_FIELD[section])))
    return found


Records = Mapping[str, Sequence[Mapping[str, Any]] | Mapping[str, Any]]


def _by_section(records: Records) -> dict[str, list[Mapping[str, Any]]]:
    unknown = set(records) - set(SECTIONS)
    if unknown:
        raise ValueError(f"unknown sections: {', '.join(sorted(unknown))}")
    return {
        s: [records[s]] if isinstance(records[s], Mapping) else list(records[s])  # type: ignore[list-item]
        for s in SECTIONS
        if records.get(s)
    }


def _insert(
    layout: Layout, by_section: Mapping[str, list[Mapping[str, Any]]]
) -> tuple[bytes, tuple[Block, ...], tuple[LineChange, ...]]:
    edits: list[_Edit] = []
    for section, items in by_section.items():
        edits.extend(layout.anchors[section].edits(items, layout.doc.newline))
    new_text, blocks, changed = _apply(layout.doc, edits)
    return layout.bom + new_text.encode("utf-8"), blocks, changed


def plan_append(
    data: bytes | Layout, records: Records, *, label: str = "positions.yaml", old: Dataset | None = None
) -> Plan:
    """Plan adding ``records`` (section -> one record or a list of them) to the file ``data``
    (its bytes, or its :func:`prepare` layout, whose label is then used).

    The new file is parsed back in full: every old record must read as before and each new one
    as entered. Raises CannotAppend when the file cannot be read as YAML or its layout does not
    allow a pure insertion. Problems of the new records are in ``Plan.problems`` (nothing is raised).
    """
    by_section = _by_section(records)
    layout = data if isinstance(data, Layout) else prepare(data, label=label)
    new, blocks, changed = _insert(layout, by_section)
    return _check(layout.label, layout.data, new, blocks, changed, by_section, old)


def preview_plan(layout: Layout, records: Records, old: Dataset) -> Plan:
    """What :func:`plan_append` would show, checking only the new records: for a form that
    re-renders on every change (milliseconds where a full parse-back takes seconds).

    The new records are read by the reference loader from a text that holds only their lines
    (at the same line numbers) and checked against the ids of the file (``layout``, records with
    a problem of their own included, as the loader does) and ``old``'s scale and positions (for
    ties); ``old`` must be the file's dataset. Writing needs :func:`plan_append`, which parses the
    whole new file back and is the one to trust.
    """
    by_section = _by_section(records)
    new, blocks, changed = _insert(layout, by_section)
    counts = {section: len(items) for section, items in by_section.items()}
    problems = _quick_problems(layout, new, blocks, counts, old)
    return Plan(layout.label, layout.data, new, blocks, changed, tuple(problems))


def _quick_problems(
    layout: Layout, new: bytes, blocks: tuple[Block, ...], counts: Mapping[str, int], old: Dataset
) -> list[Problem]:
    """The problems a parse-back of ``new`` would report at the new lines (lines and columns removed)."""
    label = layout.label
    pieces: list[str] = []
    written = 0  # lines of the text so far
    for block in sorted(blocks, key=lambda b: b.first_line):
        body = _BREAK.split(block.text)
        if body[-1] == "":
            body.pop()
        own_key = bool(body) and body[0].startswith(f"{block.section}:")  # a new key at the end of the file
        start = block.first_line - 1 if own_key else block.first_line - 2
        if len(body) != block.last_line - block.first_line + 1 or start < written:
            return _full_problems(label, new, blocks)  # e.g. two blocks too close for a key line between
        pieces.append("\n" * (start - written))
        if not own_key:
            pieces.append(f"{block.section}:\n")
        pieces.extend(line + "\n" for line in body)
        written = block.last_line
    root, problems = compose_yaml("".join(pieces), label)
    if problems or not isinstance(root, yaml.MappingNode):
        return _full_problems(label, new, blocks)
    nodes = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    for section in SECTIONS:
        node = nodes.get(section)
        if len(node.value if isinstance(node, yaml.SequenceNode) else []) != counts.get(section, 0):
            return _full_problems(label, new, blocks)
    first = layout.items  # the new items' indices follow the old ones
    reader = NodeReader(
        label, dt.date.today(), indices={s: [first.get(s, 0) + i for i in range(counts.get(s, 0))] for s in SECTIONS}
    )
    added = {section: reader.records(section, nodes.get(section), old.scale) for section in SECTIONS}
    entries: dict[str, list[Entry]] = {"positions": added["positions"]}
    for section in ("actors", "issues", "sources"):  # the ids the new records may use or repeat
        # records already in the file: only their id and line matter (their problems are not shown)
        known = [
            (None, Fields(section, index, line, column, {"id": id_, validate.NAME_FIELD[section]: name}))
            for index, (id_, line, column, name) in enumerate(layout.ids[section])
        ]
        entries[section] = known + added[section]
    kept = validate.check_references(entries, reader.today, label)
    groups = {(a, p.issue, p.date, p.voice) for p in kept.positions for a in p.signatories}
    same = [p for p in old.positions if any((a, p.issue, p.date, p.voice) in groups for a in p.signatories)]
    found = [
        *reader.report.problems,
        *kept.problems,
        *check_country_ids(kept.actors, label, indexes=kept.actor_indexes),
        *validate.find_ties([*same, *kept.positions], label),
    ]
    found.sort(key=lambda p: (p.line or 0, p.column or 0))
    return _at_new_lines(found, blocks)


def _full_problems(label: str, new: bytes, blocks: tuple[Block, ...]) -> list[Problem]:
    return _at_new_lines(parse_dataset(new, label=label).problems, blocks)


def _at_new_lines(problems: Sequence[Problem], blocks: tuple[Block, ...]) -> list[Problem]:
    inserted = [(b.first_line, b.last_line) for b in blocks]
    return [
        dataclasses.replace(p, line=None, column=None)
        for p in problems
        if p.line is not None and any(first <= p.line <= last for first, last in inserted)
    ]


def _apply(doc: _Text, edits: list[_Edit]) -> tuple[str, tuple[Block, ...], tuple[LineChange, ...]]:
    """Apply edits (bottom up) and number the inserted lines as in the new text."""
    order = {s: i for i, s in enumerate(SECTIONS)}
    edits = sorted(edits, key=lambda e: (e.offset, order[e.section]))
    pieces, spans, cursor, changed = [], [], 0, []
    added = 0
    missing_break = bool(doc.text) and not doc.text.endswith(("\n", "\r", "\x85", "\u2028", "\u2029"))
    for edit in edits:
        if edit.text and edit.offset == len(doc.text) and missing_break:  # the last line lacks a break
            edit.text, missing_break = doc.newline + edit.text, False
        pieces.append(doc.text[cursor : edit.offset])
        if edit.delete_end is not None:
            line = _line_at(doc, edit.offset)
            before = doc.line_text(line)
            start_in_line = edit.offset - doc.starts[line]
            after = before[:start_in_line] + before[start_in_line + edit.delete_end - edit.offset :]
            changed.append((line, before, after))
            cursor = edit.delete_end
        else:
            cursor = edit.offset
        if edit.text:
            # line breaks before the new text: the old text's before this (line) start, plus those
            # of the texts inserted above it (deletions stay within a line)
            before = _line_at(doc, edit.offset) + added
            spans.append((edit.section, edit.text, before))
            pieces.append(edit.text)
            added += len(_BREAK.findall(edit.text))
    pieces.append(doc.text[cursor:])
    new_text = "".join(pieces)
    blocks = []
    for section, text, before in spans:  # numbered without scanning the whole new text again
        lead = len(text) - len(text.lstrip("\r\n"))  # a break added after a last line without one
        first = before + len(_BREAK.findall(text, 0, lead))
        last = before + sum(1 for m in _BREAK.finditer(text) if m.end() <= len(text) - 1)
        blocks.append(Block(section, first + 1, last + 1, text[lead:]))
    return new_text, tuple(blocks), tuple(LineChange(line + 1, b, a) for line, b, a in changed)


def _line_at(doc: _Text, offset: int) -> int:
    return bisect.bisect_right(doc.starts, offset) - 1


def _check(
    label: str,
    old_bytes: bytes,
    new_bytes: bytes,
    blocks: tuple[Block, ...],
    changed: tuple[LineChange, ...],
    by_section: Mapping[str, list[Mapping[str, Any]]],
    old: Dataset | None,
) -> Plan:
    """Parse the new text back: old records unchanged, new records as entered, problems found."""
    before = old if old is not None else parse_dataset(old_bytes, label=label)
    after = parse_dataset(new_bytes, label=label)
    inserted = [(b.first_line, b.last_line) for b in blocks]

    def is_new(line: int | None) -> bool:
        return line is not None and any(first <= line <= last for first, last in inserted)

    problems = [dataclasses.replace(p, line=None, column=None) for p in after.problems if is_new(p.line)]
    outside = [p for p in after.errors if not is_new(p.line)]
    if len(outside) > len(before.errors):
        raise CannotAppend(
            f"{label}: adding the record here would make other lines read differently "
            f"({outside[0].format()}); nothing was written — please report this"
        )
    for section in SECTIONS:
        old_dumps = [r.model_dump() for r in getattr(before, section)]
        kept = [r.model_dump() for r in getattr(after, section) if not is_new(r.line)]
        if not _is_subsequence(old_dumps, kept):
            raise CannotAppend(
                f"{label}: adding the record would change how existing {section} read; nothing was written"
            )
        added = [r for r in getattr(after, section) if is_new(r.line)]
        if problems:
            continue
        wanted = [RECORD_MODELS[section].model_validate(f).model_dump() for f in by_section.get(section, [])]
        if [r.model_dump() for r in added] != wanted:
            raise CannotAppend(f"{label}: the new {section} would not read back as entered; nothing was written")
    return Plan(label, old_bytes, new_bytes, blocks, changed, tuple(problems))


def _is_subsequence(needles: list[Any], haystack: list[Any]) -> bool:
    it = iter(haystack)
    return all(any(n == h for h in it) for n in needles)
