"""Where libyaml stops in a file yaml-rs refused: the reference's syntax error, found cheaply.

libyaml stops at the first error, and the fast path (stances.fastload) must report it exactly as
the reference does (message, line, column) without composing the whole file again. Two ways,
both relying on text the fast path has vouched for (it reads the same with libyaml):

- :func:`error_from_record`: when every record before the chunk yaml-rs refused was read without
  a doubt, libyaml reaches that chunk's first record between two records of the list. Read from
  there behind the list's key line alone, it stops where it stops in the whole file;
- :func:`error_near`: otherwise the text before a record near yaml-rs's error is read again by
  the fast path (which vouches for it, or the reference reads the whole file), and a copy whose
  earlier lines are blank but for the section's key is composed from that record on.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from stances import salvage, textwindows
from stances.compose import MAX_NODES, compose_yaml, node_bound
from stances.problems import Problem
from stances.textscan import Doubt, line_offset

_ERROR_AT = re.compile(r"at line (\d+), column (\d+)")
_SECTION_HEAD = re.compile(r"^(actors|issues|sources|positions):[ ]*(?:#[^\n]*)?$", re.MULTILINE)
_SECTION_LINE = re.compile(r"\n(?=actors:|issues:|sources:|positions:)")
_RECORD_DASH = re.compile(r"\n( *)-[ \n]")


def error_from_record(text: str, label: str, start: int, line: int, before: int) -> Problem | None:
    """libyaml's first error in the positions from the record at ``start`` (1-based ``line``) on,
    where the text before it is vouched for; None when the reference might stop elsewhere or on
    something else: no error there, a second document, or past MAX_NODES values (``before``: a
    bound on the values before ``start``)."""
    found, served = salvage.error_after(text, start, line, "positions:\n", label)
    if found is None or found.line is None or found.line < line:
        return None
    if text.find("\n---", start, served) != -1 or text.find("\n...", start, served) != -1:
        return None  # composing reports the second document first
    return found if before + node_bound(text, start) <= MAX_NODES else None


def error_near(text: str, label: str, message: str, vouch: Callable[[int], int], bound: int | None) -> list[Problem]:
    """The reference's problems (one yaml-syntax problem) for ``text``, which yaml-rs refused with
    ``message`` ("... at line L, column C"); Doubt when not sure.

    ``vouch(cut)`` reads ``text[:cut]`` by the fast path and returns its number of values, or
    raises Doubt. If the text before a record near where yaml-rs stopped is vouched for, libyaml
    reaches that record in the same state as in a copy whose earlier lines are blank but for the
    section's own key: composing that copy gives the same error at the same line and column, in
    milliseconds. ``bound``: compose.node_bound of ``text``, when counted already.
    """
    where = _ERROR_AT.search(message)
    if where is None:
        raise Doubt("no error position")
    error = line_offset(text, int(where.group(1)))
    # each line that may be a section's key line, then the whole pattern there (a pattern that
    # starts with '^' is tried at every character: 18 ms at 10,000 positions)
    lines = [0] + [m.start() + 1 for m in textwindows.matches(_SECTION_LINE, text, 0, error)]
    heads = [head for head in (_SECTION_HEAD.match(text, at, error) for at in lines) if head is not None]
    if not heads or sum(m.group(1) == heads[-1].group(1) for m in heads) != 1:
        raise Doubt("no section before the error")
    head = heads[-1]
    first = _RECORD_DASH.search(text, head.end(), error)
    if first is None:
        raise Doubt("no record before the error")
    dash = "\n" + first.group(1) + "-"
    cut = error
    for _ in range(3):  # the record holding the error and two before it: yaml-rs may stop late
        found = cut - 1
        while True:
            found = text.rfind(dash, head.end(), found)
            if found == -1 or text[found + len(dash) : found + len(dash) + 1] in (" ", "\n"):
                break
        if found == -1:
            break
        cut = found + 1
    if cut >= error:
        raise Doubt("no record start before the error")
    nodes = vouch(cut)
    if nodes + node_bound(text, cut) > MAX_NODES and (node_bound(text) if bound is None else bound) > MAX_NODES:
        raise Doubt("too many values")
    line_end = text.find("\n", head.start())
    masked = "".join(
        (
            "\n" * text.count("\n", 0, head.start()),
            text[head.start() : line_end],
            "\n" * text.count("\n", line_end, cut),
            text[cut:],
        )
    )
    root, problems = compose_yaml(masked, label)
    cut_line = text.count("\n", 0, cut) + 1
    if root is not None or len(problems) != 1 or problems[0].type != "yaml-syntax":
        raise Doubt("not a syntax error after the cut")
    if problems[0].line is None or problems[0].line < cut_line:
        raise Doubt("the error is before the cut")
    return problems
