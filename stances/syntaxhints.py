"""What to write instead, for a YAML syntax error: libyaml says where it got stuck in its own terms
("mapping values are not allowed in this context"); the hint says it in the user's, reading the
lines around the error where the message alone would mislead."""

from __future__ import annotations

import re

import yaml

# "  key:" at the start of a line, and the same after the "- " that opens a list item
_KEY_LINE = re.compile(r"( *)(?:- +)?([A-Za-z_][\w-]*):(?: |$)")
# "  key:value": a key whose colon has no space after it, which YAML reads as plain text
_GLUED_KEY = re.compile(r" *(?:- +)?([A-Za-z_][\w-]*):(\S[^\n]*)")
_SHOWN = 40  # characters of the value repeated in a hint


def hint(message: str, text: str | None, exc: yaml.YAMLError) -> str:
    """The hint for libyaml's ``message``; ``text`` is what it read (its marks index into it), or
    None when that is not at hand."""
    found, mark = None, getattr(exc, "problem_mark", None)
    if "mapping values are not allowed" in message:  # "- actor:FRA" then "    issue: x" reads so too
        found = deeper_key(text, mark) or glued_key(text, mark, above=True)
    elif "could not find expected ':'" in message:
        found = glued_key(text, getattr(exc, "context_mark", None))
    return found or by_message(message)


def _line_start(text: str | None, mark: yaml.Mark | None) -> int | None:
    """Where the line of ``mark`` starts in ``text``; None unless the mark is an index into it."""
    if text is None or mark is None or not 0 <= mark.index <= len(text):
        return None
    start = text.rfind("\n", 0, mark.index) + 1
    return start if mark.index - start == mark.column else None


def _line_above(text: str, start: int) -> tuple[int, int] | None:
    """The nearest line above the one starting at ``start`` that is not blank (a plain text runs on
    over blank lines; a comment ends it, and YAML's message is then another)."""
    end = start - 1
    while end > 0:
        above = text.rfind("\n", 0, end) + 1
        line = text[above:end]
        if line.strip():
            return above, end
        end = above - 1
    return None


def deeper_key(text: str | None, mark: yaml.Mark | None) -> str | None:
    """A key indented deeper than the key above it ("    issue: x" then "     stance: 1"): YAML
    reads the deeper line as more of the value above and stops at its ': ', where the usual hint
    (quote text holding ': ') would mislead. None when the lines around ``mark`` are not so."""
    start = _line_start(text, mark)
    if text is None or start is None:
        return None
    here, lines = _KEY_LINE.match(text, start), _line_above(text, start)
    above = _KEY_LINE.match(text, *lines) if lines else None
    if here is None or above is None or lines is None:
        return None
    depth, above_depth = len(here.group(1)), above.start(2) - lines[0]
    if depth <= above_depth:
        return None
    return (
        f"'{here.group(2)}:' is indented {depth} spaces, deeper than '{above.group(2)}:' above it "
        f"({above_depth}): the keys of one record line up under each other (if this line goes on "
        "with the text above, put that text in double quotes)"
    )


def glued_key(text: str | None, mark: yaml.Mark | None, *, above: bool = False) -> str | None:
    """A key with no space after its colon ("stance:1"): YAML reads the line as text and stops at
    the next line. ``mark`` is on that line, or (``above``) on the line after it."""
    start = _line_start(text, mark)
    if text is None or start is None:
        return None
    lines = _line_above(text, start) if above else (start, text.find("\n", start))
    if lines is None:
        return None
    glued = _GLUED_KEY.fullmatch(text, lines[0], len(text) if lines[1] == -1 else lines[1])
    if glued is None or ": " in glued.group(2):
        return None
    key, value = glued.group(1), glued.group(2).strip()[:_SHOWN]
    return f"a key needs a space after its colon: write '{key}: {value}'"


def by_message(message: str) -> str:
    """The hint that libyaml's message alone calls for."""
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
