"""New records as YAML text: each value double-quoted on one line (read back exactly), keys in
the documented order, a list item in block or flow style at the indentation it is given.

stances.append inserts this text into a positions file; it never round-trips the file through a
YAML library.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stances.model import FIELD_ORDER


def quote(text: str) -> str:
    """``text`` as a YAML double-quoted scalar on one line, read back exactly.

    Like JSON's escaping, plus escapes for what YAML treats as line breaks (NEL, U+2028/9) or
    refuses as unprintable (DEL, C1 controls, a BOM), so the value survives byte for byte.
    """
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif 0xD800 <= code <= 0xDFFF:
            raise ValueError("the text holds an unpaired surrogate, which is not a character")
        elif code < 0x20 or 0x7F <= code <= 0x9F or ch in "\u2028\u2029\ufeff\ufffe\uffff":
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


_SHORT_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def render_value(value: Any) -> str:
    """A field value as YAML: text double-quoted, integers plain, null, or an inline list."""
    if value is None:
        return "null"
    if isinstance(value, bool):  # no field holds a bool; keep it visible to validation
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(render_value(v) for v in value) + "]"
    return quote(str(value))


def ordered_items(section: str, fields: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Fields in the documented key order (``FIELD_ORDER``); unknown keys last, for validation."""
    order = FIELD_ORDER[section]
    known = [(k, fields[k]) for k in order if k in fields]
    return known + [(k, v) for k, v in fields.items() if k not in order]


def render_block_item(section: str, fields: Mapping[str, Any], dash: int, key: int, newline: str = "\n") -> str:
    """One list item in block style: ``{dash spaces}- first: v`` then ``{key spaces}k: v`` lines."""
    lines = []
    for index, (name, value) in enumerate(ordered_items(section, fields)):
        lead = " " * dash + "-" + " " * (key - dash - 1) if index == 0 else " " * key
        lines.append(f"{lead}{name}: {render_value(value)}{newline}")
    return "".join(lines) or " " * dash + "- {}" + newline


def render_flow_item(section: str, fields: Mapping[str, Any]) -> str:
    """One list item in flow style: ``{actor: "RUS", issue: "..."}`` on one line."""
    return "{" + ", ".join(f"{k}: {render_value(v)}" for k, v in ordered_items(section, fields)) + "}"
