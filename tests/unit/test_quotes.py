"""Quote matching: only whitespace and typographic quote marks are forgiven; ... marks omissions."""

from __future__ import annotations

import pytest

from stances.quotes import find_quote, normalise, quote_pieces

SOURCE = (
    'Russian Deputy Foreign Minister Sergei Ryabkov told the Kommersant newspaper that "We feel no\n'
    "euphoria in connection with what was announced by the U.S. defense secretary and we see no grounds "
    "for correcting our position... This is not a concession to Russia and we do not see it as such.... "
    'All aspects of strategic uncertainty remain.  Therefore, our objections also remain". '
    "State Dept spokesperson Victoria Nuland said, \u201cI\u2019ll just say that we are committed.\u201d"
)


def test_normalise_collapses_whitespace_and_trims() -> None:
    assert normalise("  a \t b\n\nc\u00a0d  ") == "a b c d"


def test_normalise_maps_typographic_quote_marks_only() -> None:
    assert normalise("\u2018a\u2019 \u201cb\u201d \u00abc\u00bb \u201ed\u201c") == '\'a\' "b" "c" "d"'
    # Dashes, ellipses, case and accents are left alone: they are part of the text.
    assert normalise("a \u2013 b \u2014 c\u2026 É") == "a \u2013 b \u2014 c\u2026 É"


def test_exact_quote_is_found() -> None:
    assert find_quote("All aspects of strategic uncertainty remain.", SOURCE)


def test_quote_not_in_text_is_not_found() -> None:
    assert not find_quote("All aspects of strategic certainty remain.", SOURCE)


def test_case_and_spelling_are_not_forgiven() -> None:
    assert not find_quote("all aspects of strategic uncertainty remain.", SOURCE)
    assert not find_quote("the U.S. defence secretary", SOURCE)


def test_dashes_are_not_forgiven() -> None:
    assert find_quote("a - b", "x a - b y")
    assert not find_quote("a \u2013 b", "x a - b y")


def test_whitespace_differences_are_forgiven() -> None:
    # The source breaks the line after "no" and has two spaces after "remain.".
    assert find_quote("We feel no euphoria", SOURCE)
    assert find_quote("remain. Therefore, our objections", SOURCE)
    assert find_quote("  We feel\tno\n euphoria  ", SOURCE)


def test_missing_whitespace_is_not_forgiven() -> None:
    assert not find_quote("Wefeel no euphoria", SOURCE)


def test_typographic_quotes_match_ascii_both_ways() -> None:
    assert find_quote("I'll just say that we are committed.", SOURCE)
    assert find_quote("\u201cWe feel no euphoria", SOURCE)
    assert find_quote("\u00abWe feel no euphoria", SOURCE)


def test_omission_pieces_found_in_order() -> None:
    assert find_quote("We feel no euphoria ... our objections also remain", SOURCE)
    assert find_quote("We feel no euphoria\u2026our objections also remain", SOURCE)


def test_out_of_order_pieces_fail() -> None:
    assert not find_quote("our objections also remain ... We feel no euphoria", SOURCE)


def test_pieces_may_not_overlap() -> None:
    # "no grounds" occurs once: two pieces cannot both use it.
    assert not find_quote("no grounds ... no grounds", SOURCE)
    assert find_quote("we see no ... no grounds", "we see no grounds") is False
    assert find_quote("we see no ... grounds", "we see no grounds")


def test_each_piece_must_be_found() -> None:
    assert not find_quote("We feel no euphoria ... invented words", SOURCE)


def test_ellipsis_inside_the_source_is_matched_by_the_quote() -> None:
    # The source has "such.... All": a quote that copies it splits into "such" and ". All".
    assert quote_pieces("as such.... All aspects") == ["as such", ". All aspects"]
    assert find_quote("we do not see it as such.... All aspects of strategic uncertainty remain.", SOURCE)


@pytest.mark.parametrize("quote", ["", "   ", "...", "\u2026", " ... \u2026 "])
def test_quote_without_words_is_never_found(quote: str) -> None:
    assert not find_quote(quote, SOURCE)


def test_leading_and_trailing_omissions_are_allowed() -> None:
    assert find_quote("...strategic uncertainty...", SOURCE)
