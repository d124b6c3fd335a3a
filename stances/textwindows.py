"""Scans of a long text a window at a time, so that no single call holds the interpreter lock long.

A search, a count or a regular expression over the whole of a 52 MB file is one call into C that
keeps every other thread waiting until it returns (the dashboard's other sessions: up to 0.12 s per
call, 1.4 s for a page drawn while a 100,000-position file was parsed). The same scan over windows
of about a megabyte gives the other threads a turn between windows, at the cost of a few hundred
more calls.

Each window ends just before a line break (or at the end), so a match that holds no line break
after its first character, and looks ahead at most one character past its end, is found in the
window where it starts exactly as in the whole text: past the window's end the pattern sees the
end of the text (``\\Z``), which at a line break is what ``\\n`` or ``(?=\\n)`` would have seen.
Look-behinds see the text before the window (``pattern.search(text, pos, endpos)`` does not cut
the text). Every pattern and needle given here must be of that kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

WINDOW = 1 << 20  # characters per call: about a millisecond of scanning


def windows(text: str, start: int = 0, end: int | None = None, size: int = WINDOW) -> Iterator[tuple[int, int]]:
    """Consecutive ``(a, b)`` covering ``text[start:end]``, each ``b`` the offset of a line break
    about ``size`` characters on, or ``end`` (a text without line breaks is one window)."""
    end = len(text) if end is None else end
    a = start
    while a < end:
        b = text.find("\n", a + size, end) if a + size < end else -1
        b = end if b == -1 else b
        yield a, b
        a = b


def search(pattern: re.Pattern[str], text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
    """``pattern.search(text, start, end)`` a window at a time (see the module doc for the patterns)."""
    for a, b in windows(text, start, end):
        found = pattern.search(text, a, b)
        if found is not None:
            return found
    return None


def finditer(pattern: re.Pattern[str], text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, start, end)`` a window at a time."""
    for a, b in windows(text, start, end):
        yield from pattern.finditer(text, a, b)


def matches(pattern: re.Pattern[str], text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
    """``list(pattern.finditer(text, start, end))`` a window at a time (no generator per match:
    a section of 100,000 records matches as many times)."""
    found: list[re.Match[str]] = []
    for a, b in windows(text, start, end):
        found.extend(pattern.finditer(text, a, b))
    return found


def count(text: str, needle: str, start: int = 0, end: int | None = None) -> int:
    """``text.count(needle, start, end)`` a window at a time (a needle that cannot overlap itself)."""
    return sum(text.count(needle, a, b) for a, b in windows(text, start, end))


def find(text: str, needle: str, start: int = 0, end: int | None = None) -> int:
    """``text.find(needle, start, end)`` a window at a time."""
    for a, b in windows(text, start, end):
        found = text.find(needle, a, b)
        if found != -1:
            return found
    return -1


def find_all(text: str, needle: str) -> list[int]:
    """Every offset of ``needle`` in ``text`` (each search a window at most)."""
    found = []
    for a, b in windows(text):
        index = text.find(needle, a, b)
        while index != -1:
            found.append(index)
            index = text.find(needle, index + 1, b)
    return found


def contains(text: str, needle: str) -> bool:
    """``needle in text``, a window at a time."""
    return find(text, needle) != -1
