"""Window-at-a-time scans find what the whole-text scans find (stances.textwindows)."""

from __future__ import annotations

import itertools
import re
from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stances import compose, textscan, textwindows

# the kinds of pattern the loader scans with: a line break only as the first character, a look-ahead
# of one character (or the end), look-behinds
PATTERNS = [
    re.compile(r"\n[^ \n#-]"),
    re.compile(r"\n( *)-( +)([A-Za-z_][A-Za-z0-9_]*):(?=[ \n]|\Z)"),
    re.compile(r":(?<=[\n ]:)"),
    re.compile(r"0(?<![0-9A-Za-z_]0)[0-9A-Za-z_]*[ ]*(?=[\n#,\]}]|:[ \n]|:?\Z)"),
    re.compile(r"\\(?![\\\"nt/])"),
    re.compile(r"[|>]"),
    re.compile("[\x00-\x09\x0b-\x1f]"),
]
NEEDLES = ["\n", "\n  -", "<<", "\n%", "_", "|"]
TEXT = st.text(alphabet="ab0_-: \n\t\\|>#%<{}", max_size=300)


@pytest.fixture(autouse=True)
def tiny_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows of a few characters, so that a short text has many boundaries."""
    monkeypatch.setattr(textwindows, "WINDOW", 3)
    original = textwindows.windows

    def small(text: str, start: int = 0, end: int | None = None, size: int = 3):
        return original(text, start, end, size)

    monkeypatch.setattr(textwindows, "windows", small)
    monkeypatch.setattr(textscan, "LINES_AT_ONCE", 4)  # record_lines: several slices


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(0, 40), st.integers(0, 40))
def test_windowed_scans_equal_whole_text_scans(text: str, start: int, cut: int) -> None:
    end = max(start, len(text) - cut)
    for pattern in PATTERNS:
        whole = [(m.start(), m.end(), m.groups()) for m in pattern.finditer(text, start, end)]
        windowed = [(m.start(), m.end(), m.groups()) for m in textwindows.finditer(pattern, text, start, end)]
        assert windowed == whole, pattern.pattern
        first = pattern.search(text, start, end)
        found = textwindows.search(pattern, text, start, end)
        assert (found and found.span()) == (first and first.span())
    for needle in NEEDLES:
        assert textwindows.count(text, needle, start, end) == text.count(needle, start, end)
        assert textwindows.find(text, needle, start, end) == text.find(needle, start, end)
        assert textwindows.contains(text, needle) == (needle in text)
    for char in "_|\\":
        assert textwindows.find_all(text, char) == [i for i, c in enumerate(text) if c == char]


def test_windows_cover_the_text_and_end_before_line_breaks() -> None:
    text = "ab\ncdefg\nhi\n\njklmnop"
    spans = list(textwindows.windows(text, 1, None, size=3))
    assert spans[0][0] == 1 and spans[-1][1] == len(text)
    assert all(b == c for (_, b), (c, _) in itertools.pairwise(spans))  # no gap, no overlap
    assert all(text[b] == "\n" for _, b in spans[:-1])
    assert list(textwindows.windows("x" * 10, size=3)) == [(0, 10)]  # no line break: one window
    assert list(textwindows.windows("", size=3)) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 30), max_size=30), st.integers(0, 5))
def test_record_lines_count_the_line_breaks_before_each_record(gaps: list[int], before: int) -> None:
    text = "x\n" * before + "".join("\n" * gap + "- a: 1" for gap in gaps)
    begin = 2 * before
    starts, at = [], begin
    for gap in gaps:
        at += gap
        starts.append(at)
        at += len("- a: 1")
    lines = list(textscan.record_lines(text, begin, array("q", starts)))
    assert lines == [text.count("\n", 0, s) + 1 for s in starts]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="aé€😀\n: -", max_size=60), st.sampled_from([b"", b"\xff", b"\xe2\x82", b"\xc3("]))
def test_decoding_a_step_at_a_time_equals_decoding_at_once(text: str, broken: bytes) -> None:
    """compose.decode_text decodes a megabyte per call (here: 4 bytes), multi-byte characters split
    across steps; an invalid byte is reported at the same line and column as by one decode."""
    raw = text.encode() + broken + text.encode()
    step = compose.DECODE_STEP
    try:
        compose.DECODE_STEP = 4
        stepped = compose.decode_text(raw, "f.yaml")
    finally:
        compose.DECODE_STEP = step
    assert stepped == compose.decode_text(raw, "f.yaml")  # (the whole text is under one step here)
    if not broken:
        assert stepped == (raw.decode("utf-8"), None)


def test_matches_lists_what_finditer_finds() -> None:
    text = "a:\n  - x: 1\n  - y: 2\nb:\n  - z: 3\n"
    pattern = re.compile(r"\n( *)-( +)([a-z]+):(?=[ \n]|\Z)")
    assert [m.span() for m in textwindows.matches(pattern, text, 2)] == [m.span() for m in pattern.finditer(text, 2)]
