"""The reference reading of a positions file: PyYAML's node tree walked into records.

Every node carries its line and column, so every problem is placed. The walk decides the types
(dates stay text; ``012``, ``NO`` and custom tags are problems, not silent conversions), keeps
the first of duplicate keys and reports the others, and bounds aliases and nesting. Each record
mapping becomes a neutral stances.records.Fields (values and places, no nodes) that the record
checks (stances.record_problems) and the cross-record checks (stances.validate) read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import yaml

from stances import validate
from stances.compose import (
    BOOL,
    FLOAT,
    INT,
    MAP,
    MAX_ALIAS_NODES,
    MAX_DEPTH,
    MERGE,
    NULL,
    PLAIN_INT,
    SEQ,
    STR,
    TAG,
    TIMESTAMP,
)
from stances.hints import did_you_mean
from stances.model import RECORD_MODELS, SECTIONS, TOP_LEVEL_KEYS, Compactor, Dataset, Scale
from stances.problems import quoted
from stances.record_problems import check_record, read_scale, read_title, yaml11_int
from stances.records import INVALID, Entry, Fields, Place, Report

KEY_TAGS = (STR, INT, BOOL, NULL, FLOAT)
MAX_DIGITS = 4000  # a plain integer longer than this is refused (int() itself refuses past 4,300)


def place(node: yaml.Node, items: bool = True) -> Place:
    """Where ``node`` is written (with its text and style for a scalar, its items for a list)."""
    mark = node.start_mark
    if isinstance(node, yaml.ScalarNode):
        return Place(mark.line + 1, mark.column + 1, node.value, not node.style)
    if items and isinstance(node, yaml.SequenceNode):
        return Place(mark.line + 1, mark.column + 1, items=tuple(place(item, False) for item in node.value))
    return Place(mark.line + 1, mark.column + 1)


class NodeReader:
    """Walks one document's node tree once, converting values and collecting problems in ``report``.

    ``indices``: when the tree is a masked copy of the file that holds only some records (the fast
    path's partial reading), the index in the file of each item walked, per section. ``compact``:
    build records compactly (see model.Compactor; off for a dataset read once).
    """

    def __init__(
        self, label: str, today: dt.date, indices: Mapping[str, list[int]] | None = None, *, compact: bool = True
    ) -> None:
        self.label = label
        self.today = today
        self.indices = indices or {}
        self.report = Report(label)
        self.seen_nodes: set[int] = set()
        self.alias_nodes = 0
        self.alias_problem = False
        self.compactor = Compactor(share=compact)

    def problem(self, kind: str, node: yaml.Node | None, loc: str, message: str, hint: str = "") -> None:
        """Report a problem at ``node``."""
        self.report.add(kind, place(node, False) if node is not None else None, loc, message, hint)

    # values

    def value(self, node: yaml.Node, loc: str, depth: int = 0, in_alias: bool = False) -> object:
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
        values, _, _ = self.mapping(node, loc, depth, in_alias)
        return INVALID if INVALID in values.values() else values

    def scalar(self, node: yaml.ScalarNode, loc: str) -> object:
        """Convert one scalar by its resolved tag; flags numbers YAML 1.1 reads surprisingly."""
        tag, text = node.tag, node.value
        if tag in (STR, TIMESTAMP):
            return text
        if tag == NULL:
            return None
        if tag == BOOL:
            return text.lower() in ("yes", "true", "on", "y")
        if tag == INT:
            if PLAIN_INT.match(text) and len(text) <= MAX_DIGITS:
                return int(text)
            if PLAIN_INT.match(text):  # int() refuses past 4,300 digits; no field takes such a number
                message = f"{quoted(text)} is a number of {len(text):,} digits; no field holds a number that long"
                self.problem("invalid-value", node, loc, message, "check this value: see docs/data-format.md")
                return INVALID
            message = f"{quoted(text)} is read by YAML 1.1 as the number {yaml11_int(text)}"
            self.problem(
                "ambiguous-number",
                node,
                loc,
                message,
                "write a plain integer, or put it in quotes if it is text: " + quoted(text, '"'),
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
                    f"{quoted(text)} is read by YAML 1.1 as a number",
                    "put it in quotes: " + quoted(text, '"'),
                )
                return INVALID
        return self.unsupported(node, loc)

    def unsupported(self, node: yaml.Node, loc: str) -> object:
        """Refuse a node with a tag outside the core schema (``!!python/object``, ``!custom``)."""
        self.problem(
            "unsupported-tag",
            node,
            loc,
            f"the tag {quoted(node.tag.replace(TAG, '!!', 1))} is not allowed",
            "remove the tag: a positions file holds only plain text, numbers, lists and mappings",
        )
        return INVALID

    def mapping(
        self, node: yaml.MappingNode, loc: str, depth: int = 0, in_alias: bool = False
    ) -> tuple[dict[str, object], dict[str, Place], dict[str, Place]]:
        """Convert a mapping, keeping the first of duplicate keys and reporting the others:
        its values, and where each key and each value is written."""
        values: dict[str, object] = {}
        keys: dict[str, Place] = {}
        places: dict[str, Place] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == MERGE:
                self.problem(
                    "unsupported-tag",
                    key_node,
                    loc,
                    "the merge key '<<' is not supported",
                    "write every field out in each record: a quote's evidence should be readable in place",
                )
                values[f"<key {len(values)}>"] = INVALID
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in KEY_TAGS:
                self.problem("wrong-type", key_node, loc, "a key must be plain text", "write 'key: value'")
                values[f"<key {len(values)}>"] = INVALID
                continue
            key = key_node.value
            if key in keys:
                self.problem(
                    "duplicate-key",
                    key_node,
                    f"{loc}.{key}" if loc else key,
                    f"{quoted(key)} appears twice in this mapping (first at line {keys[key].line}); "
                    "YAML would silently keep only the last",
                    "remove one of them, or start a new record with '- ' if this is a new entry",
                )
                values[key] = INVALID
                continue
            keys[key] = place(key_node, False)
            places[key] = place(value_node)
            values[key] = self.value(value_node, f"{loc}.{key}" if loc else key, depth + 1, in_alias)
        return values, keys, places

    # records

    def read(self, root: yaml.Node, content_hash: str) -> Dataset:
        """The Dataset of a document's node tree."""
        walked = self.walk(root)
        if walked is None:
            return validate.empty_dataset(self.label, self.report.problems, content_hash)
        title, scale, entries = walked
        return validate.complete(self.report, title, scale, entries, self.today, content_hash)

    def walk(self, root: yaml.Node) -> tuple[str, Scale, dict[str, list[Entry]]] | None:
        """The title, scale and every record with its fields; None when the document is not a
        mapping (the problem is reported)."""
        if isinstance(root, yaml.MappingNode) and root.tag != MAP:
            self.unsupported(root, "")  # a tagged mapping such as '--- !custom'
            return None
        if not isinstance(root, yaml.MappingNode):
            found = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
            message = f"the file must be a mapping with the keys {', '.join(TOP_LEVEL_KEYS)}; found {found}"
            self.problem("not-a-mapping", root, "", message, "start from the example in docs/data-format.md")
            return None
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
                    f"{quoted(str(key))} appears twice (first at line {first_key[key].start_mark.line + 1}); "
                    "only the first is read",
                    "merge the two lists into one",
                )
            elif key in TOP_LEVEL_KEYS:
                sections[key] = value_node
                first_key[key] = key_node
            else:
                hint = "" if self.report.full else did_you_mean(key, TOP_LEVEL_KEYS)
                self.problem("unknown-key", key_node, str(key), f"unknown top-level key {quoted(str(key))}", hint)
        title_node, scale_node = sections.get("title"), sections.get("scale")
        title = read_title(self.header_value(title_node, "title"), self.place_of(title_node), self.label, self.report)
        scale = read_scale(self.header_value(scale_node, "scale"), self.place_of(scale_node), self.report)
        return title, scale, {section: self.records(section, sections.get(section), scale) for section in SECTIONS}

    def header_value(self, node: yaml.Node | None, loc: str) -> object:
        """The title's or the scale's value (None when absent or null)."""
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == NULL):
            return None
        return self.value(node, loc)

    @staticmethod
    def place_of(node: yaml.Node | None) -> Place | None:
        return None if node is None else place(node)

    def records(self, section: str, node: yaml.Node | None, scale: Scale) -> list[Entry]:
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
        entries: list[Entry] = []
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
            before = self.report.reported
            values, keys, value_places = self.mapping(item, loc, depth=2, in_alias=repeated)
            first = item.value[0][0].start_mark if item.value else item.start_mark
            fields = Fields(section, index, first.line + 1, first.column + 1, values, keys, value_places)
            record = check_record(model, fields, scale, self.report, self.compactor)
            entries.append((record if self.report.reported == before else None, fields))
        return entries
