"""The words around the data: voices in a sentence, plurals, and user text escaped for Markdown."""

from __future__ import annotations

import pytest

from stances.wording import clip, escape_markdown, plural, voices_phrase


def test_voices_phrase_names_the_chosen_voices_in_order():
    assert voices_phrase(["official", "reported"]) == "official statements and positions reported by sources"
    assert voices_phrase([]) == "no voices selected"


def test_plural_counts_with_the_regular_or_the_given_plural():
    assert [plural(1, "issue"), plural(2, "issue"), plural(0, "issue")] == ["1 issue", "2 issues", "0 issues"]
    assert [plural(1, "country", "countries"), plural(3, "country", "countries")] == ["1 country", "3 countries"]


def test_clip_shortens_echoed_input_with_an_ellipsis():
    assert clip("a  b\nc") == "a b c"
    assert clip("x" * 50, 10) == "x" * 9 + "…"


@pytest.mark.parametrize("text", ["**bold**", "[a](javascript:x)", ":red[x]", "$x$", "<b>x</b>", "# h", "a_b_c"])
def test_escape_markdown_escapes_every_special_character(text):
    escaped = escape_markdown(text)
    assert escaped.replace("\\", "") == text
    for ch in "*[]():$<>#_":
        assert ch not in escaped.replace("\\" + ch, "")
